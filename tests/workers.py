"""A real Celery worker for the tests that need one: a Redis queue of the test's own, and
a worker process on it, started with the settings module the test names."""

import contextlib
import http.cookiejar
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
import redis
from django.db import connection

from fanwiki.celery import app as celery_app

REDIS = "redis://127.0.0.1:6379/15"
SITE_URL = "https://wiki.example.org"


def redis_is_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def queue_on_redis():
    """Queue tasks on Redis (a queue of this test's own) instead of running them at once:
    the ``broker`` fixture (tests/conftest.py)."""
    if not redis_is_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is not answering on 127.0.0.1:6379; .ci/run should start it.")
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    with tasks_to(REDIS, queue):
        yield queue
    redis.Redis.from_url(REDIS).delete(queue)


@contextlib.contextmanager
def tasks_to(broker_url: str, queue: str = "celery"):
    """Inside the block, tasks are queued on ``broker_url`` (not run at once)."""
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(broker_url=broker_url, task_always_eager=False, task_default_queue=queue)
    forget_connections()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        forget_connections()


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


def start_worker(broker, tmp_path, settings_module="fanwiki.settings", broker_url=REDIS, **env):
    """A worker process on the queue ``broker``; yields the folder its mail lands in, and
    its log."""
    mail = tmp_path / "mail"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_QUEUE": broker,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail),
        "SITE_URL": SITE_URL,
        "FANWIKI_VAR_DIR": str(tmp_path / "var"),
        **env,
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, on a fixed free port, that the test stops and
    starts again (what survives a restart: nothing, as with ``--save ""``)."""

    def __init__(self, *options: str) -> None:
        if shutil.which("redis-server") is None:
            pytest.skip("redis-server is not installed")
        self.port, self.options = free_port(), options
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", *self.options],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        pytest.fail("the private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def queued(self, queue: str) -> int:
        return int(redis.Redis.from_url(self.url).llen(queue))


@contextlib.contextmanager
def private_redis(*options: str):
    """A redis-server of the test's own on a free port (with ``options``, such as a memory
    cap), stopped afterwards: its URL."""
    server = RedisServer(*options).start()
    try:
        yield server.url
    finally:
        server.stop()


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server stopped; its log:\n{log.read_text()}")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - a local test server
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the server did not answer; its log:\n{log.read_text()}")


@contextlib.contextmanager
def served(tmp_path: Path, environment: dict[str, str], *, workers: int = 1, name: str = "server"):
    """The site served by gunicorn (``workers`` processes) on the test database: its URL."""
    port, log = free_port(), tmp_path / f"{name}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "fanwiki.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "30"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "fanwiki.settings",
            "DATABASE_URL": database_url(),
            "FANWIKI_VAR_DIR": str(tmp_path / "var"),
            **environment,
        },
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/healthz", process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


class _Forms(HTMLParser):
    """Every form of a page: its action and the fields a browser would submit as it is."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._chosen: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {key: value or "" for key, value in attrs}
        name = attributes.get("name")
        if tag == "form":
            self.forms.append({"action": attributes.get("action", ""), "fields": {}})
        elif not self.forms:
            return
        elif tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            if kind not in {"submit", "button", "file", "image"}:
                default = "on" if kind in {"checkbox", "radio"} else ""
                self.forms[-1]["fields"][name] = attributes.get("value", default)
        elif tag == "textarea" and name:
            self._textarea = name
            self.forms[-1]["fields"][name] = ""
        elif tag == "select" and name:
            self._select, self._chosen = name, None
        elif (
            tag == "option" and self._select and (self._chosen is None or "selected" in attributes)
        ):
            self._chosen = attributes.get("value", "")
            self.forms[-1]["fields"][self._select] = self._chosen

    def handle_data(self, data: str) -> None:
        if self._textarea:
            fields = self.forms[-1]["fields"]
            # A browser drops the newline that opens a text area's content.
            fields[self._textarea] += (
                data[1:] if not fields[self._textarea] and data.startswith("\n") else data
            )

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


class Browser:
    """A client with its own cookies, talking to a served site over HTTP."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, dict]:
        """(status, body, headers), following no redirect."""
        encoded = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path, data=encoded, headers={"Referer": f"{self.base}/"}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def form(self, path: str, action_ends: str = "") -> tuple[str, dict]:
        """The first form on the page at ``path`` whose action ends with ``action_ends``
        (its action, its fields as they are)."""
        status, page, _headers = self.request(path)
        assert status == 200, (path, status)
        parser = _Forms()
        parser.feed(page)
        for form in parser.forms:
            action = form["action"] or path
            if action.split("#")[0].split("?")[0].endswith(action_ends):
                return action, form["fields"]
        raise AssertionError(f"no form posting to …{action_ends} on {path}")

    def submit(self, path: str, action_ends: str = "", **changes: str) -> tuple[int, str, dict]:
        action, fields = self.form(path, action_ends)
        return self.request(action, {**fields, **changes})

    def log_in(self, username: str, password: str) -> None:
        status, _body, _headers = self.submit(
            "/accounts/login/", "/accounts/login/", username=username, password=password
        )
        assert status == 302, f"{username} could not log in ({status})"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class MotoServer:
    """A real S3-compatible server (moto's standalone server) on a fixed free port, which a
    test may stop and start again (it keeps nothing across a restart)."""

    def __init__(self, log: Path) -> None:
        self.port, self.log = free_port(), log
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> "MotoServer":
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1",
             "-p", str(self.port)],
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.endpoint, timeout=1)  # noqa: S310 - our own server
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    pytest.fail(f"moto_server did not start: {self.log.read_text()}")
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
