"""Review threads on a proposal: comments, replies, resolving, and taking a suggestion.

Threads are written by moderators and by the proposal's author, on a proposal
that is still open (pending, or sent back with changes requested). Each change
locks the article and then the revision, the order every decision takes, so a
comment cannot land on a proposal being decided at the same moment.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.services import about, notify
from apps.web.usertext import rendered
from apps.wiki.citing import CitationInput
from apps.wiki.merging import Cited, cited_of, merge_cited
from apps.wiki.models import Article, Revision
from apps.wiki.permissions import can_moderate
from apps.wiki.policy import account_refusal, check_text
from apps.wiki.revising import review_state
from apps.wiki.services import WikiConflict, revision_propose

from ..anchors import apply_suggestion, lines_of, relocate
from ..models import Anchor, ReviewComment, ReviewThread, Side
from ..permissions import can_discuss_proposal

MAX_COMMENT_LENGTH = 10_000


def _lock_open(revision: Revision) -> tuple[Article, Revision]:
    """Lock the article, then the revision; refuse a proposal that is no longer open."""
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    locked = Revision.objects.select_for_update().get(pk=revision.pk)
    is_open, newer = review_state(locked)
    if not is_open:
        raise WikiConflict(
            f"This proposal was revised as #{newer.pk}: the conversation continues there."
            if newer is not None
            else f"This proposal was {locked.get_status_display().lower()}: its review is closed."
        )
    return article, locked


def _check_discussant(user: User, revision: Revision) -> None:
    if not can_discuss_proposal(user, revision):
        raise PermissionDenied("Only moderators and the proposal's author can comment on it.")
    # The rule every write asks (an address no longer confirmed waits, as for proposing).
    refusal = account_refusal(user, action="comment", article=revision.article)
    if refusal:
        raise PermissionDenied(refusal)


def _rendered(body: str, *, author: User, revision: Revision, acknowledged: str = "") -> str:
    body = (body or "").strip()
    html = rendered(body, what="comment", max_length=MAX_COMMENT_LENGTH)
    check_text(author=author, kind="comment", text=body, html=html, article=revision.article,
               acknowledged=acknowledged)  # fmt: skip
    return html


def _check_suggestion(thread: ReviewThread, suggestion: str | None) -> str | None:
    if suggestion is None:
        return None
    suggestion = suggestion.replace("\r\n", "\n")  # a browser's; the anchored lines have "\n"
    if thread.anchor != Anchor.LINES or thread.side != Side.NEW:
        raise ValidationError(
            {"suggestion": "A suggested replacement needs lines of the proposal's text."}
        )
    if len(suggestion) > settings.WIKI_MAX_BODY_LENGTH:
        raise ValidationError({"suggestion": "The suggested replacement is too long."})
    current = thread.quote or thread.anchor_text
    if suggestion.strip("\r\n") == current:
        raise ValidationError({"suggestion": "The suggestion is the same as the text."})
    return suggestion.strip("\n") if not thread.quote else suggestion


def _anchor(thread: ReviewThread, revision: Revision, *, current_text: str) -> ReviewThread:
    """Check and fill in where a new thread points."""
    if thread.anchor == Anchor.PROPOSAL:
        thread.side, thread.line_start, thread.line_end, thread.quote = "", None, None, ""
        return thread
    if thread.anchor == Anchor.CITATION:
        key = thread.citation_key
        if key is None or not revision.citations.filter(key=key).exists():
            raise ValidationError({"citation_key": "That citation is not part of the proposal."})
        return thread
    if thread.anchor != Anchor.LINES or thread.side not in Side.values:
        raise ValidationError("Say what the comment is about.")
    text = revision.body if thread.side == Side.NEW else current_text
    start, end = thread.line_start or 0, thread.line_end or thread.line_start or 0
    lines = lines_of(text, start, end)
    if lines is None:
        raise ValidationError(
            {"line_start": "Those lines are not in the text: choose lines from the diff."}
        )
    thread.line_end = end
    thread.anchor_text = lines
    thread.quote = (thread.quote or "").replace("\r\n", "\n").strip("\n")
    if thread.quote and thread.quote not in lines:
        raise ValidationError(
            {"quote": "The words you quote must be copied exactly from the commented lines."}
        )
    return thread


def _tell(thread: ReviewThread, comment: ReviewComment, *, actor: User) -> None:
    """The author hears of others' comments; moderators in the conversation hear the author's."""
    revision = thread.revision
    article = revision.article
    excerpt = comment.body if len(comment.body) <= 300 else comment.body[:297] + "…"
    if actor.pk != revision.author_id:

        def to_author() -> tuple[str, str]:
            return (
                f"{actor} commented on your proposal for “{article.display_title}”"
                + ("." if article.folded else f" ({thread.place}).\n{excerpt}"),
                revision.get_absolute_url() + f"#thread-{thread.pk}",
            )

        notify(revision.author, **about(article.episode, to_author))
        return
    others = {
        c.author_id: c.author
        for c in ReviewComment.objects.filter(thread__revision=revision)
        .exclude(author_id=actor.pk)
        .select_related("author")
    }
    for moderator in [user for user in others.values() if can_moderate(user)]:
        notify(
            moderator,
            **about(
                article.episode,
                lambda: (
                    f"{actor} replied on their proposal for “{article.display_title}”."
                    + ("" if article.folded else f"\n{excerpt}"),
                    reverse("moderation:review", args=[revision.pk]) + f"#thread-{thread.pk}",
                ),
            ),
        )


def thread_start(
    *,
    revision: Revision,
    user: User,
    body: str,
    anchor: str = Anchor.PROPOSAL,
    side: str = "",
    line_start: int | None = None,
    line_end: int | None = None,
    quote: str = "",
    citation_key: int | None = None,
    suggestion: str | None = None,
    acknowledged: str = "",
) -> ReviewThread:
    """Start a thread on a proposal (as a whole, on lines of its diff, or on a citation)."""
    _check_discussant(user, revision)
    html = _rendered(body, author=user, revision=revision, acknowledged=acknowledged)
    with transaction.atomic():
        article, revision = _lock_open(revision)
        current = article.approved_revision
        thread = _anchor(
            ReviewThread(
                revision=revision,
                started_on=revision,
                anchor=anchor,
                side=side,
                line_start=line_start,
                line_end=line_end,
                quote=quote,
                citation_key=citation_key,
                created_by=user,
            ),
            revision,
            current_text=current.body if current else "",
        )
        suggestion = _check_suggestion(thread, suggestion)
        thread.save()
        comment = ReviewComment.objects.create(
            thread=thread,
            author=user,
            body=body.strip(),
            rendered_html=html,
            suggestion=suggestion,
        )
        _tell(thread, comment, actor=user)
    return thread


def thread_reply(
    *,
    thread: ReviewThread,
    user: User,
    body: str,
    suggestion: str | None = None,
    acknowledged: str = "",
) -> ReviewComment:
    """Answer in a thread; a resolved thread is reopened by a reply."""
    _check_discussant(user, thread.revision)
    html = _rendered(body, author=user, revision=thread.revision, acknowledged=acknowledged)
    with transaction.atomic():
        _lock_open(thread.revision)
        thread = ReviewThread.objects.select_for_update().get(pk=thread.pk)
        suggestion = _check_suggestion(thread, suggestion)
        comment = ReviewComment.objects.create(
            thread=thread, author=user, body=body.strip(), rendered_html=html, suggestion=suggestion
        )
        if thread.is_resolved:
            thread.resolved_at = thread.resolved_by = None
            thread.save(update_fields=["resolved_at", "resolved_by"])
        _tell(thread, comment, actor=user)
    return comment


def thread_resolve(*, thread: ReviewThread, user: User, resolved: bool = True) -> ReviewThread:
    """Mark a thread resolved (or open again)."""
    _check_discussant(user, thread.revision)
    with transaction.atomic():
        _lock_open(thread.revision)
        thread = ReviewThread.objects.select_for_update().get(pk=thread.pk)
        if thread.is_resolved == resolved:
            raise WikiConflict(
                "This thread is already resolved." if resolved else "This thread is already open."
            )
        thread.resolved_at = timezone.now() if resolved else None
        thread.resolved_by = user if resolved else None
        thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


def _lines_after(thread: ReviewThread, comment: ReviewComment) -> list[str]:
    """The commented lines once the comment's suggestion replaced the quoted words in them."""
    suggestion = comment.suggestion or ""
    if thread.quote:
        return thread.anchor_text.replace(thread.quote, suggestion, 1).splitlines()
    return suggestion.splitlines()


def suggestion_accept(*, comment: ReviewComment, user: User) -> Revision:
    """The author takes a suggested replacement: a revised proposal with it, in one click.

    The revised proposal replaces the one commented on (as any revision by its
    author does), carried onto the current text if the article changed since
    (refused when that conflicts: the editor shows both sides); the threads come
    along, this one resolved and pointing at the lines as the suggestion left them.
    """
    if comment.thread.revision.author_id != user.pk:
        raise PermissionDenied("Only the proposal's author can take a suggestion into it.")
    with transaction.atomic():
        # Article, proposal, then the comment: a second click waits here, then finds the
        # suggestion taken.
        article, revision = _lock_open(comment.thread.revision)
        comment = ReviewComment.objects.select_for_update().get(pk=comment.pk)
        thread = ReviewThread.objects.get(pk=comment.thread_id)
        if comment.suggestion is None:
            raise WikiConflict("This comment suggests no replacement.")
        if comment.applied_in_id is not None or thread.revision_id != revision.pk:
            raise WikiConflict("This suggestion is already part of a revised proposal.")
        if thread.outdated:
            raise WikiConflict(
                "The commented lines are no longer in your proposal: make the change in the editor."
            )
        try:
            body = apply_suggestion(
                revision.body,
                start=thread.line_start or 0,
                end=thread.line_end or 0,
                anchor_text=thread.anchor_text,
                quote=thread.quote,
                replacement=comment.suggestion,
            )
        except ValueError as exc:
            raise WikiConflict(
                f"The suggestion no longer applies ({exc}): make the change in the editor."
            ) from exc
        proposal = cited_of(revision)
        citations = [
            CitationInput(source=c.source, quote=c.quote, locator=c.locator, key=key, verbatim=True)
            for key, c in sorted(proposal.citations.items())
        ]
        base, current = revision.base, article.approved_revision
        if current is not None and revision.base_id != current.pk:
            merged = merge_cited(
                cited_of(base) if base else None,
                cited_of(current),
                Cited(body, proposal.citations),
            )
            if not merged.clean:
                raise WikiConflict(
                    "The article changed since you wrote this proposal, and your text "
                    "conflicts with the newer one: revise it in the editor, which shows both."
                )
            body, citations, base = merged.body, merged.citations, current
        revised = revision_propose(
            article=article,
            author=user,
            body=body,
            summary=f"{revision.summary} (with {comment.author}'s suggestion)"[:300],
            citations=citations,
            base=base,
            revises=revision,
        )
        suggestion_taken(comment=comment, thread=thread, revised=revised, user=user)
    return revised


def suggestion_taken(
    *, comment: ReviewComment, thread: ReviewThread, revised: Revision, user: User
) -> None:
    """Record that ``revised`` took the comment's suggestion: the comment points at it, and
    its thread is resolved, on the lines as the suggestion left them (a merge or the
    author's own changes may have moved them; lines it deleted, or the author rewrote,
    leave the thread outdated, with the text it was on). In the caller's transaction."""
    comment.applied_in = revised
    comment.save(update_fields=["applied_in"])
    taken = _lines_after(thread, comment)
    place = relocate(revised.body, "\n".join(taken), thread.line_start or 1) if taken else None
    changes: dict[str, object] = {"resolved_at": timezone.now(), "resolved_by": user}
    if place is not None:
        changes.update(
            line_start=place[0],
            line_end=place[1],
            anchor_text="\n".join(taken),
            quote=comment.suggestion if thread.quote and comment.suggestion else "",
            outdated=False,
        )
    ReviewThread.objects.filter(pk=thread.pk).update(**changes)
