"""Talk changes racing each other, on PostgreSQL with real concurrent transactions."""

import pytest
from django.db import connection

from apps.talk import services
from apps.talk.models import Post, TalkEvent, Topic
from tests import factories
from tests.wiki.test_races import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"
    ),
]


@pytest.fixture
def setting(db):
    author = factories.make_user("racer")
    moderator = factories.make_user("racemod", moderator=True)
    article = factories.published_article(author, moderator, title="Race")
    topic = services.topic_start(article=article, author=author, title="T", body="First")
    return author, moderator, topic


def test_a_reply_never_lands_on_a_just_closed_topic(setting):
    author, moderator, topic = setting
    for number in range(5):
        reply, close = race(
            lambda n=number: services.post_reply(topic=topic, author=author, body=f"Reply {n}"),
            lambda: services.topic_close(topic=topic, moderator=moderator, reason="Done"),
        )
        assert isinstance(close, Topic)
        closed = Topic.objects.get(pk=topic.pk)
        if isinstance(reply, Post):
            assert reply.created_at <= closed.closed_at
        else:
            assert isinstance(reply, services.TalkConflict)
        services.topic_reopen(topic=topic, moderator=moderator)


def test_two_moderators_hiding_at_once_write_one_record(setting):
    author, moderator, topic = setting
    other = factories.make_user("racemod2", moderator=True)
    post = topic.posts.get()
    results = race(
        lambda: services.post_hide(post=post, moderator=moderator, reason="One"),
        lambda: services.post_hide(post=post, moderator=other, reason="Two"),
    )
    assert sorted(type(result).__name__ for result in results) == ["Post", "TalkConflict"]
    assert TalkEvent.objects.filter(post=post).count() == 1
