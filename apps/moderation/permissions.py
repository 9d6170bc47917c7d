"""Who may take part in a proposal's review, besides the moderators (apps.wiki.permissions)."""

from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import User
from apps.wiki.models import Revision
from apps.wiki.permissions import can_moderate


def can_discuss_proposal(user: User | AnonymousUser | None, revision: Revision) -> bool:
    """Who sees and writes a proposal's review threads: its author and moderators, never
    readers (the threads quote text readers have not been shown)."""
    if not (user and user.is_authenticated):
        return False
    return revision.author_id == user.pk or can_moderate(user)
