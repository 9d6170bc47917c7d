"""Review threads follow a proposal into its author's revision of it (wiki's
"revision-revised" hook, run in the transaction that writes the revision), and a
reviewer's suggestion goes into the editor for the author to look over first (wiki's
"editor-taking" hook: the editor opens with it applied; submitting records it taken).
"""

import re

from apps.accounts.models import User
from apps.web import hooks
from apps.wiki.models import Revision

from .anchors import apply_suggestion, relocate
from .models import Anchor, ReviewComment, ReviewThread, Side
from .services.review import suggestion_taken

_TAKE = re.compile(r"suggestion-(\d{1,18})")


def _offered(revision: Revision, take: str) -> ReviewComment | None:
    """The suggestion ``take`` names, if it is one on ``revision`` still to be taken."""
    match = _TAKE.fullmatch(take or "")
    if match is None:
        return None
    comment: ReviewComment | None = (
        ReviewComment.objects.select_related("thread", "author")
        .filter(pk=int(match[1]), thread__revision=revision, applied_in__isnull=True)
        .exclude(suggestion=None)
        .first()
    )
    return comment


@hooks.register("editor-taking")
def open_with_suggestion(
    *, revision: Revision, body: str, take: str, user: User
) -> tuple[str, str] | None:
    """The text the editor starts from with the suggestion applied, and a note saying so."""
    comment = _offered(revision, take)
    if comment is None or revision.author_id != user.pk:
        return None
    thread = comment.thread
    place = relocate(body, thread.anchor_text, thread.line_start or 1)
    if thread.outdated or place is None:
        return body, (
            f"The lines {comment.author} commented on are no longer in your text: make the "
            "change yourself below."
        )
    applied = apply_suggestion(
        body,
        start=place[0],
        end=place[1],
        anchor_text=thread.anchor_text,
        quote=thread.quote if thread.quote in thread.anchor_text else "",
        replacement=comment.suggestion or "",
    )
    return applied, (
        f"{comment.author}'s suggestion is applied below. Look it over, change what you "
        "like, and submit: the revised proposal goes back to the review queue."
    )


@hooks.register("revision-revised")
def carry_threads(*, old: Revision, new: Revision, takes: str = "") -> int:
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
    # The editor was opened with a suggestion applied: the revision took it (as its
    # author left it), and its thread is resolved.
    comment = _offered(new, takes) if takes else None
    if comment is not None:
        suggestion_taken(
            comment=comment,
            thread=comment.thread,  # read after the threads moved
            revised=new,
            user=new.author,
        )
    return len(threads)
