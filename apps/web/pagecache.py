"""Whole pages for anonymous readers, from the shared cache, invalidated by any change.

A wiki is read far more than it is written. An anonymous reader's article,
episode, history, source, home and recent-changes pages are stored whole in
the cache with the *generation* they were rendered in: any change readers could
see (a published or withdrawn revision, a protection change, a catalog or source
edit) moves the generation on, and every page rendered before it is never
served again. That is
coarser than per-page invalidation, but it can never serve text older than the
last change, and it makes a cached page cost no database query at all.

What differs between two anonymous readers is part of the key: the path, the
query parameters the page says it uses (the rest are ignored: a stranger who
adds ``?x=1``, ``?x=2``… gets the one stored page instead of filling the cache
with copies) and the reader's "watched up to" points, so one reader's spoiler
choice is never served to another. A page asked for with a value it does not
take as written (``?page=007``, a page past the last) is served but not
stored: what is stored is bounded by what the wiki holds. A parameter a page
reads but that can take any value (a name to filter by) turns the cache off
for that request. The cache failing (down, full) makes a page slower, never
an error. Pages for signed-in users,
pages with a message to show, and anything but a 200 are never stored. The
CSRF token of the page's forms is stored as a placeholder and filled in for
each reader, so such a page's ``ETag`` is weak: the bytes differ, the page does not.

Responses carry an ``ETag`` (and answer ``If-None-Match`` with 304) and
``Cache-Control`` that lets a proxy keep them only while it revalidates.
"""

import hashlib
import logging
import os
import re
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.http import http_date, quote_etag, urlencode

from . import spoilers

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_PLACEHOLDER = b"__csrf_token_placeholder__"
_NOT_STORED = "_page_not_for_the_cache"
MAX_VALUE_LENGTH = 100

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
    (with the page, in one round trip). "" when it cannot be known (a cache that
    refuses writes lost it): no page is served or stored then.
    """
    if _shared():
        value = known if known is not None else cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, time.time_ns())
            value = cache.get(GENERATION_KEY)
        return "" if value is None else str(value)
    # Each process has its own memory cache: the processes of one machine agree on the
    # generation through a file's modification time.
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
        except Exception:  # noqa: BLE001 - refused (a full cache): forget it rather than keep it
            logger.warning("page generation not moved on; dropping it", exc_info=True)
            cache.delete(GENERATION_KEY)
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


def _key(request: HttpRequest, query: tuple[str, ...]) -> str:
    # The points the page will be made for (read once a request, by the active reader).
    points = spoilers.active().points if settings.SESSION_COOKIE_NAME in request.COOKIES else {}
    reader = spoilers.digest(points)
    # The value a view reads (QueryDict.get: the last one), for the parameters it reads.
    used = [(name, _normal(request.GET[name])) for name in query if name in request.GET]
    address = f"{request.path}?{urlencode(used)}"
    return f"page:{hashlib.sha256(address.encode()).hexdigest()}:{reader}"


def _normal(value: str) -> str:
    # "007" and "7" are one page (or one limit): not two entries.
    return str(int(value)) if value.isdigit() and len(value) <= 18 else value[:MAX_VALUE_LENGTH]


def not_for_the_cache(request: HttpRequest) -> None:
    """The page was made from a value not as the address wrote it: serve it, do not keep it."""
    setattr(request, _NOT_STORED, True)


def paged(request: HttpRequest, items: Any, per_page: int) -> Page[Any]:
    """The page of ``items`` that ``?page=`` asks for (the first or the last if it makes no
    sense), kept by the page cache only when it is the very page asked for."""
    asked = request.GET.get("page")
    page = Paginator(items, per_page).get_page(asked)
    if asked is not None and asked != str(page.number):
        not_for_the_cache(request)
    return page


def _store(key: str, stored: dict[str, Any]) -> None:
    try:
        cache.set(key, stored, timeout=settings.PAGE_CACHE_SECONDS)
    except Exception:  # noqa: BLE001 - full or down: the page was served, only not kept
        logger.warning("page not stored: the cache refused it", exc_info=True)


def _lookup(key: str) -> tuple[str, dict[str, Any] | None]:
    """The current generation and the page stored under ``key`` if it is of that generation.

    The page carries the generation it was rendered in; both are read in one round
    trip to a shared cache (a page is served after one MGET).
    """
    try:
        found = cache.get_many([GENERATION_KEY, key]) if _shared() else {key: cache.get(key)}
        current = generation(found.get(GENERATION_KEY))
    except Exception:  # noqa: BLE001 - a cache that does not answer makes pages slower, no more
        logger.warning("page cache not read: the cache did not answer", exc_info=True)
        return "", None
    stored = found.get(key)
    if current and stored is not None and stored.get("generation") == current:
        return current, stored
    return current, None


def _serve(request: HttpRequest, stored: dict[str, Any]) -> HttpResponseBase:
    etag = stored["etag"]
    if etag.removeprefix("W/") in request.headers.get("If-None-Match", ""):  # a weak comparison
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


def cached_for_readers(
    view: View | None = None, /, *, query: tuple[str, ...] = (), uncached: tuple[str, ...] = ()
) -> Any:
    """Serve anonymous readers this view's page from the cache (see the module docstring).

    ``query``: the query parameters the view reads whose values are few (a page number,
    a choice); ``uncached``: those it reads whose values are not (a name, a search).
    """
    if view is None:
        return lambda view: cached_for_readers(view, query=query, uncached=uncached)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not _cacheable_request(request) or any(request.GET.get(name) for name in uncached):
            return view(request, *args, **kwargs)
        key = _key(request, query)
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
        digest = hashlib.sha256(body).hexdigest()[:32]
        stored = {
            "body": body,
            "content_type": response["Content-Type"],
            # Each reader gets their own CSRF token in the same page: equal, not identical.
            "etag": quote_etag(digest) if _PLACEHOLDER not in body else f'W/"{digest}"',
            "rendered_at": time.time(),
            # Read before the view read anything: a change during rendering moved the
            # generation on, so this page is never served.
            "generation": current,
        }
        if current and not getattr(request, _NOT_STORED, False):
            _store(key, stored)
        response["ETag"] = stored["etag"]
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        response["X-Page-Cache"] = "miss"
        return response

    return wrapper
