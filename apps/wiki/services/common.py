"""Pieces every service shares: locking, deciding, auditing."""

from django.utils import timezone

from apps.accounts.models import User
from apps.web import hooks

from ..models import (
    DECISION_FIELDS,
    Article,
    AuditAction,
    AuditEvent,
    Revision,
    RevisionStatus,
)
from ..slots import REVISION_DECIDED
from .errors import NotPending


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
    revision.save(update_fields=list(DECISION_FIELDS))
    audit(
        revision=revision,
        actor=actor,
        action=action or AUDIT_ACTION_FOR[status],
        from_status=from_status,
        reason=reason,
    )
    hooks.run(REVISION_DECIDED, revision=revision, automatic=automatic)
