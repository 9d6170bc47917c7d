"""What each user chose to hear, read from the user by attribute name.

The preferences live on the user model (apps/accounts owns it, and this app
imports no other): ``notify_on_site``, ``notification_email`` ("each", "digest"
or "none") and ``email_verified_at``. A user model without them gets the
defaults: everything on the site, one e-mail per notification.
"""

EMAIL_EACH = "each"
EMAIL_DIGEST = "digest"
EMAIL_NONE = "none"


def on_site(user) -> bool:
    return bool(getattr(user, "notify_on_site", True))


def email_choice(user) -> str:
    return getattr(user, "notification_email", EMAIL_EACH)


def mailable(user) -> bool:
    """Whether the user has an address that proved it is theirs.

    Unconfirmed addresses get no notification: anyone can type someone else's
    address at sign-up, and following articles would then mail a stranger.
    """
    return bool(user.email) and getattr(user, "email_verified_at", True) is not None


def emails_each(user) -> bool:
    return mailable(user) and email_choice(user) == EMAIL_EACH


def wants_any(user) -> bool:
    """Whether a notification for this user is worth storing at all."""
    return on_site(user) or (mailable(user) and email_choice(user) != EMAIL_NONE)
