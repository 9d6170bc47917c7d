"""Every change to articles and revisions goes through these functions.

Views, admin actions and management commands call them, so the same rules hold
everywhere. Each runs in one transaction; decisions lock the article row first
and then the revision (always in that order, so two decisions cannot deadlock),
check the revision's current status, stamp who/when/why and write one audit
event. Notifications are sent after the transaction commits.
"""

from ..citing import NO_CITATION_MESSAGE, CitationInput
from .decisions import (
    revision_approve,
    revision_approve_merged,
    revision_approve_part,
    revision_reject,
    revision_revert,
    revision_withdraw,
)
from .errors import Claimed, NotPending, StaleBase, WikiConflict
from .moderation import (
    article_protect,
    review_claim,
    review_release,
    source_merge,
    user_set_trust,
)
from .proposals import RESERVED_SLUGS, article_create, revision_propose
from .review import (
    revision_request_changes,
    suggestion_accept,
    thread_reply,
    thread_resolve,
    thread_start,
)

__all__ = [
    "NO_CITATION_MESSAGE",
    "RESERVED_SLUGS",
    "CitationInput",
    "Claimed",
    "NotPending",
    "StaleBase",
    "WikiConflict",
    "article_create",
    "article_protect",
    "review_claim",
    "review_release",
    "revision_approve",
    "revision_approve_merged",
    "revision_approve_part",
    "revision_propose",
    "revision_reject",
    "revision_request_changes",
    "revision_revert",
    "revision_withdraw",
    "source_merge",
    "suggestion_accept",
    "thread_reply",
    "thread_resolve",
    "thread_start",
    "user_set_trust",
]
