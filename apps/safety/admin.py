"""Blocks in the admin: listed and liftable (through the same service as the moderation
pages, with a reason); placed on the moderation pages, where the form explains them."""

from functools import partial

from django.contrib import admin

from apps.web.admin_helpers import ReadOnlyAdminMixin, ServiceActionsMixin
from apps.web.usertext import checked_reason
from apps.wiki.permissions import can_oversee

from . import services
from .models import Block, EditFilter, FilterHit, Suppression


class ActiveFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "In force"), ("ended", "Ended or lifted")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "ended":
            return queryset.exclude(pk__in=Block.objects.active().values("pk"))
        return queryset


@admin.register(Block)
class BlockAdmin(ServiceActionsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "target", "sitewide", "expires_at", "created_by", "lifted_at")
    list_filter = (ActiveFilter, "sitewide", "created_at")
    list_select_related = ("user", "created_by")
    search_fields = ("user__username", "network", "reason")
    readonly_fields = (
        "user", "network", "sitewide", "actions", "scope", "reason", "expires_at",
        "created_by", "created_at", "lifted_at", "lifted_by", "lift_reason",
    )  # fmt: skip
    fields = readonly_fields
    actions = ["lift_selected"]

    @admin.display(description="Blocked from")
    def scope(self, block):
        return block.scope()

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Lift the selected blocks…")
    def lift_selected(self, request, queryset):
        reason, page = self.asked_reason(
            request,
            check=partial(checked_reason, missing="Say why the blocks are lifted."),
            template="admin/safety/block/lift.html",
            title="Lift blocks",
            blocks=queryset.select_related("user"),
        )
        if page is not None:
            return page
        self.act_on_each(
            request,
            queryset.active().select_related("user"),
            services.block_lift,
            row="block",
            done="Lifted {count} block(s).",
            label=lambda block: str(block.target),
            reason=reason,
        )
        return None


@admin.register(EditFilter)
class EditFilterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Edit filters, to look up (they are written and tried on the moderation pages, where
    every change asks a reason for the audit log)."""

    list_display = ("name", "action", "enabled", "changed_at", "created_by")
    list_filter = ("enabled", "action")
    search_fields = ("name", "rule", "notes")
    readonly_fields = ("name", "notes", "kinds", "rule", "action", "message", "tag", "enabled",
                       "broken", "created_by", "created_at", "changed_at")  # fmt: skip
    fields = readonly_fields


@admin.register(FilterHit)
class FilterHitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "filter", "user", "kind", "action", "acknowledged", "article")
    list_filter = ("action", "kind", "filter")
    list_select_related = ("filter", "user", "article")
    search_fields = ("user__username", "excerpt", "title")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "filter", "user", "kind", "action", "acknowledged",
                       "article", "title", "summary", "excerpt")  # fmt: skip
    fields = readonly_fields


@admin.register(Suppression)
class SuppressionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What oversight took out of revisions: for oversighters only, even among staff."""

    list_display = ("revision", "text", "summary", "author", "by", "at")
    list_select_related = ("revision", "by")
    readonly_fields = ("revision", "text", "summary", "author", "summary_text", "author_user",
                       "body", "by", "at")  # fmt: skip
    fields = readonly_fields

    def has_view_permission(self, request, obj=None):
        return can_oversee(request.user)

    def has_module_permission(self, request):
        return True
