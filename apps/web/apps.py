from django.apps import AppConfig
from django.core import checks


class WebConfig(AppConfig):
    """What every page shares: no models, and no import of a feature app."""

    name = "apps.web"
    label = "web"
    verbose_name = "Shared web plumbing"

    def ready(self) -> None:
        from . import appendonly, hooks

        checks.register(hooks.check_registrations)
        appendonly.install()
