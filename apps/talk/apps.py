from django.apps import AppConfig


class TalkConfig(AppConfig):
    name = "apps.talk"
    label = "talk"
    verbose_name = "Talk pages"

    def ready(self) -> None:
        from . import hooks  # noqa: F401 - registers the Talk tab and the talk audit log
