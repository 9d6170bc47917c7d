"""Review threads follow a proposal into its author's revision of it (wiki's
"revision-revised" hook, run in the transaction that writes the revision)."""

from apps.web import hooks
from apps.wiki.models import Revision

from .anchors import relocate
from .models import Anchor, ReviewThread, Side


@hooks.register("revision-revised")
def carry_threads(*, old: Revision, new: Revision) -> int:
    """Move the threads of the proposal ``new`` revises onto it, keeping their resolved state.

    Line threads follow the lines they quoted; where those lines are gone, the
    thread stays, marked outdated, with the text it was about. Returns how many
    threads moved.
    """
    threads = list(ReviewThread.objects.select_for_update().filter(revision=old))
    current = new.article.approved_revision
    new_keys = set(new.citations.values_list("key", flat=True))
    for thread in threads:
        thread.revision = new
        if thread.anchor == Anchor.LINES and not thread.outdated:
            text = new.body if thread.side == Side.NEW else (current.body if current else "")
            place = relocate(text, thread.anchor_text, thread.line_start or 1)
            if place is None:
                thread.outdated = True
            else:
                thread.line_start, thread.line_end = place
        elif thread.anchor == Anchor.CITATION and thread.citation_key not in new_keys:
            thread.outdated = True
    ReviewThread.objects.bulk_update(threads, ["revision", "line_start", "line_end", "outdated"])
    return len(threads)
