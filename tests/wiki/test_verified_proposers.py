"""Proposing needs a confirmed e-mail address (policy.account_refusal), everywhere alike."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.wiki import services
from apps.wiki.models import Article, Revision
from tests import factories
from tests.wiki.test_loop import citation_post

pytestmark = pytest.mark.django_db

PREVIEW_URL = "/markdownx/markdownify/"
UPLOAD_URL = "/markdownx/upload/"
MESSAGE = "Confirm your e-mail address before proposing"


@pytest.fixture
def unverified(fan):
    fan.email_verified_at = None
    fan.save()
    return fan


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")


def new_article_post(episode):
    return {
        "title": "Unverified trivia",
        "episode": str(episode.pk),
        "body": "It was filmed late.[@1]",
        "summary": "New article",
        **citation_post(
            rows=[
                {
                    "kind": "web",
                    "title": "A story",
                    "url": "https://e.example/story",
                    "quote": "It was filmed late.",
                }
            ]
        ),
    }


def test_the_new_article_page_tells_why_and_offers_the_link(client, unverified):
    client.force_login(unverified)
    response = client.get(reverse("wiki:article-create"))
    assert response.status_code == 403
    page = response.content.decode()
    assert MESSAGE in page
    assert reverse("accounts:verify-send") in page


def test_a_new_article_is_not_stored(client, unverified, episode):
    client.force_login(unverified)
    response = client.post(reverse("wiki:article-create"), new_article_post(episode))
    assert response.status_code == 403
    assert not Article.objects.filter(title="Unverified trivia").exists()


def test_the_edit_page_refuses(client, unverified, article):
    client.force_login(unverified)
    response = client.get(reverse("wiki:article-edit", args=[article.slug]))
    assert response.status_code == 403
    assert MESSAGE in response.content.decode()
    response = client.post(
        reverse("wiki:article-edit", args=[article.slug]),
        {"body": "Changed.[@1]", "summary": "x", "base_revision": article.approved_revision_id},
    )
    assert response.status_code == 403
    assert Revision.objects.filter(author=unverified).count() == 0


def test_the_editor_endpoints_refuse(client, unverified):
    client.force_login(unverified)
    preview = client.post(PREVIEW_URL, {"content": "**hi**"})
    assert preview.status_code == 403
    assert MESSAGE in preview.json()["error"]
    upload = client.post(UPLOAD_URL, {"image": png()})
    assert upload.status_code == 403


def test_the_services_refuse(unverified, article, episode):
    with pytest.raises(PermissionDenied, match=MESSAGE):
        factories.propose_article(unverified, title="Service trivia", episode=episode)
    with pytest.raises(PermissionDenied, match=MESSAGE):
        services.revision_propose(
            article=article,
            author=unverified,
            body="Changed. [@1]",
            summary="x",
            citations=[factories.cite()],
            base=article.approved_revision,
        )
    assert not Revision.objects.filter(author=unverified).exists()


def test_a_confirmed_fan_proposes(client, fan, episode):
    client.force_login(fan)
    assert client.get(reverse("wiki:article-create")).status_code == 200
    assert client.post(PREVIEW_URL, {"content": "**hi**"}).status_code == 200
    response = client.post(reverse("wiki:article-create"), new_article_post(episode))
    assert response.status_code == 302
    assert Article.objects.filter(title="Unverified trivia").exists()


def test_a_moderator_needs_no_confirmation(client, moderator):
    moderator.email_verified_at = None
    moderator.save()
    client.force_login(moderator)
    assert client.get(reverse("wiki:article-create")).status_code == 200


def test_the_rule_can_be_turned_off(client, unverified, settings):
    settings.REQUIRE_VERIFIED_EMAIL = False
    client.force_login(unverified)
    assert client.get(reverse("wiki:article-create")).status_code == 200
    assert client.post(PREVIEW_URL, {"content": "**hi**"}).status_code == 200


def test_an_account_without_an_address_is_sent_to_the_settings(client, unverified):
    unverified.email = ""
    unverified.save()
    client.force_login(unverified)
    response = client.get(reverse("wiki:article-create"))
    assert response.status_code == 403
    assert reverse("accounts:settings") in response.content.decode()


def test_anonymous_visitors_are_still_sent_to_log_in(client):
    response = client.get(reverse("wiki:article-create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(PREVIEW_URL, {"content": "x"}).status_code == 403
