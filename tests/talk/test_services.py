"""The talk services: each rule, each refusal, and what is stored after each."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.talk import services
from apps.talk.models import Post, TalkAction, TalkEvent, Topic, TopicFollow
from apps.web.usertext import MAX_REASON_LENGTH
from tests import factories

pytestmark = pytest.mark.django_db


def test_starting_a_topic_stores_it_with_its_first_post(article, fan):
    topic = services.topic_start(article=article, author=fan, title="  Sources?  ", body="*Why*")
    topic.refresh_from_db()
    assert topic.title == "Sources?"
    assert topic.created_by == fan and topic.article == article and not topic.is_closed
    [post] = topic.posts.all()
    assert post.author == fan and post.parent is None and post.body == "*Why*"
    assert post.rendered_html == "<p><em>Why</em></p>"
    assert TopicFollow.objects.filter(user=fan, topic=topic).exists()


@pytest.mark.parametrize(
    ("title", "body", "field", "message"),
    [
        ("", "Body", "title", "cannot be empty"),
        ("   ", "Body", "title", "cannot be empty"),
        ("x" * 201, "Body", "title", "too long"),
        ("Title", "", "body", "cannot be empty"),
        ("Title", " \n\t", "body", "cannot be empty"),
        ("Title", "x" * 20_001, "body", "too long (20,001 characters; at most 20,000)"),
        ("Title", "a\x00b", "body", "NUL"),
        ("Ti\x00tle", "Body", "title", "NUL"),
        ("Title", "bad \ufffd bytes", "body", "not valid UTF-8"),
        ("Title", ">" * 20, "body", "nested too deeply"),
        ("Title", "[" * 1_001, "body", "too many “[”"),
    ],
)
def test_bad_input_is_refused_by_field(article, fan, title, body, field, message):
    with pytest.raises(ValidationError) as refused:
        services.topic_start(article=article, author=fan, title=title, body=body)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Topic.objects.exists() and not Post.objects.exists()


def test_unverified_accounts_wait_as_for_proposals(article, fan, settings):
    settings.REQUIRE_VERIFIED_EMAIL = True
    fan.email_verified_at = None
    fan.save()
    with pytest.raises(PermissionDenied, match="Confirm your e-mail"):
        services.topic_start(article=article, author=fan, title="T", body="B")
    settings.REQUIRE_VERIFIED_EMAIL = False
    services.topic_start(article=article, author=fan, title="T", body="B")
    assert Topic.objects.count() == 1


def test_blocked_accounts_cannot_post(topic, fan):
    fan.is_active = False
    fan.save()
    with pytest.raises(PermissionDenied):
        services.post_reply(topic=topic, author=fan, body="Hello")
    assert topic.posts.count() == 1


def test_an_unpublished_article_is_for_those_who_may_open_it(author, fan, moderator):
    unpublished = factories.propose_article(author, title="Booze Cruise").article
    with pytest.raises(PermissionDenied, match="awaiting review"):
        services.topic_start(article=unpublished, author=fan, title="T", body="B")
    services.topic_start(article=unpublished, author=author, title="T", body="B")
    services.topic_start(article=unpublished, author=moderator, title="T2", body="B")
    assert Topic.objects.filter(article=unpublished).count() == 2


def test_a_reply_threads_under_its_parent_and_follows(topic, first_post, fan):
    before = topic.last_activity_at
    reply = services.post_reply(topic=topic, author=fan, body="Me", parent=first_post)
    reply.refresh_from_db()
    topic.refresh_from_db()
    assert reply.parent == first_post and reply.topic == topic
    assert topic.last_activity_at >= before and topic.last_activity_at == reply.created_at
    assert TopicFollow.objects.filter(user=fan, topic=topic).exists()
    services.post_reply(topic=topic, author=fan, body="Again")
    assert TopicFollow.objects.filter(user=fan, topic=topic).count() == 1


def test_a_reply_to_a_post_of_another_topic_is_refused(article, topic, fan):
    other = services.topic_start(article=article, author=fan, title="Other", body="B")
    with pytest.raises(ValidationError) as refused:
        services.post_reply(topic=topic, author=fan, body="Hi", parent=other.posts.get())
    assert "parent" in refused.value.message_dict
    assert topic.posts.count() == 1


def test_a_closed_topic_refuses_replies(topic, fan, moderator):
    services.topic_close(topic=topic, moderator=moderator, reason="Settled.")
    with pytest.raises(services.TalkConflict, match="closed"):
        services.post_reply(topic=topic, author=fan, body="Late")
    assert topic.posts.count() == 1


def test_a_stale_topic_object_still_sees_the_close(topic, fan, moderator):
    """The reply reads the topic again under its lock, not the copy it was given."""
    stale = Topic.objects.get(pk=topic.pk)
    services.topic_close(topic=topic, moderator=moderator, reason="Settled.")
    assert not stale.is_closed
    with pytest.raises(services.TalkConflict):
        services.post_reply(topic=stale, author=fan, body="Late")


def test_closing_and_reopening_stamp_and_record(topic, moderator):
    services.topic_close(topic=topic, moderator=moderator, reason=" Off topic. ")
    topic.refresh_from_db()
    assert topic.is_closed and topic.closed_by == moderator and topic.close_reason == "Off topic."
    services.topic_reopen(topic=topic, moderator=moderator)
    topic.refresh_from_db()
    assert not topic.is_closed and topic.closed_by is None and topic.close_reason == ""
    events = list(TalkEvent.objects.order_by("id").values_list("action", "reason", "post"))
    assert events == [(TalkAction.CLOSED, "Off topic.", None), (TalkAction.REOPENED, "", None)]


def test_closing_twice_or_reopening_an_open_topic_is_a_conflict(topic, moderator):
    with pytest.raises(services.TalkConflict):
        services.topic_reopen(topic=topic, moderator=moderator)
    services.topic_close(topic=topic, moderator=moderator, reason="Done.")
    with pytest.raises(services.TalkConflict):
        services.topic_close(topic=topic, moderator=moderator, reason="Again.")
    assert TalkEvent.objects.count() == 1


def test_hiding_needs_a_reason_and_writes_a_record(first_post, moderator):
    for reason in ("", "   ", "a\x00b", "x" * (MAX_REASON_LENGTH + 1)):
        with pytest.raises(ValidationError) as refused:
            services.post_hide(post=first_post, moderator=moderator, reason=reason)
        assert "reason" in refused.value.message_dict
    services.post_hide(post=first_post, moderator=moderator, reason="Personal attack.")
    first_post.refresh_from_db()
    assert first_post.is_hidden and first_post.hidden_by == moderator
    assert first_post.hidden_reason == "Personal attack."
    event = TalkEvent.objects.get()
    assert (event.action, event.post, event.actor, event.reason) == (
        TalkAction.HIDDEN, first_post, moderator, "Personal attack."
    )  # fmt: skip
    assert event.article_id == first_post.topic.article_id


def test_unhiding_clears_the_stamp(first_post, moderator):
    services.post_hide(post=first_post, moderator=moderator, reason="Spam?")
    with pytest.raises(services.TalkConflict):
        services.post_hide(post=first_post, moderator=moderator, reason="Again")
    services.post_unhide(post=first_post, moderator=moderator, reason="Not spam.")
    first_post.refresh_from_db()
    assert not first_post.is_hidden and first_post.hidden_reason == ""
    with pytest.raises(services.TalkConflict):
        services.post_unhide(post=first_post, moderator=moderator)
    assert list(TalkEvent.objects.order_by("id").values_list("action", flat=True)) == [
        TalkAction.HIDDEN,
        TalkAction.UNHIDDEN,
    ]


@pytest.mark.parametrize("persona", ["fan", "author"])
def test_only_moderators_moderate(request, topic, first_post, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.post_hide(post=first_post, moderator=user, reason="No")
    with pytest.raises(PermissionDenied):
        services.topic_close(topic=topic, moderator=user, reason="No")
    first_post.refresh_from_db()
    topic.refresh_from_db()
    assert not first_post.is_hidden and not topic.is_closed
    assert not TalkEvent.objects.exists()


def test_follow_and_unfollow(topic, fan):
    services.topic_follow(topic=topic, user=fan)
    services.topic_follow(topic=topic, user=fan)
    assert TopicFollow.objects.filter(user=fan, topic=topic).count() == 1
    services.topic_unfollow(topic=topic, user=fan)
    services.topic_unfollow(topic=topic, user=fan)
    assert not TopicFollow.objects.filter(user=fan, topic=topic).exists()


def test_moderation_records_are_append_only(first_post, moderator):
    services.post_hide(post=first_post, moderator=moderator, reason="Why not")
    event = TalkEvent.objects.get()
    event.reason = "changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


@pytest.mark.parametrize(
    "fields",
    [
        {"hidden_at": timezone.now()},  # hidden without who or why
        {"hidden_reason": "Why"},  # a reason on a shown post
    ],
)
def test_the_database_refuses_a_half_stamped_hidden_post(first_post, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=first_post.pk).update(**fields)


def test_the_database_refuses_a_closed_topic_without_a_reason(topic, moderator):
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(closed_at=timezone.now(), closed_by=moderator)


def test_the_database_refuses_a_hide_record_without_a_post_or_reason(topic, moderator):
    with pytest.raises(IntegrityError), transaction.atomic():
        TalkEvent.objects.create(
            article=topic.article, topic=topic, actor=moderator, action="hidden", reason="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        TalkEvent.objects.create(
            article=topic.article, topic=topic, actor=moderator, action="closed", reason=""
        )


def test_script_in_a_post_is_stored_inert(article, fan):
    topic = services.topic_start(
        article=article,
        author=fan,
        title="<script>alert(1)</script>",
        body='<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="alert(1)">',
    )
    html = topic.posts.get().rendered_html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html
