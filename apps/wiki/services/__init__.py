"""Every change to articles and revisions goes through these functions.

Views, admin actions and management commands call them, so the same rules hold
everywhere. Each runs in one transaction; a change to a revision locks the
article row first and then the revision (always in that order, so two changes
cannot deadlock), checks the revision's current status, stamps who/when/why and
writes one audit event. Text reaches readers only through :func:`revision_publish`
(moderation's decisions call it too). Notifications are sent after the
transaction commits.
"""

from ..citing import NO_CITATION_MESSAGE, CitationInput
from ..naming import RESERVED_SLUGS
from .common import audit, decide, lock
from .errors import NotPending, StaleBase, TooManyPending, WikiConflict
from .proposals import article_create, revision_propose, revision_withdraw
from .publishing import Carried, revision_publish
from .sources import source_merge

__all__ = [
    "NO_CITATION_MESSAGE",
    "RESERVED_SLUGS",
    "Carried",
    "CitationInput",
    "NotPending",
    "StaleBase",
    "TooManyPending",
    "WikiConflict",
    "article_create",
    "audit",
    "decide",
    "lock",
    "revision_propose",
    "revision_publish",
    "revision_withdraw",
    "source_merge",
]
