"""Talk about an unpublished proposal belongs to that proposal (issue 23, weakness 7).

Proposing the same title as an unpublished article used to let a fan read the
creator's talk topics, and once another version was published, the talk about
the rejected text became public.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from apps.moderation import services as moderation
from apps.notifications.models import Notification
from apps.talk import services as talk
from apps.wiki.models import Follow
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "Between us: my draft leans on a rumour."


@pytest.fixture
def two_proposals(author, fan):
    """The author's creation waits; the fan proposes the same title beside it."""
    first = factories.propose_article(author, body="Their text. [@1]")
    second = factories.propose_article(fan, body="My text. [@1]")
    assert second.article == first.article
    return first, second


@pytest.fixture
def private_topic(two_proposals, author):
    first, _ = two_proposals
    return talk.topic_start(article=first.article, author=author, title="My sources", body=SECRET)


def talk_page(client, article):
    return client.get(reverse("talk:topics", args=[article.url_slug]))


def test_a_competing_proposer_does_not_see_the_creators_talk(
    client, two_proposals, private_topic, author, fan
):
    first, second = two_proposals
    assert private_topic.proposal == first
    client.force_login(fan)
    page = talk_page(client, first.article)
    assert page.status_code == 200
    assert "My sources" not in page.content.decode()
    assert client.get(private_topic.get_absolute_url()).status_code == 404
    with pytest.raises(PermissionDenied):
        talk.post_reply(topic=private_topic, author=fan, body="Let me in.")
    # Their own topic is theirs.
    own = talk.topic_start(article=first.article, author=fan, title="Mine", body="Hello.")
    assert own.proposal == second
    client.force_login(author)
    assert "Mine" not in talk_page(client, first.article).content.decode()
    assert "My sources" in talk_page(client, first.article).content.decode()


def test_when_another_version_is_published_the_rejected_ones_talk_stays_private(
    client, two_proposals, private_topic, moderator, fan
):
    first, second = two_proposals
    moderation.revision_reject(revision=first, moderator=moderator, reason="Unsourced rumour")
    moderation.revision_approve(revision=second, moderator=moderator)
    article = second.article
    for reader in (Client(), client):
        if reader is client:
            client.force_login(fan)
        page = talk_page(reader, article)
        assert page.status_code == 200
        assert "My sources" not in page.content.decode()
        assert reader.get(private_topic.get_absolute_url()).status_code == 404
    api = Client().get(f"/api/v1/articles/{article.slug}/talk")
    assert api.status_code == 200
    assert api.json()["items"] == []
    assert (
        Client().get(f"/api/v1/articles/{article.slug}/talk/{private_topic.pk}").status_code == 404
    )
    # Moderators still read it (it is on the record).
    client.force_login(moderator)
    assert "My sources" in talk_page(client, article).content.decode()


def test_the_talk_of_the_published_proposal_becomes_everyones(
    two_proposals, private_topic, moderator
):
    first, second = two_proposals
    moderation.revision_approve(revision=first, moderator=moderator)
    page = talk_page(Client(), first.article)
    assert "My sources" in page.content.decode()


def test_a_reply_in_a_private_topic_tells_only_who_may_read_it(
    two_proposals, private_topic, author, fan, moderator, django_capture_on_commit_callbacks
):
    article = two_proposals[0].article
    Follow.objects.create(user=fan, article=article)
    Follow.objects.create(user=moderator, article=article)
    with django_capture_on_commit_callbacks(execute=True):
        talk.post_reply(topic=private_topic, author=author, body="More on my sources.")
    assert not Notification.objects.filter(user=fan).exists()
    assert Notification.objects.filter(user=moderator).exists()
