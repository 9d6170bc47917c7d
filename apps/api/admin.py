"""Staff's view of the API: tokens (revocable, never readable), their record, webhooks
(registered here, their secret shown to staff to give to the receiver) and deliveries."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.outbox.services import send_later

from .models import (
    ApiToken,
    DeliveryAttempt,
    TokenEvent,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
)
from .tasks import deliver
from .tokens import token_revoke
from .webhooks import check_endpoint, new_secret


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnly):
    list_display = ("prefix", "name", "user", "scopes", "created_at", "last_used_at",
                    "expires_at", "revoked_at")  # fmt: skip
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__username")
    readonly_fields = ("user", "name", "prefix", "scopes", "created_at", "expires_at",
                       "last_used_at", "revoked_at", "revoked_by")  # fmt: skip
    exclude = ("digest",)
    actions = ["revoke_selected"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The change page only shows the token; revoking is the action (it needs the right).
        return bool(request.user.is_staff)

    @admin.action(description="Revoke the selected tokens")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            token_revoke(token=token, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, f"Revoked {queryset.count()} token(s).")


@admin.register(TokenEvent)
class TokenEventAdmin(ReadOnly):
    list_display = ("created_at", "action", "token", "actor", "method", "path", "status",
                    "address")  # fmt: skip
    list_filter = ("action",)
    search_fields = ("token__prefix", "actor__username", "path")


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label="Endpoint", max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webhook
        fields = ("url", "events", "active", "description")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            check_endpoint(url)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["url"]) from error
        return url


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("at", "status_code", "error", "milliseconds")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ("url", "active", "description", "created_by", "created_at")
    readonly_fields = ("secret", "created_by", "created_at")

    def save_model(self, request: HttpRequest, obj: Webhook, form: Any, change: bool) -> None:
        if not change:
            obj.secret = new_secret()
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnly):
    list_display = ("created_at", "event", "webhook", "state", "attempts", "delivered_at")
    list_filter = ("state", "event")
    readonly_fields = ("webhook", "event", "body", "state", "attempts", "created_at",
                       "delivered_at")  # fmt: skip
    inlines = [AttemptInline]
    actions = ["send_again"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff)

    @admin.action(description="Send the selected deliveries again")
    def send_again(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(state="pending")
        for pk in ids:
            send_later(deliver, pk)
        messages.success(request, f"{len(ids)} deliveries queued again.")
