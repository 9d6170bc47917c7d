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
from .records import AuditAction, AuditEvent, Follow, ReviewClaim, TrustChange
from .review import Anchor, ReviewComment, ReviewThread, ReviewThreadQuerySet, Side

__all__ = [
    "DECISION_FIELDS",
    "IMMUTABLE_REVISION_FIELDS",
    "Anchor",
    "Article",
    "ArticleQuerySet",
    "AuditAction",
    "AuditEvent",
    "Citation",
    "CitationQuerySet",
    "Follow",
    "Protection",
    "RejectionReason",
    "ReviewClaim",
    "ReviewComment",
    "ReviewThread",
    "ReviewThreadQuerySet",
    "Revision",
    "RevisionQuerySet",
    "RevisionStatus",
    "Side",
    "Statement",
    "StatementKind",
    "StatementQuerySet",
    "TrustChange",
    "citing_article_count",
]
