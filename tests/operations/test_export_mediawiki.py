"""export_mediawiki: the wiki as a schema-0.11 MediaWiki export that import_mediawiki
reads back to the same pages: every approved version's text and citations, its authors,
dates, categories, episode and redirects."""

import io
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.management import call_command

from apps.citations.models import SourceKind
from apps.markup import renumber_markers
from apps.operations.mediawiki.dump import Dump, SiteInfo
from apps.operations.mediawiki.export import dropped_provenance, export_dump, revision_wikitext
from apps.operations.mediawiki.wikitext import convert
from apps.wiki.models import Article, Redirect, Revision, RevisionStatus
from tests import factories

pytestmark = pytest.mark.django_db

DUMPS = Path(__file__).parent / "mediawiki_dumps"
NS = "{http://www.mediawiki.org/xml/export-0.11/}"
SOURCE_FIELDS = (
    "kind",
    "title",
    "url",
    "archive_url",
    "author",
    "publisher",
    "published_date",
    "accessed_date",
)
# The order of a revision's elements in export-0.11.xsd (RevisionType).
REVISION_ORDER = ["id", "parentid", "timestamp", "contributor", "comment", "origin", "model",
                  "format", "text", "sha1"]  # fmt: skip
PAGE_ORDER = ["title", "ns", "id", "redirect", "revision"]


@pytest.fixture
def wiki(author, moderator):
    """The fan wiki imported, and an article written here with what the dialect has."""
    call_command(
        "import_mediawiki",
        str(DUMPS / "fan-wiki.xml"),
        "--show",
        "The Office",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    source = factories.make_source("Behind the kiss", url="https://example.com/kiss")
    other = factories.make_source("The untold story", kind=SourceKind.BOOK)
    body = (
        "## Filming\n\nThe kiss took *one* take, with **no** rehearsal.[@2] "
        "Some say two.[disputed @1 @2] **It was late.[@1]**\n\n"
        "- Shot at night [[Casino Night|that evening]].[citation needed]\n"
        "- Stars, brackets \\[\\[like these\\]\\] and a 5 \\* rating.\n\n"
        "> A quoted line.\n\n"
        "| Scene | Takes |\n| --- | --- |\n| Kiss | 1 |\n\n"
        "!!! spoiler S03E05\n    Later they marry.[@1]\n\n"
        "See [the recap](https://example.com/recap) and <https://example.com/more>."
    )
    citations = [factories.cite(source, key=1), factories.cite(other, key=2, locator="p. 12")]
    revision = services_create(author, body, citations)
    return revision


def services_create(author, body, citations):
    from apps.moderation import services as moderation
    from apps.wiki import services

    revision = services.article_create(
        author=author,
        title="Filming the kiss",
        body=body,
        summary="New article",
        citations=citations,
        categories="Behind the scenes|Kiss",
    )
    moderation.revision_approve(
        revision=revision, moderator=factories.make_user("mod2", moderator=True)
    )
    return revision


def canonical(body: str) -> str:
    """A body with its citation keys numbered by first use (what a round trip keeps)."""
    order: dict[int, int] = {}
    for keys in re.findall(r"\[(?:@|disputed)([^\]]*)\]", body):
        for key in re.findall(r"\d+", keys):
            order.setdefault(int(key), len(order) + 1)
    return renumber_markers(body, order).strip()


def test_every_approved_version_reads_back_to_its_text_and_citations(wiki):
    revisions = Revision.objects.filter(status=RevisionStatus.APPROVED).select_related(
        "article__episode__season__show"
    )
    assert revisions.count() == 11
    for revision in revisions:
        citations = {c.key: c for c in revision.citations.select_related("source")}
        text = revision_wikitext(revision, citations)
        back = convert(text, SiteInfo())
        expected = dropped_provenance(revision.body, citations)
        assert canonical(back.body) == canonical(expected), revision.article.title
        # The same sources, with what each citation says of them.
        cited = " ".join(re.findall(r"\[(?:@|disputed)[^\]]*\]", expected))
        mine = [
            (
                tuple(
                    str(getattr(c.source, name))
                    if name == "kind"
                    else getattr(c.source, name) or None
                    for name in SOURCE_FIELDS
                ),
                c.quote,
                c.locator,
            )
            for c in citations.values()
            if re.search(rf"\b{c.key}\b", cited)
        ]
        theirs = [
            (
                tuple(
                    str(ref.kind) if name == "kind" else ref.fields.get(name)
                    for name in SOURCE_FIELDS
                ),
                ref.quote,
                ref.locator,
            )
            for ref in back.references
        ]
        assert sorted(map(repr, theirs)) == sorted(map(repr, mine)), revision.article.title
        assert [f"{n}|{k}" if k else n for n, k in back.categories] == [
            line for line in revision.categories.splitlines() if line
        ]
        episode = revision.article.episode
        if episode is not None:
            assert (back.episode.season, back.episode.number) == (
                episode.season.number,
                episode.number,
            )
            assert back.episode.series == episode.season.show.title


def test_the_file_is_a_schema_0_11_export_the_importer_reads(wiki, tmp_path):
    path = tmp_path / "wiki.xml"
    call_command("export_mediawiki", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{NS}mediawiki" and root.get("version") == "0.11"
    pages = root.findall(f"{NS}page")
    for page in pages:
        tags = [child.tag.removeprefix(NS) for child in page]
        assert tags == sorted(tags, key=PAGE_ORDER.index)
        for revision in page.findall(f"{NS}revision"):
            order = [child.tag.removeprefix(NS) for child in revision]
            assert order == sorted(order, key=REVISION_ORDER.index)
            assert {
                "id",
                "timestamp",
                "contributor",
                "comment",
                "origin",
                "model",
                "format",
                "text",
                "sha1",
            } <= set(order)
    ids = [page.findtext(f"{NS}id") for page in pages]
    assert len(ids) == len(set(ids))
    revision_ids = [r.findtext(f"{NS}id") for r in root.iter(f"{NS}revision")]
    assert len(revision_ids) == len(set(revision_ids))
    with open(path, "rb") as stream:
        read = {
            page.title: (page.namespace, page.redirect, len(list(page.revisions)))
            for page in Dump(stream)
        }
    published = Article.objects.published()
    assert {t: r[2] for t, r in read.items() if r[1] is None} == {
        a.title: a.revisions.filter(status=RevisionStatus.APPROVED).count() for a in published
    }
    assert read["Category:Characters"][0] == 14
    assert {t: r[1] for t, r in read.items() if r[1]} == {
        r.title: r.article.title for r in Redirect.objects.select_related("article")
    }


def test_the_export_reads_a_chunk_of_versions_at_a_time_not_a_page(
    wiki, django_assert_max_num_queries
):
    # Five published articles, 11 versions, 3 redirects: the queries do not grow with them.
    with django_assert_max_num_queries(6):
        export_dump(io.BytesIO())
