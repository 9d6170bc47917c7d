"""Webhooks: signed deliveries to a local receiver, retried after a failure, recorded,
and never to a private address (the tests allow 127.0.0.1 only)."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from apps.api.models import DeliveryState, Webhook, WebhookDelivery, WebhookEvent
from apps.api.webhooks import check_endpoint, new_secret
from apps.moderation import services as moderation
from apps.talk import services as talk
from tests import factories
from tests.workers import start_worker

pytestmark = pytest.mark.django_db


class Receiver:
    """A local endpoint that answers the statuses it is given, one per request, and keeps
    what it received."""

    def __init__(self, statuses):
        self.statuses, self.received = list(statuses), []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(*statuses):
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for each in made:
        each.close()


def verify(secret: bytes, headers, body: bytes) -> bool:
    """The receiver's check, as the API reference shows it."""
    stamp = headers["X-Fanwiki-Timestamp"]
    mac = hmac.new(secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(stamp)) < 300
    return fresh and hmac.compare_digest("sha256=" + mac, headers["X-Fanwiki-Signature"])


def hook(url, events, moderator):
    return Webhook.objects.create(url=url, events=events, secret=new_secret(), created_by=moderator)


def test_a_published_revision_arrives_signed_and_verifies(
    receiver, article, author, moderator, django_capture_on_commit_callbacks
):
    endpoint = receiver(200)
    webhook = hook(endpoint.url, [WebhookEvent.REVISION_PUBLISHED], moderator)
    revision = factories.propose_edit(article, author, body="Newer.")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.revision_approve(revision=revision, moderator=moderator)
    assert len(endpoint.received) == 1
    headers, body = endpoint.received[0]
    assert verify(webhook.secret.encode(), headers, body)
    assert not verify(b"another secret", headers, body)
    sent = json.loads(body)
    assert sent["event"] == "revision.published"
    assert sent["data"]["revision"]["id"] == revision.pk
    assert sent["data"]["article"]["id"] == article.pk
    delivery = WebhookDelivery.objects.get()
    assert headers["X-Fanwiki-Delivery"] == str(delivery.pk) == str(sent["delivery"])
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 1
    assert list(delivery.tries.values_list("status_code", flat=True)) == [200]


def test_a_delivery_is_retried_after_a_500_and_each_answer_logged(
    receiver, article, author, moderator, django_capture_on_commit_callbacks
):
    endpoint = receiver(500, 200)
    hook(endpoint.url, [WebhookEvent.PROPOSAL_SUBMITTED], moderator)
    with django_capture_on_commit_callbacks(execute=True):
        factories.propose_edit(article, author, body="A proposal.")
    delivery = WebhookDelivery.objects.get()
    assert list(delivery.tries.values_list("status_code", flat=True)) == [500, 200]
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 2
    # The same delivery, byte for byte, on both tries.
    assert endpoint.received[0][1] == endpoint.received[1][1]


def test_after_the_last_try_it_is_failed_and_kept(
    receiver, article, author, moderator, django_capture_on_commit_callbacks
):
    endpoint = receiver(*[503] * 10)
    hook(endpoint.url, [WebhookEvent.PROPOSAL_SUBMITTED], moderator)
    with django_capture_on_commit_callbacks(execute=True):
        factories.propose_edit(article, author, body="A proposal.")
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 6
    assert len(endpoint.received) == 6


def test_only_the_events_asked_for_and_none_for_a_rolled_back_change(
    receiver, article, author, fan, moderator, django_capture_on_commit_callbacks
):
    endpoint = receiver()
    hook(endpoint.url, [WebhookEvent.TALK_POSTED, WebhookEvent.PROPOSAL_DECIDED], moderator)
    with django_capture_on_commit_callbacks(execute=True):
        factories.propose_edit(article, author, body="Not asked for.")
        topic = talk.topic_start(article=article, author=fan, title="Takes", body="How many?")
    events = [json.loads(body)["event"] for _headers, body in endpoint.received]
    assert events == ["talk.posted"]
    assert json.loads(endpoint.received[0][1])["data"]["topic"]["id"] == topic.pk


@pytest.mark.parametrize(
    "url",
    ["https://127.0.0.1/hook", "https://10.0.0.8/", "https://169.254.169.254/latest",
     "https://[::1]/", "http://example.com/", "ftp://example.com/", "https://localhost/"],
)  # fmt: skip
def test_private_addresses_and_plain_http_are_refused(url):
    with override_settings(WEBHOOK_ALLOWED_ADDRESSES=[]), pytest.raises(ValidationError):
        check_endpoint(url)


def test_a_delivery_to_an_address_that_became_private_is_not_sent(
    article, author, moderator, django_capture_on_commit_callbacks
):
    hook("https://127.0.0.1:9/hook", [WebhookEvent.PROPOSAL_SUBMITTED], moderator)
    with (
        override_settings(WEBHOOK_ALLOWED_ADDRESSES=[]),
        django_capture_on_commit_callbacks(execute=True),
    ):
        factories.propose_edit(article, author, body="A proposal.")
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert {t.status_code for t in delivery.tries.all()} == {None}
    assert "public internet" in delivery.tries.first().error


@pytest.fixture
def real_worker(broker, tmp_path):
    """A Celery worker process on Redis, with the tests' webhook settings."""
    yield from start_worker(broker, tmp_path, settings_module="tests.worker_settings")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_retries_after_a_500_and_logs(receiver, real_worker):
    _mail, log = real_worker
    endpoint = receiver(500, 200)
    author = factories.make_user("author")
    moderator = factories.make_user("moderator", moderator=True)
    article = factories.published_article(author, moderator)
    webhook = hook(endpoint.url, [WebhookEvent.PROPOSAL_DECIDED], moderator)
    proposal = factories.propose_edit(article, author, body="Newer.")
    moderation.revision_approve(revision=proposal, moderator=moderator)
    assert endpoint.received == []  # queued for the worker, not sent by this process
    deadline = time.monotonic() + 60
    while len(endpoint.received) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(endpoint.received) == 2, log.read_text()
    for headers, body in endpoint.received:
        assert verify(webhook.secret.encode(), headers, body)
    delivery = WebhookDelivery.objects.get()
    deadline = time.monotonic() + 10
    while delivery.state == DeliveryState.PENDING and time.monotonic() < deadline:
        time.sleep(0.2)
        delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert list(delivery.tries.values_list("status_code", flat=True)) == [500, 200]
