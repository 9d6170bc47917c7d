"""Whole pages for anonymous readers, from the shared cache, invalidated by any change.

A wiki is read far more than it is written. An anonymous reader's article,
episode, history, source, home and recent-changes pages are stored whole in
the cache with the *generation* they were rendered in: any change readers could
see (a published or withdrawn revision, a protection change, a catalog or source
edit) moves the generation on, and every page rendered before it is never
served again. That is
coarser than per-page invalidation, but it can never serve text older than the
last change, and it makes a cached page cost no database query at all.

What differs between two anonymous readers is part of the key: the address
(with its query string) and the reader's "watched up to" points, so one
reader's spoiler choice is never served to another. Pages for signed-in users,
pages with a message to show, and anything but a 200 are never stored. The
CSRF token of the page's forms is stored as a placeholder and filled in for
each reader.

Responses carry an ``ETag`` (and answer ``If-None-Match`` with 304) and
``Cache-Control`` that lets a proxy keep them only while it revalidates.
"""

import hashlib
import os
import re
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.http import http_date, quote_etag

from . import spoilers

GENERATION_KEY = "pages:generation"
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_PLACEHOLDER = b"__csrf_token_placeholder__"

View = Callable[..., HttpResponseBase]


def _shared() -> bool:
    """Whether every app server sees the same cache (Redis) rather than its own memory."""
    backend = settings.CACHES["default"]["BACKEND"]
    return "locmem" not in backend and "dummy" not in backend


def _generation_file() -> Path:
    return Path(settings.PAGE_CACHE_GENERATION_FILE)


def generation(known: object = None) -> str:
    """The current generation: read before anything a page shows is read.

    ``known`` is its value when the caller already read it from the shared cache
    (with the page, in one round trip).
    """
    if _shared():
        value = known if known is not None else cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, time.time_ns())
            value = cache.get(GENERATION_KEY)
        return str(value)
    # Each process has its own memory cache: the processes of one machine agree on
    # the generation through a file's modification time.
    try:
        return str(_generation_file().stat().st_mtime_ns)
    except FileNotFoundError:
        return "0"


def _bump() -> None:
    if _shared():
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not there yet (or evicted): any new value will do
            cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
        return
    path = _generation_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    now = time.time_ns()
    os.utime(path, ns=(now, now))


def pages_changed() -> None:
    """Something readers see changed: no page rendered before it may be served again.

    Called at once and again when the transaction commits: a page rendered from
    the old data after the first call is dropped by the second.
    """
    _bump()
    transaction.on_commit(_bump)


def _cacheable_request(request: HttpRequest) -> bool:
    if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return False
    if request.COOKIES.get("messages"):  # a message waits to be shown to this reader
        return False
    if "Authorization" in request.headers:
        return False  # a script with a token reads as its owner (the API): not anonymous
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True  # no session: anonymous, nothing personal, no database touched
    return not request.user.is_authenticated and "_messages" not in request.session


def _key(request: HttpRequest) -> str:
    # The points the page will be made for (read once a request, by the active reader).
    points = spoilers.active().points if settings.SESSION_COOKIE_NAME in request.COOKIES else {}
    reader = spoilers.digest(points)
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{address}:{reader}"


def _lookup(key: str) -> tuple[str, dict[str, Any] | None]:
    """The current generation and the page stored under ``key`` if it is of that generation.

    The page carries the generation it was rendered in; both are read in one round
    trip to a shared cache (a page is served after one MGET).
    """
    found = cache.get_many([GENERATION_KEY, key]) if _shared() else {key: cache.get(key)}
    current = generation(found.get(GENERATION_KEY))
    stored = found.get(key)
    if stored is not None and stored.get("generation") == current:
        return current, stored
    return current, None


def _serve(request: HttpRequest, stored: dict[str, Any]) -> HttpResponseBase:
    etag = stored["etag"]
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponseBase = HttpResponseNotModified()
    else:
        body = stored["body"]
        if _PLACEHOLDER in body:
            body = body.replace(_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(body, content_type=stored["content_type"])
        response["Last-Modified"] = http_date(stored["rendered_at"])
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    response["X-Page-Cache"] = "hit"
    return response


def cached_for_readers(view: View) -> View:
    """Serve anonymous readers this view's page from the cache (see the module docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        current, stored = _lookup(key)
        if stored is not None:
            return _serve(request, stored)
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponse) or response.status_code != 200:
            return response
        if response.cookies:
            return response  # something personal was set: not for other readers
        if hasattr(response, "render"):
            response.render()
        body = _CSRF_INPUT.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content)
        stored = {
            "body": body,
            "content_type": response["Content-Type"],
            "etag": quote_etag(hashlib.sha256(body).hexdigest()[:32]),
            "rendered_at": time.time(),
            # Read before the view read anything: a change during rendering moved the
            # generation on, so this page is never served.
            "generation": current,
        }
        cache.set(key, stored, timeout=settings.PAGE_CACHE_SECONDS)
        response["ETag"] = stored["etag"]
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        response["X-Page-Cache"] = "miss"
        return response

    return wrapper
