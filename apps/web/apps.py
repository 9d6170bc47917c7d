from django.apps import AppConfig
from django.core import checks

ACCOUNT_SETTINGS = "account-settings"


class WebConfig(AppConfig):
    """What every page shares: no models, and no import of a feature app."""

    name = "apps.web"
    label = "web"
    verbose_name = "Shared web plumbing"

    def ready(self) -> None:
        from . import appendonly, hooks

        checks.register(hooks.check_registrations)
        # The account page is accounts' (which imports no app): the shared room offers its
        # slot, so that the apps that keep something per account can show it there.
        hooks.offer(
            ACCOUNT_SETTINGS,
            "the account settings page, after the notification preferences; gets user",
        )
        appendonly.install()
