from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "apps.safety"
    label = "safety"
    verbose_name = "Blocks"

    def ready(self) -> None:
        from . import hooks  # noqa: F401 - answers wiki's write-refusal hook
