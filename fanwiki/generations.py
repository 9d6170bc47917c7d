"""Generations in the shared cache: a value that moves on whenever what hangs on it changes.

Whatever is kept under a generation (the page cache's pages, each user's permissions)
is stored with the value it was read in and used only while that value is current:
invalidating all of it is one write. Only a cache every process shares (Redis) can
hold one; :func:`shared` says whether this site's does.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


def shared() -> bool:
    """Whether every app server sees the same cache (Redis) rather than its own memory."""
    backend = settings.CACHES["default"]["BACKEND"]
    return "locmem" not in backend and "dummy" not in backend


class Generation:
    def __init__(self, key: str) -> None:
        self.key = key

    def read(self, known: object = None) -> str | None:
        """The current value (``known``: as the caller read it with something else, in
        one round trip); a new one is started when there is none. None when it cannot
        be known (a cache that refuses writes lost it): nothing may be used or kept."""
        value = known if known is not None else cache.get(self.key)
        if value is None:
            cache.add(self.key, time.time_ns(), timeout=None)
            value = cache.get(self.key)
        return None if value is None else str(value)

    def move_on(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:  # not there yet (or evicted): any new value will do
            cache.set(self.key, time.time_ns(), timeout=None)
        except Exception:  # noqa: BLE001 - refused (a full cache): forget it rather than keep it
            logger.warning("%s not moved on; dropping it", self.key, exc_info=True)
            cache.delete(self.key)

    def changed(self) -> None:
        """Move on at once and again when the transaction commits: what is read from the
        old rows after the first move is kept under a value the second leaves behind."""
        self.move_on()
        transaction.on_commit(self.move_on)
