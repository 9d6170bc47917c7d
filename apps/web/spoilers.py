"""The one spoiler rule, and each reader's "I have watched up to" point per show.

A reader's points live in the session and, once signed in, on the profile. The
rule: an episode is *beyond* a reader when it comes after the point they set for
its show; anything about it (an article's title and address, a statement, an edit
summary, a talk topic) is then folded. Pages ask it through the reader that is
*active* while they are made, as Django's time zones work: the middleware
activates the requesting reader, an e-mail is rendered inside ``reading_as(user)``,
and with no reader active (a management command, a task with no recipient)
nothing is folded.
"""

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from django.http import HttpRequest, HttpResponse

from apps.catalog.codes import episode_code, parse_episode_code
from apps.catalog.models import Episode, Show

SESSION_KEY = "spoiler_points"

Points = Mapping[str, str]  # show slug -> last watched episode code


class HasPoints(Protocol):
    spoiler_points: Any


def points(request: HttpRequest) -> dict[str, str]:
    """Show slug -> last watched episode code. A signed-in reader's profile wins."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.spoiler_points:
        return dict(user.spoiler_points)
    return dict(request.session.get(SESSION_KEY, {}))


def is_beyond(episode: Episode | None, reader_points: Points) -> bool:
    """The rule: whether ``episode`` comes after the point set for its show."""
    if episode is None or not reader_points:
        return False
    point = parse_episode_code(reader_points.get(episode.season.show.slug, ""))
    return point is not None and (episode.season.number, episode.number) > point


class Reader:
    """Whose points the page being made answers to; read once, when first asked."""

    def __init__(self, source: Points | Callable[[], Points]) -> None:
        self._source = source
        self._points: Points | None = None
        # What pages worked out for this reader during one request (NOBODY keeps nothing).
        self.memo: dict[str, Any] = {}

    @property
    def points(self) -> Points:
        if self._points is None:
            source = self._source
            self._points = dict(source() if callable(source) else source)
        return self._points

    def hides(self, episode: Episode | None) -> bool:
        return is_beyond(episode, self.points)

    def point(self, show: Show | None) -> tuple[int, int] | None:
        """(season, episode) this reader has watched up to in ``show``, or None if unset."""
        return parse_episode_code(self.points.get(show.slug, "")) if show else None

    @property
    def key(self) -> str:
        """Short and the same for every reader with these points: for cache keys."""
        return digest(self.points)


def digest(reader_points: Points) -> str:
    return hashlib.sha256(json.dumps(dict(reader_points), sort_keys=True).encode()).hexdigest()[:16]


NOBODY = Reader({})
# A context variable: each request, thread and task sees its own reader.
_active: ContextVar[Reader] = ContextVar("spoiler_reader", default=NOBODY)


def active() -> Reader:
    """The reader the page (or e-mail) being made is for."""
    return _active.get()


def hides(episode: Episode | None) -> bool:
    """Whether ``episode`` is beyond the active reader's point: the question every page asks."""
    return active().hides(episode)


def hides_episode_of(thing: Any) -> bool:
    """``hides`` for something about an episode (an article, a notification): the reader's
    points are asked first, so a reader with none costs no episode query."""
    return (
        bool(active().points)
        and getattr(thing, "episode_id", None) is not None
        and active().hides(thing.episode)
    )


@contextmanager
def reading_as(who: HasPoints | Points | Callable[[], Points] | None) -> Iterator[Reader]:
    """Make pages, lists or e-mails inside as ``who`` (a user, or points) would see them."""
    if who is None:
        reader = NOBODY
    elif hasattr(who, "spoiler_points"):
        reader = Reader(dict(who.spoiler_points or {}))
    else:
        reader = Reader(who)
    token = _active.set(reader)
    try:
        yield reader
    finally:
        _active.reset(token)


class SpoilerPointMiddleware:
    """Activates the requesting reader for everything the request makes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # reading_as(), without a generator's cost on every request.
        token = _active.set(Reader(lambda: points(request)))
        try:
            return self.get_response(request)
        finally:
            _active.reset(token)


def before(episode: Episode) -> dict[str, str]:
    """Points of a reader who has seen nothing of the episode's show."""
    return {episode.season.show.slug: "S00E00"}


def folded_label(episode: Episode) -> str:
    """What a link to an article beyond the reader's point says instead of its title."""
    return f"An article about {episode.code} (after your point)"


def remember(request: HttpRequest, show: Show, episode: Episode | None = None) -> None:
    """Set (or, with no episode, clear) the reader's point for one show."""
    current = points(request)
    if episode is None:
        current.pop(show.slug, None)
    else:
        current[show.slug] = episode_code(episode.season.number, episode.number)
    request.session[SESSION_KEY] = current
    user = request.user
    if user.is_authenticated:
        user.spoiler_points = current
        user.save(update_fields=["spoiler_points"])
    reader = active()
    if reader is not NOBODY:
        reader._points = dict(current)
