"""Inline reference markers: parsing, numbering, validation, and what readers see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.models import Article, StatementKind
from tests import factories
from tests.wiki.test_loop import citation_post

pytestmark = pytest.mark.django_db


def new_article(client, body, rows):
    data = {"title": "Marker test", "body": body, "summary": "New", **citation_post(rows=rows)}
    return client.post(reverse("wiki:article-create"), data)


ROW = {"kind": "web", "title": "A source", "locator": "p. 1"}


def test_a_marker_naming_no_citation_is_refused_next_to_the_text(client, fan):
    client.force_login(fan)
    response = new_article(client, "Fact.[@1] Other.[@7]", [dict(ROW, key="1")])
    assert response.status_code == 400
    errors = response.context["form"].errors["body"]
    assert any("[@7] names no citation" in e for e in errors)
    assert "Fact.[@1] Other.[@7]" in response.content.decode()
    assert not Article.objects.exists()


def test_an_unused_citation_is_refused_next_to_its_row(client, fan):
    client.force_login(fan)
    rows = [dict(ROW, key="1"), dict(ROW, key="2", title="Another", locator="p. 2")]
    response = new_article(client, "Only one fact.[@1]", rows)
    assert response.status_code == 400
    second = response.context["formset"].forms[1]
    assert any("Citation 2 is not used" in e for e in second.non_field_errors())
    assert not response.context["formset"].forms[0].non_field_errors()
    assert not Article.objects.exists()


def test_markers_and_statements_are_stored(author, moderator):
    source = factories.make_source("Shared book", kind="book")
    revision = services.article_create(
        author=author,
        title="Stored",
        body="One.[@1] Two.[@2] Unsure. [citation needed] Split. [disputed @1 @2]",
        summary="New",
        citations=[
            factories.cite(source, locator="p. 3", key=1),
            factories.cite(source, locator="p. 9", key=2),
        ],
    )
    citations = {c.key: c for c in revision.citations.all()}
    assert {c.number for c in citations.values()} == {1}
    # The disputed marker names both keys, but one source shows one number there.
    assert (citations[1].uses, citations[2].uses) == (2, 1)
    kinds = list(revision.statements.values_list("kind", "text"))
    assert kinds == [
        ("cited", "One."),
        ("cited", "Two."),
        ("needed", "Unsure."),
        ("disputed", "Split."),
    ]
    disputed = revision.statements.get(kind=StatementKind.DISPUTED)
    assert set(disputed.citations.values_list("key", flat=True)) == {1, 2}


def test_an_old_statement_keeps_its_age(article, fan, moderator):
    first = factories.propose_edit(article, fan, body="Unclear. [citation needed] Fact.[@1]")
    moderation.revision_approve(revision=first, moderator=moderator)
    marked = first.statements.get(kind="needed").since
    second = factories.propose_edit(article, fan, body="Unclear. [citation needed] Fact!![@1]")
    assert second.statements.get(kind="needed").since == marked


def test_the_article_shows_numbered_references_with_backlinks(client, author, moderator):
    book = factories.make_source("The book", kind="book")
    revision = services.article_create(
        author=author,
        title="Reader view",
        body="First.[@1] Second.[@2] Third.[@3]",
        summary="New",
        citations=[
            factories.cite(book, locator="p. 1", key=1),
            factories.cite(factories.make_source("Podcast", kind="podcast"), locator="3:10", key=2),
            factories.cite(book, locator="p. 40", key=3),
        ],
    )
    moderation.revision_approve(revision=revision, moderator=moderator)
    response = client.get(revision.article.get_absolute_url())
    references = response.context["notes"].references
    assert [(r.number, r.source.title) for r in references] == [(1, "The book"), (2, "Podcast")]
    assert [anchor for anchor, _ in references[0].backlinks] == ["cite-ref-1-1", "cite-ref-1-2"]
    page = response.content.decode()
    assert 'id="cite-note-1"' in page and 'href="#cite-ref-1-2"' in page
    assert "p. 40" in page


def test_disputed_and_needed_lists(client, article, fan, moderator):
    other = factories.make_source("Other view")
    revision = services.revision_propose(
        article=article,
        author=fan,
        body="Who was first? [disputed @1 @2] Unsourced claim. [citation needed]",
        summary="Flags",
        citations=[
            factories.cite(article.approved_revision.citations.get().source, quote="Him.", key=1),
            factories.cite(other, quote="Her.", key=2),
        ],
        base=article.approved_revision,
    )
    pending_page = client.get(reverse("wiki:disputed")).content.decode()
    assert "Who was first?" not in pending_page  # not approved yet
    moderation.revision_approve(revision=revision, moderator=moderator)
    disputed = client.get(reverse("wiki:disputed")).content.decode()
    assert "Who was first?" in disputed and "Her." in disputed and "Him." in disputed
    needed = client.get(reverse("wiki:citation-needed")).content.decode()
    assert "Unsourced claim." in needed
    article_page = client.get(article.get_absolute_url())
    assert len(article_page.context["notes"].needed) == 1
    assert "Where sources disagree" in article_page.content.decode()


def test_the_source_page_lists_the_statements_citing_it(client, article, fan, moderator):
    source = article.approved_revision.citations.get().source
    moderation.revision_approve(
        revision=factories.propose_edit(
            article, fan, body="Kwapis walked away.[@1]", source=source
        ),
        moderator=moderator,
    )
    page = client.get(source.get_absolute_url()).content.decode()
    assert "Kwapis walked away." in page


def test_source_page_query_count(client, author, moderator, django_assert_num_queries, settings):
    settings.PAGE_CACHE_SECONDS = 0  # what the page itself costs, not the cache
    source = factories.make_source("Popular source")
    factories.published_article(author, moderator, title="Article 0", source=source)
    url = source.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(1, 8):
        factories.published_article(author, moderator, title=f"Article {n}", source=source)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["citations"]) == 8


def test_a_marker_inside_a_link_or_image_is_refused(client, fan):
    client.force_login(fan)
    for body in [
        "See [the interview [@1]](https://example.com/a).",
        "![photo [@1]](/media/uploads/x.png)",
    ]:
        response = new_article(client, body, [dict(ROW, key="1")])
        assert response.status_code == 400
        assert "inside a link or an image" in response.content.decode()
    assert not Article.objects.exists()
