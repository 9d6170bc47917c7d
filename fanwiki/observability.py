"""Request logs: one line per request, with an id that ties together every line it caused.

The id comes from the proxy's ``X-Request-ID`` header when it looks like one
(so a request can be followed from the proxy's log into ours), otherwise it is
made here; either way it goes back in the response's ``X-Request-ID``.

With LOG_FORMAT=text every record is one line (TextFormatter): a value that came with
a request, such as a path with ``%0a`` in it or a user name with a line break, cannot
start a line of its own and pass for a record. JSON lines escape such characters anyway.
"""

import copy
import logging
import os
import re
import time
import unicodedata
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

logger = logging.getLogger("fanwiki.requests")

request_id: ContextVar[str] = ContextVar("request_id", default="-")
_INCOMING_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


# The characters printable() looks at one by one: anything but printable ASCII, and the
# backslash unless it is to be kept.
_SUSPECT = re.compile(r"[^\x20-\x5b\x5d-\x7e]")
_SUSPECT_BUT_BACKSLASH = re.compile(r"[^\x20-\x7e]")


def printable(text: str, *, backslash: bool = True) -> str:
    """``text`` with its control characters written as escapes, like ``repr`` without quotes.

    Control and format characters (Unicode categories C*) and the line and paragraph
    separators (Zl, Zp) become ``\\xNN``, ``\\uNNNN`` or ``\\UNNNNNNNN``: the result holds
    no line break, however a log reader splits lines, and nothing that moves a terminal's
    cursor or reorders what it shows. Other characters, of any script, stay as they are.
    A backslash becomes ``\\x5c`` too (unless ``backslash`` is false), so that a ``\\x0a``
    in the result can only be an escaped line break, never one sent as those four characters.
    """
    return (_SUSPECT if backslash else _SUSPECT_BUT_BACKSLASH).sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char != "\\" and unicodedata.category(char)[0] != "C" and char not in "\u2028\u2029":
        return char
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


class TextFormatter(logging.Formatter):
    """The LOG_FORMAT=text formatter: each record starts a line, and only a record does.

    Every text value of the record (the message with its arguments, and any extra
    field the format names) goes through printable(). A traceback or a stack, which
    span several lines by nature, keep their line breaks; each of their lines is
    indented and has its control characters escaped, so none can pass for a record
    either (an exception's message may quote a request too).
    """

    def formatMessage(self, record: logging.LogRecord) -> str:
        shown = copy.copy(record)  # the record itself goes on to other handlers unchanged
        for name, value in vars(record).items():
            if isinstance(value, str):
                setattr(shown, name, printable(value))
        return super().formatMessage(shown)

    def format(self, record: logging.LogRecord) -> str:
        # As logging.Formatter.format, except that a traceback is indented and escaped, and
        # not cached in record.exc_text, where other handlers' formatters would reuse it.
        record.message = record.getMessage()
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        text = self.formatMessage(record)
        if record.exc_info:
            text += _indented(self.formatException(record.exc_info))
        elif record.exc_text:
            text += _indented(record.exc_text)
        if record.stack_info:
            text += _indented(self.formatStack(record.stack_info))
        return text


def _indented(details: str) -> str:
    """Each line of a traceback on a line of its own after the record, indented, escaped."""
    return "".join(f"\n    {printable(line, backslash=False)}" for line in details.split("\n"))


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
        # From META: request.headers would build a dict of every header for this one.
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        current = (
            incoming if incoming and _INCOMING_ID.fullmatch(incoming) else os.urandom(16).hex()
        )
        token = request_id.set(current)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = current
            if not logger.isEnabledFor(logging.INFO):
                return response  # LOG_LEVEL above INFO: not even the record's fields
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
