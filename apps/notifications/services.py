"""Storing notifications and emailing them. Callers decide who hears what."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail

from .models import Notification

# Email subjects are one line; a long first line is cut rather than refused.
SUBJECT_MAX_LENGTH = 200


def notify(user, *, message: str, url: str, email: bool = True) -> Notification:
    """Store one notification for ``user`` and, if asked and possible, email it."""
    notification = Notification.objects.create(user=user, message=message, url=url)
    if email:
        _send_email(user, notification)
    return notification


def notify_many(users: Iterable, *, message: str, url: str, email: bool = True) -> int:
    """The same notification for many users in one insert; returns how many were stored."""
    notifications = Notification.objects.bulk_create(
        Notification(user=user, message=message, url=url) for user in users
    )
    if email:
        for notification in notifications:
            _send_email(notification.user, notification)
    return len(notifications)


def absolute_url(path: str) -> str:
    """A path on this site as a link that works outside it (in a mail client): SITE_URL + path."""
    return settings.SITE_URL + path


def _send_email(user, notification: Notification) -> None:
    if not user.email:
        return
    link = f"\n\n{absolute_url(notification.link)}" if notification.link else ""
    send_mail(
        subject=notification.subject[:SUBJECT_MAX_LENGTH],
        message=f"{notification.message.strip()}{link}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
        # A mail server that is down must not undo or fail what the user just did.
        fail_silently=True,
    )
