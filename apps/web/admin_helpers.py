"""What the admin pages of several apps share."""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.template.response import TemplateResponse

from .refusals import Conflict, message_of
from .usertext import MAX_REASON_LENGTH


class ReadOnlyAdminMixin:
    """History and anything written through the services: no adding, changing or
    deleting in the admin (its actions call the services instead)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceActionsMixin:
    """Admin actions that call a service for each selected row, as the site's pages do,
    and ask first for the moderator's reason when the service needs one.

    For a ModelAdmin: it uses ``admin_site``, ``model`` and ``message_user``.
    """

    admin_site: Any
    model: Any
    message_user: Any

    def asked_reason(
        self,
        request: HttpRequest,
        *,
        check: Callable[[str], str],
        template: str,
        title: str,
        **context: Any,
    ) -> tuple[str, TemplateResponse | None]:
        """The posted reason, checked (``check`` is the service's own checker), and None;
        or, before it is given or when it is refused, the page asking for it again with
        what was typed."""
        reason = request.POST.get("reason", "")
        if "apply" in request.POST:
            try:
                return check(reason), None
            except ValidationError as error:
                self.message_user(request, message_of(error), messages.ERROR)
        page = TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                "reason": reason.replace("\x00", ""),  # shown again; the page cannot hold it
                "reason_max_length": MAX_REASON_LENGTH,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                **context,
            },
        )
        return reason, page

    def act_on_each(
        self,
        request: HttpRequest,
        rows: Iterable[Model],
        service: Callable[..., object],
        *,
        row: str,
        done: str,
        label: Callable[[Any], str] = str,
        **arguments: Any,
    ) -> None:
        """``service(<row>=each, moderator=the user, **arguments)`` for each row; say which
        were refused and why, and how many were done (``done`` takes ``{count}``)."""
        count = 0
        for each in rows:
            try:
                service(**{row: each}, moderator=request.user, **arguments)
            except (PermissionDenied, ValidationError, Conflict) as error:
                self.message_user(request, f"{label(each)}: {message_of(error)}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, done.format(count=count), messages.SUCCESS)
