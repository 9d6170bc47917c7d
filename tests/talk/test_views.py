"""The talk pages: the topic list, a topic, replying, following, and moderators' actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from apps.talk import services
from apps.talk.models import Post, TalkAction, TalkEvent, Topic, TopicFollow
from tests import factories

pytestmark = pytest.mark.django_db


def topics_url(article):
    return reverse("talk:topics", args=[article.slug])


def start_url(article):
    return reverse("talk:topic-start", args=[article.slug])


def url(name, topic, *extra):
    return reverse(f"talk:{name}", args=[topic.article.slug, topic.pk, *extra])


def test_the_list_shows_topics_and_the_form(client, article, topic, fan):
    client.force_login(fan)
    response = client.get(topics_url(article))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Who filmed the kiss?" in page and f'href="{topic.get_absolute_url()}"' in page
    assert 'name="title"' in page and 'for="id_title"' in page and 'for="id_body"' in page


def test_readers_see_the_list_and_are_asked_to_log_in(client, article, topic):
    page = client.get(topics_url(article)).content.decode()
    assert "Who filmed the kiss?" in page
    assert "to start a topic" in page and 'name="title"' not in page


def test_the_list_is_paginated(client, article, author):
    for number in range(31):
        services.topic_start(article=article, author=author, title=f"T{number}", body="B")
    response = client.get(topics_url(article))
    assert len(response.context["page"].object_list) == 30
    assert len(client.get(topics_url(article), {"page": 2}).context["page"].object_list) == 1


def test_an_unpublished_articles_talk_is_a_404_for_others(client, author, fan):
    unpublished = factories.propose_article(author, title="Booze Cruise").article
    assert client.get(topics_url(unpublished)).status_code == 404
    client.force_login(fan)
    assert client.get(topics_url(unpublished)).status_code == 404
    response = client.post(start_url(unpublished), {"title": "T", "body": "B"})
    assert response.status_code == 404
    client.force_login(author)
    assert client.get(topics_url(unpublished)).status_code == 200
    assert not Topic.objects.exists()


def test_a_missing_article_is_a_404(client):
    assert client.get("/wiki/no-such-article/talk/").status_code == 404


def test_starting_a_topic(client, article, fan):
    client.force_login(fan)
    response = client.post(start_url(article), {"title": "Sources", "body": "Which **ones**?"})
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    assert topic.created_by == fan and topic.posts.get().body == "Which **ones**?"
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "<strong>ones</strong>" in page
    assert f'href="{reverse("wiki:profile", args=[fan.username])}"' in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "body": "Kept text"}, "title"),
        ({"title": "Kept title", "body": ""}, "body"),
        ({"title": "Kept title", "body": "x" * 20_001}, "body"),
        ({"title": "Kept title", "body": ">" * 20}, "body"),
        ({"title": "Kept title", "body": "Kept \x00 text"}, "body"),
        ({"title": "Kept title", "body": "Kept \ufffd text"}, "body"),
    ],
)
def test_bad_input_shows_the_form_again_with_what_was_typed(client, article, fan, data, field):
    client.force_login(fan)
    response = client.post(start_url(article), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    page = response.content.decode()
    for value in data.values():
        if value and len(value) < 100 and "\x00" not in value:
            assert escape(value) in page
    assert not Topic.objects.exists()


def test_starting_needs_a_log_in(client, article):
    response = client.post(start_url(article), {"title": "T", "body": "B"})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Topic.objects.exists()


def test_unverified_fans_are_told_why(client, article, fan, settings):
    settings.REQUIRE_VERIFIED_EMAIL = True
    fan.email_verified_at = None
    fan.save()
    client.force_login(fan)
    response = client.post(start_url(article), {"title": "T", "body": "B"})
    assert response.status_code == 403
    assert "Confirm your e-mail" in response.content.decode()
    assert "Confirm your e-mail" in client.get(topics_url(article)).content.decode()
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    "name", ["topic-start", "reply", "topic-follow", "topic-unfollow", "topic-close", "post-hide"]
)
def test_state_changes_refuse_get(client, topic, first_post, moderator, name):
    client.force_login(moderator)
    if name == "topic-start":
        address = start_url(topic.article)
    elif name == "post-hide":
        address = url(name, topic, first_post.pk)
    else:
        address = url(name, topic)
    assert client.get(address).status_code == 405
    assert Topic.objects.count() == 1 and Post.objects.count() == 1
    assert not TalkEvent.objects.exists()


def test_the_topic_page_threads_replies(client, topic, first_post, fan, author):
    reply = services.post_reply(topic=topic, author=fan, body="Reply one", parent=first_post)
    deeper = services.post_reply(topic=topic, author=author, body="Reply two", parent=reply)
    later = services.post_reply(topic=topic, author=fan, body="To the topic")
    response = client.get(topic.get_absolute_url())
    thread = [(entry.post, entry.depth) for entry in response.context["thread"]]
    assert thread == [(first_post, 0), (reply, 1), (deeper, 2), (later, 0)]
    page = response.content.decode()
    assert f'id="post-{deeper.pk}"' in page and "in reply to" in page


def test_deep_threads_stop_indenting(client, topic, first_post, fan):
    parent = first_post
    for number in range(8):
        parent = services.post_reply(topic=topic, author=fan, body=f"R{number}", parent=parent)
    depths = [entry.depth for entry in client.get(topic.get_absolute_url()).context["thread"]]
    assert depths == [0, 1, 2, 3, 4, 4, 4, 4, 4]


def test_a_topic_of_another_article_is_a_404(client, topic, author, moderator):
    other = factories.published_article(author, moderator, title="Other article")
    response = client.get(reverse("talk:topic", args=[other.slug, topic.pk]))
    assert response.status_code == 404


def test_replying_to_the_topic_and_to_a_post(client, topic, first_post, fan):
    client.force_login(fan)
    response = client.post(url("reply", topic), {"body": "To the topic"})
    reply = Post.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == reply.get_absolute_url()
    assert reply.parent is None and reply.author == fan
    form_page = client.get(topic.get_absolute_url(), {"reply_to": first_post.pk}).content.decode()
    assert f'name="parent" value="{first_post.pk}"' in form_page
    client.post(url("reply", topic), {"body": "To the post", "parent": first_post.pk})
    assert Post.objects.latest("id").parent == first_post
    assert TopicFollow.objects.filter(user=fan, topic=topic).exists()


def test_a_bad_reply_keeps_the_text_and_the_post_it_answers(client, topic, first_post, fan):
    client.force_login(fan)
    response = client.post(
        url("reply", topic), {"body": "[" * 1_001 + " kept", "parent": first_post.pk}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert " kept</textarea>" in page
    assert f'name="parent" value="{first_post.pk}"' in page and "Replying to" in page
    assert topic.posts.count() == 1


def test_a_reply_to_a_post_elsewhere_is_refused(client, article, topic, fan):
    other = services.topic_start(article=article, author=fan, title="Other", body="B")
    client.force_login(fan)
    response = client.post(url("reply", topic), {"body": "Hi", "parent": other.posts.get().pk})
    assert response.status_code == 400
    assert topic.posts.count() == 1


def test_a_closed_topic_refuses_replies_with_a_409(client, topic, fan, moderator):
    services.topic_close(topic=topic, moderator=moderator, reason="Answered in the article.")
    client.force_login(fan)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "This topic is closed" in page and "Answered in the article." in page
    assert 'action="' + url("reply", topic) not in page
    response = client.post(url("reply", topic), {"body": "Late"})
    assert response.status_code == 409
    assert "takes no more replies" in response.content.decode()
    assert topic.posts.count() == 1


def test_following_and_unfollowing(client, topic, fan):
    client.force_login(fan)
    assert client.post(url("topic-follow", topic)).status_code == 302
    assert TopicFollow.objects.filter(user=fan, topic=topic).exists()
    assert "Unfollow this topic" in client.get(topic.get_absolute_url()).content.decode()
    client.post(url("topic-unfollow", topic))
    assert not TopicFollow.objects.filter(user=fan, topic=topic).exists()


def test_a_hidden_post_disappears_for_readers_and_fans(client, topic, first_post, moderator, fan):
    client.force_login(moderator)
    response = client.post(url("post-hide", topic, first_post.pk), {"reason": "Insults a fan."})
    assert response.status_code == 302
    event = TalkEvent.objects.get()
    assert (event.action, event.post, event.actor) == (TalkAction.HIDDEN, first_post, moderator)
    moderator_page = client.get(topic.get_absolute_url()).content.decode()
    assert "The first post." in moderator_page and "Insults a fan." in moderator_page
    assert "Show again" in moderator_page
    client.logout()
    for persona in (None, fan):
        if persona:
            client.force_login(persona)
        page = client.get(topic.get_absolute_url()).content.decode()
        assert "This post was hidden by a moderator." in page
        assert "The first post." not in page and "Insults a fan." not in page


def test_hiding_without_a_reason_asks_again(client, topic, first_post, moderator):
    client.force_login(moderator)
    response = client.post(url("post-hide", topic, first_post.pk), {"reason": "  "})
    assert response.status_code == 400
    assert 'name="reason"' in response.content.decode()
    first_post.refresh_from_db()
    assert not first_post.is_hidden and not TalkEvent.objects.exists()


def test_hiding_twice_is_a_conflict(client, topic, first_post, moderator):
    services.post_hide(post=first_post, moderator=moderator, reason="Spam")
    client.force_login(moderator)
    response = client.post(url("post-hide", topic, first_post.pk), {"reason": "Again"})
    assert response.status_code == 409
    assert TalkEvent.objects.count() == 1


def test_unhiding(client, topic, first_post, moderator):
    services.post_hide(post=first_post, moderator=moderator, reason="Spam")
    client.force_login(moderator)
    assert client.post(url("post-unhide", topic, first_post.pk)).status_code == 302
    first_post.refresh_from_db()
    assert not first_post.is_hidden
    assert TalkEvent.objects.filter(action=TalkAction.UNHIDDEN).count() == 1


def test_closing_and_reopening(client, topic, moderator):
    client.force_login(moderator)
    assert client.post(url("topic-close", topic), {"reason": "Done"}).status_code == 302
    topic.refresh_from_db()
    assert topic.is_closed and topic.close_reason == "Done"
    assert client.post(url("topic-reopen", topic), {"reason": ""}).status_code == 302
    topic.refresh_from_db()
    assert not topic.is_closed
    assert list(TalkEvent.objects.order_by("id").values_list("action", flat=True)) == [
        TalkAction.CLOSED,
        TalkAction.REOPENED,
    ]


@pytest.mark.parametrize(
    ("persona", "status"), [("anonymous", 302), ("fan", 403), ("author", 403), ("moderator", 302)]
)
def test_who_may_hide_and_close(client, request, topic, first_post, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert client.post(url("post-hide", topic, first_post.pk), {"reason": "x"}).status_code == (
        status
    )
    assert client.post(url("topic-close", topic), {"reason": "x"}).status_code == status
    first_post.refresh_from_db()
    topic.refresh_from_db()
    assert first_post.is_hidden == topic.is_closed == (persona == "moderator")
    assert TalkEvent.objects.count() == (2 if persona == "moderator" else 0)


def test_moderation_forms_are_only_for_moderators(client, topic, fan, moderator):
    client.force_login(fan)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Hide…" not in page and "Close the topic" not in page
    client.force_login(moderator)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Hide…" in page and "Close the topic" in page


def test_a_script_in_a_post_renders_inert(client, article, fan):
    client.force_login(fan)
    client.post(
        start_url(article),
        {"title": "<script>alert('t')</script>", "body": "<script>alert('b')</script> hi"},
    )
    topic = Topic.objects.get()
    for address in (topic.get_absolute_url(), topics_url(article)):
        page = client.get(address).content.decode()
        assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(" in client.get(topic.get_absolute_url()).content.decode()


def test_the_topic_page_query_count_does_not_grow(
    client, topic, first_post, fan, moderator, django_assert_max_num_queries
):
    client.force_login(moderator)
    with CaptureQueriesContext(connection) as small:
        client.get(topic.get_absolute_url())
    for number in range(10):
        services.post_reply(topic=topic, author=factories.make_user(f"r{number}"), body="x")
    services.post_hide(post=first_post, moderator=moderator, reason="x")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(topic.get_absolute_url())


def test_a_reference_marker_in_a_post_stays_as_written(article, author):
    """[@3] cites nothing in a discussion: it is text, not a link to a note that is not there."""
    from apps.talk import services

    topic = services.topic_start(
        article=article, author=author, title="Which source?", body="As [@3] says."
    )
    html = topic.posts.get().rendered_html
    assert "[@3]" in html and "cite-note" not in html and "<sup" not in html
