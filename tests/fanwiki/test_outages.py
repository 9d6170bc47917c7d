"""The fault-injection suite: the site served by gunicorn with two workers and a real task
worker, under light load, while a backing service stops and starts again.

- Redis, as cache, sessions, rate-limit store and task broker all at once (a private
  redis-server): pages answer 200 without it, a signed-in fan stays signed in and
  proposes, a moderator approves; the follower's mail is held while the broker is down
  and arrives once after it returns; the page cache serves hits again, no restart.
- The read replica (PostgreSQL only: the replica is the test database reached through a
  TCP proxy the test cuts): reads answer from the primary, then go back to the replica.

Each test prints the latencies it measured in each phase (``pytest -s`` shows them);
none asserts a time.
"""

import os
import re
import select
import socket
import statistics
import threading
import time
import uuid
from contextlib import contextmanager, suppress

import pytest
from django.contrib.auth.hashers import ScryptPasswordHasher, make_password
from django.db import connection

from apps.outbox.models import HeldTask
from apps.wiki.models import Follow, Revision
from tests import factories
from tests.wiki.test_worker import wait_for_mail
from tests.workers import (
    SITE_URL,
    Browser,
    RedisServer,
    free_port,
    served,
    start_worker,
)

pytestmark = pytest.mark.django_db(transaction=True)


class Load:
    """Readers loading pages in the background, each answer kept with the phase it fell in."""

    def __init__(self, base: str, paths: list[str], readers: int = 2) -> None:
        self.base, self.paths, self.readers = base, paths, readers
        self.phase = "normal"
        self.answers: list[tuple[str, str, int, float]] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.read, daemon=True) for _ in range(readers)]

    def read(self) -> None:
        browser = Browser(self.base)
        n = 0
        while not self.stopping.is_set():
            path = self.paths[n % len(self.paths)]
            n += 1
            self.timed(browser, path)
            time.sleep(0.02)

    def timed(self, browser: Browser, path: str, data: dict | None = None) -> int:
        phase, started = self.phase, time.perf_counter()
        status, _body, _headers = browser.request(path, data)
        self.answers.append((phase, path, status, time.perf_counter() - started))
        return status

    def __enter__(self) -> "Load":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(30)

    def errors(self) -> list[tuple[str, str, int]]:
        return [(phase, path, status) for phase, path, status, _s in self.answers if status >= 500]

    def report(self, title: str) -> str:
        """Answers and latencies for each phase, readers and signed-in fans apart."""
        lines = [f"{title}: phase, who, answers, median ms, p95 ms, max ms"]
        for phase in dict.fromkeys(phase for phase, *_rest in self.answers):
            for who in ("reader", "signed in"):
                times = sorted(
                    seconds * 1000
                    for p, path, _status, seconds in self.answers
                    if p == phase and ("?as=" in path) == (who == "signed in")
                )
                if not times:
                    continue
                p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
                lines.append(
                    f"  {phase:<8} {who:<10} {len(times):>5} {statistics.median(times):8.1f} "
                    f"{p95:8.1f} {times[-1]:8.1f}"
                )
        text = "\n".join(lines)
        print(text)  # noqa: T201 - the figures for the closing note
        return text


def signed_in_page(browser: Browser, path: str, username: str) -> None:
    status, body, _headers = browser.request(path)
    assert status == 200, (path, status)
    assert f"/people/{username}/" in body or username in body, "no longer signed in"


def propose(browser: Browser, slug: str, summary: str) -> int:
    status, body, _headers = browser.submit(
        f"/wiki/{slug}/edit/",
        f"/wiki/{slug}/edit/",
        body=f"Original text. [@1]\n\n{summary}. [@1]",
        summary=summary,
    )
    assert status == 302, re.findall(
        r"(?s)<ul class=\"errorlist[^>]*>.*?</ul>|role=\"alert\"[^<]*<[^<]*", body
    )
    return status


@pytest.fixture
def wiki():
    author = factories.make_user("author")
    moderator = factories.make_user("moderator", moderator=True)
    follower = factories.make_user("follower")
    fan = factories.make_user("fan")
    article = factories.published_article(
        author, moderator, title="Casino Night trivia", body="Original text."
    )
    Follow.objects.create(article=article, user=follower)
    pending = factories.propose_edit(article, fan, body="A detail the moderator approves.")
    # The served site knows the hashers of production, not the tests' fast one.
    for user in (author, moderator, fan):
        user.password = make_password(factories.PASSWORD, hasher=ScryptPasswordHasher())
        user.save(update_fields=["password"])
    return article, pending


def test_redis_stops_and_starts_under_load(wiki, tmp_path):
    article, pending = wiki
    redis = RedisServer().start()
    queue = f"outage-{uuid.uuid4().hex[:8]}"
    environment = {
        "REDIS_URL": redis.url,  # cache, sessions, limits and broker
        "CELERY_QUEUE": queue,
        "PAGE_CACHE_SECONDS": "600",
        "CACHE_RETRY_SECONDS": "1",
        "BROKER_RETRY_SECONDS": "1",
        "SITE_URL": SITE_URL,
    }
    worker = start_worker(
        queue, tmp_path, broker_url=redis.url, OUTBOX_RELAY_SECONDS="1", BROKER_RETRY_SECONDS="1"
    )
    mail, worker_log = next(worker)
    slug = article.slug
    reading = [f"/wiki/{slug}/", "/", "/recent/", "/wiki/", f"/wiki/{slug}/history/"]
    try:
        with served(tmp_path, environment, workers=2) as base, Load(base, reading) as load:
            fan, moderator = Browser(base), Browser(base)
            fan.log_in("fan", factories.PASSWORD)
            moderator.log_in("moderator", factories.PASSWORD)
            for _ in range(10):
                signed_in_page(fan, f"/wiki/{slug}/", "fan")
                load.timed(fan, f"/wiki/{slug}/?as=fan")
            time.sleep(2)

            redis.stop()
            load.phase = "outage"
            time.sleep(1)
            for _ in range(10):
                signed_in_page(fan, f"/wiki/{slug}/", "fan")  # still signed in
                load.timed(fan, f"/wiki/{slug}/?as=fan")
            assert propose(fan, slug, "Written while Redis was down") == 302
            status, _body, _headers = moderator.submit(
                f"/moderation/revisions/{pending.pk}/", f"/revisions/{pending.pk}/approve/"
            )
            assert status == 302
            # The news of the decision waits in the database for the broker.
            assert HeldTask.objects.filter(reason="broker").exists()
            # A stranger can still log in (sessions and the lockout live in the database).
            Browser(base).log_in("author", factories.PASSWORD)
            status, _body, _headers = Browser(base).request("/healthz")
            assert status == 503
            time.sleep(2)

            redis.start()
            load.phase = "back"
            deadline = time.monotonic() + 20
            while Browser(base).request(f"/wiki/{slug}/")[2].get("X-Page-Cache") != "hit":
                assert time.monotonic() < deadline, "the page cache did not come back"
                time.sleep(0.3)
            for _ in range(10):
                load.timed(fan, f"/wiki/{slug}/?as=fan")
            time.sleep(2)
        report = load.report("Redis stopped under load (2 gunicorn workers)")
        assert load.errors() == [], report

        # What the requests wrote is there.
        pending.refresh_from_db()
        assert pending.status == "approved"
        assert Revision.objects.filter(summary="Written while Redis was down").exists()

        # The follower's mail was held while the broker was down, and arrives once.
        messages = wait_for_mail(mail, 2, worker_log)
        time.sleep(3)  # time for a second copy, were one on its way
        messages = wait_for_mail(mail, 2, worker_log)
        recipients = sorted(message["To"] for message in messages)
        assert recipients == ["fan@example.com", "follower@example.com"], recipients
        assert not HeldTask.objects.exists()
    finally:
        next(worker, None)
        redis.stop()


class Proxy:
    """A TCP proxy to the database server: "the replica". ``cut`` closes it and every
    connection through it (the replica stops); ``restore`` listens again."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream, self.port = upstream, free_port()
        self.accepted = 0
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.lock = threading.Lock()

    def restore(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()

    def accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            with self.lock:
                self.accepted += 1
                self.sockets += [client, upstream]
            threading.Thread(target=self.pump, args=(client, upstream), daemon=True).start()

    def pump(self, one: socket.socket, other: socket.socket) -> None:
        try:
            while True:
                ready, _w, _x = select.select([one, other], [], [], 1)
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        raise OSError("closed")
                    (other if source is one else one).sendall(data)
        except (OSError, ValueError):
            for end in (one, other):
                end.close()

    def cut(self) -> None:
        assert self.listener is not None
        self.listener.close()
        with self.lock:
            for end in self.sockets:
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self.sockets = []


@contextmanager
def proxy_to_the_database():
    settings = connection.settings_dict
    proxy = Proxy((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    proxy.restore()
    try:
        yield proxy
    finally:
        proxy.cut()


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a replica needs PostgreSQL (set DATABASE_URL)",
)
def test_the_replica_stops_and_starts_under_load(wiki, tmp_path):
    article, _pending = wiki
    settings = connection.settings_dict
    with proxy_to_the_database() as proxy:
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        environment = {
            "DATABASE_REPLICA_URL": (
                f"postgres://{settings['USER']}{password}@127.0.0.1:{proxy.port}/{settings['NAME']}"
            ),
            "REPLICA_RETRY_SECONDS": "1",
            "PAGE_CACHE_SECONDS": "0",  # every page reads the database
            "CONN_MAX_AGE": "60",  # kept connections, which the cut breaks mid-use
        }
        slug = article.slug
        reading = [f"/wiki/{slug}/", "/", "/wiki/", f"/wiki/{slug}/history/", "/search/?q=text"]
        with served(tmp_path, environment, workers=2) as base, Load(base, reading) as load:
            fan = Browser(base)
            fan.log_in("fan", factories.PASSWORD)
            time.sleep(2)
            assert proxy.accepted > 0, "nothing read from the replica"

            proxy.cut()
            load.phase = "outage"
            for _ in range(10):
                signed_in_page(fan, f"/wiki/{slug}/", "fan")
            assert propose(fan, slug, "Written while the replica was down") == 302
            time.sleep(3)

            before = proxy.accepted
            proxy.restore()
            load.phase = "back"
            time.sleep(3)
            assert proxy.accepted > before, "reads did not go back to the replica"
        report = load.report("The replica stopped under load (2 gunicorn workers)")
        assert load.errors() == [], report
        assert Revision.objects.filter(summary="Written while the replica was down").exists()


def test_the_report_names_each_phase():
    load = Load("http://127.0.0.1:1", ["/"])
    load.answers = [("normal", "/", 200, 0.010), ("normal", "/", 200, 0.030)]
    load.answers += [("outage", "/", 200, 0.020), ("outage", "/", 500, 0.040)]
    text = load.report("t")
    assert "normal" in text and "outage" in text
    assert load.errors() == [("outage", "/", 500)]
