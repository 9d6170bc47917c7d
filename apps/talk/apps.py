from django.apps import AppConfig


class TalkConfig(AppConfig):
    name = "apps.talk"
    label = "talk"
    verbose_name = "Talk pages"

    def ready(self):
        from apps.wiki.signals import demo_seeded

        from .demo import add_demo_topic

        demo_seeded.connect(add_demo_topic, dispatch_uid="talk-demo-topic")
