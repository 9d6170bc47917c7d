"""One rule for every write: what holds for a proposal holds for a talk post and a review
comment (issue 23, weaknesses 3 and 6)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.models import User
from apps.moderation import services as moderation
from apps.moderation.models import ReviewComment
from apps.talk import services as talk
from apps.talk.models import Post, Topic
from tests import factories

pytestmark = pytest.mark.django_db

LINKS = " ".join(f"[site {n}](https://example{n}.com/page)" for n in range(5))


@pytest.fixture
def banned(settings):
    settings.SPAM_BANNED_DOMAINS = ["casino.example"]


@pytest.fixture
def proposal(article, fan):
    return factories.propose_edit(article, fan, body="New text. [@1]")


def start_topic(article, author, body):
    return talk.topic_start(article=article, author=author, title="A question", body=body)


def test_a_banned_domain_is_refused_in_talk_and_review_comments(
    banned, article, fan, proposal, client
):
    body = "Play at [this](https://www.casino.example/x)."
    with pytest.raises(ValidationError, match="Links to casino.example are not allowed"):
        start_topic(article, fan, body)
    with pytest.raises(ValidationError, match="Links to casino.example are not allowed"):
        moderation.thread_start(revision=proposal, user=fan, body=body)
    client.force_login(fan)
    page = client.post(
        reverse("talk:topic-start", args=[article.slug]), {"title": "Hi", "body": body}
    )
    assert page.status_code == 400
    assert "Links to casino.example are not allowed" in page.content.decode()
    assert not Topic.objects.exists() and not Post.objects.exists()
    assert not ReviewComment.objects.exists()


def test_a_new_account_may_not_post_a_dozen_links_in_talk_either(article, fan, proposal):
    with pytest.raises(ValidationError, match="at most"):
        start_topic(article, fan, LINKS)
    with pytest.raises(ValidationError, match="at most"):
        moderation.thread_start(revision=proposal, user=fan, body=LINKS)
    assert not Post.objects.exists() and not ReviewComment.objects.exists()


def test_moderators_are_exempt_as_for_proposals(banned, article, moderator, proposal):
    start_topic(article, moderator, "A bad site: [this](https://www.casino.example/x).")
    moderation.thread_start(revision=proposal, user=moderator, body=LINKS)
    assert Post.objects.count() == 1 and ReviewComment.objects.count() == 1


def test_an_address_no_longer_confirmed_cannot_comment_on_its_own_proposal(
    fan, proposal, moderator, client
):
    thread = moderation.thread_start(revision=proposal, user=moderator, body="Why?")
    User.objects.filter(pk=fan.pk).update(email_verified_at=None)
    fan.refresh_from_db()
    with pytest.raises(PermissionDenied, match="Confirm your e-mail address"):
        moderation.thread_reply(thread=thread, user=fan, body="Because.")
    with pytest.raises(PermissionDenied, match="Confirm your e-mail address"):
        moderation.thread_start(revision=proposal, user=fan, body="Also this.")
    client.force_login(fan)
    response = client.post(
        reverse("moderation:thread-reply", args=[thread.pk]), {"body": "Because."}
    )
    assert response.status_code in (403, 302)
    assert ReviewComment.objects.filter(author=fan).count() == 0
