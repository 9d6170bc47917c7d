"""Categories the wiki keeps itself, from data it already has (never hand-kept lists):
articles that need work. Not shown at an article's foot; listed on the categories page
for moderators and fans who look for something to fix."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from apps.wiki.models import Article, Revision, Statement, StatementKind

# A proposal waiting longer than this is stale: the article is listed as having one.
STALE_AFTER = timedelta(days=14)


@dataclass(frozen=True)
class Maintenance:
    key: str
    name: str
    description: str
    condition: Callable[[], Q | Exists]

    def articles(self):
        """The published articles in it, by title, with their episodes."""
        return (
            Article.objects.published()
            .with_episode()
            .filter(self.condition())
            .order_by("title", "pk")
        )


def _statements(kind: str) -> Exists:
    return Exists(Statement.objects.filter(revision_id=OuterRef("approved_revision_id"), kind=kind))


def _stale_proposal() -> Exists:
    return Exists(
        Revision.objects.pending().filter(
            article=OuterRef("pk"), created_at__lt=timezone.now() - STALE_AFTER
        )
    )


MAINTENANCE = {
    m.key: m
    for m in [
        Maintenance(
            "citation-needed",
            "Articles with a statement needing a citation",
            "Their text marks at least one statement [citation needed].",
            lambda: _statements(StatementKind.NEEDED),
        ),
        Maintenance(
            "disputed",
            "Articles with a disputed statement",
            "Their text marks at least one statement on which sources disagree.",
            lambda: _statements(StatementKind.DISPUTED),
        ),
        Maintenance(
            "stale-proposals",
            "Articles with a proposal waiting more than two weeks",
            "A proposal to change them has waited for review for more than "
            f"{STALE_AFTER.days} days.",
            _stale_proposal,
        ),
        Maintenance(
            "without-episode",
            "Articles about no single episode",
            "Articles not tied to an episode: characters, places, running jokes — or trivia "
            "that should name its episode.",
            lambda: Q(episode__isnull=True),
        ),
    ]
}
