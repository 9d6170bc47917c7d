"""The wiki's models, split by concern; import them from here."""

from .content import (
    DECISION_FIELDS,
    IMMUTABLE_REVISION_FIELDS,
    Article,
    ArticleQuerySet,
    Citation,
    CitationQuerySet,
    Protection,
    RejectionReason,
    Revision,
    RevisionQuerySet,
    RevisionStatus,
    Statement,
    StatementKind,
    StatementQuerySet,
    citing_article_count,
)
from .records import AuditAction, AuditEvent, Follow

__all__ = [
    "DECISION_FIELDS",
    "IMMUTABLE_REVISION_FIELDS",
    "Article",
    "ArticleQuerySet",
    "AuditAction",
    "AuditEvent",
    "Citation",
    "CitationQuerySet",
    "Follow",
    "Protection",
    "RejectionReason",
    "Revision",
    "RevisionQuerySet",
    "RevisionStatus",
    "Statement",
    "StatementKind",
    "StatementQuerySet",
    "citing_article_count",
]
