from django.conf import settings
from django.http import HttpRequest


def mail_in_terminal() -> bool:
    """Whether e-mail is printed where the server runs (development), not sent."""
    return settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def account(request: HttpRequest) -> dict[str, bool]:
    """``mail_in_terminal``: where a new account's confirmation link is, in development."""
    return {"mail_in_terminal": mail_in_terminal()}
