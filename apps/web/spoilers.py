"""Each reader's "I have watched up to" point, per show: in the session, and on the profile."""

from typing import Any

from django.http import HttpRequest

from apps.catalog.codes import episode_code, parse_episode_code
from apps.catalog.models import Episode, Show

SESSION_KEY = "spoiler_points"


def points(request: HttpRequest) -> dict[str, str]:
    """Show slug -> last watched episode code. A signed-in reader's profile wins."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.spoiler_points:
        return dict(user.spoiler_points)
    return dict(request.session.get(SESSION_KEY, {}))


def watched(request: HttpRequest, show: Show | None) -> tuple[int, int] | None:
    if show is None:
        return None
    return parse_episode_code(points(request).get(show.slug, ""))


def beyond_point(request: HttpRequest, episode: Episode | None) -> bool:
    """Whether an episode comes after the reader's "watched up to" point for its show."""
    if episode is None:
        return False
    point = watched(request, episode.season.show)
    return point is not None and (episode.season.number, episode.number) > point


def folded_label(episode: Episode) -> str:
    """What a link to an article beyond the reader's point says instead of its title."""
    return f"An article about {episode.code} (after your point)"


def fold(request: HttpRequest, articles: list[Any]) -> list[Any]:
    """Mark each article after the reader's point: ``folded`` is the label to show instead
    of its title (empty when it may be shown). Lists show it, and hide summaries."""
    for article in articles:
        article.folded = (
            folded_label(article.episode) if beyond_point(request, article.episode) else ""
        )
    return articles


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
