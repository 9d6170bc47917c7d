"""Every change to articles and revisions goes through these functions.

Views, admin actions and management commands call them, so the same rules hold
everywhere. Each runs in one transaction; decisions lock the article row first
and then the revision (always in that order, so two decisions cannot deadlock),
check the revision's current status, stamp who/when/why and write one audit event.
"""

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.citations.models import Source

from .citing import NO_CITATION_MESSAGE, CitationInput, write_revision
from .models import (
    Article,
    AuditAction,
    AuditEvent,
    Citation,
    Revision,
    RevisionStatus,
)
from .permissions import can_moderate


class WikiConflict(Exception):
    """A change that cannot happen in the current state (answered with a 409)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotPending(WikiConflict):
    pass


class StaleBase(WikiConflict):
    pass


# Slugs that would collide with the wiki's own addresses (/wiki/new/).
RESERVED_SLUGS = {"new"}


def _check_text(*, body: str, summary: str) -> None:
    errors = {}
    if not body.strip():
        errors["body"] = "The article text cannot be empty."
    elif len(body) > settings.WIKI_MAX_BODY_LENGTH:
        errors["body"] = (
            f"The article text is too long ({len(body):,} characters; "
            f"at most {settings.WIKI_MAX_BODY_LENGTH:,})."
        )
    if not summary.strip():
        errors["summary"] = "Say in a few words what you changed and why."
    if errors:
        raise ValidationError(errors)


def _audit(*, revision, actor, action, from_status, reason=""):
    AuditEvent.objects.create(
        revision=revision,
        article_id=revision.article_id,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=revision.status,
        reason=reason,
    )


def _write_revision(*, article, author, body, summary, base, citations) -> Revision:
    revision = write_revision(
        article=article, author=author, body=body, summary=summary, base=base, citations=citations
    )
    _audit(revision=revision, actor=author, action=AuditAction.PROPOSED, from_status="")
    return revision


def article_create(
    *,
    author,
    title: str,
    body: str,
    summary: str,
    citations: Sequence[CitationInput],
    episode=None,
) -> Revision:
    """Create an article with its first, pending revision. Readers see nothing until approval."""
    title = title.strip()
    slug = slugify(title)[:200]
    if not slug:
        raise ValidationError({"title": "The title needs at least one letter or digit."})
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            {"title": f"“{title}” is reserved by the wiki; choose a longer title."}
        )
    _check_text(body=body, summary=summary)
    if not citations:
        raise ValidationError(NO_CITATION_MESSAGE)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                title=title, slug=slug, episode=episode, created_by=author
            )
            return _write_revision(
                article=article,
                author=author,
                body=body,
                summary=summary,
                base=None,
                citations=citations,
            )
    except IntegrityError as exc:
        if Article.objects.filter(slug=slug).exists():
            raise ValidationError(
                {"title": "An article with this title already exists or is awaiting review."}
            ) from exc
        raise


def revision_propose(
    *,
    article: Article,
    author,
    body: str,
    summary: str,
    citations: Sequence[CitationInput],
    base: Revision | None,
) -> Revision:
    """Propose a new text for an existing article; it waits for a moderator."""
    _check_text(body=body, summary=summary)
    if not citations:
        raise ValidationError(NO_CITATION_MESSAGE)
    if not article.is_published and article.created_by_id != author.pk and not can_moderate(author):
        raise PermissionDenied("This article is awaiting review.")
    if base is not None and base.article_id != article.pk:
        raise ValidationError("The revision you started from is not part of this article.")
    with transaction.atomic():
        current = Article.objects.values_list("approved_revision_id", flat=True).get(pk=article.pk)
        if (base.pk if base else None) != current:
            # Saving it would queue a proposal that can never be approved; the
            # editor shows the conflict and keeps the text instead.
            raise StaleBase(
                "The article was changed while you were editing. Your text is kept below: "
                "compare it with the current version, then submit again."
            )
        return _write_revision(
            article=article,
            author=author,
            body=body,
            summary=summary,
            base=base,
            citations=citations,
        )


def _lock(revision: Revision) -> tuple[Article, Revision]:
    # The article first, then the revision: every decision takes them in this order.
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    locked = Revision.objects.select_for_update().get(pk=revision.pk)
    if locked.status != RevisionStatus.PENDING:
        raise NotPending(
            f"This proposal is no longer pending: it was {locked.get_status_display().lower()}."
        )
    return article, locked


def _check_reviewer(revision: Revision, moderator) -> None:
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can approve or reject proposals.")
    if revision.author_id == moderator.pk:
        raise PermissionDenied("You cannot approve or reject your own proposal.")


AUDIT_ACTION_FOR = {
    RevisionStatus.APPROVED: AuditAction.APPROVED,
    RevisionStatus.REJECTED: AuditAction.REJECTED,
    RevisionStatus.WITHDRAWN: AuditAction.WITHDRAWN,
}


def _decide(revision: Revision, *, status, actor, reason="") -> None:
    from_status = revision.status
    revision.status = status
    revision.decided_by = actor
    revision.decided_at = timezone.now()
    revision.decision_reason = reason
    revision.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _audit(
        revision=revision,
        actor=actor,
        action=AUDIT_ACTION_FOR[status],
        from_status=from_status,
        reason=reason,
    )


def revision_approve(*, revision: Revision, moderator) -> Revision:
    """Make a pending proposal the text readers see.

    Refused when the approved text changed after the proposal was written (its
    base is stale): approving it would silently undo that change.
    """
    _check_reviewer(revision, moderator)
    with transaction.atomic():
        article, revision = _lock(revision)
        if revision.base_id != article.approved_revision_id:
            raise StaleBase(
                "The article changed after this proposal was written, so approving it would "
                "undo the newer approved text. Reject it with a note asking the author to "
                "propose again from the current text."
            )
        _decide(revision, status=RevisionStatus.APPROVED, actor=moderator)
        article.approved_revision = revision
        article.approved_at = revision.decided_at
        article.save(update_fields=["approved_revision", "approved_at"])
    return revision


def revision_reject(*, revision: Revision, moderator, reason: str) -> Revision:
    """Turn a proposal down; the author sees the reason."""
    _check_reviewer(revision, moderator)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the author a reason for the rejection."})
    with transaction.atomic():
        _article, revision = _lock(revision)
        _decide(revision, status=RevisionStatus.REJECTED, actor=moderator, reason=reason)
    return revision


def revision_withdraw(*, revision: Revision, user) -> Revision:
    """The author takes back their own pending proposal."""
    if revision.author_id != user.pk:
        raise PermissionDenied("Only the author can withdraw a proposal.")
    with transaction.atomic():
        _article, revision = _lock(revision)
        _decide(revision, status=RevisionStatus.WITHDRAWN, actor=user)
    return revision


def source_merge(*, keep: Source, duplicates, actor) -> int:
    """Fold duplicate sources into ``keep``: their citations point at it, then they go.

    Returns how many citations were moved. No citation is lost: the duplicates
    are deleted only after nothing refers to them.
    """
    if not (
        actor.has_perm("citations.change_source") and actor.has_perm("citations.delete_source")
    ):
        raise PermissionDenied("Merging sources needs permission to change and delete sources.")
    duplicate_ids = {source.pk for source in duplicates} - {keep.pk}
    if not duplicate_ids:
        raise ValidationError("Choose at least one other source to merge into the one you keep.")
    with transaction.atomic():
        # Lock every source involved so a citation cannot be added to a duplicate meanwhile.
        locked = list(Source.objects.select_for_update().filter(pk__in=duplicate_ids | {keep.pk}))
        if len(locked) != len(duplicate_ids) + 1:
            raise WikiConflict("One of the sources no longer exists; reload and try again.")
        moved = Citation.objects.filter(source_id__in=duplicate_ids).update(source=keep)
        Source.objects.filter(pk__in=duplicate_ids).delete()
    return moved
