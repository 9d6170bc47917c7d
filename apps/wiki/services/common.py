"""Pieces every service shares: locking, deciding, auditing."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.accounts.models import User
from apps.web.pagecache import pages_changed

from ..models import (
    DECISION_FIELDS,
    Article,
    AuditAction,
    AuditEvent,
    ReviewClaim,
    Revision,
    RevisionStatus,
)
from ..permissions import can_moderate
from ..search import refresh_search_documents
from .errors import Claimed, NotPending


def audit(
    *,
    revision: Revision,
    actor: User,
    action: AuditAction,
    from_status: str,
    reason: str = "",
) -> None:
    AuditEvent.objects.create(
        revision=revision,
        article_id=revision.article_id,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=revision.status,
        reason=reason,
    )


def lock(revision: Revision) -> tuple[Article, Revision]:
    """Lock the article, then the revision (every decision takes them in this order)."""
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    locked = Revision.objects.select_for_update().get(pk=revision.pk)
    if locked.status != RevisionStatus.PENDING:
        raise NotPending(
            f"This proposal is no longer pending: it was {locked.get_status_display().lower()}."
        )
    return article, locked


def check_reviewer(revision: Revision, moderator: User) -> None:
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can approve or reject proposals.")
    if revision.author_id == moderator.pk:
        raise PermissionDenied("You cannot approve or reject your own proposal.")


def check_claim(revision: Revision, moderator: User) -> None:
    """Refuse a decision while another moderator holds an unexpired claim on the proposal."""
    claim = ReviewClaim.objects.filter(revision=revision, expires_at__gt=timezone.now()).first()
    if claim is not None and claim.moderator_id != moderator.pk:
        raise Claimed(
            f"{claim.moderator} is reviewing this proposal until "
            f"{timezone.localtime(claim.expires_at):%H:%M}; wait for them or for the claim "
            "to lapse."
        )


AUDIT_ACTION_FOR = {
    RevisionStatus.APPROVED: AuditAction.APPROVED,
    RevisionStatus.REJECTED: AuditAction.REJECTED,
    RevisionStatus.WITHDRAWN: AuditAction.WITHDRAWN,
    RevisionStatus.MERGED: AuditAction.MERGED,
    RevisionStatus.CHANGES_REQUESTED: AuditAction.CHANGES_REQUESTED,
}


def decide(
    revision: Revision,
    *,
    status: RevisionStatus,
    actor: User,
    reason: str = "",
    reason_code: str = "",
    automatic: bool = False,
    action: AuditAction | None = None,
) -> None:
    """Stamp a pending revision's decision and write its audit event."""
    from_status = revision.status
    revision.status = status
    revision.decided_by = actor
    revision.decided_at = timezone.now()
    revision.decision_reason = reason
    revision.reason_code = reason_code
    revision.automatic = automatic
    # Revision.save (apps/wiki/models) is not annotated yet.
    revision.save(update_fields=list(DECISION_FIELDS))  # type: ignore[no-untyped-call]
    audit(
        revision=revision,
        actor=actor,
        action=action or AUDIT_ACTION_FOR[status],
        from_status=from_status,
        reason=reason,
    )


def publish(article: Article, revision: Revision) -> None:
    """Point the article at a just-approved revision."""
    article.approved_revision = revision
    article.approved_at = revision.decided_at
    article.save(update_fields=["approved_revision", "approved_at"])
    refresh_search_documents([article.pk])
    # What readers see changed (a proposal, a rejection or a withdrawal changes nothing
    # of theirs: those leave the cached pages alone).
    pages_changed()
