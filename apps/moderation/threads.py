"""Reading review threads: a proposal's threads, and where they sit in its diff."""

from dataclasses import replace

from django.db.models import Prefetch

from apps.wiki.diff import DiffLine
from apps.wiki.models import Revision
from apps.wiki.presenting import prefetch_links

from .models import Anchor, ReviewComment, ReviewThread, Side


def threads_of(revision: Revision) -> list[ReviewThread]:
    """The proposal's threads with their comments, oldest first (a fixed number of queries)."""
    threads = list(
        ReviewThread.objects.filter(revision=revision)
        .select_related("created_by", "resolved_by")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=ReviewComment.objects.select_related("author", "applied_in__article"),
            )
        )
    )
    for thread in threads:
        thread.revision = revision  # the template asks each thread for its proposal's author
    # The wiki links of every comment, looked up in one query for the page that shows them.
    prefetch_links([c.rendered_html for thread in threads for c in thread.comments.all()])
    return threads


def place_threads(
    rows: list[DiffLine], threads: list[ReviewThread]
) -> tuple[list[DiffLine], list[ReviewThread]]:
    """Attach each line thread to the diff row of its last line.

    Returns the rows (those with threads carry them) and the threads that have
    no row: on the proposal as a whole, on a citation, outdated, or on lines
    the diff folds away as unchanged.
    """
    waiting: dict[tuple[str, int | None], list[ReviewThread]] = {}
    for thread in threads:
        if thread.anchor == Anchor.LINES and not thread.outdated:
            waiting.setdefault((thread.side, thread.line_end), []).append(thread)
    placed: set[int] = set()
    out = []
    for row in rows:
        here = [
            *waiting.pop((Side.NEW, row.new_number), ()),
            *waiting.pop((Side.OLD, row.old_number), ()),
        ]
        placed.update(thread.pk for thread in here)
        out.append(replace(row, threads=tuple(here)) if here else row)
    return out, [thread for thread in threads if thread.pk not in placed]


def open_count(threads: list[ReviewThread]) -> int:
    return sum(1 for thread in threads if not thread.is_resolved)
