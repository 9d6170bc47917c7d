"""The queue's rows, read as plain values: a page of 50 costs one query and no model objects.

The queue is the page moderators keep open all day. Rendering 50 rows of
models through their relations, with ``timesince`` and a ``reverse()`` per row,
was most of its cost; a row here is what the table shows, already worked out.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse

from apps.catalog.codes import episode_code
from apps.wiki.models import Revision, RevisionStatus, RevisionTag

_FIELDS = (
    "pk",
    "created_at",
    "summary",
    "base_id",
    "author_id",
    "author__username",
    "author__is_bot",
    "article__title",
    "article__episode__number",
    "article__episode__season__number",
    "article__episode__season__show__title",
    "claim__moderator_id",
    "claim__moderator__username",
    "claim__expires_at",
    "revises__status",
    "title",
    "base__title",
)
_UNITS = ((86_400 * 7, "week"), (86_400, "day"), (3_600, "hour"), (60, "minute"))


@dataclass(frozen=True)
class QueueRow:
    pk: int
    review_url: str
    article_title: str
    episode: str  # "The Office S02E22", or ""
    is_new: bool
    author: str
    is_own: bool
    created_at: datetime
    waiting: str
    summary: str
    claimed_by: str  # "you", a moderator's name, or "" when unclaimed or expired
    claim_until: datetime | None
    revised: bool = False  # the author's revision of a proposal sent back for changes
    moves: bool = False  # gives the article a new title
    bot: bool = False  # written by an account staff marked as a bot
    tags: tuple[str, ...] = ()  # what screens (edit filters) labelled it with


def waited(since: datetime, now: datetime) -> str:
    """How long ago, in its largest unit: "3 days", "1 hour", "less than a minute"."""
    seconds = max(0, int((now - since).total_seconds()))
    for size, unit in _UNITS:
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "less than a minute"


def queue_rows(revisions: QuerySet[Revision], *, user_id: int, now: datetime) -> list[QueueRow]:
    """The rows of one page of the queue, in the queryset's order."""
    url = reverse("moderation:review", args=[987654321]).replace("987654321", "{}")
    rows = []
    for values in revisions.values(*_FIELDS):
        show = values["article__episode__season__show__title"]
        season = values["article__episode__season__number"]
        episode = (
            f"{show} {episode_code(season, values['article__episode__number'])}" if show else ""
        )
        claim_live = values["claim__expires_at"] is not None and values["claim__expires_at"] > now
        claimed_by = ""
        if claim_live:
            mine = values["claim__moderator_id"] == user_id
            claimed_by = "you" if mine else values["claim__moderator__username"]
        rows.append(
            QueueRow(
                pk=values["pk"],
                review_url=url.format(values["pk"]),
                article_title=values["article__title"],
                episode=episode,
                is_new=values["base_id"] is None,
                author=values["author__username"],
                is_own=values["author_id"] == user_id,
                created_at=values["created_at"],
                waiting=waited(values["created_at"], now),
                summary=values["summary"],
                claimed_by=claimed_by,
                claim_until=values["claim__expires_at"] if claim_live else None,
                revised=values["revises__status"] == RevisionStatus.CHANGES_REQUESTED,
                moves=values["base__title"] is not None
                and values["base__title"] != values["title"],
                bot=values["author__is_bot"],
            )
        )
    tags: dict[int, list[str]] = {}
    for revision_id, tag in RevisionTag.objects.filter(
        revision_id__in=[row.pk for row in rows]
    ).values_list("revision_id", "tag"):
        tags.setdefault(revision_id, []).append(tag)
    return [replace(row, tags=tuple(sorted(tags[row.pk]))) if row.pk in tags else row
            for row in rows]  # fmt: skip
