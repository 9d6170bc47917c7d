"""Who may do what: the one place the moderation permission is named and checked."""

from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import User

from .models import Article, Revision, RevisionStatus

# Whoever a request or a service has: a user, an anonymous visitor, or nobody.
Someone = User | AnonymousUser | None

MODERATE_PERMISSION = "wiki.moderate_revision"
# Oversight: suppress a revision's text, summary or author name, and read what is suppressed.
OVERSIGHT_PERMISSION = "wiki.oversee_revision"
MODERATORS_GROUP = "Moderators"


def can_moderate(user: Someone) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERMISSION))


def can_oversee(user: Someone) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(OVERSIGHT_PERMISSION))


def can_open_unpublished(user: Someone, article: Article) -> bool:
    """Who may see, and propose to, an article not yet published: its creator, a fan whose
    proposal for its title waits beside the creator's, and moderators."""
    if user is None or not user.is_authenticated:
        return False
    return (
        article.created_by_id == user.pk
        or can_moderate(user)
        or article.revisions.filter(author=user).exists()
    )


def can_view_revision(user: Someone, revision: Revision) -> bool:
    """Approved text is public; anything else only for its author and moderators."""
    if revision.status == RevisionStatus.APPROVED:
        return True
    if user is None or not user.is_authenticated:
        return False
    return revision.author_id == user.pk or can_moderate(user)
