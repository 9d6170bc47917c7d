"""What every read shares: the reader's point, the reveal switch, conditional answers."""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.http import HttpRequest, HttpResponse

from apps.catalog.codes import episode_code, parse_episode_code
from apps.web import spoilers

from .problems import Problem

API_VERSION = "1"


def points_from(values: list[str]) -> dict[str, str] | None:
    """``["the-office:S02E10", …]`` as the reader's points; None when none were given."""
    if not values:
        return None
    found: dict[str, str] = {}
    for value in values:
        show, _, code = value.partition(":")
        parsed = parse_episode_code(code)
        if not show or parsed is None:
            raise Problem(
                "invalid",
                "watched_up_to takes show:episode pairs such as the-office:S02E10.",
                errors=[{"field": "watched_up_to", "pointer": "#/watched_up_to",
                         "detail": f"Not a show:episode pair: {value[:60]!r}."}],
            )  # fmt: skip
        found[show.strip().lower()] = episode_code(*parsed)
    return found


@contextmanager
def reader(watched_up_to: list[str]) -> Iterator[spoilers.Reader]:
    """Read as the given points; with none given, as the caller (their profile's points
    with a token or a session, nobody's for an anonymous read)."""
    given = points_from(watched_up_to)
    if given is None:
        yield spoilers.active()
        return
    with spoilers.reading_as(given) as active:
        yield active


def etag(*parts: object) -> str:
    digest = hashlib.sha256("|".join(map(str, (API_VERSION, *parts))).encode()).hexdigest()
    return f'"{digest[:32]}"'


def conditional(
    request: HttpRequest, response: HttpResponse, *parts: object
) -> HttpResponse | None:
    """The ETag of the object that ``parts`` identify, set on the answer being made; a 304
    instead when the caller already has this version (If-None-Match)."""
    tag = etag(*parts)
    wanted = request.headers.get("If-None-Match", "")
    if wanted and (wanted.strip() == "*" or tag in [t.strip() for t in wanted.split(",")]):
        unchanged = HttpResponse(status=304)
        unchanged["ETag"] = tag
        return unchanged
    response["ETag"] = tag
    return None
