"""With REDIS_URL, the cache and sessions live in Redis: any app server serves any request."""

import pytest
import redis
from django.test import Client
from django.urls import reverse

from tests.test_settings_env import run_django
from tests.workers import redis_is_up

REDIS = "redis://127.0.0.1:6379/14"

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(settings):
    if not redis_is_up():
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    # What fanwiki/settings.py configures when REDIS_URL is set.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "fanwiki.cache.ReusingRedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": "fanwiki-test",
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield redis.Redis.from_url(REDIS)
    redis.Redis.from_url(REDIS).flushdb()


def test_a_session_started_on_one_server_is_known_on_another(shared, fan):
    first, second = Client(), Client()  # two app servers share nothing but Redis and the database
    first.force_login(fan)
    key = first.cookies["sessionid"].value
    assert any(key in name.decode() for name in shared.keys("*"))
    second.cookies["sessionid"] = key
    response = second.get(reverse("wiki:contributions"))
    assert response.status_code == 200
    assert response.context["user"] == fan


def test_a_session_survives_a_redis_flush(shared, fan):
    # cached_db: the database keeps the session when the cache loses it.
    client = Client()
    client.force_login(fan)
    shared.flushdb()
    assert client.get(reverse("wiki:contributions")).status_code == 200


def test_production_settings_use_redis_for_cache_and_sessions():
    code = (
        "import fanwiki.settings as s; print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, "
        "s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)"
    )
    out = run_django(code, REDIS_URL="redis://127.0.0.1:6379/3").stdout.split()
    assert out == [
        "fanwiki.cache.ReusingRedisCache",
        "django.contrib.sessions.backends.cached_db",
        "redis://127.0.0.1:6379/3",
        "False",
    ]


def test_the_cache_keeps_one_redis_client(shared):
    from django.core.cache import cache

    cache.set("probe", 1)
    first = cache._cache.get_client(write=True)
    assert cache.get("probe") == 1
    assert cache._cache.get_client(write=True) is first
