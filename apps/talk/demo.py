"""The talk page's part of the demo: one topic on the demo article, added once."""

from apps.wiki.management import demo_content as demo

from . import services
from .models import Topic


def add_demo_topic(sender, *, article, fan, moderator, say, **kwargs):
    if Topic.objects.filter(article=article, title=demo.TALK_TOPIC_TITLE).exists():
        say(f"Talk topic “{demo.TALK_TOPIC_TITLE}”: found")
        return
    topic = services.topic_start(
        article=article, author=fan, title=demo.TALK_TOPIC_TITLE, body=demo.TALK_TOPIC_BODY
    )
    services.post_reply(
        topic=topic, author=moderator, body=demo.TALK_REPLY_BODY, parent=topic.posts.get()
    )
    say(f"Talk topic “{topic.title}”: created, with a reply (/wiki/{article.slug}/talk/)")
