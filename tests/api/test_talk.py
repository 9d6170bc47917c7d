"""Talk pages over the API."""

import pytest

from apps.talk import services as talk
from apps.talk.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(article, author):
    return talk.topic_start(article=article, author=author, title="Takes", body="How many?")


def test_topics_posts_and_a_reply(api, fan_api, article, topic, fan):
    topics = api.get(f"/articles/{article.slug}/talk").json()["items"]
    assert [t["title"] for t in topics] == ["Takes"]
    posts = api.get(f"/articles/{article.slug}/talk/{topic.pk}").json()["items"]
    assert posts[0]["markdown"] == "How many?"
    response = fan_api.post(
        f"/articles/{article.slug}/talk/{topic.pk}/posts",
        {"body": "Three, says the podcast.", "parent_id": posts[0]["id"]},
    )
    assert response.status_code == 201
    reply = Post.objects.get(pk=response.json()["id"])
    assert reply.author == fan and reply.parent_id == posts[0]["id"]


def test_a_reply_needs_a_token_and_a_body(api, fan_api, article, topic):
    url = f"/articles/{article.slug}/talk/{topic.pk}/posts"
    assert api.post(url, {"body": "Hi"}).status_code == 401
    empty = fan_api.post(url, {"body": ""})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "body"
    elsewhere = fan_api.post(url, {"body": "Hi", "parent_id": 999999})
    assert elsewhere.status_code == 422
    assert Post.objects.count() == 1


def test_a_hidden_post_s_text_is_for_moderators(api, moderator_api, article, topic, moderator):
    post = topic.posts.get()
    talk.post_hide(post=post, moderator=moderator, reason="Doxxing.")
    shown = api.get(f"/articles/{article.slug}/talk/{topic.pk}").json()["items"][0]
    assert shown["hidden"] is True and shown["markdown"] is None
    seen = moderator_api.get(f"/articles/{article.slug}/talk/{topic.pk}").json()["items"][0]
    assert seen["markdown"] == "How many?"


def test_a_talk_page_folds_with_its_article(api, article, topic):
    response = api.get(f"/articles/{article.slug}/talk", {"watched_up_to": "the-office:S01E01"})
    assert response.status_code == 403
    assert b"Takes" not in response.content
