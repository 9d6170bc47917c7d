"""import_mediawiki against dumps modelled on MediaWiki's own import test fixtures
(tests/phpunit/data/import/ in MediaWiki core; our own text, see mediawiki_dumps/README.md):
each is imported, or refused with MediaWiki's message, as MediaWiki does."""

import io
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import User
from apps.categories.models import Membership
from apps.operations.mediawiki import dump as dump_module
from apps.operations.models import ImportedRevision
from apps.wiki.models import Article, Revision, RevisionStatus

pytestmark = pytest.mark.django_db

DUMPS = Path(__file__).parent / "mediawiki_dumps"


@pytest.fixture
def test_slot_role(monkeypatch):
    """Register the extra slot role the fixtures use, as MediaWiki's tests register theirs."""
    monkeypatch.setattr(dump_module, "KNOWN_SLOT_ROLES", {"main", "episodenotes"})


def run(*names: str) -> str:
    return "".join(run_path(DUMPS / name) for name in names)


def run_path(path: Path) -> str:
    out = io.StringIO()
    call_command("import_mediawiki", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2021, 8, 1, hour, minute, tzinfo=UTC)


@pytest.mark.usefixtures("test_slot_role")
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("BadXML.xml", "The XML is broken at line 3, column 2: mismatched tag."),
        ("MissingMediaWikiTag.xml", "expected '<mediawiki>' tag, got '<sitcom>' tag."),
        ("MissingMainTextField.xml", "Missing text field in import"),
        ("MissingSlotTextField.xml", "Missing text field in import"),
        ("MissingSlotRole.xml", "Missing role for imported slot"),
        ("UndefinedSlotRole.xml", "Undefined slot role nosuchslotrole"),
        ("UnknownSlotRole.xml", "Undefined slot role nosuchslotrole"),
        (
            "UndefinedContentModel.xml",
            "The content model 'no-such-content-model' is not registered on this wiki.",
        ),
    ],
)
def test_refused_as_mediawiki_refuses_them_and_nothing_is_written(name, message):
    with pytest.raises(CommandError) as refused:
        run(name)
    assert message in str(refused.value)
    assert name in str(refused.value)
    assert not Article.objects.exists()
    assert not Revision.objects.exists()
    assert not User.objects.filter(username__contains=">").exists()


def test_a_slot_role_this_wiki_has_not_registered_is_refused():
    with pytest.raises(CommandError, match="Undefined slot role episodenotes"):
        run("Slots.import-1.xml")
    assert not Article.objects.exists()


@pytest.mark.usefixtures("test_slot_role")
@pytest.mark.parametrize(
    "name",
    [
        "Slots.import-1.xml",
        "MissingMainContentModel.import-1.xml",
        "MissingSlotContentModel.import-1.xml",
    ],
)
def test_multi_slot_revisions_import_their_main_slot(name):
    run(name)
    revision = Revision.objects.get()
    assert revision.status == RevisionStatus.APPROVED
    assert revision.article.approved_revision == revision
    assert "Imported from revision" in revision.body


def test_the_same_revision_imported_twice_is_stored_once():
    first = run("Dupes.import-1.xml")
    second = run("Dupes.import-2.xml")
    assert Revision.objects.count() == 1
    assert ImportedRevision.objects.count() == 1
    assert "revisions imported: 1; already here: 0" in first
    assert "revisions imported: 0; already here: 1" in second


def interleaved_history():
    article = Article.objects.get()
    by_time = {r.created_at: r for r in article.revisions.all()}
    return article, by_time


@pytest.mark.usefixtures("test_slot_role")
def test_interleaved_revisions_arriving_out_of_order_keep_their_own_order():
    run(*(f"Interleaved.import-{n}.xml" for n in range(1, 8)))
    article, by_time = interleaved_history()
    assert len(by_time) == 7
    # The newest by date is the one readers see, whatever order they arrived in.
    assert article.approved_revision == by_time[at(4, 30)]
    # Each version's base is the one before it in time when it arrived, as MediaWiki
    # gives each imported revision as parent the latest one at or before it.
    expected_bases = {
        at(2): at(1),
        at(3): at(2),
        at(4): at(3),
        at(1, 30): at(1),
        at(2, 30): at(2),
        at(4, 30): at(4),
    }
    for when, base in expected_bases.items():
        assert by_time[when].base == by_time[base], when
    assert by_time[at(1)].base is None


@pytest.mark.usefixtures("test_slot_role")
def test_interleaved_in_two_files_and_again_one_by_one_is_the_same_seven_revisions():
    run("InterleavedMulti.import-1.xml", "InterleavedMulti.import-2.xml")
    assert Revision.objects.count() == 7
    # The same revisions (reused and lower revision ids do not matter: page, date, text).
    output = run(*(f"Interleaved.import-{n}.xml" for n in range(1, 8)))
    assert Revision.objects.count() == 7
    assert output.count("revisions imported: 0; already here: 1") == 7
    article, by_time = interleaved_history()
    assert article.approved_revision == by_time[at(4, 30)]


def test_an_ip_editor_becomes_the_one_anonymous_placeholder():
    run("ImportAnonUserTest.xml")
    revision = Revision.objects.get()
    assert revision.author.username.endswith(">Anonymous")
    assert not revision.author.has_usable_password()
    assert revision.author.email == ""
    membership = Membership.objects.get(article=revision.article)
    assert membership.category.name == "Sitcoms"


def test_unknown_elements_and_no_siteinfo_are_passed_over():
    output = run("ImportTest.UnknownTags.xml")
    revision = Revision.objects.get()
    assert "pages imported: 1" in output
    assert revision.author.username.startswith("imported>")


def test_a_page_level_sha1_is_passed_over_and_a_second_run_adds_nothing():
    run("ImportLinkCacheIntegrationTest.xml")
    articles = list(Article.objects.values_list("pk", "title"))
    # The article, and its category's page (the category it is filed under).
    assert len(articles) == 2
    assert any(title.startswith("Category:") for _, title in articles)
    output = run("SimpleLoremIpsumImporterTest.xml")
    assert list(Article.objects.values_list("pk", "title")) == articles
    assert Revision.objects.count() == 2
    assert "already up to date: 2" in output


def test_pages_outside_the_main_namespace_are_not_articles():
    output = run("Template-!!.xml")
    assert not Article.objects.exists()
    assert "skipped: 1 pages in namespace 10" in output


def one_page_dump(tmp_path, text: str) -> Path:
    path = tmp_path / "one.xml"
    path.write_text(
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">'
        "<page><title>Long page</title><ns>0</ns><id>7</id><revision><id>70</id>"
        "<timestamp>2021-01-01T00:00:00Z</timestamp>"
        "<contributor><username>Writer</username><id>3</id></contributor>"
        f'<text xml:space="preserve">{escape(text)}</text></revision></page></mediawiki>'
    )
    return path


def test_a_text_beyond_the_renderers_limits_is_kept_folded_as_wikitext(tmp_path):
    text = "\n".join(f"* Item {n} with {{{{Template|{n}}}}} in it." for n in range(6000))
    output = run_path(one_page_dump(tmp_path, text))
    revision = Revision.objects.get()
    assert "Long page (revision 70): kept as wikitext, because" in output
    assert revision.body.startswith("*This text could not be converted")
    assert "<details><summary>The wikitext</summary>" in revision.rendered_html
    assert "* Item 0 with {{Template|0}} in it." in revision.body
    assert "The rest of this text is too long to keep here" in revision.body
    assert "Imported pages to review" in revision.categories


def test_what_was_kept_in_a_weaker_form_is_reported_once_a_page(tmp_path):
    text = '{|\n! A !! B\n|-\n| colspan="2" | wide\n|}\nA claim.<ref name="gone"/>'
    output = run_path(one_page_dump(tmp_path, text))
    assert "Kept in a weaker form:" in output
    assert "Long page: A table with merged or multi-line cells was kept as a list." in output
    assert "Long page: The reference named “gone” is used but never given." in output
    assert Revision.objects.get().body.startswith("- A · B\n- wide")
