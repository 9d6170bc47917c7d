"""import_mediawiki with a fan wiki's dump (mediawiki_dumps/fan-wiki.xml, our own text):
episode pages with infoboxes, {{cite …}} references, named refs, categories, redirects,
files, a talk page, three revisions a page by different authors, and text written to
attack. Every revision attributed, references as structured sources, categories and
redirects working, episodes linked; the same dump twice changes nothing and a newer one
adds only what is new."""

import bz2
import gzip
import io
import json
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from apps.accounts.models import User
from apps.accounts.services import account_hand_over
from apps.catalog.models import Episode
from apps.categories.models import Category, Membership
from apps.citations.models import Source, SourceKind
from apps.operations.mediawiki.importer import IMPORTER_USERNAME, TO_REVIEW_CATEGORY
from apps.operations.mediawiki.wikitext import NO_LOCATOR
from apps.talk.models import Post, Topic
from apps.wiki.citing import rendered
from apps.wiki.models import (
    Article,
    AuditAction,
    AuditEvent,
    Citation,
    Redirect,
    RedirectKind,
    Revision,
    RevisionStatus,
)
from tests import factories

pytestmark = pytest.mark.django_db

DUMPS = Path(__file__).parent / "mediawiki_dumps"
FAN_WIKI = DUMPS / "fan-wiki.xml"
LATER = DUMPS / "fan-wiki.later.xml"


def run(path, *args) -> str:
    out = io.StringIO()
    call_command("import_mediawiki", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (
            Article,
            Revision,
            Citation,
            Source,
            User,
            Redirect,
            Membership,
            Episode,
            Topic,
            Post,
        )
    }


@pytest.fixture
def imported():
    return run(FAN_WIKI, "--show", "The Office", "--license", "CC BY-SA 3.0")


def history(title):
    return list(Article.objects.get(title=title).revisions.order_by("created_at"))


def test_every_revision_is_imported_with_its_author_date_and_summary(imported):
    casino = history("Casino Night")
    assert [r.author.username for r in casino] == [
        "dunder>Jane Doe",
        "dunder>Bob",
        "dunder>Anonymous",
    ]
    assert [r.created_at for r in casino] == [
        datetime(2021, 5, 1, 10, tzinfo=UTC),
        datetime(2021, 5, 3, 9, 30, tzinfo=UTC),
        datetime(2021, 5, 5, 18, tzinfo=UTC),
    ]
    assert [r.summary for r in casino] == ["New page", "Trivia", "Imported revision 1003"]
    assert all(r.status == RevisionStatus.APPROVED for r in casino)
    assert [r.base for r in casino] == [None, casino[0], casino[1]]
    article = casino[0].article
    assert article.approved_revision == casino[2]
    assert article.created_at == casino[0].created_at
    assert Revision.objects.count() == 10  # and the page of the category Characters
    importer = User.objects.get(username=IMPORTER_USERNAME)
    assert {r.decided_by for r in Revision.objects.all()} == {importer}
    events = AuditEvent.objects.filter(action=AuditAction.IMPORTED)
    assert events.count() == 10 and {e.actor for e in events} == {importer}


def test_placeholder_accounts_cannot_log_in(imported):
    placeholders = User.objects.filter(username__startswith="dunder>")
    assert set(placeholders.values_list("username", flat=True)) == {
        "dunder>Jane Doe",
        "dunder>Bob",
        "dunder>Carol",
        "dunder>Anonymous",
    }
    assert not any(user.has_usable_password() for user in placeholders)
    assert not placeholders.exclude(email="").exists()
    assert not User.objects.get(username="dunder>Bob").check_password("")


def test_each_version_cites_the_origin_page_at_its_revision(imported):
    for revision in Revision.objects.all():
        provenance = revision.citations.get(source__kind=SourceKind.WIKI)
        origin = revision.imported_from
        assert provenance.locator == f"oldid={origin.rev_id}"
        assert provenance.uses == 1
        assert provenance.source.url == (
            "https://dunder.example.org/wiki/" + revision.title.replace(" ", "_")
        )
        assert provenance.source.publisher == "Dunder Wiki"
        assert f"Imported from revision {origin.rev_id} of “{revision.title}”" in revision.body
        assert "under CC BY-SA 3.0." in revision.body
    # One source per origin page, shared by its versions.
    assert Source.objects.filter(kind=SourceKind.WIKI).count() == 4


def test_references_become_structured_sources(imported):
    casino = Article.objects.get(title="Casino Night").approved_revision
    cited = {c.key: c for c in casino.citations.select_related("source")}
    nbc = cited[1].source
    assert (nbc.kind, nbc.title, nbc.publisher, nbc.url, nbc.published_date) == (
        SourceKind.WEB,
        "Casino Night",
        "NBC",
        "https://www.nbc.com/the-office/casino-night",
        date(2006, 5, 11),
    )
    assert nbc.accessed_date == date(2021, 4, 30)
    # <ref name="nbc"/> reuses the one citation.
    assert cited[1].uses == 2 and cited[1].locator == NO_LOCATOR
    book = cited[2]
    assert (book.source.kind, book.source.author, book.source.publisher, book.locator) == (
        SourceKind.BOOK,
        "Andy Greene",
        "Dutton",
        "p. 112",
    )
    assert cited[3].source.title == "Office kiss oral history"  # a bare link with its text
    episode = cited[4]
    assert (episode.source.kind, episode.locator) == (SourceKind.EPISODE, "18:32")
    assert "<references" not in casino.body and "{{cite" not in casino.body
    pam = Article.objects.get(title="Pam Beesly").approved_revision
    free = pam.citations.get(key=1).source
    assert (free.kind, free.title) == (
        SourceKind.OTHER,
        "Interview with Jenna Fischer, Fresh Air, 2007",
    )
    interview = pam.citations.get(key=2).source
    assert (interview.kind, interview.author, interview.published_date) == (
        SourceKind.INTERVIEW,
        "Jenna Fischer",
        date(2007, 3, 1),
    )
    # The same address cited on two pages (and by {{cite news}}) is one source.
    assert Source.objects.filter(url="https://www.nbc.com/the-office/casino-night").count() == 1
    dundies = Article.objects.get(title="The Dundies").approved_revision
    assert dundies.citations.get(key=1).source == nbc


def test_wikitext_becomes_the_wikis_markdown(imported):
    casino = Article.objects.get(title="Casino Night").approved_revision
    assert casino.body.startswith("**Casino Night** is the last episode of the second season.[@1]")
    assert "\n## Production\n" in casino.body
    assert (
        "- The kiss was filmed in one take.[@1]\n"
        "- Jim tells Pam he is in love with her in the parking lot.[@3]\n"
        "    - The scene was shot at night.\n"
    ) in casino.body
    assert "See also [[Booze Cruise|the cruise episode]] and [[The Dundies]].[@4]" in casino.body
    assert '<h2 id="h-production">Production</h2>' in casino.rendered_html
    dundies = Article.objects.get(title="The Dundies").approved_revision
    assert "| Award | Winner |\n| --- | --- |\n| Whitest Sneakers | Pam |" in dundies.body
    assert "<table>" in dundies.rendered_html


def test_text_written_to_attack_renders_inert(imported, client):
    pam = Article.objects.get(title="Pam Beesly")
    html = pam.approved_revision.rendered_html
    for dangerous in ("<script", "alert(1)", "onclick", 'href="javascript'):
        assert dangerous not in html
    page = client.get(pam.get_absolute_url())
    assert page.status_code == 200
    assert b"onclick" not in page.content and b"<script>alert" not in page.content


def test_categories_redirects_and_episodes(imported, client):
    casino = Article.objects.get(title="Casino Night")
    memberships = {m.category.name: m.sort_key for m in Membership.objects.filter(article=casino)}
    assert memberships == {
        "Season 2 episodes": "casino night",
        "Season finales": "casino",
        TO_REVIEW_CATEGORY: "casino night",
    }
    # Redirects (a chain, and one to a section) became other names of the final target.
    redirects = {r.slug: (r.article.title, r.kind) for r in Redirect.objects.all()}
    assert redirects == {
        "casino-night-kiss": ("Casino Night", RedirectKind.ALIAS),
        "the-kiss": ("Casino Night", RedirectKind.ALIAS),
        "pam": ("Pam Beesly", RedirectKind.ALIAS),
    }
    moved = client.get("/wiki/the-kiss/")
    assert moved.status_code == 301 and moved["Location"] == casino.get_absolute_url()
    episode = casino.episode
    assert (episode.season.show.title, episode.season.number, episode.number) == (
        "The Office",
        2,
        22,
    )
    assert (episode.air_date, episode.production_code) == (date(2006, 5, 11), "2022")
    dundies = Article.objects.get(title="The Dundies")
    assert (dundies.episode.number, dundies.episode.air_date) == (1, date(2005, 9, 20))
    assert Article.objects.filter(title="Pam Beesly", episode__isnull=True).exists()


def test_the_report_lists_exactly_the_unmapped_templates_and_missing_files(tmp_path):
    report_file = tmp_path / "report.json"
    output = run(FAN_WIKI, "--json", str(report_file))
    report = json.loads(report_file.read_text())
    assert report["unmapped_templates"] == [
        {"template": "Quote", "uses": 2, "pages": ["Casino Night"]},
        {"template": "Link", "uses": 1, "pages": ["Pam Beesly"]},
        {"template": "Spoiler", "uses": 1, "pages": ["Casino Night"]},
    ]
    assert report["missing_files"] == {"Casino night kiss.jpg": ["Casino Night"]}
    assert report["to_review"] == ["Casino Night", "Pam Beesly"]
    assert report["skipped"] == {"redirects (imported as other names of their target)": 3}
    assert "Quote: 2 use(s) on 1 page(s): Casino Night" in output
    # Kept visible in the text, as code.
    casino = Article.objects.get(title="Casino Night").approved_revision
    assert "`{{Quote|I'm in love with you.|Jim}}`" in casino.body


def test_importing_the_same_dump_twice_changes_nothing(imported):
    before = snapshot()
    again = run(FAN_WIKI, "--show", "The Office")
    assert snapshot() == before
    assert "revisions imported: 0; already here: 10" in again


def test_a_newer_dump_adds_only_the_new_revisions(imported):
    before = snapshot()
    casino = Article.objects.get(title="Casino Night")
    output = run(LATER, "--show", "The Office")
    assert "revisions imported: 2; already here: 10" in output
    assert Revision.objects.count() == before["Revision"] + 2
    casino.refresh_from_db()
    assert casino.approved_revision.summary == "Typo"
    assert casino.approved_revision.base == history("Casino Night")[2]
    assert "final episode" in casino.approved_revision.body
    booze = Article.objects.get(title="Booze Cruise")
    # Its reference is the source the first import made.
    assert booze.approved_revision.citations.get(key=1).source.title == "Casino Night"
    assert Source.objects.filter(url="https://www.nbc.com/the-office/casino-night").count() == 1


def test_a_dry_run_writes_nothing_and_prints_the_report(db):
    before = snapshot()
    output = run(FAN_WIKI, "--dry-run")
    assert snapshot() == before
    assert output.startswith("Dry run: nothing was written.")
    assert "revisions imported: 10" in output


@pytest.mark.parametrize("pack", [gzip.open, bz2.open])
def test_compressed_dumps_are_read_by_their_first_bytes(tmp_path, pack):
    packed = tmp_path / "dump.xml"  # the name says nothing of the packing
    with open(FAN_WIKI, "rb") as plain, pack(packed, "wb") as out:
        shutil.copyfileobj(plain, out)
    run(packed)
    assert Revision.objects.count() == 10


def test_a_cut_off_dump_is_refused_and_nothing_is_written(tmp_path):
    data = FAN_WIKI.read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: data.index(b"<title>Pam Beesly") + 200])
    with pytest.raises(CommandError, match="The file ends before the dump does"):
        run(cut)
    assert not Article.objects.exists() and not Revision.objects.exists()


def test_a_title_already_used_here_is_skipped_and_reported(author, moderator):
    factories.published_article(author, moderator, title="Pam Beesly")
    output = run(FAN_WIKI)
    assert "Pam Beesly: an article of that title is here already" in output
    assert Article.objects.get(title="Pam Beesly").revisions.count() == 1
    assert Article.objects.filter(title="Casino Night").exists()


def test_a_file_that_is_not_a_dump_is_refused(tmp_path):
    other = tmp_path / "notes.xml"
    other.write_text("<html><body>hello</body></html>")
    with pytest.raises(CommandError, match="got '<html>' tag"):
        run(other)
    missing = tmp_path / "missing.xml"
    with pytest.raises(CommandError, match="Cannot read"):
        run(missing)


def test_talk_pages_become_topics_with_attributed_posts(imported):
    casino = Article.objects.get(title="Casino Night")
    topics = {t.title: t for t in Topic.objects.filter(article=casino)}
    assert set(topics) == {"Was the kiss improvised?", "Filming location"}
    posts = list(topics["Was the kiss improvised?"].posts.order_by("created_at", "id"))
    assert [(p.author.username, p.body) for p in posts] == [
        ("dunder>Jane Doe", "I read that the kiss was improvised."),
        ("dunder>Bob", "It was scripted."),
        ("dunder>Anonymous", "Are you sure?"),
        # Nobody signed it: whoever wrote the version that first had it.
        ("dunder>Carol", "I think it was both."),
    ]
    assert posts[0].created_at == datetime(2021, 5, 2, 10, tzinfo=UTC)
    assert [p.parent for p in posts] == [None, posts[0], posts[1], None]
    assert topics["Filming location"].created_by.username == "dunder>Carol"
    # A second run adds no post twice.
    run(FAN_WIKI)
    assert Post.objects.count() == 5 and Topic.objects.count() == 2


def test_a_category_page_describes_its_category(imported):
    page = Article.objects.get(title="Category:Characters")
    category = Category.objects.get(name="Characters")
    assert category.page == page
    assert "People of the show." in page.approved_revision.body
    assert Membership.objects.filter(category=category, article__title="Pam Beesly").exists()


def png_bytes(colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, format="PNG")
    return out.getvalue()


def test_files_from_the_images_folder_are_stored_as_uploads_are(tmp_path):
    hashed = tmp_path / "images" / "a" / "ab"
    hashed.mkdir(parents=True)
    # MediaWiki's layout and spelling: hashed folders, underscores for spaces.
    (hashed / "Casino_night_kiss.jpg").write_bytes(png_bytes())
    report_file = tmp_path / "report.json"
    run(FAN_WIKI, "--images", str(tmp_path / "images"), "--json", str(report_file))
    report = json.loads(report_file.read_text())
    assert report["files_imported"] == 1 and report["missing_files"] == {}
    body = Article.objects.get(title="Casino Night").approved_revision.body
    stored = re.search(r"!\[The kiss\]\((/media/uploads/[^)]+\.png)\)", body)
    assert stored is not None  # re-encoded as what its bytes are, under a name of ours
    assert default_storage.exists(stored[1].removeprefix("/media/"))
    html = Article.objects.get(title="Casino Night").approved_revision.rendered_html
    assert f'<img alt="The kiss" src="{stored[1]}"' in html


def test_a_file_that_is_not_an_image_is_reported_not_stored(tmp_path):
    (tmp_path / "Casino night kiss.jpg").write_text("<script>alert(1)</script>")
    output = run(FAN_WIKI, "--images", str(tmp_path))
    assert "File Casino night kiss.jpg: not imported: The file is not a JPEG, PNG or WebP" in (
        output
    )
    assert "Casino night kiss.jpg (on Casino Night)" in output
    assert "![" not in Article.objects.get(title="Casino Night").approved_revision.body


def test_an_images_folder_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no such folder"):
        run(FAN_WIKI, "--images", str(tmp_path / "nowhere"))
    assert not Article.objects.exists()


def test_worker_processes_store_what_this_process_would(author, moderator):
    """Converted and rendered in two worker processes: the same versions, and each one's
    stored HTML is what rendering its text against its stored citations gives. A page
    refused half-way (a title here already) leaves no prepared revision behind to be
    taken for another."""
    factories.published_article(author, moderator, title="Pam Beesly")
    output = run(FAN_WIKI, "--workers", "2", "--show", "The Office")
    assert "revisions imported: 7" in output
    assert "Pam Beesly: an article of that title is here already" in output
    for revision in Revision.objects.filter(imported_from__isnull=False).prefetch_related(
        "citations__source"
    ):
        sources = {c.key: c.source for c in revision.citations.all()}
        html, _references = rendered(revision.body, sources)
        assert html == revision.rendered_html, revision
    casino = Article.objects.get(title="Casino Night").approved_revision
    assert casino.body.startswith("**Casino Night** is the last episode of the second season.[@1]")
    assert casino.citations.get(key=1).uses == 2


@pytest.mark.skipif(shutil.which("7z") is None, reason="the 7z program is not installed")
def test_a_fandom_7z_dump_is_read_as_a_stream(tmp_path):
    archive = tmp_path / "dunder_pages_full.xml.7z"
    subprocess.run(
        ["7z", "a", "-bd", "-bso0", str(archive), str(FAN_WIKI)], check=True, cwd=tmp_path
    )
    assert archive.read_bytes()[:6] == b"7z\xbc\xaf\x27\x1c"
    run(archive)
    assert Revision.objects.count() == 10


def test_an_entity_expansion_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    # "Billion laughs": each entity is ten of the one before, 10^11 "ha"s in the end.
    entities = '<!ENTITY e0 "ha">' + "".join(
        f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 12)
    )
    bomb.write_text(
        f'<?xml version="1.0"?><!DOCTYPE mediawiki [{entities}]>'
        '<mediawiki version="0.11"><page><title>Bomb</title><ns>0</ns><id>1</id><revision>'
        "<id>1</id><timestamp>2021-01-01T00:00:00Z</timestamp><text>&e11;</text>"
        "</revision></page></mediawiki>"
    )
    with pytest.raises(CommandError, match="The XML is broken"):
        run(bomb)
    assert not Article.objects.exists()


def test_a_moderator_hands_an_imported_account_to_its_owner(
    imported, client, staff, mailoutbox, django_capture_on_commit_callbacks
):
    bob = User.objects.get(username="dunder>Bob")
    written = set(bob.revisions.values_list("pk", flat=True))
    client.force_login(staff)
    url = reverse("admin:accounts_user_hand_over", args=[bob.pk])
    taken = client.post(url, {"email": "bob@example.com", "username": "staff"})
    assert b"Another account has that name." in taken.content
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"email": "bob@example.com", "username": "BobDunder"})
    assert done.status_code == 302
    bob.refresh_from_db()
    assert (bob.username, bob.email, bob.email_verified_at) == (
        "BobDunder",
        "bob@example.com",
        None,
    )
    assert set(bob.revisions.values_list("pk", flat=True)) == written  # still theirs
    (mail,) = mailoutbox
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/", mail.body)[0]
    client.logout()
    form = client.get(link, follow=True)
    chosen = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long new password 42", "new_password2": "a long new password 42"},
    )
    assert chosen.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password("a long new password 42") and bob.email_verified_at is not None
    # An account someone can log in to is not handed over.
    with pytest.raises(ValidationError, match="nobody can log in to"):
        account_hand_over(user=bob, email="other@example.com")


def test_imported_pages_are_folded_for_a_reader_before_their_episode(imported, client, fan):
    fan.spoiler_points = {"the-office": "S02E11"}
    fan.save(update_fields=["spoiler_points"])
    client.force_login(fan)
    listing = client.get("/categories/season-2-episodes/")
    assert listing.status_code == 200
    assert b"The Dundies" in listing.content  # S02E01: watched
    assert b"Casino Night" not in listing.content  # S02E22: not yet
    # Its other name leads to the address that does not say its title.
    moved = client.get("/wiki/the-kiss/")
    assert moved.status_code == 301
    assert "casino" not in moved["Location"].lower()


def test_talk_archives_join_their_articles_talk_page(imported, tmp_path):
    archive = tmp_path / "archive.xml"
    talk = (
        "== Old question ==\nWho wrote it? --[[User:Carol|Carol]] 09:00, 1 March 2020 (UTC)\n"
        ": Steve Carell. --[[User:Bob|Bob]] 10:00, 1 March 2020 (UTC)"
    )
    archive.write_text(
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">'
        "<siteinfo><sitename>Dunder Wiki</sitename></siteinfo>"
        "<page><title>Talk:Casino Night/Archive 1</title><ns>1</ns><id>90</id><revision>"
        "<id>900</id><timestamp>2020-03-02T00:00:00Z</timestamp>"
        "<contributor><username>Bob</username><id>5</id></contributor>"
        f'<text xml:space="preserve">{escape(talk)}</text></revision></page></mediawiki>'
    )
    run(archive)
    casino = Article.objects.get(title="Casino Night")
    topic = Topic.objects.get(article=casino, title="Old question")
    assert [p.author.username for p in topic.posts.order_by("created_at")] == [
        "dunder>Carol",
        "dunder>Bob",
    ]
