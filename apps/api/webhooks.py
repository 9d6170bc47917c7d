"""Webhooks: each event the wiki's services announce becomes a signed delivery to every
active endpoint that asked for it, sent by a task after the change commits.

Signed as the reference page documents: ``X-Fanwiki-Signature: sha256=<hex>``, the
HMAC-SHA256 keyed with the webhook's secret of ``<X-Fanwiki-Timestamp>.<body>``.
Never to a private, loopback or link-local address (WEBHOOK_ALLOWED_ADDRESSES lets the
tests use 127.0.0.1), the connection pinned to the address that was checked.
"""

import hashlib
import hmac
import json
import secrets
import time
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from apps.citations.lookup import LookupRefused, checked_address, pinned_pool
from apps.outbox.services import send_later

from .models import DeliveryAttempt, DeliveryState, Webhook, WebhookDelivery, WebhookEvent

CONNECT_SECONDS = 3.0
READ_SECONDS = 7.0
USER_AGENT = "FanWikiWebhooks/1.0"


def new_secret() -> str:
    return secrets.token_hex(32)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def check_endpoint(url: str) -> None:
    """Refuse an endpoint that is not HTTPS on a public address (http only for the
    addresses the tests allow)."""
    parts = urlsplit(url)
    allowed = settings.WEBHOOK_ALLOWED_ADDRESSES
    if not parts.hostname or parts.scheme not in ("https", "http"):
        raise ValidationError({"url": "Give an https:// address."})
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        address = checked_address(parts.hostname, port, allowed=allowed)
    except LookupRefused as refused:
        raise ValidationError({"url": refused.message}) from refused
    if parts.scheme != "https" and address not in allowed:
        raise ValidationError({"url": "Webhooks go to https:// addresses only."})


def emit(event: WebhookEvent, data: dict) -> None:
    """Store one delivery per webhook that wants ``event`` and send them once the change
    is committed (nothing is sent for a change that was rolled back)."""
    hooks = [hook for hook in Webhook.objects.filter(active=True) if event in hook.events]
    if not hooks:
        return
    deliveries = []
    for hook in hooks:
        delivery = WebhookDelivery.objects.create(webhook=hook, event=event, body="")
        delivery.body = json.dumps(
            {"event": event, "delivery": delivery.pk, "sent_at": timezone.now(), "data": data},
            cls=DjangoJSONEncoder,
            sort_keys=True,
        )
        delivery.save(update_fields=["body"])
        deliveries.append(delivery.pk)
    from .tasks import deliver

    for pk in deliveries:
        send_later(deliver, pk)


def attempt(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the delivery once: (status code or None, error); its attempt is recorded."""
    hook = delivery.webhook
    body = delivery.body.encode()
    stamp = str(int(time.time()))
    started = time.monotonic()
    status: int | None = None
    error = ""
    try:
        parts = urlsplit(hook.url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ip = checked_address(host, port, allowed=settings.WEBHOOK_ALLOWED_ADDRESSES)
        pool = pinned_pool(
            parts.scheme, host, ip, port,
            urllib3.Timeout(connect=CONNECT_SECONDS, read=READ_SECONDS),
        )  # fmt: skip
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers={
                "Host": parts.netloc.rpartition("@")[2],
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "X-Fanwiki-Event": delivery.event,
                "X-Fanwiki-Delivery": str(delivery.pk),
                "X-Fanwiki-Timestamp": stamp,
                "X-Fanwiki-Signature": sign(hook.secret, stamp, body),
            },
            redirect=False,
            retries=False,
            preload_content=False,
        )
        status = response.status
        response.release_conn()
    except LookupRefused as refused:
        error = refused.message
    except (urllib3.exceptions.HTTPError, OSError) as failure:
        error = f"{type(failure).__name__}: {failure}"[:300]
    DeliveryAttempt.objects.create(
        delivery=delivery,
        status_code=status,
        error=error,
        milliseconds=int((time.monotonic() - started) * 1000),
    )
    return status, error


def record(delivery: WebhookDelivery, *, delivered: bool, last: bool) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=delivery.tries.count(),
        state=DeliveryState.DELIVERED
        if delivered
        else DeliveryState.FAILED
        if last
        else DeliveryState.PENDING,
        delivered_at=timezone.now() if delivered else None,
    )
