from functools import cache

from . import preferences
from .models import Notification


def unread(request):
    """How many unread notifications the current user has, for the header.

    0 for a user who turned notifications on the site off. A callable, so pages
    that never ask cost no query; cached, so asking twice costs one.
    """
    user = getattr(request, "user", None)

    @cache
    def count() -> int:
        if user is None or not user.is_authenticated or not preferences.on_site(user):
            return 0
        return Notification.objects.for_user(user).unread().count()

    return {"unread_notifications": count}
