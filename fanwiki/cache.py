"""Django's Redis cache, keeping one Redis client per connection pool, and degrading when
Redis fails instead of failing the request.

Django's backend builds a new ``redis.Redis`` for every operation (about 0.15 ms
of Python each: the client sets up its table of response callbacks). A cached
page is served with a single cache operation, so that setup was a large part of
serving it. A client is safe to share: it takes a connection from the pool for
each command.

A cache is an optimisation: losing it makes the site slower, never an error.

- A write the cache refuses (a Redis at its memory cap under ``noeviction``
  answers "OOM") is logged and dropped.
- A Redis that does not answer (connection refused, a timeout) opens a circuit
  for ``CACHE_RETRY_SECONDS``: meanwhile every read is a miss and every write is
  dropped at once, without waiting for another connection timeout; the first
  operation after that tries Redis again. The logs say once that the cache is
  down, and once that it is back.
"""

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .circuit import Circuit

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


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


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingClient
        self.circuit = Circuit(
            f"cache {params.get('KEY_PREFIX') or server}",
            "serving without it",
            "CACHE_RETRY_SECONDS",
        )

    def _guarded(self, operation: str, key: Any, call, fallback: Any) -> Any:
        if self.circuit.open():
            return fallback
        try:
            result = call()
        except UNREACHABLE as error:
            self.circuit.failed(error)
            return fallback
        except RedisError:
            # Answered, but refused (a full Redis): the site goes on without it.
            logger.warning("cache %s of %s refused; not kept", operation, key, exc_info=True)
            return fallback
        self.circuit.answered()
        return result

    def ping(self) -> bool:
        """Ask Redis itself, past the circuit (the health check)."""
        return bool(self._cache.get_client().ping())  # type: ignore[attr-defined]

    def get(self, key, default=None, version=None):
        return self._guarded("get", key, lambda: super(ReusingRedisCache, self).get(
            key, default, version), default)  # fmt: skip

    def get_many(self, keys, version=None):
        return self._guarded("get_many", keys, lambda: super(ReusingRedisCache, self).get_many(
            keys, version), {})  # fmt: skip

    def has_key(self, key, version=None):
        return self._guarded("has_key", key, lambda: super(ReusingRedisCache, self).has_key(
            key, version), False)  # fmt: skip

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded("set", key, lambda: super(ReusingRedisCache, self).set(
            key, value, timeout, version), None)  # fmt: skip

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("add", key, lambda: super(ReusingRedisCache, self).add(
            key, value, timeout, version), False)  # fmt: skip

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set_many", list(data)[:3], lambda: super(
            ReusingRedisCache, self).set_many(data, timeout, version), list(data))  # fmt: skip

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", key, lambda: super(ReusingRedisCache, self).touch(
            key, timeout, version), False)  # fmt: skip

    def delete(self, key, version=None):
        return self._guarded("delete", key, lambda: super(ReusingRedisCache, self).delete(
            key, version), False)  # fmt: skip

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._guarded("incr", key, lambda: super(ReusingRedisCache, self).incr(
            key, delta, version), missing)  # fmt: skip
        if result is missing:
            raise ValueError(f"Key {key!r} not found (the cache is not answering).")
        return result
