"""Django admin for staff. Decisions go through the same services as the site."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from apps.citations.models import Source

from . import services
from .diff import text_diff
from .models import (
    Article,
    AuditEvent,
    Citation,
    RejectionReason,
    ReviewComment,
    ReviewThread,
    Revision,
    RevisionStatus,
    citing_article_count,
)
from .permissions import can_moderate

MAX_NOTE = 2000  # as the review page's form allows


class ReadOnlyAdminMixin:
    """History is written by services only: no adding, changing or deleting here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CitationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Citation
    fields = ("marker", "source", "locator", "quote")
    readonly_fields = fields
    ordering = ("key", "position")
    extra = 0

    @admin.display(description="Marker")
    def marker(self, citation):
        # Numbered as the text's markers name them ([@2]), not by their order in the form.
        return f"[@{citation.key}]" if citation.key else "—"


class AuditEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AuditEvent
    fields = ("created_at", "actor", "action", "from_status", "to_status", "reason")
    readonly_fields = fields
    extra = 0


class ReviewThreadInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReviewThread
    fk_name = "revision"
    fields = ("thread_link", "place", "created_by", "created_at", "resolved_at", "first_comment")
    readonly_fields = fields
    extra = 0

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or can_moderate(request.user)

    @admin.display(description="Thread")
    def thread_link(self, thread):
        return format_html(
            '<a href="{}">#{}</a>',
            reverse("admin:wiki_reviewthread_change", args=[thread.pk]),
            thread.pk,
        )

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("created_by").prefetch_related("comments")
        )

    @admin.display(description="First comment")
    def first_comment(self, thread):
        comments = list(thread.comments.all())  # prefetched: no query per thread
        return comments[0].body[:200] if comments else ""


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "episode", "approved_revision", "approved_at", "created_by")
    list_filter = ("episode__season__show", ("approved_revision", admin.EmptyFieldListFilter))
    list_select_related = ("episode__season", "approved_revision__article", "created_by")
    search_fields = ("title", "slug")
    # Which text is approved changes only through the review services.
    readonly_fields = ("approved_revision", "approved_at", "created_by", "created_at")
    fields = ("title", "slug", "episode", *readonly_fields)

    def has_add_permission(self, request):
        return False  # new articles are proposed on the site, with citations, and reviewed

    def has_delete_permission(self, request, obj=None):
        return False


def _error_text(error) -> str:
    return (
        getattr(error, "message", None) or "; ".join(getattr(error, "messages", [])) or str(error)
    )


def _decide_each(modeladmin, request, queryset, decide, done_message):
    done = 0
    for revision in queryset.select_related("article"):
        try:
            decide(revision)
        except (PermissionDenied, ValidationError, services.WikiConflict) as error:
            modeladmin.message_user(request, f"{revision}: {_error_text(error)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message.format(count=done), messages.SUCCESS)


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or can_moderate(request.user)

    change_form_template = "admin/wiki/revision/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
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
    def review_link(self, revision):
        if revision.status == RevisionStatus.PENDING:
            return format_html(
                '<a href="{}">Review page</a>', reverse("moderation:review", args=[revision.pk])
            )
        return format_html('<a href="{}">View</a>', revision.get_absolute_url())

    def has_moderate_permission(self, request):
        return can_moderate(request.user)

    @admin.action(description="Approve selected proposals", permissions=["moderate"])
    def approve_selected(self, request, queryset):
        _decide_each(
            self,
            request,
            queryset,
            lambda revision: services.revision_approve(revision=revision, moderator=request.user),
            "Approved {count} proposal(s).",
        )

    @admin.action(description="Reject selected proposals…", permissions=["moderate"])
    def reject_selected(self, request, queryset):
        reason = request.POST.get("reason", "").strip()
        reason_code = request.POST.get("reason_code", "")
        if reason_code not in RejectionReason.values:
            reason_code = ""
        # PostgreSQL refuses to store a NUL character (a 500): ask again instead.
        has_nul = "\x00" in reason
        missing = not reason and (not reason_code or reason_code == RejectionReason.OTHER)
        if "apply" not in request.POST or missing or has_nul:
            if has_nul:
                reason = reason.replace("\x00", "")
                self.message_user(
                    request, "The reason cannot contain NUL characters.", messages.ERROR
                )
            elif "apply" in request.POST:
                self.message_user(
                    request,
                    "Give the authors a reason: choose one, write a note, or both.",
                    messages.ERROR,
                )
            return TemplateResponse(
                request,
                "admin/wiki/revision/reject_reason.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Reject proposals",
                    "opts": self.model._meta,
                    "revisions": queryset.select_related("article", "author"),
                    "reason": reason,
                    "reason_code": reason_code,
                    "reasons": RejectionReason.choices,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        _decide_each(
            self,
            request,
            queryset,
            lambda revision: services.revision_reject(
                revision=revision, moderator=request.user, reason=reason, reason_code=reason_code
            ),
            "Rejected {count} proposal(s).",
        )
        return None

    @admin.action(description="Request changes on selected proposals…", permissions=["moderate"])
    def request_changes_selected(self, request, queryset):
        reason = request.POST.get("reason", "")
        too_long = len(reason) > MAX_NOTE
        if "apply" not in request.POST or "\x00" in reason or too_long:
            if "\x00" in reason:
                reason = reason.replace("\x00", "")
                self.message_user(
                    request, "The note cannot contain NUL characters.", messages.ERROR
                )
            elif too_long:
                self.message_user(
                    request, f"Keep the note under {MAX_NOTE:,} characters.", messages.ERROR
                )
            return TemplateResponse(
                request,
                "admin/wiki/revision/request_changes.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Request changes",
                    "opts": self.model._meta,
                    "revisions": queryset.select_related("article", "author"),
                    "reason": reason,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        _decide_each(
            self,
            request,
            queryset,
            lambda revision: services.revision_request_changes(
                revision=revision, moderator=request.user, reason=reason
            ),
            "Sent {count} proposal(s) back for changes.",
        )
        return None


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "article", "revision", "to_status")
    list_filter = ("action", "created_at")
    list_select_related = ("actor", "article", "revision__article")
    search_fields = ("article__title", "actor__username", "reason")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "actor", "action", "article", "revision", "from_status",
                       "to_status", "reason")  # fmt: skip
    fields = readonly_fields


class SourceCitationInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The citations of the source in the text readers see now (one per citing article).

    Earlier versions and proposals can hold thousands more: they are listed,
    paginated, on the citations page the source page links to.
    """

    model = Citation
    fk_name = "source"
    fields = ("article", "revision", "locator", "quote")
    readonly_fields = fields
    extra = 0
    show_change_link = False
    verbose_name_plural = "Cited now by"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .current()
            .select_related("revision__article")
            .order_by("revision__article__title", "position")
        )

    @admin.display(description="Article")
    def article(self, citation):
        return citation.revision.article


@admin.register(Citation)
class CitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every citation ever written, of every status: paginated, filtered by source from its page."""

    list_display = ("source", "article", "revision", "revision_status", "locator", "quote")
    list_filter = ("revision__status", "source__kind")
    list_select_related = ("source", "revision__article")
    search_fields = ("source__title", "revision__article__title", "quote", "locator")
    list_per_page = 100
    fields = ("source", "revision", "key", "number", "locator", "quote", "uses")
    readonly_fields = fields

    @admin.display(description="Article", ordering="revision__article__title")
    def article(self, citation):
        return citation.revision.article

    @admin.display(description="Status", ordering="revision__status")
    def revision_status(self, citation):
        return citation.revision.get_status_display()


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "author", "publisher", "url", "article_count")
    list_filter = ("kind",)
    search_fields = ("title", "url", "publisher", "author")
    readonly_fields = ("created_by", "created_at", "all_citations")
    date_hierarchy = "created_at"
    inlines = [SourceCitationInline]
    actions = ["merge_selected"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=citing_article_count())

    @admin.display(description="Cited now by (articles)", ordering="article_total")
    def article_count(self, source):
        return source.article_total

    @admin.display(description="Every citation")
    def all_citations(self, source):
        if source.pk is None:
            return "—"
        url = reverse("admin:wiki_citation_changelist") + f"?source__id__exact={source.pk}"
        total = source.citations.count()
        return format_html(
            '<a href="{}">{} citation(s), in earlier versions and proposals too</a>', url, total
        )

    @admin.action(description="Merge selected duplicate sources…", permissions=["change", "delete"])
    def merge_selected(self, request, queryset):
        sources = list(queryset.order_by("created_at", "id"))
        keep_id = request.POST.get("keep", "")
        if "apply" in request.POST and keep_id.isascii() and keep_id.isdigit():
            keep = next((s for s in sources if s.pk == int(keep_id)), None)
            if keep is not None:
                try:
                    moved = services.source_merge(keep=keep, duplicates=sources, actor=request.user)
                except (PermissionDenied, ValidationError, services.WikiConflict) as error:
                    self.message_user(request, _error_text(error), messages.ERROR)
                    return None
                self.message_user(
                    request,
                    f"Merged {len(sources) - 1} source(s) into “{keep}”; "
                    f"{moved} citation(s) now point at it.",
                    messages.SUCCESS,
                )
                return None
        if len(sources) < 2:
            self.message_user(request, "Select two or more sources to merge.", messages.WARNING)
            return None
        return TemplateResponse(
            request,
            "admin/citations/source/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge duplicate sources",
                "opts": self.model._meta,
                "sources": queryset.annotate(total=Count("citations")).order_by("created_at", "id"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class ReviewCommentInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = ReviewComment
    fields = ("author", "created_at", "body", "suggestion", "applied_in")
    readonly_fields = fields
    extra = 0


@admin.register(ReviewThread)
class ReviewThreadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or can_moderate(request.user)

    @admin.display(description="Resolved", boolean=True)
    def is_resolved(self, thread):
        return thread.is_resolved
