from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Backups, the demo, imports from other wikis and their commands; nothing imports it.

    Its models only remember what an import brought in (so a second run adds only what is new)."""

    name = "apps.operations"
    label = "operations"
    verbose_name = "Operations"
