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
    if user is None or not user.is_authenticated or not preferences.on_site(user):
        return 0
    return Notification.objects.for_user(user).unread().count()


def unread_query(user):
    """The count as an expression for another query, None when it is 0 without asking."""
    if user is None or not user.is_authenticated or not preferences.on_site(user):
        return None
    counted = (
        Notification.objects.for_user(user)
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
