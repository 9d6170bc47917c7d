"""A real Celery worker, against the real Redis on 127.0.0.1:6379, sends the follower mail.

The approval happens here; the fan-out and the e-mail run in a separate worker
process started for this test, which reads the same database (a file on SQLite)
and writes each message to a folder with Django's file e-mail backend.
"""

import email
import email.policy
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail as django_mail

from apps.moderation import services as moderation
from apps.notifications.models import Notification
from apps.wiki.models import Follow
from tests import factories
from tests.workers import SITE_URL, start_worker


@pytest.fixture
def worker(broker, tmp_path):
    """A worker process on this test's queue; yields the folder its e-mail lands in."""
    yield from start_worker(broker, tmp_path)


def wait_for_mail(folder: Path, count: int, log: Path, timeout: float = 60) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(folder.glob("*.log")) if folder.exists() else []
        messages = [message for path in files for message in _messages(path.read_text())]
        if len(messages) >= count:
            return messages
        time.sleep(0.25)
    pytest.fail(f"the worker sent {len(messages)} of {count} messages; its log:\n{log.read_text()}")


def _messages(text: str) -> list:
    """The file backend writes each message followed by a line of 79 dashes."""
    return [
        email.message_from_string(part.strip(), policy=email.policy.default)
        for part in text.split("-" * 79)
        if part.strip()
    ]


@pytest.fixture
def wiki(transactional_db):
    """An article with a follower and a pending edit, made before tasks go to the worker."""
    author = factories.make_user("author")
    moderator = factories.make_user("moderator", moderator=True)
    follower = factories.make_user("follower")
    fan = factories.make_user("fan")
    article = factories.published_article(author, moderator, title="Casino Night trivia")
    Follow.objects.create(article=article, user=follower)
    proposal = factories.propose_edit(article, fan, body="A new detail.")
    return proposal, moderator, follower


def test_an_approval_mails_the_followers_from_a_real_worker(wiki, worker):
    proposal, moderator, follower = wiki
    mail, log = worker

    # The moderator's request only queues the work: this process tells no one and sends
    # no mail (the worker, another process, does both).
    sent_before = len(django_mail.outbox)  # the fixture's own, made before the broker
    with (
        mock.patch("apps.wiki.tasks.notify") as told_here,
        mock.patch("apps.wiki.tasks.notify_many") as many_told_here,
    ):
        moderation.revision_approve(revision=proposal, moderator=moderator)
    assert not told_here.called and not many_told_here.called
    assert len(django_mail.outbox) == sent_before

    # The fan whose edit it is, and the follower; the moderator who decided hears nothing.
    messages = wait_for_mail(mail, 2, log)
    by_recipient = {message["To"]: message for message in messages}
    assert sorted(by_recipient) == ["fan@example.com", "follower@example.com"]
    to_follower = by_recipient["follower@example.com"]
    assert to_follower["Subject"].strip() == "“Casino Night trivia” was updated: An edit"
    assert to_follower.get_content().rstrip().endswith(f"{SITE_URL}/wiki/casino-night-trivia/")
    to_fan = by_recipient["fan@example.com"]
    link = f"{SITE_URL}/wiki/casino-night-trivia/revisions/{proposal.pk}/"
    assert link in to_fan.get_content()
    assert Notification.objects.filter(user=follower).count() == 1
    assert "apps.wiki.tasks.tell_about_decision" in log.read_text()
