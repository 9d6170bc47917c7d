"""The queue's rows, read as plain values: a page of 50 costs one query and no model objects.

The queue is the page moderators keep open all day. Rendering 50 rows of
models through their relations, with ``timesince`` and a ``reverse()`` per row,
was most of its cost; a row here is what the table shows, already worked out,
and :func:`row_html` writes its table row (50 rows through the template
language took 7 ms of the page: some 30 lookups and tags each).
"""

from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import quote

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.dateformat import time_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

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

    @property
    def html(self) -> SafeString:
        return row_html(self)


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


_ROW = (
    '<tr>\n      <td class="queue-article">{}{}</td>\n'
    '      <td data-label="Kind">{}{}{}</td>\n'
    '      <td data-label="Author">{}{}</td>\n'
    '      <td data-label="Waiting"><time datetime="{}">{}</time></td>\n'
    '      <td data-label="Summary">{}</td>\n'
    '      <td data-label="Claimed">{}</td>\n'
    '      <td class="queue-action">{}</td>\n    </tr>'
)


# Constant markup, no value in it.
_REVISED = mark_safe(  # noqa: S308
    '<br><span class="badge badge-changes-requested">revised after changes requested</span>'
)
_BOT = mark_safe(' <span class="badge badge-bot" title="An account a program runs">bot</span>')  # noqa: S308
_OWN = mark_safe('<span class="muted">your own</span>')  # noqa: S308


def row_html(row: QueueRow) -> SafeString:
    """The row's ``<tr>``: every value escaped by format_html, the markup constant."""
    kind = "New article" if row.is_new else "Move" if row.moves else "Edit"
    return format_html(
        _ROW,
        row.article_title,
        format_html('<br><span class="muted">{}</span>', row.episode) if row.episode else "",
        kind,
        _REVISED if row.revised else "",
        format_html_join(
            "",
            '<br><a class="badge badge-tag" href="?tag={}" '
            'title="Tagged by an edit filter: show only these">{}</a>',
            ((quote(tag, safe="/"), tag) for tag in row.tags),
        ),
        row.author,
        _BOT if row.bot else "",
        row.created_at.isoformat(),
        row.waiting,
        row.summary,
        format_html(
            "by {} until {}", row.claimed_by, time_format(localtime(row.claim_until), "H:i")
        )
        if row.claimed_by and row.claim_until is not None
        else "—",
        _OWN
        if row.is_own
        else format_html('<a class="button" href="{}">Review</a>', row.review_url),
    )
