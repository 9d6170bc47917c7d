"""Django admin for staff: topics, posts and moderation records. Hiding goes through the
same service as the site, so the same moderation record is written."""

from functools import partial

from django.contrib import admin

from apps.web.admin_helpers import ReadOnlyAdminMixin, ServiceActionsMixin
from apps.web.usertext import checked_reason
from apps.wiki.permissions import can_moderate

from . import services
from .models import Post, TalkEvent, Topic


class ModeratorsMayLookMixin:
    """Moderators who are staff see talk in the admin, as they see it on the site."""

    def has_module_permission(self, request):
        return super().has_module_permission(request) or can_moderate(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or can_moderate(request.user)


class HiddenFilter(admin.SimpleListFilter):
    title = "hidden"
    parameter_name = "hidden"

    def lookups(self, request, model_admin):
        return [("yes", "Hidden"), ("no", "Shown")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(hidden_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(hidden_at__isnull=True)
        return queryset


class ClosedFilter(HiddenFilter):
    title = "closed"
    parameter_name = "closed"

    def lookups(self, request, model_admin):
        return [("yes", "Closed"), ("no", "Open")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.closed()
        if self.value() == "no":
            return queryset.open()
        return queryset


@admin.register(Topic)
class TopicAdmin(ModeratorsMayLookMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "article", "created_by", "created_at", "last_activity_at", "closed")
    list_filter = (ClosedFilter, "created_at")
    list_select_related = ("article", "created_by")
    search_fields = ("title", "article__title", "created_by__username")
    date_hierarchy = "created_at"
    fields = ("article", "title", "created_by", "created_at", "last_activity_at", "closed_at",
              "closed_by", "close_reason")  # fmt: skip
    readonly_fields = fields

    @admin.display(description="Closed", boolean=True)
    def closed(self, topic):
        return topic.is_closed


@admin.register(Post)
class PostAdmin(ServiceActionsMixin, ModeratorsMayLookMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "topic", "author", "created_at", "hidden", "hidden_reason")
    list_display_links = ("id",)
    list_filter = (HiddenFilter, "created_at")
    list_select_related = ("topic", "author")
    search_fields = ("body", "topic__title", "author__username")
    date_hierarchy = "created_at"
    fields = ("topic", "parent", "author", "created_at", "body", "hidden_at", "hidden_by",
              "hidden_reason")  # fmt: skip
    readonly_fields = fields
    actions = ["hide_selected"]

    def has_moderate_permission(self, request):
        return can_moderate(request.user)

    @admin.display(description="Hidden", boolean=True)
    def hidden(self, post):
        return post.is_hidden

    @admin.action(description="Hide selected posts…", permissions=["moderate"])
    def hide_selected(self, request, queryset):
        reason, page = self.asked_reason(
            request,
            check=partial(checked_reason, missing="Give a reason for hiding."),
            template="admin/talk/post/hide_reason.html",
            title="Hide posts",
            posts=queryset.select_related("topic", "author"),
        )
        if page is None:
            self.act_on_each(
                request,
                queryset.select_related("topic"),
                services.post_hide,
                row="post",
                done="Hid {count} post(s).",
                label=_post_label,
                reason=reason,
            )
        return page


def _post_label(post: Post) -> str:
    return f"Post {post.pk}"


@admin.register(TalkEvent)
class TalkEventAdmin(ModeratorsMayLookMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "article", "topic", "post", "reason")
    list_filter = ("action", "created_at")
    list_select_related = ("actor", "article", "topic", "post")
    search_fields = ("article__title", "topic__title", "actor__username", "reason")
    date_hierarchy = "created_at"
    fields = ("created_at", "actor", "action", "article", "topic", "post", "reason")
    readonly_fields = fields
