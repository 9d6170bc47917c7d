"""Changing an account: its e-mail address, its verification, its notification preferences."""

from django.db import transaction
from django.utils import timezone

from .models import NotificationEmail, User
from .tasks import send_verification_email
from .verification import Claim


def verification_send(*, user: User) -> None:
    """Mail the account a link that proves it owns its current address (after commit)."""
    if not user.email:
        return
    user_id, email = user.pk, user.email
    transaction.on_commit(lambda: send_verification_email.delay(user_id, email), robust=True)


def email_change(*, user: User, email: str) -> bool:
    """Set a new address: unverified until its owner follows the link mailed to it.

    Returns whether anything changed (the same address again changes nothing).
    """
    if email == user.email:
        return False
    with transaction.atomic():
        user.email = email
        user.email_verified_at = None
        user.save(update_fields=["email", "email_verified_at"])
        verification_send(user=user)
    return True


def email_verify(*, claim: Claim) -> User | None:
    """Mark the address a verification link names as verified; None if the link is stale.

    A link names the address it was sent to: once the account has another, it
    verifies nothing. Following a link twice changes nothing the second time.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=claim.user_id, is_active=True).first()
        if user is None or not user.email or user.email != claim.email:
            return None
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
    return user


def preferences_update(*, user: User, notify_on_site: bool, notification_email: str) -> None:
    """Store how the user hears about things.

    Choosing the daily digest starts it now: what came before was already told
    by the old choice.
    """
    fields = ["notify_on_site", "notification_email"]
    if (
        notification_email == NotificationEmail.DIGEST
        and user.notification_email != NotificationEmail.DIGEST
    ):
        user.digest_sent_at = timezone.now()
        fields.append("digest_sent_at")
    user.notify_on_site = notify_on_site
    user.notification_email = notification_email
    user.save(update_fields=fields)
