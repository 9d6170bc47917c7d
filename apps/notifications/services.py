"""Storing notifications and sending them by e-mail. Callers decide who hears what.

Storing is one insert in the caller's transaction; each e-mail is a background
task queued once that transaction commits, so nothing the caller does waits on
a mail server, and a change that rolls back mails no one.
"""

from collections.abc import Iterable

from django.db import transaction

from .models import Notification
from .tasks import send_notification_email


def notify(user, *, message: str, url: str, email: bool = True) -> Notification:
    """Store one notification for ``user`` and, if asked and possible, e-mail it."""
    notification = Notification.objects.create(user=user, message=message, url=url)
    if email and user.email:
        _queue_emails([notification.pk])
    return notification


def notify_many(users: Iterable, *, message: str, url: str, email: bool = True) -> int:
    """The same notification for many users in one insert; returns how many were stored."""
    notifications = Notification.objects.bulk_create(
        Notification(user=user, message=message, url=url) for user in users
    )
    if email:
        _queue_emails([n.pk for n in notifications if n.user.email])
    return len(notifications)


def _queue_emails(notification_ids: list[int]) -> None:
    def queue() -> None:
        for notification_id in notification_ids:
            send_notification_email.delay(notification_id)

    # robust: what was stored stays stored if the broker cannot be reached; the
    # failure is logged.
    transaction.on_commit(queue, robust=True)
