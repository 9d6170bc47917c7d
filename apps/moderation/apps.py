from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "apps.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from . import auditlogs, hooks  # noqa: F401 - registers moderation's parts of wiki's pages

        auditlogs.offer()
        from apps.web.hooks import offer

        offer(
            "moderation-links",
            "the moderation pages' line of links (queue, statistics, audit log); gets nothing",
        )
