"""Who hears about new talk: article followers about a topic, topic followers about a reply."""

import pytest

from apps.notifications.models import Notification
from apps.talk import services
from apps.wiki.models import Follow
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the services queue for after the commit (the test's transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def told(user):
    return list(Notification.objects.filter(user=user).values_list("message", "url"))


def test_a_new_topic_tells_the_articles_followers_but_not_its_author(
    article, fan, author, committed
):
    Follow.objects.create(user=fan, article=article)
    Follow.objects.create(user=author, article=article)
    with committed():
        topic = services.topic_start(article=article, author=author, title="Dates", body="B")
    [(message, link)] = told(fan)
    assert "New topic on the talk page of “Casino Night trivia”: Dates" in message
    assert link == topic.get_absolute_url()
    assert told(author) == []


def test_nothing_is_told_before_the_commit(
    article, fan, author, django_capture_on_commit_callbacks
):
    Follow.objects.create(user=fan, article=article)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.topic_start(article=article, author=author, title="Dates", body="B")
    assert told(fan) == []
    assert len(callbacks) >= 1


def test_a_reply_tells_the_topics_and_the_articles_followers(
    article, topic, fan, author, moderator, committed
):
    watcher = factories.make_user("watcher")
    services.topic_follow(topic=topic, user=watcher)
    Follow.objects.create(user=moderator, article=article)  # the article, talk page included
    Follow.objects.create(user=author, article=article)  # and the topic: told once
    with committed():
        reply = services.post_reply(topic=topic, author=fan, body="Me too")
    # The starter follows automatically; the replier is not told about their own reply.
    assert told(author) == [
        (
            "fan replied in “Who filmed the kiss?” (talk page of “Casino Night trivia”).",
            reply.get_absolute_url(),
        )
    ]
    assert len(told(watcher)) == 1 and len(told(moderator)) == 1
    assert told(fan) == []
    # The replier follows from now on and hears about the next reply.
    with committed():
        services.post_reply(topic=topic, author=author, body="Thanks")
    assert len(told(fan)) == 1
    assert len(told(author)) == 1


def test_unfollowing_stops_the_news(topic, fan, author, committed):
    services.topic_unfollow(topic=topic, user=author)
    with committed():
        services.post_reply(topic=topic, author=fan, body="Anyone?")
    assert told(author) == []
