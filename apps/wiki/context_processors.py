from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .policy import UNVERIFIED_EMAIL, account_refusal


def editor(request: HttpRequest) -> dict[str, Any]:
    """``unconfirmed``: the signed-in user may not propose until they confirm their address
    (the header says so and offers no editor until then), as the one rule that refuses it
    (policy.account_refusal) says; asked only of users not confirmed yet."""
    user = getattr(request, "user", None)

    def unconfirmed() -> bool:
        if user is None or not user.is_authenticated or user.email_verified:
            return False
        return account_refusal(user) == UNVERIFIED_EMAIL

    return {"unconfirmed": SimpleLazyObject(unconfirmed)}
