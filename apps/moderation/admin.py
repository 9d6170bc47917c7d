"""Django admin for staff: revisions with their decisions, and the review threads.

The decisions (approve, reject, request changes) are admin actions that call the
same services as the review page, so the same rules hold; threads are for staff to
read, never to edit.
"""

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from apps.web.admin_helpers import ReadOnlyAdminMixin
from apps.web.refusals import Conflict, message_of
from apps.web.usertext import checked_reason
from apps.wiki.admin import AuditEventInline, CitationInline
from apps.wiki.diff import text_diff
from apps.wiki.models import RejectionReason, Revision, RevisionStatus
from apps.wiki.permissions import can_moderate

from . import services
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
class RevisionAdmin(ReadOnlyAdminMixin, RevisionAdminBase):
    list_display = (
        "id", "article", "summary", "author", "status", "created_at", "decided_by", "review_link",
    )  # fmt: skip
    list_display_links = ("id",)
    list_filter = ("status", "created_at", "article__episode__season__show")
    list_select_related = ("article", "author", "decided_by")
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
        return super().change_view(request, object_id, form_url, extra_context=extra)

    @admin.display(description="On the site")
    def review_link(self, revision: Revision) -> str:
        if revision.status == RevisionStatus.PENDING:
            return format_html(
                '<a href="{}">Review page</a>', reverse("moderation:review", args=[revision.pk])
            )
        return format_html('<a href="{}">View</a>', revision.get_absolute_url())

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return can_moderate(request.user)

    def _reason_page(
        self,
        request: HttpRequest,
        queryset: QuerySet[Revision],
        *,
        template: str,
        title: str,
        **context: Any,
    ) -> TemplateResponse:
        """The page asking for the reason the action needs (again, with what was typed)."""
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                "revisions": queryset.select_related("article", "author"),
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                **context,
            },
        )

    def _decide_each(
        self,
        request: HttpRequest,
        queryset: QuerySet[Revision],
        decide: Callable[..., object],
        done_message: str,
    ) -> None:
        """Call the service for each selected proposal; say which were refused, and why."""
        done = 0
        for revision in queryset.select_related("article"):
            try:
                decide(revision=revision, moderator=request.user)
            except (PermissionDenied, ValidationError, Conflict) as error:
                self.message_user(request, f"{revision}: {message_of(error)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message.format(count=done), messages.SUCCESS)

    @admin.action(description="Approve selected proposals", permissions=["moderate"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Revision]) -> None:
        self._decide_each(
            request, queryset, services.revision_approve, "Approved {count} proposal(s)."
        )

    @admin.action(description="Reject selected proposals…", permissions=["moderate"])
    def reject_selected(
        self, request: HttpRequest, queryset: QuerySet[Revision]
    ) -> TemplateResponse | None:
        reason = request.POST.get("reason", "")
        reason_code = request.POST.get("reason_code", "")
        if reason_code not in RejectionReason.values:
            reason_code = ""
        if "apply" in request.POST:
            # The service's own check, asked once here so the page can come back at once.
            try:
                reason = checked_reason(
                    reason,
                    required=not reason_code or reason_code == RejectionReason.OTHER,
                    missing="Give the authors a reason: choose one, write a note, or both.",
                )
            except ValidationError as error:
                self.message_user(request, message_of(error), messages.ERROR)
            else:
                self._decide_each(
                    request,
                    queryset,
                    partial(services.revision_reject, reason=reason, reason_code=reason_code),
                    "Rejected {count} proposal(s).",
                )
                return None
        return self._reason_page(
            request,
            queryset,
            template="admin/wiki/revision/reject_reason.html",
            title="Reject proposals",
            reason=reason.replace("\x00", ""),
            reason_code=reason_code,
            reasons=RejectionReason.choices,
        )

    @admin.action(description="Request changes on selected proposals…", permissions=["moderate"])
    def request_changes_selected(
        self, request: HttpRequest, queryset: QuerySet[Revision]
    ) -> TemplateResponse | None:
        reason = request.POST.get("reason", "")
        if "apply" in request.POST:
            try:
                reason = checked_reason(reason, required=False)
            except ValidationError as error:
                self.message_user(request, message_of(error), messages.ERROR)
            else:
                self._decide_each(
                    request,
                    queryset,
                    partial(services.revision_request_changes, reason=reason),
                    "Sent {count} proposal(s) back for changes.",
                )
                return None
        return self._reason_page(
            request,
            queryset,
            template="admin/wiki/revision/request_changes.html",
            title="Request changes",
            reason=reason.replace("\x00", ""),
        )


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
