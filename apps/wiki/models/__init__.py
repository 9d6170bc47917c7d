"""The wiki's models, split by concern; import them from here."""

from .content import (
    DECISION_FIELDS,
    IMMUTABLE_REVISION_FIELDS,
    Article,
    ArticleQuerySet,
    Citation,
    Protection,
    RejectionReason,
    Revision,
    RevisionQuerySet,
    RevisionStatus,
    Statement,
    StatementKind,
    StatementQuerySet,
)
from .records import AuditAction, AuditEvent, Follow, ReviewClaim, TrustChange

__all__ = [
    "DECISION_FIELDS",
    "IMMUTABLE_REVISION_FIELDS",
    "Article",
    "ArticleQuerySet",
    "AuditAction",
    "AuditEvent",
    "Citation",
    "Follow",
    "Protection",
    "RejectionReason",
    "ReviewClaim",
    "Revision",
    "RevisionQuerySet",
    "RevisionStatus",
    "Statement",
    "StatementKind",
    "StatementQuerySet",
    "TrustChange",
]
