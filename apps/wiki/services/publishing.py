"""The one way text reaches readers: write it (when new), record it, approve it, point
the article at it, and tell people — in that order, in the caller's transaction.

Every place that publishes calls :func:`revision_publish`: a moderator's approval
(moderation), an approval of a stale proposal merged onto newer text or of part of a
proposal (moderation, with :class:`Carried` text), a revert to an older version
(moderation), and a trusted author's proposal approved as it is written (here, in
proposals). The caller holds the article's row lock.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.accounts.models import User
from apps.web import hooks
from apps.web.pagecache import pages_changed

from ..citing import CitationInput, write_revision
from ..models import Article, AuditAction, Revision, RevisionStatus
from ..naming import Names, apply_names
from ..notify import after_decision
from ..permissions import can_moderate
from ..search import refresh_search_documents
from ..slots import NAMES_PUBLISHED
from .common import audit, decide
from .errors import WikiConflict

SUMMARY_LENGTH = Revision._meta.get_field("summary").max_length or 300


@dataclass(frozen=True)
class Carried:
    """New text written on its way to readers: a proposal's changes carried onto the
    current text (``proposal`` is then decided too, as ``proposal_status`` with the
    reason ``proposal_reason`` gives once the new version's number is known), or an
    older version's text restored (no proposal).

    The audit log tells the story in order: a merge decides the proposal before the
    text carrying it is approved; a part approval approves the part first, then
    decides what becomes of the rest (``proposal_decided_after``).
    """

    author: User
    body: str
    summary: str
    base: Revision | None
    citations: Sequence[CitationInput]
    proposal: Revision | None = None
    proposal_status: RevisionStatus = RevisionStatus.MERGED
    proposal_reason: Callable[[Revision], str] | None = None
    proposal_action: AuditAction | None = None
    proposal_decided_after: bool = False
    # The title, categories and other names it gives the article; None keeps the base's.
    names: Names | None = None


def revision_publish(
    *,
    article: Article,
    text: Revision | Carried,
    actor: User,
    action: AuditAction = AuditAction.APPROVED,
    automatic: bool = False,
    reason: str = "",
) -> Revision:
    """Publish ``text``: a pending revision, or Carried text written here first.

    Writes the revision (Carried), audits its proposal, decides the proposal it
    carries, approves it (``action`` in the audit log), makes it the article's
    approved revision, refreshes search and the readers' page cache, and queues the
    news (the carried proposal's first) for when the transaction commits.
    """
    carried: Carried | None
    if isinstance(text, Carried):
        carried = text
        revision = write_revision(
            article=article,
            author=text.author,
            body=text.body,
            summary=text.summary[:SUMMARY_LENGTH],
            base=text.base,
            citations=text.citations,
            merged_from=text.proposal,
            names=text.names,
        )
        audit(revision=revision, actor=actor, action=AuditAction.CARRIED, from_status="")
    else:
        carried, revision = None, text
    if carried is not None and not carried.proposal_decided_after:
        _decide_proposal(carried, revision, actor=actor)
    decide(
        revision,
        status=RevisionStatus.APPROVED,
        actor=actor,
        automatic=automatic,
        action=action,
        reason=reason,
    )
    if carried is not None and carried.proposal_decided_after:
        _decide_proposal(carried, revision, actor=actor)
    make_current(article=article, revision=revision, may_take_over=can_moderate(actor))
    # What readers see changed (a proposal, a rejection or a withdrawal changes nothing
    # of theirs: those leave the cached pages alone).
    pages_changed()
    # The proposal's news first: what became of it, then the version readers see.
    if carried is not None and carried.proposal is not None:
        after_decision(carried.proposal, actor=actor)
    after_decision(revision, actor=actor)
    return revision


def make_current(*, article: Article, revision: Revision, may_take_over: bool) -> None:
    """Point the article (locked by the caller) at an approved ``revision``: it takes the
    version's title, other names and categories, and search learns its text. The one place
    an article's approved text changes (a restore from a backup aside). WikiConflict when
    the names cannot be given."""
    previous = article.approved_revision
    before = Names.of(previous) if previous is not None else None
    _give_names(article, revision, before=before, may_take_over=may_take_over)
    article.approved_revision = revision
    article.approved_at = revision.decided_at
    article.save(update_fields=["approved_revision", "approved_at"])
    hooks.run(
        NAMES_PUBLISHED,
        article=article,
        revision=revision,
        names=Names.of(revision),
        previous=before,
    )
    refresh_search_documents([article.pk])


def _give_names(
    article: Article, revision: Revision, *, before: Names | None, may_take_over: bool
) -> None:
    """Give the article the title and other names the version carries (naming.apply_names).
    A refusal (a name another article holds, a category loop) refuses the whole publish,
    and so does a name another article took in a transaction that committed meanwhile
    (the unique addresses in the database tell: nothing is half written)."""
    try:
        with transaction.atomic():
            changed = apply_names(
                article=article, revision=revision, before=before, may_take_over=may_take_over
            )
            if changed:
                article.save(update_fields=changed)
    except ValidationError as error:
        raise WikiConflict(
            "This version cannot be published: " + " ".join(error.messages)
        ) from error
    except IntegrityError as error:
        raise WikiConflict(
            "Another article has just been given this title or one of these other names: "
            "review the proposal again."
        ) from error


def _decide_proposal(carried: Carried, revision: Revision, *, actor: User) -> None:
    """Decide the proposal whose changes ``revision`` carries (when there is one)."""
    if carried.proposal is None:
        return
    decide(
        carried.proposal,
        status=carried.proposal_status,
        actor=actor,
        reason=carried.proposal_reason(revision) if carried.proposal_reason else "",
        action=carried.proposal_action,
    )
