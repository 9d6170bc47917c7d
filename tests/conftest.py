import pytest
import redis
from django.core.cache import cache, caches
from hypothesis import settings as hypothesis_settings

from tests import factories, workers
from tests.workers import MotoServer

# Property tests: the same examples on every run (no example database, no random seed),
# few enough for two shared cores, no per-example deadline (the machine's load varies).
hypothesis_settings.register_profile(
    "fanwiki", derandomize=True, database=None, max_examples=200, deadline=None
)
hypothesis_settings.load_profile("fanwiki")


@pytest.fixture
def broker():
    """Tasks go to a Redis queue of this test's own (for a worker the test starts)."""
    yield from workers.queue_on_redis()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches: no page of another test's data is served, and
    no other test's requests count against a limit."""
    cache.clear()
    caches["limits"].clear()


@pytest.fixture
def fan(db):
    return factories.make_user("fan")


@pytest.fixture
def author(db):
    return factories.make_user("author")


@pytest.fixture
def moderator(db):
    return factories.make_user("moderator", moderator=True)


@pytest.fixture
def other_moderator(db):
    return factories.make_user("moderator2", moderator=True)


@pytest.fixture
def staff(db):
    return factories.make_user("staff", superuser=True)


@pytest.fixture
def episode(db):
    return factories.make_episode()


@pytest.fixture
def article(author, moderator, episode):
    """A published article written by ``author`` and approved by ``moderator``."""
    return factories.published_article(author, moderator, episode=episode, body="Original text.")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3-compatible server (moto's standalone server) on 127.0.0.1, for this run."""
    server = MotoServer(tmp_path_factory.mktemp("moto") / "moto.log").start()
    yield server.endpoint
    server.stop()


@pytest.fixture
def redis_cache(settings):
    """Redis as the cache (a database of these tests' own, emptied before and after) and
    sessions read from it, as in production."""
    if not workers.redis_is_up():
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    location = "redis://127.0.0.1:6379/12"
    server = redis.Redis.from_url(location)
    server.flushdb()
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location},
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield
    server.flushdb()
