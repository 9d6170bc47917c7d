"""Proving an account owns its e-mail address: a signed, time-limited link.

The link carries the account and the address it was sent to, signed with
SECRET_KEY: it stops working after EMAIL_VERIFICATION_MAX_AGE, and as soon as the
account's address changes (it names the old one).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

SALT = "accounts.email-verification"


@dataclass(frozen=True)
class Claim:
    user_id: int
    email: str


def make_token(*, user_id: int, email: str) -> str:
    return signing.dumps({"user": user_id, "email": email}, salt=SALT, compress=True)


def read_token(token: str) -> Claim | None:
    """What a token claims, or None if it is forged, damaged or too old."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if not isinstance(data, dict):
        return None
    user_id, email = data.get("user"), data.get("email")
    if not isinstance(user_id, int) or not isinstance(email, str):
        return None
    return Claim(user_id=user_id, email=email)
