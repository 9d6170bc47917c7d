from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "apps.api"
    label = "api"
    verbose_name = "API: tokens and webhooks"

    def ready(self) -> None:
        from . import hooks  # noqa: F401 - the tokens section of the account page, webhook events
