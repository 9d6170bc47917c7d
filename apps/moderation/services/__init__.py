"""Every moderation decision and record goes through these functions.

Views, admin actions and management commands call them, so the same rules hold
everywhere. Each runs in one transaction; decisions lock the article row first
and then the revision (always in that order, so two decisions cannot deadlock),
check the revision's current status, stamp who/when/why and write one audit
event. Approvals publish through wiki's one publish path
(apps.wiki.services.revision_publish); news is sent after the transaction commits.
Every reason a moderator writes passes apps.web.usertext.checked_reason here.
"""

from .common import Claimed
from .decisions import (
    revision_approve,
    revision_approve_merged,
    revision_approve_part,
    revision_reject,
    revision_request_changes,
    revision_revert,
)
from .housekeeping import article_protect, review_claim, review_release, user_set_trust
from .review import suggestion_accept, thread_reply, thread_resolve, thread_start

__all__ = [
    "Claimed",
    "article_protect",
    "review_claim",
    "review_release",
    "revision_approve",
    "revision_approve_merged",
    "revision_approve_part",
    "revision_reject",
    "revision_request_changes",
    "revision_revert",
    "suggestion_accept",
    "thread_reply",
    "thread_resolve",
    "thread_start",
    "user_set_trust",
]
