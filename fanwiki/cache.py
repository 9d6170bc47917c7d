"""Django's Redis cache, keeping one Redis client per connection pool, and forgiving writes.

Django's backend builds a new ``redis.Redis`` for every operation (about 0.15 ms
of Python each: the client sets up its table of response callbacks). A cached
page is served with a single cache operation, so that setup was a large part of
serving it. A client is safe to share: it takes a connection from the pool for
each command.

A write the cache refuses (a Redis at its memory cap with the ``noeviction``
policy answers "OOM", or one that went away) is logged and dropped: what was
to be kept is only not kept. Reads still raise, for the caller to decide.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


def _refused(operation: str, key: object) -> None:
    logger.warning("cache %s of %s refused; not kept", operation, key, exc_info=True)


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingClient

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError:
            _refused("set", key)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError:
            _refused("add", key)
            return False

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError:
            _refused("set_many", list(data)[:3])
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError:
            _refused("touch", key)
            return False
