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

Signed-in readers get the same treatment on the pages that ask for it (the article
page: ``cached_for_readers(signed_in=...)``). What differs between two fans on such
a page is in its *personal parts* (``{% personal "template" %}``: the header's
account links, the follow button, one's own pending proposals), each made from
a small template and the values one function gives (:func:`personal_parts`).
The page is stored with a placeholder where each part was, under a key that
adds the *kind* of reader it was made for (the view's ``reader`` says which
readers may share one, and None for anyone else: moderators, say), and on a hit
each part is made again for the reader asking, with the same function and
templates that made it the first time. The markers around the parts carry a
random value of the request that made the page, so no text a user wrote can
pass for one.

Responses carry an ``ETag`` (and answer ``If-None-Match`` with 304) and
``Cache-Control`` that lets a proxy keep them only while it revalidates.
"""

import hashlib
import logging
import os
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.template import Context, engines
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.http import http_date, quote_etag, urlencode
from django.utils.safestring import SafeString

from fanwiki.generations import Generation, shared

from . import spoilers

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
PAGES = Generation(GENERATION_KEY)
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# Where a stored page's CSRF tokens were. Each stored page gets a random one: a fixed
# one could be written by anyone (a user name, a link in an article), and every reader's
# token would be put there too. Pages stored before had the old fixed one.
_OLD_PLACEHOLDER = b"__csrf_token_placeholder__"


def _without_tokens(content: bytes) -> tuple[bytes, bytes | None]:
    """The page with its forms' CSRF tokens replaced by a new random placeholder, and that
    placeholder (None when the page has no form)."""
    placeholder = b"__csrf_" + secrets.token_hex(16).encode() + b"__"
    body, count = _CSRF_INPUT.subn(rb"\1" + placeholder + rb"\2", content)
    return body, placeholder if count else None


def _with_token(request: HttpRequest, body: bytes, stored: dict[str, Any]) -> bytes:
    """The stored page with this reader's CSRF token where the page's tokens were."""
    placeholder = stored.get("csrf", _OLD_PLACEHOLDER)
    if placeholder and placeholder in body:
        body = body.replace(placeholder, get_token(request).encode())
    return body


_NOT_STORED = "_page_not_for_the_cache"
MAX_VALUE_LENGTH = 100

View = Callable[..., HttpResponseBase]


def _generation_file() -> Path:
    return Path(settings.PAGE_CACHE_GENERATION_FILE)


def generation(known: object = None) -> str:
    """The current generation: read before anything a page shows is read.

    ``known`` is its value when the caller already read it from the shared cache
    (with the page, in one round trip). "" when it cannot be known (a cache that
    refuses writes lost it): no page is served or stored then.
    """
    if shared():
        return PAGES.read(known) or ""
    # Each process has its own memory cache: the processes of one machine agree on the
    # generation through a file's modification time.
    try:
        return str(_generation_file().stat().st_mtime_ns)
    except FileNotFoundError:
        return "0"


def _bump() -> None:
    if shared():
        PAGES.move_on()
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


def _may_cache(request: HttpRequest) -> bool:
    if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return False
    if request.COOKIES.get("messages"):  # a message waits to be shown to this reader
        return False
    # A script with a token reads as its owner (the API): not a reader of pages.
    return "Authorization" not in request.headers


@dataclass(frozen=True)
class SignedIn:
    """How a page is kept for signed-in readers too (see the module docstring).

    ``reader``: the kind of reader a page made for this request may be served to
    (the same page, but for its personal parts), or None when no other reader's page
    may be served to them, nor theirs to others. ``parts``: the values the page's
    personal parts are made from, given the request and what the view passed to
    :func:`personal_parts`.
    """

    reader: Callable[[HttpRequest], str | None]
    parts: Callable[..., dict[str, Any]]


_PART_CONTEXT = "_page_part_context"  # on the request: the context processors' values
_PERSONAL = "_page_personal"  # on the request: the random marker value, then the parts' source
_PERSONAL_PART = re.compile(
    rb"<!--personal:([0-9a-f]{32}):([\w./-]+)-->(.*?)<!--/personal:\1-->", re.S
)


def personal_parts(
    request: HttpRequest, parts: Callable[..., dict[str, Any]], **params: Any
) -> dict[str, Any]:
    """The values of the page's personal parts, for the template's ``personal``.

    ``params`` (plain values: they are stored with the page) are all ``parts`` needs
    to make them again for another reader.
    """
    capture = getattr(request, _PERSONAL, None)
    if capture is not None:
        capture["parts"], capture["params"] = parts, params
    return parts(request, **params)


def personal_part(
    request: HttpRequest | None, template_name: str, values: dict[str, Any]
) -> SafeString:
    """A personal part: ``template_name`` made from ``values`` and the request alone (the
    ``{% personal %}`` tag), marked when the page may be kept for other readers."""
    html = _part_html(request, template_name, values)
    capture = getattr(request, _PERSONAL, None)
    if capture is None:
        return html
    nonce = capture["nonce"]
    return format_html(
        "<!--personal:{}:{}-->{}<!--/personal:{}-->", nonce, template_name, html, nonce
    )


def _part_html(
    request: HttpRequest | None, template_name: str, values: dict[str, Any]
) -> SafeString:
    """``render_to_string(template_name, values, request=request)``, with the context
    processors run once for all of a request's parts rather than once for each."""
    if request is None:
        return render_to_string(template_name, values)
    engine = engines["django"].engine  # type: ignore[attr-defined]
    shared = getattr(request, _PART_CONTEXT, None)
    if shared is None:
        shared = {}
        for processor in engine.template_context_processors:
            shared.update(processor(request))
        setattr(request, _PART_CONTEXT, shared)
    template = engine.get_template(template_name)
    html: SafeString = template.render(Context({**shared, **values}, autoescape=engine.autoescape))
    return html


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
        found = cache.get_many([GENERATION_KEY, key]) if shared() else {key: cache.get(key)}
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
        body = _with_token(request, stored["body"], stored)
        response = HttpResponse(body, content_type=stored["content_type"])
        response["Last-Modified"] = http_date(stored["rendered_at"])
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    response["X-Page-Cache"] = "hit"
    return response


def cached_for_readers(
    view: View | None = None,
    /,
    *,
    query: tuple[str, ...] = (),
    uncached: tuple[str, ...] = (),
    signed_in: SignedIn | None = None,
) -> Any:
    """Serve anonymous readers this view's page from the cache (see the module docstring).

    ``query``: the query parameters the view reads whose values are few (a page number,
    a choice); ``uncached``: those it reads whose values are not (a name, a search);
    ``signed_in``: how signed-in readers are served from it too (None: never).
    """
    if view is None:
        return lambda view: cached_for_readers(
            view, query=query, uncached=uncached, signed_in=signed_in
        )

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not _may_cache(request) or any(request.GET.get(name) for name in uncached):
            return view(request, *args, **kwargs)
        # Without a session: anonymous, nothing personal, no database touched. With one,
        # a message to show or a signed-in reader is never served the anonymous page.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            if "_messages" in request.session:  # a message waits to be shown
                return view(request, *args, **kwargs)
            if request.user.is_authenticated:
                kind = signed_in.reader(request) if signed_in is not None else None
                if signed_in is None or kind is None:
                    return view(request, *args, **kwargs)
                return _for_signed_in(view, signed_in, kind, query, request, *args, **kwargs)
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
        body, placeholder = _without_tokens(response.content)
        # The digest of the page as any reader gets it, whatever its placeholder.
        digest = hashlib.sha256(body.replace(placeholder or b"", b"")).hexdigest()[:32]
        stored = {
            "body": body,
            "csrf": placeholder,
            "content_type": response["Content-Type"],
            # Each reader gets their own CSRF token in the same page: equal, not identical.
            "etag": quote_etag(digest) if placeholder is None else f'W/"{digest}"',
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


def _for_signed_in(
    view: View,
    signed_in: SignedIn,
    kind: str,
    query: tuple[str, ...],
    request: HttpRequest,
    *args: object,
    **kwargs: object,
) -> HttpResponseBase:
    """The page for a signed-in reader of ``kind``: stored once, its personal parts made
    for each reader."""
    key = f"{_key(request, query)}:signed-in:{kind}"
    current, stored = _lookup(key)
    if stored is not None:
        values = signed_in.parts(request, **stored["params"])
        body = _fill(request, stored, values)
        served = HttpResponse(body, content_type=stored["content_type"])
        served["X-Page-Cache"] = "hit"
        return served
    capture: dict[str, Any] = {"nonce": secrets.token_hex(16)}
    setattr(request, _PERSONAL, capture)
    try:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponse) and hasattr(response, "render"):
            response.render()
    finally:
        delattr(request, _PERSONAL)
    if not isinstance(response, HttpResponse):
        return response
    body = response.content
    # This reader's page: the parts as they are, without their markers.
    response.content = _PERSONAL_PART.sub(rb"\3", body)
    keep = (
        response.status_code == 200
        and not response.cookies
        and current
        and capture.get("parts") is signed_in.parts
        and not getattr(request, _NOT_STORED, False)
    )
    if keep:
        placeholders = _PERSONAL_PART.sub(rb"<!--personal:\1:\2-->", body)
        stored_body, csrf = _without_tokens(placeholders)
        _store(
            key,
            {
                "body": stored_body,
                "csrf": csrf,
                "nonce": capture["nonce"],
                "params": capture["params"],
                "content_type": response["Content-Type"],
                "generation": current,
            },
        )
    response["X-Page-Cache"] = "miss"
    return response


def _fill(request: HttpRequest, stored: dict[str, Any], values: dict[str, Any]) -> bytes:
    """The stored page with its personal parts made for this reader, and their CSRF token."""
    marker = re.compile(rb"<!--personal:" + stored["nonce"].encode() + rb":([\w./-]+)-->")
    made: dict[bytes, bytes] = {}

    def part(match: re.Match[bytes]) -> bytes:
        name = match[1]
        if name not in made:
            made[name] = personal_part(request, name.decode(), values).encode()
        return made[name]

    # The placeholder first: the parts made now carry this reader's real token already.
    return marker.sub(part, _with_token(request, stored["body"], stored))
