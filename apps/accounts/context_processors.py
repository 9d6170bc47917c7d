from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def mail_in_terminal() -> bool:
    """Whether e-mail is printed where the server runs (development), not sent."""
    return settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def account(request: HttpRequest) -> dict[str, Any]:
    """``unconfirmed``: the signed-in user must still confirm their address before proposing
    (the header says so, and offers no editor until then); ``mail_in_terminal``: where to
    look for the link in development."""
    user = getattr(request, "user", None)

    def unconfirmed() -> bool:
        return bool(
            settings.REQUIRE_VERIFIED_EMAIL
            and user is not None
            and user.is_authenticated
            and not user.email_verified
            and not user.is_staff
            and not user.has_perm("wiki.moderate_revision")
        )

    return {"unconfirmed": SimpleLazyObject(unconfirmed), "mail_in_terminal": mail_in_terminal()}
