"""A task the broker cannot take is held in the database and handed over, once, when the
broker answers again; mail that fails after its last try is kept for staff to send again.

The broker is a redis-server of the test's own, stopped and started mid-test."""

import threading
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from apps.accounts.tasks import send_verification_email
from apps.moderation import services as moderation
from apps.notifications.tasks import send_notification_email
from apps.outbox import services as outbox
from apps.outbox.models import HeldTask
from apps.wiki.models import Follow
from tests import factories
from tests.workers import RedisServer, tasks_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(settings):
    """Tasks go to a private Redis (not run at once), which is up at the start."""
    server = RedisServer().start()
    settings.BROKER_RETRY_SECONDS = 0  # try the broker again at once (the test restarts it)
    outbox.BROKER.down_until = 0.0
    with tasks_to(server.url):
        yield server
    outbox.BROKER.down_until = 0.0
    server.stop()


@pytest.fixture
def decision():
    author = factories.make_user("author")
    moderator = factories.make_user("moderator", moderator=True)
    follower = factories.make_user("follower")
    article = factories.published_article(author, moderator, title="Casino Night trivia")
    Follow.objects.create(article=article, user=follower)
    proposal = factories.propose_edit(article, factories.make_user("fan"), body="New detail.")
    return proposal, moderator


def test_with_the_broker_down_a_decision_succeeds_and_its_news_waits(
    broker, decision, django_capture_on_commit_callbacks, caplog
):
    proposal, moderator = decision
    broker.stop()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.revision_approve(revision=proposal, moderator=moderator)
    proposal.refresh_from_db()
    assert proposal.status == "approved"
    held = list(HeldTask.objects.values_list("task", "args", "reason"))
    assert held == [("apps.wiki.tasks.tell_about_decision", [proposal.pk, moderator.pk], "broker")]
    assert "task broker unreachable" in caplog.text

    broker.start()
    assert outbox.relay() == 1
    assert not HeldTask.objects.exists()
    assert broker.queued("celery") == 1
    assert outbox.relay() == 0  # handed over once
    assert broker.queued("celery") == 1
    assert "task broker answers again" in caplog.text


def test_while_the_circuit_is_open_the_broker_is_not_tried(broker, decision, settings):
    broker.stop()
    settings.BROKER_RETRY_SECONDS = 60
    user = factories.make_user("newcomer")
    with mock.patch.object(send_verification_email, "apply_async", side_effect=OSError("down")):
        assert outbox.hand_over(send_verification_email, [user.pk, "a@example.org"]) is False
    with mock.patch.object(send_verification_email, "apply_async") as publish:
        assert outbox.hand_over(send_verification_email, [user.pk, "b@example.org"]) is False
        assert outbox.relay() == 0
    publish.assert_not_called()
    assert HeldTask.objects.filter(reason="broker").count() == 2


def test_the_relay_stops_at_the_first_refusal_and_keeps_the_rest(broker):
    broker.stop()
    for n in range(3):
        outbox.hand_over(send_notification_email, [n])
    assert HeldTask.objects.count() == 3
    assert outbox.relay() == 0
    assert HeldTask.objects.count() == 3
    broker.start()
    call_command("relay_held_tasks", stdout=(out := __import__("io").StringIO()))
    assert "Handed 3 held task(s)" in out.getvalue()
    assert broker.queued("celery") == 3
    assert not HeldTask.objects.exists()


def test_a_transaction_that_rolls_back_queues_nothing(broker, django_capture_on_commit_callbacks):
    from django.db import transaction

    broker.stop()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                outbox.send_later(send_notification_email, 1)
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert not HeldTask.objects.exists()


class RefusingRelay:
    """A mail backend whose server is down (as smtplib raises it)."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def test_mail_that_fails_after_its_last_try_is_kept_and_staff_send_it_again(client, settings):
    fan = factories.make_user("fan")
    fan.email = "fan@example.org"
    fan.save()
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.RefusingRelay"
    send_verification_email.delay(fan.pk, fan.email)  # run at once, with its retries
    kept = HeldTask.objects.get()
    assert (kept.task, kept.args, kept.reason) == (
        "apps.accounts.tasks.send_verification_email",
        [fan.pk, "fan@example.org"],
        "failed",
    )
    assert "Connection refused" in kept.error

    staff = factories.make_user("admin", staff=True, superuser=True)
    client.force_login(staff)
    listing = client.get(reverse("admin:outbox_heldtask_changelist"))
    assert listing.status_code == 200
    assert "send_verification_email" in listing.content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    response = client.post(
        reverse("admin:outbox_heldtask_changelist"),
        {"action": "send_again", "_selected_action": [kept.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert [message.to for message in mail.outbox] == [["fan@example.org"]]
    assert not HeldTask.objects.exists()


@pytest.mark.django_db(transaction=True)  # the relay's thread has its own connection
def test_the_workers_relay_runs_until_stopped(broker, settings):
    settings.OUTBOX_RELAY_SECONDS = 0.05
    broker.stop()
    outbox.hand_over(send_notification_email, [7])
    broker.start()
    stop = threading.Event()
    relay = threading.Thread(target=outbox.relay_every, args=(stop,), daemon=True)
    relay.start()
    try:
        deadline = time.monotonic() + 10
        while broker.queued("celery") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        relay.join(5)
    assert not relay.is_alive()
    assert broker.queued("celery") == 1
