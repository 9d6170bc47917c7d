"""Redis stops: pages are made without the cache (slower), never an error; a signed-in fan
stays signed in and can propose; when Redis returns, the cache is used again without a
restart. A private redis-server is stopped and started again mid-test."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from apps.wiki.models import Revision
from tests import factories
from tests.wiki.test_loop import editor_post
from tests.workers import RedisServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_server(settings):
    server = RedisServer().start()
    settings.CACHES = {
        alias: {
            "BACKEND": "fanwiki.cache.ReusingRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": alias,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        for alias in ("default", "limits")
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.CACHE_RETRY_SECONDS = 0  # try again at once after an outage (the test restarts it)
    yield server
    server.stop()


def test_pages_and_writes_go_on_while_redis_is_down(redis_server, article, fan, author, moderator):
    url = article.get_absolute_url()
    reader, writer = Client(), Client()
    assert factories.log_in(writer, "fan")
    reader.get(url)
    assert reader.get(url)["X-Page-Cache"] == "hit"

    redis_server.stop()
    for page in (url, reverse("home"), reverse("wiki:recent"), reverse("wiki:article-list")):
        assert reader.get(page).status_code == 200, page
    # Still signed in (the session is read from the database), and able to propose.
    assert writer.get(reverse("wiki:contributions")).context["user"] == fan
    edit_url = reverse("wiki:article-edit", args=[article.slug])
    data = editor_post(writer.get(edit_url), body="Original text, during the outage. [@1]",
                       summary="Written while Redis was down")  # fmt: skip
    assert writer.post(edit_url, data).status_code == 302
    assert Revision.objects.filter(summary="Written while Redis was down").exists()
    # Logging in works too.
    assert factories.log_in(Client(), "author")
    # The health check says the cache is failing (the node may leave rotation).
    health = Client().get("/healthz")
    assert health.status_code == 503 and health.json()["checks"]["cache"] == "failing"

    redis_server.start()
    reader.get(url)
    assert reader.get(url)["X-Page-Cache"] == "hit"  # back, without a restart
    assert Client().get("/healthz").status_code == 200


def test_while_the_circuit_is_open_the_cache_is_not_asked(redis_server, settings):
    settings.CACHE_RETRY_SECONDS = 60
    cache = caches["default"]
    cache.set("k", 1)
    redis_server.stop()
    assert cache.get("k") is None  # one failed try: the circuit opens
    calls = []
    original = cache._cache.get_client

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    cache._cache.get_client = counted
    for _ in range(20):
        assert cache.get("k", "default") == "default"
        cache.set("k", 2)
    assert calls == []  # no connection tried: no timeout waited for
