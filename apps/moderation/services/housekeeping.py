"""Moderators' housekeeping: review claims, trust, protection."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Trust, User
from apps.web.pagecache import pages_changed
from apps.web.usertext import checked_reason
from apps.wiki.models import Article, Protection, Revision, RevisionStatus
from apps.wiki.permissions import can_moderate
from apps.wiki.services import NotPending, WikiConflict

from ..models import ProtectionChange, ReviewClaim, TrustChange
from .common import Claimed


def claim_minutes() -> int:
    return int(getattr(settings, "WIKI_CLAIM_MINUTES", 30))


def review_claim(*, revision: Revision, moderator: User) -> ReviewClaim:
    """Tell other moderators that this one is reviewing the proposal (for a while)."""
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can claim proposals.")
    if revision.author_id == moderator.pk:
        raise PermissionDenied("You cannot review your own proposal.")
    now = timezone.now()
    with transaction.atomic():
        locked = Revision.objects.select_for_update().get(pk=revision.pk)
        if locked.status != RevisionStatus.PENDING:
            raise NotPending("This proposal is no longer pending.")
        claim = ReviewClaim.objects.select_for_update().filter(revision=locked).first()
        if claim and claim.moderator_id != moderator.pk and claim.expires_at > now:
            raise Claimed(
                f"{claim.moderator} is already reviewing this proposal until "
                f"{timezone.localtime(claim.expires_at):%H:%M}."
            )
        expires = now + timedelta(minutes=claim_minutes())
        if claim is None:
            return ReviewClaim.objects.create(
                revision=locked, moderator=moderator, expires_at=expires
            )
        claim.moderator = moderator
        claim.expires_at = expires
        claim.save(update_fields=["moderator", "expires_at"])
        return claim


def review_release(*, revision: Revision, moderator: User) -> None:
    """Give a claim back (only its holder can)."""
    deleted, _ = ReviewClaim.objects.filter(revision=revision, moderator=moderator).delete()
    if not deleted:
        raise WikiConflict("You are not reviewing this proposal.")


def user_set_trust(*, user: User, trust: str, moderator: User, reason: str = "") -> TrustChange:
    """A moderator trusts, distrusts, or hands a fan back to the automatic rule."""
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can change a fan's trust.")
    if user.pk == moderator.pk:
        raise PermissionDenied("You cannot change your own trust.")
    if trust not in Trust.values:
        raise ValidationError({"trust": "Choose trusted, not trusted, or automatic."})
    reason = checked_reason(reason, required=False)
    with transaction.atomic():
        user.trust = trust
        user.save(update_fields=["trust"])
        return TrustChange.objects.create(user=user, actor=moderator, trust=trust, reason=reason)


def article_protect(
    *,
    article: Article,
    level: str,
    moderator: User,
    reason: str,
    expires_at: datetime | None = None,
) -> Article:
    """Limit who may propose changes to an article, until ``expires_at`` if given.

    Each change is recorded, with the moderator's reason (required, as for a
    rejection), in the article's protection history (append-only), which the
    audit log shows.
    """
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can protect articles.")
    if level not in Protection.values:
        raise ValidationError({"level": "Choose a protection level."})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    reason = checked_reason(reason, missing="Say why the protection changes.")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        article.protection = level
        article.protection_expires_at = None if level == Protection.OPEN else expires_at
        article.save(update_fields=["protection", "protection_expires_at"])
        ProtectionChange.objects.create(
            article=article,
            actor=moderator,
            level=level,
            expires_at=article.protection_expires_at,
            reason=reason,
        )
        pages_changed()
    return article
