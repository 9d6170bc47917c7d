from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What users were told, for staff answering questions. Written by code only."""

    list_display = ("created_at", "user", "subject", "url", "read_at")
    list_filter = (("read_at", admin.EmptyFieldListFilter), "created_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "message")
    date_hierarchy = "created_at"
    fields = ("created_at", "user", "message", "url", "read_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting stays allowed: deleting a user in the admin cascades to their
    # notifications, and the admin refuses it if these rows cannot be deleted.
