from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "apps.safety"
    label = "safety"
    verbose_name = "Blocks"

    def ready(self) -> None:
        from apps.web.hooks import offer

        from . import hooks  # noqa: F401 - answers wiki's write-refusal and content-check hooks
        from .suppression import REVISION_SUPPRESSED

        offer(
            REVISION_SUPPRESSED,
            "hook, in the transaction that suppresses parts of a revision: gets revision, "
            "replacements ([(what was written, its placeholder)]; a name's placeholder is "
            "suppression.SUPPRESSED_NAME): rewrite the copies an app kept",
        )
