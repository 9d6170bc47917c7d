"""The daily digest: one e-mail with what is new, for users who chose it.

Run once a day (``manage.py send_digests`` from cron, or the ``send_digests``
task from celery beat). Each user who chose the digest gets one mail listing
their unread notifications created since their last digest, and the time it
was sent is recorded. Running it again soon after sends nothing more: a user
whose digest went out less than DIGEST_MIN_INTERVAL ago is skipped, and a user
with nothing new gets no mail. A mail that fails is not recorded, so the next
run sends it.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.outbox.services import MAIL_TRANSIENT
from apps.web import spoilers

from .links import absolute_url
from .models import Notification
from .preferences import EMAIL_DIGEST

logger = logging.getLogger(__name__)

# Less than a day, so a run at the same hour each day is never skipped for being a
# few minutes early, and long enough that a second run the same day sends nothing.
DIGEST_MIN_INTERVAL = timedelta(hours=12)
# A digest lists this many notifications at most; the rest are counted.
DIGEST_MAX_ITEMS = 50


def send_digests(*, now: datetime | None = None) -> int:
    """Send every digest that is due; return how many were sent."""
    now = now or timezone.now()
    due = (
        get_user_model()
        .objects.filter(
            is_active=True, notification_email=EMAIL_DIGEST, email_verified_at__isnull=False
        )
        .exclude(email="")
        .filter(Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - DIGEST_MIN_INTERVAL))
        .values_list("pk", flat=True)
    )
    sent = 0
    for user_id in list(due):
        try:
            sent += _send_one(user_id, now=now)
        except MAIL_TRANSIENT as error:
            logger.warning(
                "The digest for user %s failed; the next run sends it: %s", user_id, error
            )
    return sent


def _send_one(user_id: int, *, now: datetime) -> bool:
    with transaction.atomic():
        # Locked, so that two runs at once (cron and beat, say) send one digest, not two.
        user = get_user_model().objects.select_for_update().get(pk=user_id)
        if user.digest_sent_at is not None and user.digest_sent_at > now - DIGEST_MIN_INTERVAL:
            return False
        news = Notification.objects.for_user(user).unread().filter(created_at__lte=now)
        if user.digest_sent_at is not None:
            news = news.filter(created_at__gt=user.digest_sent_at)
        count = news.count()
        if not count:
            return False
        items = list(
            news.select_related("episode__season__show").order_by("created_at", "id")[
                :DIGEST_MAX_ITEMS
            ]
        )
        with spoilers.reading_as(user):  # as the user may read them
            shown = [(n.subject, absolute_url(n.link) if n.link else "") for n in items]
        context = {
            "user": user,
            "items": shown,
            "more": count - len(items),
            "list_link": absolute_url(reverse("notifications:list")),
            "settings_link": absolute_url(reverse("accounts:settings")),
        }
        send_mail(
            subject=f"Fan wiki: {count} new notification{'s' if count != 1 else ''}",
            message=render_to_string("notifications/digest_email.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
        # Recorded after the mail left: a failed mail is sent again at the next run.
        user.digest_sent_at = now
        user.save(update_fields=["digest_sent_at"])
    return True
