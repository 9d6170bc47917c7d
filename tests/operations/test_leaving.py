"""Leaving the wiki: a fan downloads their data and deletes their account; what they wrote
stays, credited to a former contributor, and their name appears nowhere."""

import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from apps.api.models import ApiToken
from apps.moderation import services as moderation
from apps.notifications.models import Notification
from apps.talk import services as talk
from apps.wiki.models import ActionKind, Follow, ModeratorAction
from tests import factories
from tests.api.conftest import make_token

pytestmark = pytest.mark.django_db

NAME = "leaving-fan-7"


@pytest.fixture
def leaver(article, moderator, fan):
    user = factories.make_user(NAME)
    Follow.objects.create(user=user, article=article)
    Follow.objects.create(user=fan, article=article)
    edit = factories.propose_edit(article, user, body="Original text, with my trivia.")
    moderation.revision_approve(revision=edit, moderator=moderator)
    topic = talk.topic_start(article=article, author=user, title="My question", body="Who knew?")
    talk.post_reply(topic=topic, author=fan, body="I did.")
    moderation.thread_start(revision=factories.propose_edit(article, user, body="More."),
                            user=moderator, body="Source?")  # fmt: skip
    make_token(user, scopes=["read"])
    return user


def test_a_fan_downloads_everything_that_is_theirs(client, leaver):
    client.force_login(leaver)
    response = client.get(reverse("operations:my-data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(b"".join(response).decode() if response.streaming else response.content)
    assert data["account"]["username"] == NAME
    assert {p["summary"] for p in data["proposals"]} == {"An edit"}
    assert len(data["proposals"]) == 2
    assert [p["topic"] for p in data["talk_posts"]] == ["My question"]
    assert data["settings"]["notifications_by_email"] == "each"
    assert Client().get(reverse("operations:my-data")).status_code == 302  # log in first


def test_deleting_an_account_keeps_the_writing_and_drops_the_name(
    client, leaver, article, moderator, fan
):
    other_session = Client()
    other_session.force_login(leaver)
    client.force_login(leaver)
    url = reverse("operations:leave")
    wrong = client.post(url, {"password": "nope", "confirm": "delete my account"})
    assert wrong.status_code == 400
    leaver.refresh_from_db()
    assert leaver.username == NAME and leaver.is_active
    assert client.post(url, {"password": factories.PASSWORD, "confirm": "delete my account"})[
        "Location"
    ] == reverse("home")
    leaver.refresh_from_db()
    former = f"former-contributor-{leaver.pk}"
    assert (leaver.username, leaver.email, leaver.is_active) == (former, "", False)
    assert not leaver.has_usable_password()
    assert not ApiToken.objects.filter(user=leaver, revoked_at__isnull=True).exists()
    assert not Follow.objects.filter(user=leaver).exists()
    assert not Notification.objects.filter(user=leaver).exists()
    # Signed out everywhere: another session of theirs is no longer theirs.
    assert other_session.get(reverse("wiki:contributions")).status_code == 302
    assert ModeratorAction.objects.filter(action=ActionKind.ACCOUNT_DELETED, user=leaver).exists()

    # The name appears nowhere; the writing stays, credited to the former contributor.
    readers = {"anonymous": Client(), "moderator": Client()}
    readers["moderator"].force_login(moderator)
    topic = leaver.talk_topics.get()
    pages = [
        reverse("wiki:article-history", args=[article.slug]),
        reverse("talk:topic", args=[article.slug, topic.pk]),
        reverse("wiki:recent"),
        reverse("wiki:recent-feed"),
        f"/api/v1/articles/{article.slug}/history",
        f"/api/v1/articles/{article.slug}/talk/{topic.pk}",
    ]
    for name, reader in readers.items():
        for page in pages:
            body = reader.get(page)
            text = (b"".join(body) if body.streaming else body.content).decode()
            assert NAME not in text, (name, page)
    history = readers["anonymous"].get(pages[0]).content.decode()
    assert former in history
    audit = readers["moderator"].get(reverse("moderation:audit")).content.decode()
    assert NAME not in audit and former in audit
    assert not any(NAME in n.message for n in Notification.objects.filter(user=fan))
    out = io.StringIO()
    from django.core.management import call_command

    call_command("export_wiki", "-", stdout=out, stderr=io.StringIO())
    assert NAME not in out.getvalue()


def test_the_settings_page_shows_the_way_out(client, fan):
    client.force_login(fan)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert reverse("operations:my-data") in page and reverse("operations:leave") in page
