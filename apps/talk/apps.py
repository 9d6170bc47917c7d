from django.apps import AppConfig


class TalkConfig(AppConfig):
    name = "apps.talk"
    label = "talk"
    verbose_name = "Talk pages"
