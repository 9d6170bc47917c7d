"""Bad input gets a clear answer, keeps what was typed, and writes nothing."""

from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.citations.models import Source
from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.models import Article, Revision, RevisionStatus
from tests import factories
from tests.wiki.test_loop import citation_post, edit_post

pytestmark = pytest.mark.django_db


def new_article_post(**overrides):
    data = {
        "title": "A new page",
        "body": "Some text. [@1]",
        "summary": "New",
        **citation_post(rows=[{"kind": "web", "title": "A source", "locator": "p. 1"}]),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("value", ["²", "1.5", "-1", "abc", "9" * 40, ""])
def test_odd_ids_in_the_query_string_are_ignored(client, article, fan, value):
    client.force_login(fan)
    assert client.get(reverse("wiki:article-create"), {"episode": value}).status_code == 200
    edit = reverse("wiki:article-edit", args=[article.slug])
    # Not an id: ignored, and the editor opens on the current text.
    response = client.get(edit, {"from": value})
    assert response.status_code == 200
    assert response.context["form"]["body"].value() == article.approved_revision.body


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://example.com:99999/a", "invalid port"),
        ("ftp://example.com/file", "Only http and https"),
        ("javascript:alert(1)", "Enter a valid URL"),
    ],
)
def test_bad_source_addresses_are_refused(client, fan, url, message):
    client.force_login(fan)
    data = new_article_post()
    data["citations-0-url"] = url
    response = client.post(reverse("wiki:article-create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Article.objects.exists() and not Source.objects.exists()


def test_the_same_page_cited_again_is_the_same_source(client, fan):
    existing = factories.make_source("The story", url="https://example.com/story", created_by=fan)
    client.force_login(fan)
    data = new_article_post()
    data["citations-0-url"] = "HTTPS://EXAMPLE.com/story/?utm_source=newsletter#top"
    assert client.post(reverse("wiki:article-create"), data).status_code == 302
    assert Source.objects.count() == 1
    assert Revision.objects.get().citations.get().source == existing


def test_a_long_query_string_is_not_made_longer(client, fan):
    client.force_login(fan)
    data = new_article_post()
    data["citations-0-url"] = "https://example.com/?q=" + "%C3%A9" * 70
    assert client.post(reverse("wiki:article-create"), data).status_code == 302
    assert Source.objects.get().url == data["citations-0-url"]


@pytest.mark.parametrize("url_name", ["wiki:search", "wiki:source-list"])
def test_nul_characters_in_searches(client, article, url_name):
    assert client.get(reverse(url_name), {"q": "orig\x00inal"}).status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("1. " * 3000, "nested at most 10 deep; line 1 is nested"),
        (">" * 99_000, "nested at most 10 deep; line 1 is nested 99,000 deep"),
        ("# h\n" * 25_000, "at most 500 lines; the one starting at line 1 has 25,000"),
        ("a\n\n" * 3001, "at most 3,000 lines (blank lines not counted); it has 3,001"),
        ("[" * 5000, "too many “[” to render: at most 1,000; it has 5,000"),
        ("(" * 2500, "too many “(” to render: at most 2,000; it has 2,500"),
        ("a<" * 5000, "too many HTML tags to render"),
    ],
)
def test_pathological_markdown_is_refused_with_a_message(client, fan, body, message):
    client.force_login(fan)
    response = client.post(reverse("wiki:article-create"), new_article_post(body=body))
    assert response.status_code == 400
    # The form again, with the fan's text and the message naming the limit.
    assert response.context["form"]["body"].value() == body
    assert any(message in error for error in response.context["form"].errors["body"])
    assert not Article.objects.exists()
    preview = client.post(reverse("markdownx-preview"), {"content": body})
    assert preview.status_code == 400
    assert message in preview.content.decode()


def test_the_service_refuses_a_pathological_body_too(fan):
    with pytest.raises(ValidationError) as refused:
        factories.propose_article(fan, title="Headings", body="# h\n" * 20_000)
    assert "at most 500 lines" in refused.value.message_dict["body"][0]
    assert not Article.objects.exists() and not Revision.objects.exists()


def test_an_edit_with_a_pathological_body_shows_the_form_again(client, article, fan):
    client.force_login(fan)
    body = "> " * 50 + "deep"
    data = edit_post(article, client, body=body, summary="Deeper")
    response = client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    assert response.status_code == 400
    assert response.context["form"]["body"].value() == body
    assert "nested at most 10 deep" in response.context["form"].errors["body"][0]
    assert article.revisions.count() == 1


def test_too_many_citation_rows(client, fan):
    client.force_login(fan)
    data = new_article_post()
    data["citations-TOTAL_FORMS"] = "1030"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("wiki:article-create"), data)
    assert response.status_code == 400
    assert "at most 30" in response.content.decode()
    assert len(queries) < 40
    assert not Article.objects.exists()


def test_broken_management_form(client, fan):
    client.force_login(fan)
    data = new_article_post()
    del data["citations-TOTAL_FORMS"]
    response = client.post(reverse("wiki:article-create"), data)
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_an_unknown_or_hidden_source_id(client, article, fan):
    hidden = factories.make_source("Someone else's unreviewed source")
    client.force_login(fan)
    for value in ["999999", str(hidden.pk), "abc"]:
        data = new_article_post()
        data["citations-0-title"] = ""
        data["citations-0-source"] = value
        response = client.post(reverse("wiki:article-create"), data)
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
    assert Article.objects.count() == 1  # only the fixture's


def test_an_unknown_episode(client, fan):
    client.force_login(fan)
    response = client.post(reverse("wiki:article-create"), new_article_post(episode="424242"))
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_a_reserved_title(client, fan):
    client.force_login(fan)
    response = client.post(reverse("wiki:article-create"), new_article_post(title="New"))
    assert response.status_code == 400
    assert "reserved" in response.content.decode()


def test_a_duplicate_title_keeps_the_text(client, article, fan):
    client.force_login(fan)
    data = new_article_post(title=article.title, body="My careful text")
    response = client.post(reverse("wiki:article-create"), data)
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert "My careful text" in response.content.decode()
    assert Article.objects.count() == 1


def test_an_edit_against_a_stale_base_keeps_the_text(client, article, fan, moderator):
    client.force_login(fan)
    data = edit_post(article, client, body="My edit, typed slowly [@1]", summary="Slow edit")
    services_edit = factories.propose_edit(article, factories.make_user("quick"), body="Quick")
    moderation.revision_approve(revision=services_edit, moderator=moderator)
    url = reverse("wiki:article-edit", args=[article.slug])
    response = client.post(url, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed while you were editing" in page
    assert "My edit, typed slowly" in page
    assert not Revision.objects.filter(author=fan).exists()
    # The form now points at the current text: submitting again goes through.
    form = response.context["form"]
    data["base_revision"] = form.data["base_revision"]
    assert client.post(url, data).status_code == 302
    proposal = Revision.objects.get(author=fan)
    assert proposal.status == RevisionStatus.PENDING
    assert proposal.base_id == services_edit.pk


def test_the_edit_page_query_count_does_not_grow_with_citations(client, article, fan):
    client.force_login(fan)
    url = reverse("wiki:article-edit", args=[article.slug])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(20):
        factories.make_source(f"Extra {number}", created_by=fan)
    citations = [factories.cite(locator=f"p. {n}") for n in range(8)]
    services.revision_propose(
        article=article,
        author=fan,
        body=factories.with_markers("More citations", citations),
        summary="More",
        citations=citations,
        base=article.approved_revision,
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [("book", "112", "p. 112"), ("book", "12-14", "pp. 12–14"), ("podcast", "34:10", "34:10")],
)
def test_locators_are_written_the_way_their_kind_expects(client, fan, kind, typed, stored):
    client.force_login(fan)
    data = new_article_post()
    data.update({"citations-0-kind": kind, "citations-0-locator": typed})
    assert client.post(reverse("wiki:article-create"), data).status_code == 302
    assert Revision.objects.get().citations.get().locator == stored


def test_a_time_written_as_a_bare_number_is_refused(client, fan):
    client.force_login(fan)
    data = new_article_post()
    data.update({"citations-0-kind": "podcast", "citations-0-locator": "34"})
    response = client.post(reverse("wiki:article-create"), data)
    assert response.status_code == 400
    assert "minutes and seconds" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "image", ["![](/media/uploads/a.png)", "![  ](/media/a.png)", '<img src="/a.png">']
)
def test_an_image_without_alt_text_is_refused(client, fan, image):
    client.force_login(fan)
    response = client.post(
        reverse("wiki:article-create"), new_article_post(body=f"{image}\n\nFact.[@1]")
    )
    assert response.status_code == 400
    assert "alt text" in response.content.decode()
    assert not Article.objects.exists()


def test_an_image_with_alt_text_is_kept(client, fan):
    client.force_login(fan)
    body = "![Pam at the reception desk](/media/uploads/a.png)\n\nFact.[@1]"
    assert (
        client.post(reverse("wiki:article-create"), new_article_post(body=body)).status_code == 302
    )
    assert 'alt="Pam at the reception desk"' in Revision.objects.get().rendered_html


INVALID_UTF8 = "bytes that are not valid UTF-8"


def test_invalid_utf8_in_a_body_is_refused_not_stored_mangled(client, fan):
    client.force_login(fan)
    data = new_article_post()
    data.pop("body")
    # What a browser sends for text that is not UTF-8: the byte 0xFF, percent-encoded.
    raw = urlencode(data) + "&body=Caf%FF+scene.+%5B%401%5D"
    response = client.post(
        reverse("wiki:article-create"), raw, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert INVALID_UTF8 in response.context["form"].errors["body"][0]
    assert not Article.objects.exists() and not Revision.objects.exists()


@pytest.mark.parametrize(
    "field", ["summary", "title", "citations-0-quote", "citations-0-title", "citations-0-locator"]
)
def test_a_replacement_character_in_any_text_field_is_refused(client, fan, field):
    client.force_login(fan)
    data = new_article_post()
    data[field] = "Caf\ufffd scene"
    response = client.post(reverse("wiki:article-create"), data)
    assert response.status_code == 400
    assert INVALID_UTF8 in response.content.decode()
    assert not Article.objects.exists() and not Source.objects.exists()


def test_the_preview_refuses_invalid_utf8(client, fan):
    client.force_login(fan)
    response = client.post(reverse("markdownx-preview"), {"content": "Caf\ufffd"})
    assert response.status_code == 400
    assert INVALID_UTF8 in response.content.decode()


@pytest.mark.parametrize("field", ["title", "summary"])
@pytest.mark.parametrize("bad", ["Casino\rNight", "Casino\x1b[31mNight", "a\u2028b", "tab\there"])
def test_control_characters_in_a_title_or_summary_are_refused(client, fan, field, bad):
    """A carriage return in a title ended up in mail subjects (BadHeaderError)."""
    client.force_login(fan)
    response = client.post(reverse("wiki:article-create"), new_article_post(**{field: bad}))
    assert response.status_code == 400
    assert "without control characters or line breaks" in response.content.decode()
    assert response.context["form"][field].value() == bad
    assert not Article.objects.exists() and not Revision.objects.exists()


def test_the_services_refuse_them_too(article, fan):
    with pytest.raises(ValidationError) as refused:
        services.revision_propose(
            article=article,
            author=fan,
            body="Text. [@1]",
            summary="fix\rtypo",
            base=article.approved_revision,
            citations=[{"kind": "web", "title": "A source", "locator": "p. 1"}],
        )
    assert "summary" in refused.value.message_dict
    with pytest.raises(ValidationError):
        from apps.wiki.naming import clean_title

        clean_title("Casino\x07Night")
