"""Moderators' housekeeping: review claims, trust, protection, duplicate sources."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Trust, User
from apps.citations.models import Source
from apps.web.pagecache import pages_changed

from ..models import (
    Article,
    Citation,
    Protection,
    ReviewClaim,
    Revision,
    RevisionStatus,
    TrustChange,
)
from ..permissions import can_moderate
from .errors import Claimed, NotPending, WikiConflict


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
    with transaction.atomic():
        user.trust = trust
        user.save(update_fields=["trust"])
        return TrustChange.objects.create(
            user=user, actor=moderator, trust=trust, reason=(reason or "").strip()
        )


def article_protect(
    *, article: Article, level: str, moderator: User, expires_at: datetime | None = None
) -> Article:
    """Limit who may propose changes to an article, until ``expires_at`` if given."""
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can protect articles.")
    if level not in Protection.values:
        raise ValidationError({"level": "Choose a protection level."})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        article.protection = level
        article.protection_expires_at = None if level == Protection.OPEN else expires_at
        article.save(update_fields=["protection", "protection_expires_at"])
        pages_changed()
    return article


def source_merge(*, keep: Source, duplicates: Iterable[Source], actor: User) -> int:
    """Fold duplicate sources into ``keep``: their citations point at it, then they go.

    Returns how many citations were moved. No citation is lost: the duplicates
    are deleted only after nothing refers to them.
    """
    if not (
        actor.has_perm("citations.change_source") and actor.has_perm("citations.delete_source")
    ):
        raise PermissionDenied("Merging sources needs permission to change and delete sources.")
    duplicate_ids = {source.pk for source in duplicates} - {keep.pk}
    if not duplicate_ids:
        raise ValidationError("Choose at least one other source to merge into the one you keep.")
    with transaction.atomic():
        # Lock every source involved so a citation cannot be added to a duplicate meanwhile.
        locked = list(
            Source.objects.select_for_update()
            .filter(pk__in=duplicate_ids | {keep.pk})
            .order_by("pk")
        )
        if len(locked) != len(duplicate_ids) + 1:
            raise WikiConflict("One of the sources no longer exists; reload and try again.")
        moved = Citation.objects.filter(source_id__in=duplicate_ids).update(source=keep)
        Source.objects.filter(pk__in=duplicate_ids).delete()
        pages_changed()
    return moved
