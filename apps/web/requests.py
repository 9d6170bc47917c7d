"""What a view knows of its request once a decorator has let it through."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from apps.accounts.models import User


def user_of(request: HttpRequest) -> User:
    """The signed-in user of a request that ``login_required`` (or stricter) let through."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Log in first.")
    return user
