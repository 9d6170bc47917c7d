from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Backups, the demo and their commands: no models, and nothing imports it."""

    name = "apps.operations"
    label = "operations"
    verbose_name = "Operations"
