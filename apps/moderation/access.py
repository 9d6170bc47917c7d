"""Letting moderators in: the one decorator every moderators' page goes through."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from apps.wiki.permissions import can_moderate

View = Callable[..., HttpResponse]


def moderator_required(view: View) -> View:
    """Anonymous users are sent to log in; signed-in users without the permission get a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_moderate(request.user):
            raise PermissionDenied("Only moderators can review proposals.")
        return view(request, *args, **kwargs)

    return wrapper
