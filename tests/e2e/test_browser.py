"""The wiki in a real browser: the loop, the editor, search, the admin, a phone, accessibility."""

import io
import json
import re
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from PIL import Image

from apps.accounts.models import User
from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.models import Article, Revision, RevisionStatus
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "casino-night-first-kiss-trivia"
PASSWORD = "demo-password"


@pytest.fixture
def demo(live_server):
    factories.moderators_group()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


def log_in(page, base, username, password=PASSWORD):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_selector(f'.user-menu > summary:has-text("{username}")', state="attached")


def pick_source(row, typed, title):
    """Choose a source in a citation row's picker, as a fan would: type, arrow down, Enter."""
    search = row.locator("input[role=combobox]")
    search.fill(typed)
    row.locator("[role=option]", has_text=title).first.wait_for()
    search.press("ArrowDown")
    search.press("Enter")
    assert row.locator(".source-chosen-title").inner_text() == title


def test_the_whole_loop(demo, new_page):
    """Sign up, propose with a citation, a moderator approves, an anonymous reader sees it."""
    fan, moderator, reader = new_page(), new_page(), new_page()
    fan.goto(f"{demo}/accounts/signup/")
    fan.fill("#id_username", "newfan")
    fan.fill("#id_email", "newfan@example.com")
    fan.fill("#id_password1", "a-long-unusual-passphrase")
    fan.fill("#id_password2", "a-long-unusual-passphrase")
    fan.click("main button[type=submit]")
    fan.wait_for_selector('.user-menu > summary:has-text("newfan")', state="attached")
    # Confirm the address with the link from the mail, as proposing needs.
    [link] = re.findall(r"http\S+/accounts/verify/\S+", mail.outbox[-1].body)
    fan.goto(demo + urlsplit(link).path)
    fan.click("text=Confirm my address")
    fan.wait_for_selector(".message-success")

    fan.goto(f"{demo}/wiki/{SLUG}/edit/")
    body = fan.locator("#id_body")
    body.fill(body.input_value() + "\n\nThe browser test added this sentence.")
    fan.fill("#id_summary", "Browser test edit")
    fan.click("#add-citation")
    row = fan.locator(".citation-form").last
    pick_source(row, "actor's life", "The Actor's Life: A Survival Guide")
    assert row.locator(".field-locator label").inner_text() == "Page"  # a book's locator
    row.locator("input[name$='-locator']").fill("112")
    body.evaluate("el => { el.focus(); el.selectionStart = el.selectionEnd = el.value.length; }")
    row.locator("[data-insert-marker]").click()
    fan.click("text=Submit for review")
    fan.wait_for_selector(".notice-pending")
    proposal = Revision.objects.get(author__username="newfan")
    assert proposal.status == RevisionStatus.PENDING
    assert proposal.citations.filter(locator="p. 112").exists()

    reader.goto(f"{demo}/wiki/{SLUG}/")
    assert "browser test added" not in reader.locator(".article-body").inner_text()

    log_in(moderator, demo, "demo-moderator")
    moderator.goto(f"{demo}/moderation/revisions/{proposal.pk}/")
    moderator.click("button.button-approve")
    moderator.wait_for_selector(".message-success")

    reader.goto(f"{demo}/wiki/{SLUG}/")
    assert "The browser test added this sentence." in reader.locator(".article-body").inner_text()
    assert "The Actor's Life" in reader.locator(".reference-list").inner_text()
    assert not (fan.console_errors + moderator.console_errors + reader.console_errors)


def test_the_source_picker(demo, new_page):
    """Search, click, clear, Escape; results are shown as text; Enter never submits."""
    fan = User.objects.get(username="demo-fan")
    hostile = factories.make_source(
        "<img src=x onerror=window.pwned=1> Hostile title", kind="podcast", created_by=fan
    )
    page = new_page()
    log_in(page, demo, "demo-fan")
    page.goto(f"{demo}/wiki/{SLUG}/edit/")
    first = page.locator(".citation-form").first
    # An existing citation is one line, naming its source, until opened.
    assert first.locator(".citation-line-source").inner_text() not in ("", "New citation")
    first.locator("summary.citation-line").click()
    assert first.locator(".source-chosen-title").inner_text()
    page.click("#add-citation")
    row = page.locator(".citation-form").last
    search = row.locator("input[role=combobox]")
    assert search.evaluate("el => el === document.activeElement")

    search.fill("hostile")
    option = row.locator("[role=option]", has_text="Hostile title")
    option.wait_for()
    assert search.get_attribute("aria-expanded") == "true"
    assert option.inner_text().startswith("<img src=x")
    assert row.locator("[role=listbox] img").count() == 0
    search.press("Escape")
    assert row.locator("[role=listbox]").is_hidden()
    assert search.get_attribute("aria-expanded") == "false"
    # A submission would start while the key is handled (the form's submit event fires
    # then, or the page goes): both are known once press() returns, no waiting needed.
    page.evaluate(
        "() => { window.stillHere = true; window.submitted = false;"
        " document.querySelector('form.proposal-form').addEventListener("
        "'submit', () => { window.submitted = true; }, {capture: true}); }"
    )
    search.press("Enter")  # in the search box: does not submit the proposal
    assert page.evaluate("() => window.stillHere && !window.submitted") is True
    search.fill("host")
    option.click()
    hidden = row.locator("input[type=hidden][name$='-source']")
    assert hidden.input_value() == str(hostile.pk)
    assert row.locator(".source-chosen-title").inner_text().startswith("<img")
    assert row.locator(".citation-line-source").inner_text().startswith("<img")  # as text
    assert row.locator(".source-chosen-kind").inner_text() == "(Podcast episode)"
    assert row.locator(".field-locator label").inner_text() == "Minute"
    assert search.input_value() == ""

    row.locator(".source-clear").click()
    assert hidden.input_value() == ""
    assert row.locator(".source-none").is_visible()
    assert row.locator(".field-locator label").inner_text() == "Section or paragraph"
    search.fill("zz-no-such-source")
    page.wait_for_selector("text=No source matches")
    assert page.evaluate("() => window.pwned") is None
    assert not page.console_errors


def test_the_live_preview_renders_safely(demo, new_page):
    page = new_page()
    log_in(page, demo, "demo-fan")
    page.goto(f"{demo}/wiki/new/")
    page.fill("#id_body", "## A heading\n\nSome **bold** text <img src=x onerror=alert(1)>")
    preview = page.locator(".markdownx-preview")
    preview.locator("strong").wait_for()
    assert preview.locator("h2").inner_text() == "A heading"
    assert "onerror" not in preview.inner_html()


def test_an_image_upload_in_the_editor(demo, new_page):
    page = new_page()
    log_in(page, demo, "demo-fan")
    page.goto(f"{demo}/wiki/{SLUG}/edit/")
    png = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(png, "PNG")
    data = list(png.getvalue())
    # Drop a file on the editor, as a fan dragging a picture would.
    page.evaluate(
        """bytes => {
            const file = new File([new Uint8Array(bytes)], "photo.png", {type: "image/png"});
            const transfer = new DataTransfer();
            transfer.items.add(file);
            const editor = document.getElementById("id_body");
            editor.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true}));
        }""",
        data,
    )
    page.wait_for_function(
        "() => document.getElementById('id_body').value.includes('/media/uploads/')"
    )
    value = page.locator("#id_body").input_value()
    # The fan is asked for a description: a placeholder alt text, selected.
    assert "![describe the image](/media/uploads/" in value and value.count(".png)") == 1


def test_an_image_picked_described_and_approved(demo, new_page):
    page = new_page()
    log_in(page, demo, "demo-fan")
    page.goto(f"{demo}/wiki/{SLUG}/edit/")
    body = page.locator("#id_body")
    body.evaluate("el => { el.focus(); el.selectionStart = el.selectionEnd = el.value.length; }")
    png = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(png, "PNG")
    page.set_input_files(
        "#image-pick",
        files=[{"name": "desk.png", "mimeType": "image/png", "buffer": png.getvalue()}],
    )
    page.wait_for_function(
        "() => document.getElementById('id_body').value.includes('![describe the image]')"
    )
    page.keyboard.type("Pam's reception desk")  # replaces the selected placeholder
    assert "![Pam's reception desk](/media/uploads/" in body.input_value()
    page.fill("#id_summary", "Add a picture")
    page.click("text=Submit for review")
    page.wait_for_selector(".notice-pending")
    proposal = Revision.objects.get(summary="Add a picture")
    moderation.revision_approve(
        revision=proposal, moderator=factories.make_user("m", moderator=True)
    )
    reader = new_page()
    reader.goto(f"{demo}/wiki/{SLUG}/")
    image = reader.locator(".article-body img")
    assert image.get_attribute("alt") == "Pam's reception desk"
    assert image.evaluate("img => img.complete && img.naturalWidth") == 40


def test_search_finds_casino_night(demo, new_page):
    page = new_page()
    page.goto(demo)
    page.fill("#site-search", "casino")
    page.press("#site-search", "Enter")
    page.wait_for_selector("text=Casino Night: first kiss trivia")
    page.fill("#site-search", "S02E22")
    page.press("#site-search", "Enter")  # an episode code goes straight to the episode
    page.wait_for_url(f"{demo}/shows/the-office/season/2/episode/22/")
    assert "S02E22" in page.locator("main").inner_text()


def test_the_admin_approve_action(demo, new_page):
    page = new_page()
    log_in(page, demo, "demo-moderator")
    pending = Revision.objects.get(status=RevisionStatus.PENDING)
    page.goto(f"{demo}/admin/wiki/revision/?status__exact=pending")
    page.locator(f"input.action-select[value='{pending.pk}']").check()
    page.select_option("select[name=action]", "approve_selected")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    pending.refresh_from_db()
    assert pending.status == RevisionStatus.APPROVED
    assert Article.objects.get(slug=SLUG).approved_revision_id == pending.pk


def test_a_phone_sized_window(demo, new_page):
    page = new_page(width=360, height=740)
    page.goto(f"{demo}/wiki/{SLUG}/")
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 360
    assert page.locator("h1").is_visible()
    page.locator(".article-body sup.reference a").first.click()
    assert page.evaluate("() => location.hash").startswith("#cite-note-")


def test_the_account_pages_on_a_phone(demo, new_page):
    """Settings, log-in, reset and lockout pages fit a phone without scrolling sideways."""
    page = new_page(width=360, height=740)
    for path in ("/accounts/login/", "/accounts/password-reset/", "/accounts/signup/"):
        page.goto(demo + path)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, path
    log_in(page, demo, "demo-fan")
    page.goto(f"{demo}/accounts/settings/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.check("#id_notification_email_1")  # the daily digest
    page.click("text=Save preferences")
    page.wait_for_selector(".message-success")
    assert User.objects.get(username="demo-fan").notification_email == "digest"

    locked = new_page(width=360, height=740)
    for _ in range(5):
        locked.goto(f"{demo}/accounts/login/")
        locked.fill("#id_username", "demo-moderator")
        locked.fill("#id_password", "wrong-password")
        locked.click("main button[type=submit]")
    locked.goto(f"{demo}/accounts/login/")
    locked.fill("#id_username", "demo-moderator")
    locked.fill("#id_password", PASSWORD)
    locked.click("main button[type=submit]")
    locked.wait_for_selector("text=Too many failed log-ins")
    assert locked.evaluate("() => document.documentElement.scrollWidth") <= 360


PAGES = {
    "home": "/",
    "episode": "/shows/the-office/season/2/episode/22/",
    "article": f"/wiki/{SLUG}/",
    "history": f"/wiki/{SLUG}/history/",
    "talk": f"/wiki/{SLUG}/talk/",
    "edit": f"/wiki/{SLUG}/edit/",
    "queue": "/moderation/",
    "review": None,
    "search": "/search/?q=casino",
    "profile": "/users/demo-fan/",
    "recent": "/recent/",
    "sources": "/sources/",
    "citation-needed": "/citation-needed/",
    "stats": "/moderation/stats/",
    "audit": "/moderation/audit/",
    "new-article": "/wiki/new/",
    "settings": "/accounts/settings/",
    "following": "/following/",
    "not-found": "/wiki/no-such-article/",
    "disputed": "/disputed/",
    "contributions": "/contributions/",
    "proposal": "PENDING",
    "comment": "COMMENT",
    "password-change": "/accounts/password/",
    "password-reset": "/accounts/password-reset/",
    "categories": "/categories/",
    "category": "/categories/first-kisses/",
    "maintenance": "/categories/maintenance/citation-needed/",
    "move": f"/wiki/{SLUG}/move/",
    "api-reference": "/api/v1/docs",
    "blocks": "/moderation/blocks/",
    "block-new": "/moderation/blocks/new/?user=demo-fan",
    "filters": "/moderation/filters/",
    "filter-new": "/moderation/filters/new/",
    "filter-hits": "/moderation/filters/hits/",
    "rollback": "/moderation/rollback/demo-fan/?since=1d",
    "leave": "/accounts/leave/",
}


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_accessibility(demo, new_page, axe, color_scheme, width, height):
    """axe-core finds no serious or critical violations on the main pages, in either mode,
    on a desktop and on a phone."""
    page = new_page(width=width, height=height, color_scheme=color_scheme)
    log_in(page, demo, "demo-moderator")
    pending = Revision.objects.get(status=RevisionStatus.PENDING)
    problems = {}
    special = {
        None: f"/moderation/revisions/{pending.pk}/",
        "PENDING": pending.get_absolute_url(),
        "COMMENT": f"/moderation/revisions/{pending.pk}/threads/new/?line=3&side=new",
    }
    for name, path in PAGES.items():
        page.goto(demo + special.get(path, path))
        found = axe(page)
        if found:
            problems[name] = found
    # What opens over a page: the editor's Cite panel, the review page's Reject form.
    page.goto(f"{demo}/wiki/{SLUG}/edit/")
    page.get_by_role("button", name="Cite…").click()
    problems["cite-panel"] = axe(page)
    page.goto(f"{demo}/moderation/revisions/{pending.pk}/")
    page.get_by_role("button", name="Reject…").click()
    problems["reject-form"] = axe(page)
    problems = {name: found for name, found in problems.items() if found}
    assert not problems, problems


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_spoiler_setting(demo, new_page, width, height):
    """A reader who has watched up to season 1 sees none of an article about S02E22 until
    they open it, title included; inside, the later sections stay folded too."""
    page = new_page(width=width, height=height)
    page.goto(f"{demo}/wiki/{SLUG}/")
    statement = page.locator("text=Jim confesses his love to Pam")
    assert page.locator("details.spoiler").first.get_attribute("open") is not None
    assert statement.is_visible()  # nothing set: everything shown
    page.select_option("#spoiler-episode", label="S01E01 “Pilot”")
    page.click(".spoiler-setting button")
    page.wait_for_selector(".message-success")
    main = page.locator("main").inner_text()
    assert "after the point you have watched" in main
    for revealing in ("Casino Night: first kiss trivia", "Jim confesses", "parking lot", "kiss"):
        assert revealing not in main, revealing
    assert page.title().startswith("Spoilers: an article about S02E22")
    page.locator("details.spoiler-article > summary").click()
    assert page.locator(".spoiler-article-title").is_visible()
    assert not statement.is_visible()  # its own section is later than the point too
    page.locator("details.spoiler-later > summary").first.click()
    assert statement.is_visible()


def in_viewport(page, locator):
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_decision_panel_stays_in_view(demo, new_page, width, height):
    """Approve, Request changes and Reject are in the window at the top and the middle of a
    long review page, in one panel no taller than a quarter of it; a form opens over the
    page without moving the buttons; a rejection refused for want of a reason says so where
    the moderator is looking."""
    pending = Revision.objects.get(status=RevisionStatus.PENDING)
    page = new_page(width=width, height=height)
    log_in(page, demo, "demo-moderator")
    page.goto(f"{demo}/moderation/revisions/{pending.pk}/")
    approve = page.get_by_role("button", name="Approve", exact=True)
    reject = page.get_by_role("button", name="Reject…")
    send_back = page.get_by_role("button", name="Request changes…")
    panel = page.locator(".decision-panel")
    assert page.evaluate("() => document.documentElement.scrollHeight") > 2 * height
    assert in_viewport(page, approve) and in_viewport(page, reject) and in_viewport(page, send_back)
    assert panel.bounding_box()["height"] <= height / 4
    # On a phone too, the first screen shows the change itself, not only the buttons.
    diff_top = page.locator("table.diff").first.bounding_box()["y"]
    assert diff_top + 40 < panel.bounding_box()["y"]
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight / 2)")
    assert in_viewport(page, approve) and in_viewport(page, reject) and in_viewport(page, send_back)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    colours = [
        locator.evaluate("e => getComputedStyle(e).backgroundColor")
        for locator in (approve, page.locator(".decision-panel .button-reject-outline"))
    ]
    assert colours[0] != colours[1]  # Approve and Reject look different

    before = reject.bounding_box()
    reject.click()
    form = page.locator("#reject-form")
    form.wait_for(state="visible")
    assert reject.bounding_box() == before  # nothing jumps sideways
    assert panel.bounding_box()["height"] <= height / 4
    page.get_by_label("Note to the author").click()  # the label is the visible form's own
    assert page.evaluate("() => document.activeElement.id") == "reject_reason"
    page.get_by_role("button", name="Reject the proposal").click()
    error = page.locator(".decision-panel .field-error, .decision-panel .errorlist").first
    error.wait_for()
    assert in_viewport(page, error)
    pending.refresh_from_db()
    assert pending.status == RevisionStatus.PENDING


def test_the_queue_on_a_phone(demo, new_page):
    """Cards, not a table cut off at the edge; the filters folded until wanted."""
    page = new_page(width=390, height=844)
    log_in(page, demo, "demo-moderator")
    page.goto(f"{demo}/moderation/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert page.locator(".queue-filters-box").get_attribute("open") is None
    review = page.get_by_role("link", name="Review", exact=True).first
    assert in_viewport(page, review)
    page.locator(".queue-filters-box > summary").click()
    page.fill("#id_author", "nobody")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_selector("text=No proposals match these filters (1 waiting in all).")
    page.get_by_role("link", name="Clear filters").click()
    assert page.get_by_role("link", name="Review", exact=True).first.is_visible()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_header_stays_small(demo, new_page, width, height):
    """At most two rows for a moderator on a desktop (it was three, five on a phone); on a
    phone the links fold behind Menu."""
    page = new_page(width=width, height=height)
    log_in(page, demo, "demo-moderator")
    header = page.locator(".site-header")
    rows = header.bounding_box()["height"]
    assert rows <= (110 if width > 640 else 130), rows
    contributions = page.get_by_role("link", name="My contributions")
    if width <= 640:
        assert not page.get_by_role("link", name="Recent changes").is_visible()
        page.get_by_role("button", name="Menu").click()
        assert page.get_by_role("link", name="Recent changes").is_visible()
    page.locator(".user-menu > summary").click()
    contributions.click()
    page.wait_for_url(f"{demo}/contributions/")


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_a_signed_in_fans_search_box_keeps_its_width(demo, new_page, width, height):
    """It shrank to about 135 pixels beside a signed-in fan's links."""
    page = new_page(width=width, height=height)
    log_in(page, demo, "demo-fan")
    box = page.locator("#site-search").bounding_box()
    assert box["width"] >= (200 if width > 640 else 250), box
    # Headings keep their distance from the page's card.
    page.goto(f"{demo}/recent/")
    gap = page.evaluate(
        "() => document.querySelector('main h1').getBoundingClientRect().top"
        " - document.querySelector('main').getBoundingClientRect().top"
    )
    assert gap >= 16, gap


def test_withdrawing_asks_first(demo, new_page):
    """Cancelling the question keeps the proposal; accepting it withdraws."""
    pending = Revision.objects.get(status=RevisionStatus.PENDING)
    page = new_page(width=390, height=844)
    log_in(page, demo, pending.author.username)
    page.goto(f"{demo}/contributions/")
    questions = []
    # The page's own handler asks on the document; this one, on the window, hears the
    # submission after it and notes whether the answer stopped it.
    page.evaluate(
        "() => window.addEventListener('submit', (event) => {"
        " window.submission = event.defaultPrevented ? 'stopped' : 'sent'; })"
    )
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Withdraw").first.click()
    page.wait_for_function("() => window.submission !== undefined")
    assert page.evaluate("() => window.submission") == "stopped"
    pending.refresh_from_db()
    assert questions and questions[0].startswith("Withdraw this proposal?")
    assert pending.status == RevisionStatus.PENDING
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():  # the withdrawal, then back to the contributions
        page.get_by_role("button", name="Withdraw").first.click()
    pending.refresh_from_db()
    assert pending.status == RevisionStatus.WITHDRAWN


def test_the_recent_changes_filters_are_one_line_tall(demo, new_page):
    page = new_page()
    page.goto(f"{demo}/recent/")
    author = page.locator("#recent-user").bounding_box()["height"]
    show = page.locator("#recent-show").bounding_box()["height"]
    assert author < 2 * show, (author, show)


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_preview_numbers_references_as_readers_see_them(demo, new_page, width, height):
    page = new_page(width=width, height=height)
    page.goto(f"{demo}/wiki/{SLUG}/")
    published = page.locator(".article-body sup.reference").all_inner_texts()
    log_in(page, demo, "demo-fan")
    page.goto(f"{demo}/wiki/{SLUG}/edit/")
    if width <= 640:
        page.get_by_role("tab", name="Preview").click()
    preview = page.locator(".markdownx-preview")
    preview.locator(".preview-references").wait_for()
    assert preview.locator("sup.reference").all_inner_texts() == published
    assert preview.locator(".preview-references li").count() >= 2


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_editor_is_compact(demo, new_page, width, height):
    """Editing the demo article (15 citations): the form besides the text box and its
    preview takes at most two screens on a desktop (it was 8,300 px; 14,000 on a phone)."""
    page = new_page(width=width, height=height)
    log_in(page, demo, "demo-fan")
    page.goto(f"{demo}/wiki/{SLUG}/edit/")
    form = page.locator(".proposal-form").bounding_box()["height"]
    editor = page.locator(".markdownx").bounding_box()["height"]
    besides = form - editor
    limit = 2 * height if width > 640 else 4 * height
    assert besides <= limit, (form, editor, besides)
    assert page.locator(".citation-details[open]").count() == 0  # each citation one line
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


PAGE_ABOUT_THE_KISS = b"""<!doctype html><html><head><meta charset="utf-8">
<title>Kiss | Example</title>
<meta property="og:title" content="Behind the Casino Night kiss">
<meta property="og:site_name" content="Example Television">
<meta name="author" content="Riley Reporter">
<meta property="article:published_time" content="2018-04-02T09:00:00Z">
</head><body>The kiss was filmed in one take.</body></html>"""


@pytest.fixture
def cited_page():
    """A page on a real HTTP server on 127.0.0.1 (the tests' settings let the source lookup
    reach it; nothing else may), for the editor to look up."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(PAGE_ABOUT_THE_KISS)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/kiss-article"
    httpd.shutdown()


class Counted:
    """A person's clicks and keystrokes, counted as the test makes them."""

    def __init__(self, page):
        self.page, self.clicks, self.keys = page, 0, 0

    def click(self, locator, **options):
        self.clicks += 1
        locator.click(**options)

    def type(self, locator, text):
        self.keys += len(text)
        locator.press_sequentially(text)

    def press(self, locator, key):
        self.keys += 1
        locator.press(key)


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_citing_a_new_web_source_where_you_write(demo, new_page, cited_page, width, height):
    """A fan adds a cited sentence at the end of the article, citing a page by its address:
    the toolbar is in view where they write, the address fills in the source, the page does
    not move, and the whole takes at most 8 clicks and 80 keystrokes besides the sentence."""
    page = new_page(width=width, height=height)
    log_in(page, demo, "demo-fan")
    page.goto(f"{demo}/wiki/{SLUG}/edit/")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("address => navigator.clipboard.writeText(address)", cited_page)
    fan = Counted(page)
    body = page.locator("#id_body")

    fan.click(body)
    fan.press(body, "Control+End")
    body.press_sequentially("\n\nThe kiss was filmed in one take.")  # the sentence itself
    cite = page.get_by_role("button", name="Cite…")
    assert in_viewport(page, cite)  # the toolbar stays with the writer
    rows = page.locator(".citation-form")
    before = rows.count()
    scrolled = page.evaluate("() => window.scrollY")
    fan.click(cite)
    find = page.locator("#cite-find")
    assert page.evaluate("() => document.activeElement.id") == "cite-find"
    fan.press(find, "Control+V")  # paste the address
    page.wait_for_function(
        "() => document.getElementById('cite-title').value === 'Behind the Casino Night kiss'"
    )
    assert page.locator("#cite-publisher").input_value() == "Example Television"
    assert page.locator("#cite-author").input_value() == "Riley Reporter"
    assert page.locator("#cite-date").input_value() == "2018-04-02"
    assert in_viewport(page, page.locator("#cite-add"))
    locator = page.locator("#cite-locator")
    assert page.evaluate("() => document.activeElement.id") == "cite-locator"
    fan.type(locator, "para 2")
    fan.press(locator, "Enter")  # adds the citation
    assert rows.count() == before + 1
    key = rows.last.locator("input[name$='-key']").input_value()
    assert body.input_value().endswith(f"The kiss was filmed in one take.[@{key}]")
    assert page.evaluate("() => window.scrollY") == scrolled  # nothing jumped
    assert page.locator("#cite-panel").is_hidden()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width

    # Readers' numbers beside the editor's keys, as the preview numbers them.
    row_number = rows.last.locator(".reader-number")
    row_number.wait_for()
    page.wait_for_function(
        "row => /shown to readers as \\[\\d+\\]/.test(row.textContent)",
        arg=row_number.element_handle(),
    )
    summary = page.locator("#id_summary")
    fan.click(summary)
    fan.type(summary, "Add how the kiss was filmed")
    fan.click(page.get_by_role("button", name="Submit for review"))
    page.wait_for_selector(".message-success")
    assert fan.clicks <= 8 and fan.keys <= 80, (fan.clicks, fan.keys)

    proposal = Revision.objects.filter(author__username="demo-fan").latest("pk")
    citation = proposal.citations.get(key=int(key))
    source = citation.source
    assert (source.title, source.publisher, source.author) == (
        "Behind the Casino Night kiss",
        "Example Television",
        "Riley Reporter",
    )
    assert str(source.published_date) == "2018-04-02" and source.url == cited_page
    assert citation.locator == "para 2"
    assert not (page.console_errors)


def test_cite_again_what_the_proposal_cites(demo, new_page):
    """The Cite panel's list tells copies of one source apart (locator or quote) and puts
    the chosen marker at the cursor, with no new row."""
    page = new_page()
    log_in(page, demo, "demo-fan")
    page.goto(f"{demo}/wiki/{SLUG}/edit/")
    rows = page.locator(".citation-form")
    before = rows.count()
    body = page.locator("#id_body")
    body.evaluate("el => { el.value = 'One. Two.'; el.selectionStart = el.selectionEnd = 4; }")
    page.get_by_role("button", name="Cite…").click()
    # Told apart by more than their keys: the same source cited twice shows where, or what.
    choices = [
        re.sub(r"^\[@\d+\]\s*(\(readers see \[\d+\]\))?", "", c).strip()
        for c in page.locator(".cite-choice").all_inner_texts()
    ]
    assert len(choices) == len(set(choices)), choices
    page.locator("[data-cite-key='2']").click()
    assert body.input_value() == "One.[@2] Two."
    assert rows.count() == before


def test_write_and_preview_tabs_on_a_phone(demo, new_page):
    page = new_page(width=390, height=844)
    log_in(page, demo, "demo-fan")
    page.goto(f"{demo}/wiki/{SLUG}/edit/")
    assert page.locator("#id_body").is_visible()
    assert not page.locator(".markdownx-preview").is_visible()
    page.get_by_role("tab", name="Preview").click()
    assert page.locator(".markdownx-preview").is_visible()
    assert not page.locator("#id_body").is_visible()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_a_rejection_reason_reaches_the_fan(demo, new_page, width, height):
    pending = Revision.objects.get(status=RevisionStatus.PENDING)
    moderator = User.objects.get(username="demo-moderator")
    moderation.revision_reject(
        revision=pending, moderator=moderator, reason="Cite the minute.", reason_code="source"
    )
    page = new_page(width=width, height=height)
    log_in(page, demo, pending.author.username)
    for path in ("/contributions/", f"/wiki/{SLUG}/edit/?from={pending.pk}"):
        page.goto(demo + path)
        reason = page.locator(".reason").first
        assert "A source is unreliable or cannot be checked" in reason.inner_text()
        assert "Cite the minute." in reason.inner_text()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width


SELECT_A_WORD = """cell => {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest("del")) continue;
        const match = node.textContent.match(/[A-Za-z]{5,}/);
        if (!match) continue;
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        return match[0];
    }
    return null;
}"""


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_a_line_comment_with_a_suggestion_goes_round_the_loop(demo, new_page, width, height):
    """A moderator selects words in the diff and comments on the selection, editing the
    suggestion box (it starts as the words); the author replies, takes the suggestion into
    the editor, looks it over and submits; the thread comes along, resolved, and the
    revision is approved with the suggestion in it."""
    pending = Revision.objects.get(status=RevisionStatus.PENDING)
    moderator, fan = new_page(width=width, height=height), new_page(width=width, height=height)
    log_in(moderator, demo, "demo-moderator")
    moderator.goto(f"{demo}/moderation/revisions/{pending.pk}/")

    # A range of lines: a line number, then shift and a second one.
    numbers = moderator.locator("a.line-comment[href*='side=new']")
    first, third = numbers.nth(0), numbers.nth(2)
    first.click()
    third.click(modifiers=["Shift"])
    place = moderator.locator(".diff-composer .line-comment-place")
    expected = f"On lines {first.inner_text()}–{third.inner_text()} of the proposal."
    assert place.inner_text() == expected
    assert moderator.locator("tr.is-selected").count() >= 3
    moderator.get_by_role("button", name="Cancel").click()

    # Words: selected in the text, then "Comment on the selection".
    cell = moderator.locator(
        ".diff-added td.text[data-side=new], .diff-changed td.text[data-side=new]"
    ).first
    line = int(cell.get_attribute("data-line"))
    word = cell.evaluate(SELECT_A_WORD)
    assert word
    moderator.get_by_role("button", name="Comment on the selection").click()
    form = moderator.locator(".diff-composer form")
    assert f"the words “{word}”" in form.locator(".line-comment-place").inner_text()
    assert form.locator("textarea[name=suggestion]").input_value() == word  # to edit, not retype
    form.locator("textarea[name=body]").fill("Please say it **more plainly**.")
    form.locator("textarea[name=suggestion]").fill(word.upper())
    assert moderator.evaluate("() => document.documentElement.scrollWidth") <= width
    form.get_by_role("button", name="Post the comment").click()
    moderator.wait_for_selector(".message-success")
    thread = moderator.locator(".diff-threads .review-thread")
    assert thread.count() == 1 and thread.is_visible()
    assert "more plainly" in thread.inner_text()
    assert moderator.evaluate("() => document.documentElement.scrollWidth") <= width
    ours = pending.review_threads.get(anchor="lines")
    assert (ours.line_start, ours.quote) == (line, word)

    log_in(fan, demo, pending.author.username)
    fan.goto(f"{demo}{pending.get_absolute_url()}")
    mine = fan.locator(f"#thread-{ours.pk}")
    mine.locator(".reply-details > summary").click()
    mine.locator("textarea[name=body]").fill("Fair point, taking it.")
    mine.get_by_role("button", name="Post the reply").click()
    fan.wait_for_selector(".message-success")
    assert "Fair point" in fan.locator(f"#thread-{ours.pk}").inner_text()
    assert not ours.comments.exclude(suggestion=None).filter(author=pending.author)
    assert fan.evaluate("() => document.documentElement.scrollWidth") <= width
    fan.get_by_role("link", name="Take the suggestion into the editor").click()
    body = fan.locator("#id_body")
    assert word.upper() in body.input_value().splitlines()[line - 1]
    assert not Revision.objects.filter(revises=pending).exists()  # nothing sent yet
    fan.fill("#id_summary", "Took the suggestion")
    fan.click("text=Submit for review")
    fan.wait_for_selector(".message-success")
    revised = Revision.objects.get(revises=pending)
    assert word.upper() in revised.body.splitlines()[line - 1]
    assert revised.review_threads.get(pk=ours.pk).is_resolved
    assert revised.review_threads.count() == 2  # the demo's comment on the whole came too

    moderator.goto(f"{demo}/moderation/revisions/{revised.pk}/")
    carried = moderator.locator(".diff-threads .review-thread")  # still under its line
    assert "resolved" in carried.inner_text().lower()
    moderator.get_by_role("button", name="Approve", exact=True).click()
    moderator.wait_for_selector(".message-success")
    revised.refresh_from_db()
    assert revised.status == RevisionStatus.APPROVED
    assert not (moderator.console_errors + fan.console_errors)


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_approving_part_of_a_proposal(demo, new_page, axe, width, height):
    """A proposal with a good change and a bad one: the moderator ticks the good one and says
    why not the other; readers get only the good one, the author gets the other back."""
    article = Article.objects.get(slug=SLUG)
    current = article.approved_revision
    lines = current.body.split("\n")
    first = next(n for n, line in enumerate(lines) if line.startswith('"Casino Night"'))
    lines[first] = lines[first].replace("the last episode", "the very last episode", 1)
    fan = factories.make_user("part-fan")
    proposal = services.revision_propose(
        article=article,
        author=fan,
        body="\n".join(lines) + "\n\nA rumour from a forum says it took one take. [@1]",
        summary="A detail and a rumour",
        citations=[
            services.CitationInput(
                source=c.source, quote=c.quote, locator=c.locator, key=c.key, verbatim=True
            )
            for c in current.citations.order_by("position")
        ],
        base=current,
    )
    moderator = new_page(width=width, height=height)
    log_in(moderator, demo, "demo-moderator")
    moderation.thread_start(
        revision=proposal,
        user=User.objects.get(username="demo-moderator"),
        body="Which forum?",
        anchor="lines",
        side="new",
        line_start=len(lines) + 2,
        line_end=len(lines) + 2,
    )
    moderator.goto(f"{demo}/moderation/revisions/{proposal.pk}/")
    assert not axe(moderator)
    hunks = moderator.locator("fieldset.hunk")
    assert hunks.count() == 2
    good = hunks.filter(has_text="very last episode")
    bad = hunks.filter(has_text="rumour")
    good.locator("input[type=checkbox]").check()
    bad.locator("textarea").fill("A forum post is not a reliable source.")
    moderator.click("text=Approve the ticked changes")
    moderator.wait_for_selector(".message-success")
    assert moderator.evaluate("() => document.documentElement.scrollWidth") <= width

    article.refresh_from_db()
    published = article.approved_revision
    assert published.author == fan and "the very last episode" in published.body
    assert "rumour" not in published.body
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.CHANGES_REQUESTED
    assert "not a reliable source" in proposal.decision_reason
    assert not moderator.console_errors


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_readme_tour(demo, new_page, width, height):
    """The README's three steps, as written, on the demo as make run loads it."""
    page = new_page(width=width, height=height)
    # 1. Read: the article, its references, Where sources disagree, Citation needed.
    page.goto(f"{demo}/")
    page.get_by_role("link", name="The Office").first.click()
    page.get_by_role("link", name="Season 2").first.click()
    page.get_by_role("link", name="Casino Night", exact=True).first.click()
    page.get_by_role("link", name="Casino Night: first kiss trivia").first.click()
    assert page.locator(".reference-list li").count() >= 5
    assert "Where sources disagree" in page.locator("main").inner_text()
    page.goto(f"{demo}/citation-needed/")
    needed = page.locator(".statement-list li")
    assert needed.count() == 1 and "Krasinski was 25" in needed.inner_text()

    # 2. As demo-fan, no proposal of theirs waiting: cite the statement that needs it.
    log_in(page, demo, "demo-fan")
    page.goto(f"{demo}/wiki/{SLUG}/")
    assert page.locator(".notice-pending").count() == 0
    page.get_by_role("link", name="Propose an edit", exact=True).click()
    body = page.locator("#id_body")
    text = body.input_value()
    marker = "film parts behind him.[citation needed]"
    assert marker in text
    at = text.index(marker) + len("film parts behind him.")
    body.evaluate(
        "(el, at) => { el.value = el.value.replace('[citation needed]', '');"
        " el.focus(); el.selectionStart = el.selectionEnd = at; }",
        at,
    )
    page.get_by_role("button", name="Cite…").click()
    page.locator("#cite-find").press_sequentially("Story Behind")
    page.get_by_role("option", name=re.compile("The Story Behind")).first.click()
    page.locator("#cite-locator").fill("paragraph 1")
    page.locator("#cite-locator").press("Enter")
    assert re.search(r"film parts behind him\.\[@\d+\]", body.input_value())
    page.fill("#id_summary", "Cite Krasinski's age")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_selector(".message-success")
    assert "awaits review" in page.locator("main").inner_text()
    mine = Revision.objects.filter(author__username="demo-fan").latest("pk")
    assert mine.status == RevisionStatus.PENDING

    # 3. As demo-moderator: the queue, the review page, Approve.
    page.context.clear_cookies()
    log_in(page, demo, "demo-moderator")
    page.goto(f"{demo}/moderation/")
    page.locator(f"a[href='/moderation/revisions/{mine.pk}/']").first.click()
    page.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_selector(".message-success")
    page.context.clear_cookies()
    page.goto(f"{demo}/citation-needed/")
    assert page.locator(".statement-list li").count() == 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_filing_under_a_suggested_category_and_moving(demo, new_page, width, height):
    """The editor suggests the categories in use as the fan types one; a move proposed on
    its page is approved by the moderator, and the old address then leads to the new one."""
    page = new_page(width=width, height=height)
    log_in(page, demo, "demo-fan")
    page.goto(f"{demo}/wiki/new/")
    field = page.locator("#id_categories")
    field.fill("Trivia, fir")
    field.press("End")
    field.type("s")  # an input event, as typing makes
    page.get_by_role("option", name="First kisses").click()
    assert field.input_value() == "Trivia, First kisses"
    assert not page.console_errors

    page.goto(f"{demo}/wiki/{SLUG}/move/")
    page.fill("#id_title", "Casino Night: the first kiss")
    page.fill("#id_reason", "Shorter")
    page.get_by_role("button", name="Propose the move").click()
    page.wait_for_url(f"{demo}/wiki/{SLUG}/")
    moved = Revision.objects.get(title="Casino Night: the first kiss")

    moderator = new_page(width=width, height=height)
    log_in(moderator, demo, "demo-moderator")
    moderator.goto(f"{demo}/moderation/revisions/{moved.pk}/")
    assert "“Casino Night: first kiss trivia” → “Casino Night: the first kiss”" in (
        moderator.locator(".names-diff").inner_text()
    )
    moderator.get_by_role("button", name="Approve", exact=True).click()
    moderator.wait_for_load_state()
    reader = new_page(width=width, height=height)
    reader.goto(f"{demo}/wiki/{SLUG}/")
    assert reader.url == f"{demo}/wiki/casino-night-the-first-kiss/"
    assert reader.locator("h1").inner_text() == "Casino Night: the first kiss"
    foot = reader.locator("footer.article-categories")
    assert "First kisses" in foot.inner_text()


def test_a_token_made_on_the_account_page_drives_the_api(demo, new_page):
    """A fan makes a token, sees it once, a script proposes with it, the fan revokes it."""
    page = new_page(width=1280, height=800)
    log_in(page, demo, "demo-fan")
    page.goto(f"{demo}/accounts/settings/")
    page.fill("#id_name", "my typo bot")
    page.check("input[name=scopes][value=propose]")
    page.click("#api-tokens button[type=submit]:has-text('Make a token')")
    secret = page.input_value("#new-token")
    assert secret.startswith("fwk_")
    article = json.load(urllib.request.urlopen(f"{demo}/api/v1/articles/{SLUG}"))  # noqa: S310
    citations = [
        {"key": c["key"], "source_id": c["source"]["id"], "locator": c["locator"] or "p. 1",
         "quote": c["quote"]}
        for c in article["citations"]
    ]  # fmt: skip
    edit = {"body": article["markdown"] + " Typo fixed.", "summary": "A typo"}
    body = json.dumps({**edit, "base_revision_id": article["revision_id"], "citations": citations})

    def propose():
        request = urllib.request.Request(  # noqa: S310
            f"{demo}/api/v1/articles/{SLUG}/proposals", body.encode(), method="POST",
            headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request) as answer:  # noqa: S310
                return answer.status, json.load(answer)
        except urllib.error.HTTPError as refused:
            return refused.code, json.load(refused)

    status, answer = propose()
    assert status == 201 and answer["awaits_review"] is True
    assert Revision.objects.get(pk=answer["revision_id"]).author.username == "demo-fan"
    page.click("text=Done")
    assert secret not in page.content()
    page.click("#api-tokens button:has-text('Revoke')")
    assert propose()[0] == 401
