"""Storing notifications and sending them by e-mail. Callers decide who hears what;
each user decides how (apps/notifications/preferences.py).

Storing is one insert in the caller's transaction; each e-mail is a background
task queued once that transaction commits, so nothing the caller does waits on
a mail server, and a change that rolls back mails no one. Users who chose the
daily digest hear by e-mail from apps/notifications/digest.py instead; users
who want neither the site nor e-mail get nothing stored.
"""

from collections.abc import Iterable

from django.db import transaction

from . import preferences
from .models import Notification
from .tasks import send_notification_email


def notify(user, *, message: str, url: str, email: bool = True) -> Notification | None:
    """Store one notification for ``user`` and, if asked and they want it, e-mail it.

    Returns the notification, or None when the user wants to hear nothing.
    """
    if not preferences.wants_any(user):
        return None
    notification = Notification.objects.create(user=user, message=message, url=url)
    if email and preferences.emails_each(user):
        _queue_emails([notification.pk])
    return notification


def notify_many(users: Iterable, *, message: str, url: str, email: bool = True) -> int:
    """The same notification for many users in one insert; returns how many were stored."""
    notifications = Notification.objects.bulk_create(
        Notification(user=user, message=message, url=url)
        for user in users
        if preferences.wants_any(user)
    )
    if email:
        _queue_emails([n.pk for n in notifications if preferences.emails_each(n.user)])
    return len(notifications)


def _queue_emails(notification_ids: list[int]) -> None:
    def queue() -> None:
        for notification_id in notification_ids:
            send_notification_email.delay(notification_id)

    # robust: what was stored stays stored if the broker cannot be reached; the
    # failure is logged.
    transaction.on_commit(queue, robust=True)
