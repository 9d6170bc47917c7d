"""What every decision on a proposal checks first: who decides, and who holds it."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.accounts.models import User
from apps.wiki.models import Revision
from apps.wiki.permissions import can_moderate
from apps.wiki.services import WikiConflict

from ..models import ReviewClaim


class Claimed(WikiConflict):
    """Another moderator is reviewing the proposal."""


def check_reviewer(revision: Revision, moderator: User) -> None:
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can approve or reject proposals.")
    if revision.author_id == moderator.pk:
        raise PermissionDenied("You cannot approve or reject your own proposal.")


def check_claim(revision: Revision, moderator: User) -> None:
    """Refuse a decision while another moderator holds an unexpired claim on the proposal."""
    claim = ReviewClaim.objects.filter(revision=revision, expires_at__gt=timezone.now()).first()
    if claim is not None and claim.moderator_id != moderator.pk:
        raise Claimed(
            f"{claim.moderator} is reviewing this proposal until "
            f"{timezone.localtime(claim.expires_at):%H:%M}; wait for them or for the claim "
            "to lapse."
        )
