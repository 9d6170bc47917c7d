"""Request logs: one line per request, with an id that ties together every line it caused.

The id comes from the proxy's ``X-Request-ID`` header when it looks like one
(so a request can be followed from the proxy's log into ours), otherwise it is
made here; either way it goes back in the response's ``X-Request-ID``.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

logger = logging.getLogger("fanwiki.requests")

request_id: ContextVar[str] = ContextVar("request_id", default="-")
_INCOMING_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


class RequestContextFilter(logging.Filter):
    """Adds the current request's id to every log record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class RequestLogMiddleware:
    """Logs each request once it is answered: method, path, status, user, duration."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        current = incoming if _INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id.set(current)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = current
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            request_id.reset(token)


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, if the request loaded its user: logging costs no query."""
    user = request.__dict__.get("user")
    wrapped = getattr(user, "_wrapped", empty)
    return None if wrapped is empty else getattr(wrapped, "pk", None)
