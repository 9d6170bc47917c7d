"""A circuit breaker for one backing service, in one process.

When a call to the service fails for want of an answer (refused, timed out), the
circuit opens for a few seconds: meanwhile the caller does without the service at
once (a cache miss, a task held in the database, a read from the primary) instead
of waiting for another connection timeout on every request. The first call after
the wait tries the service again. The logs say once that the service is down and
once that it is back, never a traceback a request.
"""

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)


class Circuit:
    def __init__(self, service: str, without: str, retry_setting: str) -> None:
        """``service`` names it in the logs; ``without`` says what the site does meanwhile
        ("serving without it"); ``retry_setting`` names the setting that says how long."""
        self.service, self.without, self.retry_setting = service, without, retry_setting
        self.down_until = 0.0
        self.lock = threading.Lock()

    def open(self) -> bool:
        """True while the service is taken as down (skip it); after the wait, one try."""
        return time.monotonic() < self.down_until

    @property
    def down(self) -> bool:
        """Failed, and not answered since (the wait may be over)."""
        return self.down_until != 0.0

    def failed(self, error: BaseException) -> None:
        wait = getattr(settings, self.retry_setting)
        with self.lock:
            first = self.down_until == 0.0
            self.down_until = time.monotonic() + wait
        if first:
            logger.error(
                "%s unreachable (%s): %s, trying again every %s s",
                self.service, error, self.without, wait,
            )  # fmt: skip

    def answered(self) -> None:
        if self.down_until:
            with self.lock:
                self.down_until = 0.0
            logger.warning("%s answers again", self.service)
