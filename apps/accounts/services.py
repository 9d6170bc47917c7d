"""Changing an account: its e-mail address, its verification, its notification preferences,
and handing an imported author's account to its owner."""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.outbox.services import send_later

from .models import NotificationEmail, User
from .tasks import send_hand_over_email, send_verification_email
from .verification import Claim


def verification_send(*, user: User) -> None:
    """Mail the account a link that proves it owns its current address (after commit)."""
    if not user.email:
        return
    send_later(send_verification_email, user.pk, user.email)


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


class AddressTaken(Exception):
    """The address is already confirmed by another account."""


def email_verify(*, claim: Claim) -> User | None:
    """Mark the address a verification link names as verified; None if the link is stale.

    A link names the address it was sent to: once the account has another, it
    verifies nothing. Following a link twice changes nothing the second time.
    Raises AddressTaken when another account confirmed the address first.
    """
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().filter(pk=claim.user_id, is_active=True).first()
            if user is None or not user.email or user.email != claim.email:
                return None
            if user.email_verified_at is None:
                if address_confirmed_elsewhere(user.email, user=user):
                    raise AddressTaken
                user.email_verified_at = timezone.now()
                user.save(update_fields=["email_verified_at"])
    except IntegrityError as error:  # confirmed by another account at the same moment
        raise AddressTaken from error
    return user


def address_confirmed_elsewhere(email: str, *, user: User) -> bool:
    return (
        User.objects.filter(email__iexact=email, email_verified_at__isnull=False)
        .exclude(pk=user.pk)
        .exists()
    )


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


def account_hand_over(*, user: User, email: str, username: str = "") -> User:
    """Give an account nobody can log in to (one an import made for an author of another
    wiki) to the person it stands for: their address, and another name if they want one.
    They set their password from the link mailed to that address (after commit).

    ValidationError for an account someone can log in to already, a name or address
    another account has, or one that is not valid."""
    if user.has_usable_password():
        raise ValidationError("Only an account nobody can log in to can be handed over.")
    username = (username or "").strip() or user.username
    errors: dict[str, list[str]] = {}
    try:
        User.username_validator(username)
    except ValidationError as error:
        errors["username"] = error.messages
    if User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
        errors.setdefault("username", []).append("Another account has that name.")
    try:
        validate_email(email)
    except ValidationError as error:
        errors["email"] = error.messages
    if email and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        errors.setdefault("email", []).append("Another account has that address.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user.username, user.email, user.email_verified_at = username, email, None
        # A password nobody knows, so that the reset link may be sent (Django sends none
        # for an account without one); its owner replaces it from the link.
        user.set_password(secrets.token_urlsafe(32))
        user.save(update_fields=["username", "email", "email_verified_at", "password"])
        send_later(send_hand_over_email, user.pk)
    return user
