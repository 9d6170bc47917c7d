from django.db.models import Count, IntegerField, Subquery
from django.db.models.functions import Coalesce

from . import preferences
from .models import Notification

KNOWN = "_unread_notifications"  # on the request, once counted (or counted with a page's query)


def unread(request):
    """How many unread notifications the current user has, for the header.

    0 for a user who turned notifications on the site off. A callable, so pages
    that never ask cost no query; kept on the request, so asking twice (the page
    and a personal part of it) costs one, and none when the page's own query
    counted them (:func:`known`).
    """

    def count() -> int:
        found = getattr(request, KNOWN, None)
        if found is None:
            found = unread_count(getattr(request, "user", None))
            setattr(request, KNOWN, found)
        return found

    return {"unread_notifications": count}


def unread_count(user) -> int:
    if not shows_unread(user):
        return 0
    return Notification.objects.for_user(user).unread().count()


def shows_unread(user) -> bool:
    """Whether the header counts this user's unread notifications at all."""
    return user is not None and user.is_authenticated and preferences.on_site(user)


def unread_query(user_id):
    """The count as an expression for another query (of a user who shows_unread)."""
    counted = (
        Notification.objects.filter(user_id=user_id)
        .unread()
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def known(request, count: int) -> None:
    """The header's count, as a page's own query found it."""
    setattr(request, KNOWN, count)
