"""The moderators' audit log shows talk moderation in a tab of its own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.talk import services
from apps.talk.models import TalkEvent
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("moderation:audit")


@pytest.fixture
def history(topic, first_post, moderator, other_moderator):
    services.post_hide(post=first_post, moderator=moderator, reason="Rude to a fan.")
    services.post_unhide(post=first_post, moderator=other_moderator, reason="Apologised.")
    services.topic_close(topic=topic, moderator=moderator, reason="Settled in the article.")
    services.topic_reopen(topic=topic, moderator=other_moderator)


def test_the_talk_tab_lists_every_action_with_its_reason(client, moderator, history, topic):
    client.force_login(moderator)
    response = client.get(URL, {"log": "talk"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == list(TalkEvent.objects.all())
    page = response.content.decode()
    for text in (
        "Post hidden", "Post shown again", "Topic closed", "Topic reopened",
        "Rude to a fan.", "Apologised.", "Settled in the article.", topic.get_absolute_url(),
    ):  # fmt: skip
        assert text in page


def test_the_wiki_tab_is_unchanged(client, moderator, history):
    client.force_login(moderator)
    page = client.get(URL).content.decode()
    assert "Rude to a fan." not in page and "?log=talk" in page


@pytest.mark.parametrize(
    ("filters", "count"),
    [
        ({"actor": "moderator2"}, 2),
        ({"action": "closed"}, 1),
        ({"article": "casino-night-trivia"}, 4),
        ({"article": "elsewhere"}, 0),
        ({"action": "approved"}, 4),  # a wiki action: ignored here
    ],
)
def test_its_filters(client, moderator, history, filters, count):
    client.force_login(moderator)
    response = client.get(URL, {"log": "talk", **filters})
    assert response.context["page"].paginator.count == count


def test_fans_may_not_see_it(client, fan, history):
    client.force_login(fan)
    assert client.get(URL, {"log": "talk"}).status_code == 403


def test_its_query_count_does_not_grow(
    client, moderator, history, topic, django_assert_max_num_queries
):
    client.force_login(moderator)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"log": "talk"})
    for number in range(5):
        post = services.post_reply(topic=topic, author=factories.make_user(f"w{number}"), body="x")
        services.post_hide(post=post, moderator=moderator, reason=f"r{number}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL, {"log": "talk"})
