"""A real Celery worker for the tests that need one: a Redis queue of the test's own, and
a worker process on it, started with the settings module the test names."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
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


def start_worker(broker, tmp_path, settings_module="fanwiki.settings"):
    mail = tmp_path / "mail"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
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


@contextlib.contextmanager
def private_redis(*options: str):
    """A redis-server of the test's own on a free port (with ``options``, such as a memory
    cap), stopped afterwards: its URL."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", *options],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(100):
            try:
                redis.Redis.from_url(url, socket_connect_timeout=0.2).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(10)
