from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import HeldTask


@admin.register(HeldTask)
class HeldTaskAdmin(admin.ModelAdmin):
    """What the broker has not got: tasks waiting for it, and mail that failed for good."""

    list_display = ("held_at", "reason", "short_task", "args", "short_error")
    list_filter = ("reason", "task")
    readonly_fields = ("task", "args", "reason", "error", "held_at")
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="task", ordering="task")
    def short_task(self, held: HeldTask) -> str:
        return held.task.rsplit(".", 1)[-1].replace("_", " ")

    @admin.display(description="error")
    def short_error(self, held: HeldTask) -> str:
        return held.error[:120]

    @admin.action(description="Send the selected tasks again now", permissions=["delete"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[HeldTask]) -> None:
        sent = held = 0
        for task in queryset:
            try:
                handed_over = services.send_again(task)
            except LookupError as error:
                messages.error(request, str(error))
                continue
            sent, held = (sent + 1, held) if handed_over else (sent, held + 1)
        if sent:
            messages.success(request, f"{sent} task(s) handed over again.")
        if held:
            messages.warning(request, f"{held} task(s) are held again (see their errors).")
