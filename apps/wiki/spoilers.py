"""Each reader's "I have watched up to" point, per show: in the session, and on the profile."""

from apps.catalog.codes import episode_code, parse_episode_code

SESSION_KEY = "spoiler_points"


def points(request) -> dict[str, str]:
    """Show slug -> last watched episode code. A signed-in reader's profile wins."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.spoiler_points:
        return dict(user.spoiler_points)
    return dict(request.session.get(SESSION_KEY, {}))


def watched(request, show) -> tuple[int, int] | None:
    if show is None:
        return None
    return parse_episode_code(points(request).get(show.slug, ""))


def remember(request, show, episode=None) -> None:
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
