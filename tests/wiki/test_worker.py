"""A real Celery worker, against the real Redis on 127.0.0.1:6379, sends the follower mail.

The approval happens here; the fan-out and the e-mail run in a separate worker
process started for this test, which reads the same database (a file on SQLite)
and writes each message to a folder with Django's file e-mail backend.
"""

import email
import email.policy
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest
import redis
from django.core import mail as django_mail
from django.db import connection

from apps.moderation import services as moderation
from apps.notifications.models import Notification
from apps.wiki.models import Follow
from fanwiki.celery import app as celery_app
from tests import factories

REDIS = "redis://127.0.0.1:6379/15"
SITE_URL = "https://wiki.example.org"


def redis_is_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def broker():
    """Queue tasks on Redis (a queue of this test's own) instead of running them at once."""
    if not redis_is_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is not answering on 127.0.0.1:6379; .ci/run should start it.")
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved = {
        key: celery_app.conf[key]
        for key in ("broker_url", "task_always_eager", "task_default_queue")
    }
    celery_app.conf.update(broker_url=REDIS, task_always_eager=False, task_default_queue=queue)
    forget_connections()
    yield queue
    celery_app.conf.update(saved)
    forget_connections()
    redis.Redis.from_url(REDIS).delete(queue)


def forget_connections() -> None:
    """Make the app build its broker connection, queues and routes again from its settings.

    Even tasks run at once open a producer (on the test settings' memory:// broker),
    and Celery caches that pool and the queue declarations; this is what it does
    itself after a fork.
    """
    celery_app._after_fork()
    celery_app.__dict__.pop("amqp", None)


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def worker(broker, tmp_path):
    """A worker process on this test's queue; yields the folder its e-mail lands in."""
    mail = tmp_path / "mail"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fanwiki.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS,
        "CELERY_QUEUE": broker,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail),
        "SITE_URL": SITE_URL,
        "FANWIKI_VAR_DIR": str(tmp_path / "var"),
    }
    environment.pop("REDIS_URL", None)
    log = tmp_path / "worker.log"
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "--app",
            "fanwiki",
            "worker",
            "--pool",
            "solo",
            "--queues",
            broker,
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=environment,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    yield mail, log
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


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
