"""Inline reference markers: parsing, numbering, validation, and what readers see."""

import re
import signal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.wiki import services
from apps.wiki.models import Article, StatementKind
from apps.wiki.rendering import render_markdown, render_with_references
from tests import factories
from tests.wiki.test_loop import citation_post

pytestmark = pytest.mark.django_db


def numbers(html):
    return [int(n) for n in re.findall(r'<sup class="reference" id="cite-ref-(\d+)-\d+">', html)]


def test_a_source_cited_twice_gets_one_number():
    html, refs = render_with_references("A.[@1] B.[@2] C.[@3]", {1: 50, 2: 60, 3: 50})
    assert numbers(html) == [1, 2, 1]
    assert refs.numbers_by_key == {1: 1, 2: 2, 3: 1}
    ids = re.findall(r'id="(cite-ref-[\d-]+)"', html)
    assert ids == ["cite-ref-1-1", "cite-ref-2-1", "cite-ref-1-2"]


def test_numbers_follow_reading_order_across_lists_and_tables():
    text = "- first [@3]\n\n| a | b |\n|---|---|\n| cell [@2] | x |\n\nThen prose.[@1]"
    html, refs = render_with_references(text, {1: 10, 2: 20, 3: 30})
    assert numbers(html) == [1, 2, 3]
    assert refs.numbers_by_key == {3: 1, 2: 2, 1: 3}
    assert "<li>first <sup" in html and "<td>cell <sup" in html
    assert [s.text for s in refs.statements] == ["first", "cell", "Then prose."]


@pytest.mark.parametrize(
    "text",
    ["`[@1]` in code", "```\n[@1] in a block\n```", "    [@1] indented code", r"\[@1] escaped"],
)
def test_a_marker_in_code_stays_literal(text):
    html, refs = render_with_references(text, {1: 10})
    assert "[@1]" in html
    assert numbers(html) == []
    assert refs.unused_keys() == [1]


def test_several_keys_in_one_marker():
    html, refs = render_with_references("Both agree.[@1, 2]", {1: 10, 2: 20})
    assert numbers(html) == [1, 2]
    assert refs.statements[0].keys == (1, 2)


def test_citation_needed_and_disputed_markers():
    html, refs = render_with_references(
        "Unsure. [citation needed] Contested claim. [disputed @1 @2]", {1: 10, 2: 20}
    )
    assert '<sup class="citation-needed"' in html
    assert '<sup class="disputed" id="disputed-ref-1"><a href="#disputed-1"' in html
    kinds = [(s.kind, s.text) for s in refs.statements]
    assert kinds == [("needed", "Unsure."), ("disputed", "Contested claim.")]


def test_markers_survive_the_sanitiser_but_forged_attributes_do_not():
    html, _ = render_with_references(
        'Fact.[@1] <sup class="reference" onclick="x()" id="evil">[9]</sup>', {1: 10}
    )
    assert 'class="reference" id="cite-ref-1-1"' in html
    assert 'href="#cite-note-1"' in html
    assert "onclick" not in html and 'id="evil"' not in html


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
    services.revision_approve(revision=first, moderator=moderator)
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
    services.revision_approve(revision=revision, moderator=moderator)
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
    services.revision_approve(revision=revision, moderator=moderator)
    disputed = client.get(reverse("wiki:disputed")).content.decode()
    assert "Who was first?" in disputed and "Her." in disputed and "Him." in disputed
    needed = client.get(reverse("wiki:citation-needed")).content.decode()
    assert "Unsourced claim." in needed
    article_page = client.get(article.get_absolute_url())
    assert len(article_page.context["notes"].needed) == 1
    assert "Where sources disagree" in article_page.content.decode()


def test_the_source_page_lists_the_statements_citing_it(client, article, fan, moderator):
    source = article.approved_revision.citations.get().source
    services.revision_approve(
        revision=factories.propose_edit(
            article, fan, body="Kwapis walked away.[@1]", source=source
        ),
        moderator=moderator,
    )
    page = client.get(source.get_absolute_url()).content.decode()
    assert "Kwapis walked away." in page


def test_source_page_query_count(client, author, moderator, django_assert_num_queries):
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


@pytest.fixture
def time_limit():
    """Fail fast, instead of hanging, if a pattern backtracks catastrophically."""

    def expire(signum, frame):
        raise TimeoutError("the marker patterns took too long")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(5)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    "text", ["[@1" + ",   1" * 40 + "x", "[disputed" + "   @1" * 40 + "x", "[@1" + ", @2" * 3000]
)
def test_near_markers_do_not_backtrack(time_limit, text):
    html, _ = render_with_references(text, {1: 10, 2: 20})
    assert html


def test_a_marker_inside_a_link_or_image_is_refused(client, fan):
    client.force_login(fan)
    for body in ["See [the interview [@1]](https://example.com/a).", "![photo [@1]](/x.png)"]:
        response = new_article(client, body, [dict(ROW, key="1")])
        assert response.status_code == 400
        assert "inside a link or an image" in response.content.decode()
    assert not Article.objects.exists()


def test_raw_html_cannot_pass_for_a_marker():
    forged = '<sup class="reference" id="cite-ref-7-1"><a href="#cite-note-7">[7]</a></sup>'
    html, refs = render_with_references(forged + " A.[@1] B.[@2]", {1: 10, 2: 20})
    assert 'id="cite-ref-7-1"' not in html
    assert numbers(html) == [1, 2]
    assert refs.numbers_by_key == {1: 1, 2: 2}


def test_keys_in_one_marker_are_distinct_and_few():
    html, refs = render_with_references("Fact.[@1, 1, 1]", {1: 10})
    assert numbers(html) == [1]
    assert refs.uses_by_key == {1: 1}
    _, refs = render_with_references("Fact.[@" + ", ".join(str(n) for n in range(1, 13)) + "]", {})
    assert any("at most 10" in problem for problem in refs.problems)


@pytest.mark.parametrize("marker", ["[disputed]", "[disputed @1]"])
def test_a_dispute_needs_two_sides(marker):
    _, refs = render_with_references(f"Claim. {marker}", {1: 10})
    assert any("each side" in problem for problem in refs.problems)


def test_a_statement_starts_after_the_previous_marker():
    _, refs = render_with_references(
        "Fact one [@1] and fact two [@2]. X is true [citation needed] and Y [@1].", {1: 10, 2: 20}
    )
    assert [s.text for s in refs.statements] == ["Fact one", "and fact two", "X is true", "and Y"]


def test_the_preview_numbers_markers_by_citation_key():
    html = render_markdown("Later.[@3] Earlier.[@1]")
    assert numbers(html) == [3, 1]


def test_two_citations_of_one_source_in_one_marker_show_one_number():
    html, refs = render_with_references("Both.[@6, 7] Again.[@7]", {6: 10, 7: 10})
    assert numbers(html) == [1, 1]
    assert refs.unused_keys() == [] and not refs.problems
