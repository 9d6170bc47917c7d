import logging

from celery import shared_task

from . import webhooks
from .models import DeliveryState, WebhookDelivery

logger = logging.getLogger(__name__)
MAX_TRIES = 6


class NotDelivered(Exception):
    """The endpoint did not take the delivery (no answer, or not 2xx): try again later."""


@shared_task(
    bind=True,
    autoretry_for=(NotDelivered,),
    max_retries=MAX_TRIES - 1,
    retry_backoff=120,  # 2, 4, 8, 16, 32 min (with jitter): six tries over about an hour
    retry_backoff_max=3600,
    retry_jitter=True,
)
def deliver(self, delivery_id: int) -> None:
    """Send one webhook delivery; retried with backoff until a 2xx or the last try."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != DeliveryState.PENDING:
        return
    if not delivery.webhook.active:
        return
    status, error = webhooks.attempt(delivery)
    delivered = status is not None and 200 <= status < 300
    last = self.request.retries + 1 >= MAX_TRIES
    webhooks.record(delivery, delivered=delivered, last=last)
    if delivered:
        return
    level = logging.ERROR if last else logging.WARNING
    logger.log(level, "webhook delivery %s to %s failed (try %s of %s): %s",
               delivery_id, delivery.webhook.url, self.request.retries + 1, MAX_TRIES,
               error or f"answered {status}")  # fmt: skip
    if not last:
        raise NotDelivered(error or f"answered {status}")
