"""Django admin for staff: revisions with their decisions, and the review threads.

The decisions (approve, reject, request changes) are admin actions that call the
same services as the review page, so the same rules hold; threads are for staff to
read, never to edit.
"""

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.views.decorators.http import require_POST

from apps.markup import drop_external_images
from apps.web.admin_helpers import ReadOnlyAdminMixin, ServiceActionsMixin
from apps.web.forms import Utf8Form
from apps.web.refusals import message_of
from apps.web.usertext import checked_reason
from apps.wiki.admin import AuditEventInline, CitationInline
from apps.wiki.diff import text_diff
from apps.wiki.models import RejectionReason, Revision, RevisionStatus
from apps.wiki.permissions import can_moderate

from . import services
from .forms import RejectForm, RequestChangesForm
from .models import ProtectionChange, ReviewComment, ReviewThread, TrustChange

# The admin's classes are generic only to the type checker (django-stubs).
if TYPE_CHECKING:
    ThreadInlineBase = admin.TabularInline[ReviewThread, Revision]
    CommentInlineBase = admin.StackedInline[ReviewComment, ReviewThread]
    RevisionAdminBase = admin.ModelAdmin[Revision]
    ThreadAdminBase = admin.ModelAdmin[ReviewThread]
else:
    ThreadInlineBase, CommentInlineBase = admin.TabularInline, admin.StackedInline
    RevisionAdminBase = ThreadAdminBase = admin.ModelAdmin


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


class ReviewThreadInline(ReadOnlyAdminMixin, ThreadInlineBase):
    model = ReviewThread
    fk_name = "revision"
    fields = ("thread_link", "place", "created_by", "created_at", "resolved_at", "first_comment")
    readonly_fields = fields
    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or can_moderate(request.user)

    @admin.display(description="Thread")
    def thread_link(self, thread: ReviewThread) -> str:
        return format_html(
            '<a href="{}">#{}</a>',
            reverse("admin:moderation_reviewthread_change", args=[thread.pk]),
            thread.pk,
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReviewThread]:
        return (
            super().get_queryset(request).select_related("created_by").prefetch_related("comments")
        )

    @admin.display(description="First comment")
    def first_comment(self, thread: ReviewThread) -> str:
        comments = list(thread.comments.all())  # prefetched: no query per thread
        return comments[0].body[:200] if comments else ""


@admin.register(Revision)
class RevisionAdmin(ServiceActionsMixin, ReadOnlyAdminMixin, RevisionAdminBase):
    # Narrow enough for a 1280-pixel window beside the filters: long titles and summaries
    # are cut (the whole text is on the revision's page).
    list_display = (
        "id", "article_short", "summary_short", "author", "status", "submitted", "review_link",
    )  # fmt: skip
    list_display_links = ("id",)
    list_filter = ("status", "created_at", "article__episode__season__show")
    list_select_related = ("article__episode__season__show", "author")
    search_fields = ("article__title", "summary", "body", "author__username")
    date_hierarchy = "created_at"
    readonly_fields = (
        "article", "author", "summary", "base", "created_at", "status", "decided_by",
        "decided_at", "decision_reason", "body",
    )  # fmt: skip
    fields = readonly_fields
    inlines = [CitationInline, ReviewThreadInline, AuditEventInline]
    actions = ["approve_selected", "request_changes_selected", "reject_selected"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or can_moderate(request.user)

    change_form_template = "admin/wiki/revision/change_form.html"

    @admin.display(description="Article", ordering="article__title")
    def article_short(self, revision: Revision) -> str:
        return _cut(revision.article.title, 40)

    @admin.display(description="Summary")
    def summary_short(self, revision: Revision) -> str:
        return _cut(revision.summary, 60)

    @admin.display(description="Submitted", ordering="created_at")
    def submitted(self, revision: Revision) -> str:
        return date_format(localtime(revision.created_at), "j M Y")

    def get_urls(self) -> list[Any]:
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:pk>/decide/", require_POST(decide), name="wiki_revision_decide"),
            *super().get_urls(),
        ]

    # One proposal's page: decision -> (form of its reason, service, what is said when done).
    DECISIONS: dict[str, tuple[type[Utf8Form] | None, Callable[..., object], str]] = {
        "approve": (None, services.revision_approve, "Approved."),
        "request-changes": (
            RequestChangesForm,
            services.revision_request_changes,
            "Sent back to the author for changes.",
        ),
        "reject": (RejectForm, services.revision_reject, "Rejected."),
    }

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Approve, request changes or reject from the proposal's admin page, through the
        review page's forms and the same services (act_on_each says what happened)."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        revision = get_object_or_404(Revision.objects.select_related("article"), pk=pk)
        back = redirect("admin:wiki_revision_change", pk)
        decision = self.DECISIONS.get(request.POST.get("decision", ""))
        if decision is None:
            self.message_user(request, "Choose a decision.", level=messages.ERROR)
            return back
        form_class, service, done = decision
        arguments: dict[str, Any] = {}
        if form_class is not None:
            form = form_class(request.POST)
            if not form.is_valid():
                self.message_user(request, message_of(ValidationError(form.errors)), messages.ERROR)
                return back
            arguments = {name: value or "" for name, value in form.cleaned_data.items()}
        self.act_on_each(
            request,
            [revision],
            service,
            row="revision",
            done=f"Proposal #{pk}: {done}",
            label=lambda each: f"Proposal #{each.pk}",
            **arguments,
        )
        return back

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        revision = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if revision is not None:
            # A pending proposal is compared with what readers see now, as on the review
            # page; a decided one with the text it was written against (its base).
            pending = revision.status == RevisionStatus.PENDING
            against = revision.article.approved_revision if pending else revision.base
            extra["text_diff"] = text_diff(against.body if against else "", revision.body)
            extra["diff_base"] = against
            extra["diff_is_current"] = pending
            extra["is_stale"] = (
                pending and revision.base_id != revision.article.approved_revision_id
            )
            extra["review_url"] = reverse("moderation:review", args=[revision.pk])
            extra["revision_html"] = drop_external_images(revision.rendered_html)
            if pending and self.has_moderate_permission(request):
                extra["decide_url"] = reverse("admin:wiki_revision_decide", args=[revision.pk])
                extra["reject_form"] = RejectForm()
                extra["request_form"] = RequestChangesForm()
                extra["is_own"] = revision.author_id == request.user.pk
        return super().change_view(request, object_id, form_url, extra_context=extra)

    @admin.display(description="Site")
    def review_link(self, revision: Revision) -> str:
        if revision.status == RevisionStatus.PENDING:
            return format_html(
                '<a href="{}">Review page</a>', reverse("moderation:review", args=[revision.pk])
            )
        return format_html('<a href="{}">View</a>', revision.get_absolute_url())

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return can_moderate(request.user)

    @admin.action(description="Approve selected proposals", permissions=["moderate"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Revision]) -> None:
        self.act_on_each(
            request,
            queryset.select_related("article"),
            services.revision_approve,
            row="revision",
            done="Approved {count} proposal(s).",
        )

    @admin.action(description="Reject selected proposals…", permissions=["moderate"])
    def reject_selected(
        self, request: HttpRequest, queryset: QuerySet[Revision]
    ) -> TemplateResponse | None:
        reason_code = request.POST.get("reason_code", "")
        if reason_code not in RejectionReason.values:
            reason_code = ""
        reason, page = self.asked_reason(
            request,
            check=partial(
                checked_reason,
                required=not reason_code or reason_code == RejectionReason.OTHER,
                missing="Give the authors a reason: choose one, write a note, or both.",
            ),
            template="admin/wiki/revision/reject_reason.html",
            title="Reject proposals",
            revisions=queryset.select_related("article", "author"),
            reason_code=reason_code,
            reasons=RejectionReason.choices,
        )
        if page is None:
            self.act_on_each(
                request,
                queryset.select_related("article"),
                services.revision_reject,
                row="revision",
                done="Rejected {count} proposal(s).",
                reason=reason,
                reason_code=reason_code,
            )
        return page

    @admin.action(description="Request changes on selected proposals…", permissions=["moderate"])
    def request_changes_selected(
        self, request: HttpRequest, queryset: QuerySet[Revision]
    ) -> TemplateResponse | None:
        reason, page = self.asked_reason(
            request,
            check=partial(checked_reason, required=False),
            template="admin/wiki/revision/request_changes.html",
            title="Request changes",
            revisions=queryset.select_related("article", "author"),
        )
        if page is None:
            self.act_on_each(
                request,
                queryset.select_related("article"),
                services.revision_request_changes,
                row="revision",
                done="Sent {count} proposal(s) back for changes.",
                reason=reason,
            )
        return page


class ReviewCommentInline(ReadOnlyAdminMixin, CommentInlineBase):
    model = ReviewComment
    fields = ("author", "created_at", "body", "suggestion", "applied_in")
    readonly_fields = fields
    extra = 0


@admin.register(ReviewThread)
class ReviewThreadAdmin(ReadOnlyAdminMixin, ThreadAdminBase):
    """What moderators and authors said about proposals: for staff to read, never to edit."""

    list_display = ("id", "revision", "place", "created_by", "created_at", "is_resolved")
    list_filter = ("anchor", "created_at", ("resolved_at", admin.EmptyFieldListFilter))
    list_select_related = ("revision__article", "created_by")
    search_fields = ("revision__article__title", "created_by__username", "comments__body")
    date_hierarchy = "created_at"
    readonly_fields = (
        "revision", "started_on", "anchor", "side", "line_start", "line_end", "anchor_text",
        "quote", "citation_key", "outdated", "created_by", "created_at", "resolved_by",
        "resolved_at",
    )  # fmt: skip
    fields = readonly_fields
    inlines = [ReviewCommentInline]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or can_moderate(request.user)

    @admin.display(description="Resolved", boolean=True)
    def is_resolved(self, thread: ReviewThread) -> bool:
        return thread.is_resolved


if TYPE_CHECKING:
    TrustChangeAdminBase = admin.ModelAdmin[TrustChange]
    ProtectionChangeAdminBase = admin.ModelAdmin[ProtectionChange]
else:
    TrustChangeAdminBase = ProtectionChangeAdminBase = admin.ModelAdmin


@admin.register(TrustChange)
class TrustChangeAdmin(ReadOnlyAdminMixin, TrustChangeAdminBase):
    """Moderators' decisions on fans' trust (append-only): made on the review page."""

    list_display = ("created_at", "actor", "user", "trust", "reason")
    list_filter = ("trust", "created_at")
    list_select_related = ("actor", "user")
    search_fields = ("user__username", "actor__username", "reason")
    date_hierarchy = "created_at"
    fields = ("created_at", "actor", "user", "trust", "reason")
    readonly_fields = fields


@admin.register(ProtectionChange)
class ProtectionChangeAdmin(ReadOnlyAdminMixin, ProtectionChangeAdminBase):
    """Who changed an article's protection, when and why (append-only)."""

    list_display = ("created_at", "actor", "article", "level", "expires_at", "reason")
    list_filter = ("level", "created_at")
    list_select_related = ("actor", "article")
    search_fields = ("article__title", "actor__username", "reason")
    date_hierarchy = "created_at"
    fields = ("created_at", "actor", "article", "level", "expires_at", "reason")
    readonly_fields = fields
