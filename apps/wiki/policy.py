"""Who may propose at all, who is trusted, and who may propose to a protected article.

Trusted fans' proposals (and, by default, moderators' own) are approved
automatically. Trust comes from a moderator's decision on the account, or
else from the rule in settings.WIKI_TRUST_RULE: enough approved proposals,
no recent rejection, an account old enough. New accounts always go through
review.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.utils import timezone

from apps.accounts.models import Trust, User
from apps.web import hooks

from . import spam
from .models import Article, Protection, Revision, RevisionStatus
from .permissions import can_moderate
from .screening import Written, screen
from .slots import WRITE_REFUSAL

DEFAULT_RULE = {"approved": 5, "quiet_days": 30, "min_account_days": 7}


def trust_rule() -> dict[str, int]:
    return {**DEFAULT_RULE, **getattr(settings, "WIKI_TRUST_RULE", {})}


def earns_trust(user: User) -> bool:
    """Whether the automatic rule trusts this account (one query)."""
    rule = trust_rule()
    now = timezone.now()
    if user.date_joined > now - timedelta(days=rule["min_account_days"]):
        return False
    counts: dict[str, int] = Revision.objects.filter(author=user).aggregate(
        approved=Count(
            "pk",
            filter=Q(status=RevisionStatus.APPROVED, automatic=False, decided_by__isnull=False),
        ),
        recent_rejections=Count(
            "pk",
            filter=Q(
                status=RevisionStatus.REJECTED,
                decided_at__gte=now - timedelta(days=rule["quiet_days"]),
            ),
        ),
    )
    return counts["approved"] >= rule["approved"] and counts["recent_rejections"] == 0


def is_trusted(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.trust == Trust.TRUSTED:
        return True
    if user.trust == Trust.UNTRUSTED:
        return False
    return earns_trust(user)


def approves_automatically(user: User) -> bool:
    """Whether this user's proposals skip the queue (settings.WIKI_AUTO_APPROVE)."""
    policy = getattr(settings, "WIKI_AUTO_APPROVE", {"moderators": True, "trusted": True})
    if can_moderate(user):
        return bool(policy.get("moderators"))
    return bool(policy.get("trusted")) and is_trusted(user)


UNVERIFIED_EMAIL = (
    "Confirm your e-mail address before proposing articles and edits: follow the link "
    "we mailed you, or have it sent again."
)


def account_refusal(
    user: User | AnonymousUser, *, action: str = "propose", article: Article | None = None
) -> str | None:
    """Why this account may not write yet (``action``: "propose", or what the app asking
    calls its write, such as a discussion post, a comment, an upload; on
    ``article``, or anywhere), or None if it may.

    The one rule every write asks (the editor's pages, its preview and upload
    endpoints, discussion posts, review comments, the services): signed in, active, a
    confirmed address, and no block (the apps answering the "write-refusal" hook).
    Moderators are exempt: staff vouch for them.
    """
    if not user.is_authenticated or not user.is_active:
        return "Log in to propose articles and edits."
    if can_moderate(user):
        return None
    if settings.REQUIRE_VERIFIED_EMAIL and not user.email_verified:
        return UNVERIFIED_EMAIL
    return next(
        (
            refusal
            for refusal in hooks.run(WRITE_REFUSAL, user=user, action=action, article=article)
            if refusal
        ),
        None,
    )


def check_text(
    *,
    author: User,
    kind: str,
    text: str,
    html: str,
    article: Article | None,
    summary: str = "",
    acknowledged: str = "",
    field: str = "body",
) -> None:
    """What every message a fan writes outside the editor (``kind``: the asking app's name
    for it, such as a discussion post or a review comment) must pass before it is stored:
    the spam rules (ValidationError on ``field``) and the screens (screening.screen: a
    refusal, or a warning the writer may submit past with ``acknowledged``)."""
    spam.check_text(author=author, html=html, field=field)
    screen(
        Written(kind=kind, author=author, article=article, text=text, summary=summary,
                title=article.title if article else "", acknowledged=acknowledged, rendered=html)
    )  # fmt: skip


def proposal_refusal(user: User | AnonymousUser, article: Article | None) -> str | None:
    """Why this user may not propose this (None: a new article), or None if they may."""
    refusal = account_refusal(user, article=article)
    if refusal is None and article is not None:
        refusal = protection_refusal(user, article)
    return refusal


def effective_protection(article: Article) -> str:
    expires = article.protection_expires_at
    if expires is not None and expires <= timezone.now():
        return Protection.OPEN
    return article.protection


def protection_refusal(user: User | AnonymousUser, article: Article) -> str | None:
    """Why this user may not propose to this article, or None if they may."""
    level = effective_protection(article)
    if level == Protection.OPEN or can_moderate(user):
        return None
    if level == Protection.MODERATORS:
        return "This article is protected: only moderators can propose changes to it."
    if not is_trusted(user):
        return "This article is protected: only trusted fans and moderators can propose changes."
    return None


def pending_refusal(user: User) -> tuple[int, str] | None:
    """(how many await review, why) when this user's proposals fill the reviewers' queue
    up to settings.PENDING_PROPOSALS_CAP; None when they may propose more."""
    cap = settings.PENDING_PROPOSALS_CAP
    if not cap or can_moderate(user):
        return None
    waiting = Revision.objects.filter(author=user, status=RevisionStatus.PENDING).count()
    if waiting < cap:
        return None
    return waiting, (
        f"{waiting} of your proposals await review, the most one account may have waiting "
        "at once: propose more once moderators have decided on some."
    )
