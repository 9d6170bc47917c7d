"""Storing notifications and sending them by e-mail. Callers decide who hears what;
each user decides how (apps/notifications/preferences.py).

Storing is one insert in the caller's transaction; each e-mail is a background
task queued once that transaction commits, so nothing the caller does waits on
a mail server, and a change that rolls back mails no one. Users who chose the
daily digest hear by e-mail from apps/notifications/digest.py instead; users
who want neither the site nor e-mail get nothing stored.
"""

from collections.abc import Callable, Iterable
from typing import Any

from apps.catalog.models import Episode
from apps.outbox.services import send_later
from apps.web import spoilers

from . import preferences
from .models import Folded, Notification
from .tasks import send_notification_email


def notify(
    user, *, message: str, url: str, folded: Folded | None = None, email: bool = True
) -> Notification | None:
    """Store one notification for ``user`` and, if asked and they want it, e-mail it.

    ``folded`` is what a reader whose spoiler point comes before its episode gets
    instead. Returns the notification, or None when the user wants to hear nothing.
    """
    if not preferences.wants_any(user):
        return None
    notification = Notification.objects.create(
        user=user, message=message, url=url, **_folded_fields(folded)
    )
    if email and preferences.emails_each(user):
        _queue_emails([notification.pk])
    return notification


def notify_many(
    users: Iterable, *, message: str, url: str, folded: Folded | None = None, email: bool = True
) -> int:
    """The same notification for many users in one insert; returns how many were stored."""
    notifications = Notification.objects.bulk_create(
        Notification(user=user, message=message, url=url, **_folded_fields(folded))
        for user in users
        if preferences.wants_any(user)
    )
    if email:
        _queue_emails([n.pk for n in notifications if preferences.emails_each(n.user)])
    return len(notifications)


def about(episode: Episode | None, build: Callable[[], tuple[str, str]]) -> dict[str, Any]:
    """notify()'s ``message``, ``url`` and, for an episode, ``folded``: a notification that
    names an article, written twice.

    ``build`` makes the message and link from what the active reader may see (an
    article's ``display_title`` and ``folded``, the objects' addresses: the one spoiler
    rule, apps.web.spoilers). It runs once with nobody's point, and once with a point
    before ``episode``; which of the two a user reads is decided when it is shown or
    mailed, so a point set later still counts.
    """
    with spoilers.reading_as(None):
        message, url = build()
    if episode is None:
        return {"message": message, "url": url}
    with spoilers.reading_as(spoilers.before(episode)):
        folded_message, folded_url = build()
    return {"message": message, "url": url, "folded": Folded(episode, folded_message, folded_url)}


def _folded_fields(folded: Folded | None) -> dict:
    if folded is None:
        return {}
    return {"episode": folded.episode, "folded_message": folded.message, "folded_url": folded.url}


def _queue_emails(notification_ids: list[int]) -> None:
    for notification_id in notification_ids:
        send_later(send_notification_email, notification_id)
