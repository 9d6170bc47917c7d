"""Django admin for staff: articles, citations, sources and the audit log. Revisions and
their decisions are moderation's (apps/moderation/admin.py); both call the services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from apps.citations.models import Source
from apps.web.admin_helpers import ReadOnlyAdminMixin
from apps.web.params import id_value
from apps.web.refusals import Conflict, message_of

from . import services
from .models import Article, AuditEvent, Citation, ModeratorAction, Redirect, citing_article_count
from .permissions import can_oversee


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
    fields = ("created_at", "who", "action", "from_status", "to_status", "reason")
    readonly_fields = fields
    extra = 0

    @admin.display(description="Actor")
    def who(self, event):
        return event.shown_actor  # an author's name suppressed by oversight stays hidden


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "episode", "approved_revision", "approved_at", "created_by")
    list_filter = ("episode__season__show", ("approved_revision", admin.EmptyFieldListFilter))
    list_select_related = ("episode__season", "approved_revision__article", "created_by")
    search_fields = ("title", "slug")
    # Which text is approved, and the title and address (a move, carried by a version so
    # that it is reviewed and leaves a redirect), change only through the review services.
    readonly_fields = (
        "title",
        "slug",
        "approved_revision",
        "approved_at",
        "created_by",
        "created_at",
    )
    fields = ("episode", *readonly_fields)

    def has_add_permission(self, request):
        return False  # new articles are proposed on the site, with citations, and reviewed

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModeratorAction)
class ModeratorActionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Moderators' actions outside the review of proposals (append-only): source merges,
    blocks, edit filters, suppression, rollbacks, deleted accounts."""

    list_display = ("created_at", "actor", "action", "summary", "article", "user")
    list_filter = ("action", "created_at")
    list_select_related = ("actor", "article", "user")
    search_fields = ("summary", "actor__username", "user__username", "article__title")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "actor", "action", "article", "user", "revision", "summary",
                       "details", "reason")  # fmt: skip

    def get_fields(self, request, obj=None):
        # A suppression's reason (and what it names) is for oversighters only.
        if obj is not None and obj.restricted and not can_oversee(request.user):
            return ("created_at", "actor", "action", "article", "user", "revision", "withheld")
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="Reason and details")
    def withheld(self, action):
        return "Withheld: for oversighters only."


@admin.register(Redirect)
class RedirectAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Former titles and other names: written when a version is published (never by hand,
    so none can lead to a missing article or to another redirect)."""

    list_display = ("title", "slug", "article", "kind", "created_at")
    list_filter = ("kind",)
    list_select_related = ("article",)
    search_fields = ("title", "slug", "article__title")
    readonly_fields = ("title", "slug", "article", "kind", "created_at")
    fields = readonly_fields


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "who", "action", "article", "revision", "to_status")
    list_filter = ("action", "created_at")
    list_select_related = ("actor", "article", "revision__article", "revision__author")
    search_fields = ("article__title", "actor__username", "reason")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "who", "action", "article", "revision", "from_status",
                       "to_status", "reason")  # fmt: skip
    fields = readonly_fields

    @admin.display(description="Actor")
    def who(self, event):
        return event.shown_actor  # an author's name suppressed by oversight stays hidden


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
        keep_id = id_value(request.POST.get("keep", ""))
        reason = request.POST.get("reason", "")
        error = ""
        if "apply" in request.POST and keep_id is not None:
            keep = next((s for s in sources if s.pk == keep_id), None)
            if keep is not None:
                try:
                    moved = services.source_merge(
                        keep=keep, duplicates=sources, actor=request.user, reason=reason
                    )
                except ValidationError as refused:
                    error = message_of(refused)  # asked again, with what was typed
                except (PermissionDenied, Conflict) as refused:
                    self.message_user(request, message_of(refused), messages.ERROR)
                    return None
                else:
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
                "reason": reason,
                "error": error,
            },
        )
