"""Django admin for staff: topics, posts and moderation records. Hiding goes through the
same service as the site, so the same moderation record is written."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse

from apps.wiki.permissions import can_moderate

from . import services
from .models import Post, TalkEvent, Topic


class ReadOnlyAdminMixin:
    """Talk is written on the site, through the services: no adding, changing or deleting here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
class PostAdmin(ModeratorsMayLookMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
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
        reason = request.POST.get("reason", "").strip()
        # PostgreSQL refuses to store a NUL character (a 500): ask again instead.
        has_nul = "\x00" in reason
        if "apply" not in request.POST or not reason or has_nul:
            if has_nul:
                reason = reason.replace("\x00", "")
                self.message_user(
                    request, "The reason cannot contain NUL characters.", messages.ERROR
                )
            elif "apply" in request.POST:
                self.message_user(request, "Give a reason for hiding.", messages.ERROR)
            return TemplateResponse(
                request,
                "admin/talk/post/hide_reason.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Hide posts",
                    "opts": self.model._meta,
                    "posts": queryset.select_related("topic", "author"),
                    "reason": reason,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        done = 0
        for post in queryset.select_related("topic"):
            try:
                services.post_hide(post=post, moderator=request.user, reason=reason)
            except (PermissionDenied, ValidationError, services.TalkConflict) as error:
                text = getattr(error, "message", None) or "; ".join(
                    getattr(error, "messages", [str(error)])
                )
                self.message_user(request, f"Post {post.pk}: {text}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"Hid {done} post(s).", messages.SUCCESS)
        return None


@admin.register(TalkEvent)
class TalkEventAdmin(ModeratorsMayLookMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "article", "topic", "post", "reason")
    list_filter = ("action", "created_at")
    list_select_related = ("actor", "article", "topic", "post")
    search_fields = ("article__title", "topic__title", "actor__username", "reason")
    date_hierarchy = "created_at"
    fields = ("created_at", "actor", "action", "article", "topic", "post", "reason")
    readonly_fields = fields
