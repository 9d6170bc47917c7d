from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Backups, the demo, imports from other wikis and their commands; nothing imports it.

    Its models only remember what an import brought in (so a second run adds only what is new)."""

    name = "apps.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from . import hooks  # noqa: F401 - "Leave the wiki" on the account settings page
