from django.apps import AppConfig


class TalkConfig(AppConfig):
    name = "apps.talk"
    label = "talk"
    verbose_name = "Talk pages"

    def ready(self) -> None:
        from apps.web.hooks import offer

        from . import hooks  # noqa: F401 - registers the Talk tab and the talk audit log
        from .services import TALK_POSTED

        offer(TALK_POSTED, "hook, in the transaction that stores a talk post; gets post")
