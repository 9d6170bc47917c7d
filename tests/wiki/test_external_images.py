"""Images only from the site's uploads: refused in new text, dropped from old text."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.moderation import services as moderation
from apps.wiki.models import Article, Revision
from tests import factories
from tests.markup.inert import find
from tests.wiki.test_bad_input import new_article_post

pytestmark = pytest.mark.django_db

TRACKER = "https://tracker.example/p.png"
MESSAGE = f"Images must be uploaded to this site; {TRACKER} is an external image"


def test_the_editor_refuses_an_external_image_naming_it(client, fan):
    client.force_login(fan)
    body = f"![Pam at the desk]({TRACKER}) The kiss. [@1]"
    response = client.post(reverse("wiki:article-create"), new_article_post(body=body))

    assert response.status_code == 400
    assert response.context["form"]["body"].value() == body
    assert any(MESSAGE in error for error in response.context["form"].errors["body"])
    assert not Article.objects.exists()


def test_the_service_refuses_an_external_image(fan):
    with pytest.raises(ValidationError) as refused:
        factories.propose_article(fan, body=f'<img alt="Pam" src="{TRACKER}"> The kiss.')
    assert any(MESSAGE in message for message in refused.value.message_dict["body"])
    assert not Revision.objects.exists()


def test_an_uploaded_image_is_accepted(client, fan):
    revision = factories.propose_article(fan, body="![Pam at the desk](/media/uploads/p.png) Hi.")
    (image,) = find(revision.rendered_html, "img")
    assert image.attrs["src"] == "/media/uploads/p.png"


def test_an_external_image_stored_before_the_rule_is_not_shown(
    client, author, fan, moderator, monkeypatch
):
    # Text stored before images were restricted: the renderer then let the tracker through.
    with monkeypatch.context() as before_the_rule:
        before_the_rule.setattr(
            "apps.markup.rendering.upload_prefixes", lambda: ("https://tracker.example/",)
        )
        revision = factories.propose_article(author, body=f"Before ![Pam]({TRACKER}) after")
        moderation.revision_approve(revision=revision, moderator=moderator)
        edit = factories.propose_edit(revision.article, fan, body=f"Proposed ![Pam]({TRACKER})")
    assert TRACKER in revision.rendered_html and TRACKER in edit.rendered_html

    page = client.get(revision.article.get_absolute_url()).content.decode()
    assert "Before" in page and "tracker.example" not in page
    assert find(page, "img") == []
    client.force_login(moderator)
    review = client.get(reverse("moderation:review", args=[edit.pk])).content.decode()
    # The diff shows the Markdown as text; no image loads from the tracker.
    assert "Proposed" in review
    assert [i for i in find(review, "img") if "tracker" in i.attrs.get("src", "")] == []


def test_the_preview_says_an_external_image_was_left_out(client, fan):
    client.force_login(fan)
    tricky = "https://tracker.example/p.png?<b>x</b>"
    response = client.post(reverse("markdownx-preview"), {"content": f"![x]({tricky}) Text."})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<p class="notice notice-error" role="alert">Images must be uploaded' in html
    assert "<b>x</b>" not in html  # the address is escaped in the notice
    assert "<img" not in html
    assert "Text." in html
