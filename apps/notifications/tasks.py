"""Sending notification e-mail, off the request, retried when the mail server fails."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from apps.outbox.services import MAIL_TASK, MAIL_TRANSIENT, MAIL_TRIES
from apps.web import spoilers

from . import digest, preferences
from .links import absolute_url
from .models import Notification

logger = logging.getLogger(__name__)


@shared_task(bind=True, **MAIL_TASK)
def send_notification_email(self, notification_id: int) -> None:
    """E-mail one stored notification to its user, if they (still) want it by e-mail."""
    notification = (
        Notification.objects.select_related("user", "episode__season__show")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or not preferences.emails_each(notification.user):
        return
    # Written as the user may read it: folded if they have not reached its episode.
    with spoilers.reading_as(notification.user):
        link = f"\n\n{absolute_url(notification.link)}" if notification.link else ""
        subject, text = notification.subject, notification.text
    try:
        send_mail(
            subject=subject[: settings.NOTIFICATION_SUBJECT_MAX_LENGTH],
            message=f"{text}{link}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.user.email],
        )
    except MAIL_TRANSIENT as error:
        tries = self.request.retries + 1
        level = logging.ERROR if tries >= MAIL_TRIES else logging.WARNING
        logger.log(
            level,
            "E-mail for notification %s failed (try %s of %s): %s",
            notification_id,
            tries,
            MAIL_TRIES,
            error,
        )
        raise


@shared_task
def send_digests() -> int:
    """The daily digests (apps/notifications/digest.py), for celery beat."""
    return digest.send_digests()
