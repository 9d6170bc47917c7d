import logging
import random

from celery import shared_task
from django.conf import settings

from . import webhooks
from .models import DeliveryState, WebhookDelivery

logger = logging.getLogger(__name__)
MAX_TRIES = 6


def backoff(retries: int) -> float:
    """Seconds before the next try: WEBHOOK_RETRY_SECONDS doubled each time (2, 4, 8, 16
    and 32 minutes by default: six tries over about an hour), with some jitter so that
    many failed deliveries do not all come back at once."""
    delay = settings.WEBHOOK_RETRY_SECONDS * 2**retries
    return delay * random.uniform(0.8, 1.2)  # noqa: S311 - spreading retries, not a secret


@shared_task(bind=True, max_retries=MAX_TRIES - 1)
def deliver(self, delivery_id: int) -> None:
    """Send one webhook delivery; tried again later until a 2xx or the last try."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != DeliveryState.PENDING:
        return
    if not delivery.webhook.active:
        return
    status, error = webhooks.attempt(delivery)
    delivered = status is not None and 200 <= status < 300
    tries = self.request.retries + 1
    last = tries >= MAX_TRIES
    webhooks.record(delivery, delivered=delivered, last=last)
    if delivered:
        return
    problem = error or f"answered {status}"
    logger.log(logging.ERROR if last else logging.WARNING,
               "webhook delivery %s to %s failed (try %s of %s): %s",
               delivery_id, delivery.webhook.url, tries, MAX_TRIES, problem)  # fmt: skip
    if not last:
        raise self.retry(countdown=backoff(self.request.retries))
