"""Decisions on proposals: approve (as written, merged or in part), reject, request changes,
and restoring an older version. Every approval publishes through wiki's one publish path
(apps.wiki.services.revision_publish)."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apps.accounts.models import User
from apps.markup import renumber_markers
from apps.web.usertext import checked_reason, rendered
from apps.wiki.citing import CitationInput, names_of, problems_with
from apps.wiki.merging import citation_inputs, cited_of, merge_cited, merge_revisions
from apps.wiki.models import Article, AuditAction, RejectionReason, Revision, RevisionStatus
from apps.wiki.naming import Names, merge_names
from apps.wiki.notify import after_decision
from apps.wiki.permissions import can_moderate
from apps.wiki.services import (
    Carried,
    StaleBase,
    WikiConflict,
    decide,
    lock,
    revision_publish,
)

from ..hunks import CITATIONS, Hunk, apply, split
from ..models import Anchor, ReviewComment, ReviewThread, Side
from .common import check_claim, check_reviewer
from .review import MAX_COMMENT_LENGTH

SEE_THREADS = "See the open review comments."

NOTHING_CHANGES = (
    "This proposal changes nothing: its text and citations are those readers already see "
    "(a form sent twice, or a change made meanwhile). Reject it as a duplicate instead."
)
Cited = list[tuple[int, int, str, str]]  # key, source, quote, locator


def _stored(revision: Revision) -> Cited:
    return list(revision.citations.values_list("key", "source_id", "quote", "locator"))


def _inputs(citations: Sequence[CitationInput]) -> Cited:
    return [
        (c.key, c.source.pk, c.quote.strip(), c.locator.strip())
        for c in citations
        if c.source is not None
    ]


def _canonical(body: str, cited: Cited) -> tuple[str, frozenset[tuple[int, int, str, str]]]:
    """The text and citations with keys numbered by what they cite: the same content
    numbered differently (a merge renumbers) compares equal."""
    order = sorted({(source, quote, locator) for _key, source, quote, locator in cited})
    mapping = {
        key: order.index((source, quote, locator)) + 1 for key, source, quote, locator in cited
    }
    rows = frozenset(
        (mapping[key], source, quote, locator) for key, source, quote, locator in cited
    )
    return renumber_markers(body, mapping), rows


def _changes_nothing(current: Revision, body: str, cited: Cited, names: Names) -> bool:
    """True when approving would publish exactly the text, citations and names (title,
    categories, other names) readers see."""
    return names == Names.of(current) and _canonical(body, cited) == _canonical(
        current.body, _stored(current)
    )


def revision_approve(*, revision: Revision, moderator: User) -> Revision:
    """Make a pending proposal the text readers see.

    Refused when the approved text changed after the proposal was written (its
    base is stale): approving it would silently undo that change. The review
    page offers the three-way merge instead (revision_approve_merged).
    """
    check_reviewer(revision, moderator)
    with transaction.atomic():
        article, revision = lock(revision)
        check_claim(revision, moderator)
        if revision.base_id != article.approved_revision_id:
            raise StaleBase(
                "The article changed after this proposal was written, so approving it as "
                "written would undo the newer approved text. Approve the merged text if the "
                "review page offers it, or ask the author to resolve the conflict."
            )
        if revision.base is not None and _changes_nothing(
            revision.base, revision.body, _stored(revision), Names.of(revision)
        ):
            raise WikiConflict(NOTHING_CHANGES)
        revision_publish(article=article, text=revision, actor=moderator)
    return revision


def _merged_reason(carried: Revision) -> str:
    return f"Merged onto the newer text as version #{carried.pk}."


def revision_approve_merged(*, revision: Revision, moderator: User) -> Revision:
    """Approve a stale proposal's changes carried onto the current text (a clean merge).

    A new revision holds the merged text, credited to the proposal's author;
    the proposal itself is marked merged. Returns the new revision.
    """
    check_reviewer(revision, moderator)
    with transaction.atomic():
        article, revision = lock(revision)
        check_claim(revision, moderator)
        current = article.approved_revision
        if revision.base_id == article.approved_revision_id or current is None:
            raise WikiConflict("This proposal is not stale: approve it as written.")
        merged = merge_revisions(revision.base, current, revision)
        names, naming_problems = merge_names(
            names_of(revision.base, article), Names.of(current), Names.of(revision)
        )
        if not merged.clean or naming_problems:
            problems = [*merged.problems, *naming_problems]
            detail = f" ({'; '.join(problems)})" if problems else ""
            raise WikiConflict(
                "The proposal conflicts with the newer text; the author has to resolve it"
                + detail
                + "."
            )
        if _changes_nothing(current, merged.body, _inputs(merged.citations), names):
            raise WikiConflict(NOTHING_CHANGES)
        return revision_publish(
            article=article,
            text=Carried(
                author=revision.author,
                body=merged.body,
                summary=f"{revision.summary} (merged onto version #{current.pk})",
                base=current,
                citations=merged.citations,
                proposal=revision,
                proposal_status=RevisionStatus.MERGED,
                proposal_reason=_merged_reason,
                names=names,
            ),
            actor=moderator,
        )


def revision_reject(
    *, revision: Revision, moderator: User, reason: str, reason_code: str = ""
) -> Revision:
    """Turn a proposal down; the author sees the reason (a common reason and/or a note)."""
    check_reviewer(revision, moderator)
    if reason_code and reason_code not in RejectionReason.values:
        raise ValidationError({"reason_code": "Choose one of the listed reasons."})
    note = checked_reason(
        reason,
        required=not reason_code or reason_code == RejectionReason.OTHER,
        missing=(
            "Say what the problem is."
            if reason_code
            else "Give the author a reason for the rejection."
        ),
    )
    text = note or RejectionReason(reason_code).label
    with transaction.atomic():
        _article, revision = lock(revision)
        check_claim(revision, moderator)
        decide(
            revision,
            status=RevisionStatus.REJECTED,
            actor=moderator,
            reason=text,
            reason_code=reason_code,
        )
        after_decision(revision, actor=moderator)
    return revision


def _citations_of(revision: Revision) -> list[tuple[int, int, str, str]]:
    return sorted(revision.citations.values_list("key", "source_id", "quote", "locator"))


def revision_revert(*, article: Article, to: Revision, moderator: User, reason: str) -> Revision:
    """Restore an older approved text as a new revision; history is never rewritten."""
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can revert an article.")
    reason = checked_reason(reason, missing="Say why the article is reverted.")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if to.article_id != article.pk or to.status != RevisionStatus.APPROVED:
            raise ValidationError("Only an approved version of this article can be restored.")
        current = article.approved_revision
        if to.pk == article.approved_revision_id or (
            current is not None
            and current.body == to.body
            and _citations_of(current) == _citations_of(to)
            and Names.of(current) == Names.of(to)
        ):
            raise WikiConflict(
                "The article already shows that version's text, citations, title and categories."
            )
        return revision_publish(
            article=article,
            text=Carried(
                author=moderator,
                body=to.body,
                summary=f"Reverted to version #{to.pk}: {reason}",
                base=article.approved_revision,
                citations=[
                    CitationInput(
                        source=c.source, quote=c.quote, locator=c.locator, key=c.key, verbatim=True
                    )
                    for c in to.citations.select_related("source").order_by("position")
                ],
                names=Names.of(to),
            ),
            actor=moderator,
            automatic=True,
            action=AuditAction.REVERTED,
            reason=reason,
        )


def revision_request_changes(*, revision: Revision, moderator: User, reason: str = "") -> Revision:
    """Send a proposal back to its author, with the open threads, instead of rejecting it.

    The author revises it (the revision links back and takes the threads along)
    and the revised proposal enters the queue again.
    """
    check_reviewer(revision, moderator)
    note = checked_reason(reason, required=False)
    with transaction.atomic():
        _article, revision = lock(revision)
        check_claim(revision, moderator)
        if not note:
            if not ReviewThread.objects.filter(revision=revision).open().exists():
                raise ValidationError(
                    {"reason": "Say what should change, or comment on the lines first."}
                )
            note = SEE_THREADS
        decide(
            revision,
            status=RevisionStatus.CHANGES_REQUESTED,
            actor=moderator,
            reason=note,
            action=AuditAction.CHANGES_REQUESTED,
        )
        after_decision(revision, actor=moderator)
    return revision


REST_RETURNED, REST_DECLINED = "return", "decline"


def _thread_for_hunk(revision: Revision, hunk: Hunk, *, moderator: User, reason: str) -> None:
    """The reason a change was not accepted, as a review thread on that change's lines."""
    new_start, new_end = hunk.new_start, hunk.new_end
    if hunk.kind == CITATIONS:
        anchor = {"anchor": Anchor.CITATION, "citation_key": hunk.citation_keys[0]}
    elif new_end > new_start and len(hunk.spans) == 1:
        anchor = {
            "anchor": Anchor.LINES,
            "side": Side.NEW,
            "line_start": new_start + 1,
            "line_end": new_end,
            "anchor_text": "\n".join(line.rstrip("\r") for line in hunk.new_lines),
        }
    else:  # lines only removed, or several stretches: quote what the change was
        anchor = {
            "anchor": Anchor.PROPOSAL,
            "anchor_text": "\n".join(
                line.rstrip("\r") for line in (hunk.old_lines or hunk.new_lines)
            ),
        }
    thread = ReviewThread.objects.create(
        revision=revision, started_on=revision, created_by=moderator, **anchor
    )
    text = f"Change {hunk.number} ({hunk.label}) was not accepted: {reason}"
    ReviewComment.objects.create(
        thread=thread,
        author=moderator,
        body=text,
        rendered_html=rendered(text, what="reason", max_length=MAX_COMMENT_LENGTH),
    )


def revision_approve_part(
    *,
    revision: Revision,
    moderator: User,
    accepted: set[int],
    reasons: dict[int, str],
    rest: str = REST_RETURNED,
) -> Revision:
    """Publish some of a proposal's changes (its hunks, apps.moderation.hunks) and not the others.

    The accepted hunks, applied to the proposal's base and carried onto the
    current text if that moved on, become a new approved revision credited to
    the proposal's author (as a merged approval is). Each other hunk needs a
    reason, kept as a review thread on it; the proposal then goes back to its
    author with changes requested (``rest="return"``) or is declined
    (``rest="decline"``). Refused, with nothing written, when the accepted
    changes no longer apply to the current text or the result would not pass
    as a submission.
    """
    check_reviewer(revision, moderator)
    if rest not in (REST_RETURNED, REST_DECLINED):
        raise ValidationError({"rest": "Say whether the rest goes back to the author or not."})
    with transaction.atomic():
        article, revision = lock(revision)
        check_claim(revision, moderator)
        current = article.approved_revision
        if revision.base is None or current is None:
            raise WikiConflict("A new article is approved or turned down as a whole.")
        if Names.of(revision) != Names.of(revision.base):
            raise WikiConflict(
                "This proposal changes the article's title, categories or other names: "
                "approve it or turn it down as a whole."
            )
        base, proposal = cited_of(revision.base), cited_of(revision)
        hunks = split(base, proposal)
        numbers = {hunk.number for hunk in hunks}
        if not accepted:
            raise ValidationError({"accepted": "Tick at least one change to approve."})
        if not accepted <= numbers:
            raise ValidationError({"accepted": "Those changes are not part of this proposal."})
        if accepted == numbers:
            raise ValidationError({"accepted": "Every change is ticked: approve the proposal."})
        left = [hunk for hunk in hunks if hunk.number not in accepted]
        why: dict[int, str] = {}
        errors: dict[str, list[str]] = {}
        for hunk in left:
            try:
                why[hunk.number] = checked_reason(
                    reasons.get(hunk.number),
                    field=f"reason_{hunk.number}",
                    missing="Say why this change is not accepted.",
                )
            except ValidationError as error:
                errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)
        part = apply(base, proposal, hunks, accepted)
        if current.pk == revision.base_id:
            body, citations = part.body, citation_inputs(part)
        else:
            merged = merge_cited(base, cited_of(current), part)
            if not merged.clean:
                detail = f" ({'; '.join(merged.problems)})" if merged.problems else ""
                raise WikiConflict(
                    "The accepted changes no longer apply to the current text, which changed "
                    f"since the proposal was written{detail}. Review the proposal again."
                )
            body, citations = merged.body, merged.citations
        if not citations:
            raise WikiConflict(
                "Those changes would leave the article without any citation: tick the change "
                "that keeps one too, or decide the proposal whole."
            )
        problems = problems_with(body, citations)
        if problems:
            raise WikiConflict(
                "Those changes cannot be published without the others: " + "; ".join(problems)
            )
        if _changes_nothing(current, body, _inputs(citations), Names.of(current)):
            raise WikiConflict(NOTHING_CHANGES)
        declined = "\n".join(
            f"Change {hunk.number} ({hunk.label}): {why[hunk.number]}" for hunk in left
        )

        def part_reason(carried: Revision) -> str:
            return f"Approved in part as version #{carried.pk}. Not accepted:\n{declined}"

        carried = revision_publish(
            article=article,
            text=Carried(
                author=revision.author,
                body=body,
                summary=(
                    f"{revision.summary} (approved in part: {len(accepted)} of {len(hunks)} "
                    "changes)"
                ),
                base=current,
                citations=citations,
                proposal=revision,
                proposal_status=(
                    RevisionStatus.CHANGES_REQUESTED
                    if rest == REST_RETURNED
                    else RevisionStatus.REJECTED
                ),
                proposal_reason=part_reason,
                proposal_action=AuditAction.PART_APPROVED,
                proposal_decided_after=True,
            ),
            actor=moderator,
            reason=f"Approved in part from proposal #{revision.pk}.",
        )
        for hunk in left:
            _thread_for_hunk(revision, hunk, moderator=moderator, reason=why[hunk.number])
    return carried
