"""What the admin pages of several apps share."""

from typing import Any

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """History and anything written through the services: no adding, changing or
    deleting in the admin (its actions call the services instead)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
