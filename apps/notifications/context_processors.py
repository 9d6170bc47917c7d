from functools import cache

from .models import Notification


def unread(request):
    """How many unread notifications the current user has, for the header.

    A callable, so pages that never ask cost no query; cached, so asking twice costs one.
    """
    user = getattr(request, "user", None)

    @cache
    def count() -> int:
        if user is None or not user.is_authenticated:
            return 0
        return Notification.objects.for_user(user).unread().count()

    return {"unread_notifications": count}
