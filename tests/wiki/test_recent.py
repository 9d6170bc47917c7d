"""GET /recent/ and its Atom feed /recent/feed/: approved changes, newest first."""

from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Trust
from apps.moderation import services as moderation
from apps.wiki import feeds
from apps.wiki.views import recent
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("wiki:recent")
FEED_URL = reverse("wiki:recent-feed")
ATOM = "{http://www.w3.org/2005/Atom}"


@contextmanager
def at(moment):
    """Freeze the clock: decided_at and created_at follow."""
    with patch("django.utils.timezone.now", return_value=moment):
        yield


def approve_edit(article, author, moderator, body="Changed text."):
    return moderation.revision_approve(
        revision=factories.propose_edit(article, author, body=body), moderator=moderator
    )


@pytest.fixture
def changes(article, author, fan, moderator):
    """Three approved changes on two shows, and decisions that are not approvals."""
    first = article.approved_revision
    now = timezone.now()
    parks = factories.make_episode(show_title="Parks", season=1, number=1, title="Pilot")
    with at(now - timedelta(days=10)):
        pilot = factories.propose_article(fan, title="Pilot trivia", episode=parks)
        pilot = moderation.revision_approve(revision=pilot, moderator=moderator)
    with at(now - timedelta(hours=2)):
        edit = approve_edit(article, fan, moderator)
    rejected = factories.propose_edit(article, fan, body="Rejected text")
    moderation.revision_reject(revision=rejected, moderator=moderator, reason="No source says so.")
    factories.propose_edit(article, author, body="Still pending")
    return {"first": first, "pilot": pilot, "edit": edit}


def listed(response):
    return [revision.pk for revision in response.context["page"].object_list]


def test_it_lists_approved_changes_newest_first(client, changes):
    response = client.get(URL)
    assert response.status_code == 200
    # The article fixture's first version was approved just now, after the frozen ones.
    assert listed(response) == [changes[name].pk for name in ("first", "edit", "pilot")]


def test_it_shows_what_each_change_is(client, changes):
    page = client.get(URL).content.decode()
    assert "Casino Night trivia" in page and "Pilot trivia" in page
    assert "S02E22" in page and "S01E01" in page
    assert "New article" in page and "Edit #" in page
    assert "by moderator" in page
    assert changes["edit"].get_absolute_url() in page
    assert "Rejected text" not in page and "Still pending" not in page


def test_an_automatic_approval_says_so(client, article, fan, moderator):
    moderation.user_set_trust(user=fan, trust=Trust.TRUSTED, moderator=moderator)
    automatic = factories.propose_edit(article, fan)
    assert automatic.automatic
    page = client.get(URL).content.decode()
    assert "automatically" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"show": "parks"}, ["pilot"]),
        ({"show": "the-office"}, ["first", "edit"]),
        ({"user": "fan"}, ["edit", "pilot"]),
        ({"user": "author"}, ["first"]),
        ({"kind": "new"}, ["first", "pilot"]),
        ({"kind": "edit"}, ["edit"]),
        ({"days": "1"}, ["first", "edit"]),
        ({"days": "90"}, ["first", "edit", "pilot"]),
        ({"user": "fan", "kind": "edit", "show": "the-office", "days": "7"}, ["edit"]),
        ({"show": "no-such-show"}, []),
        ({"user": "nobody"}, []),
    ],
)
def test_filters(client, changes, query, expected):
    assert listed(client.get(URL, query)) == [changes[name].pk for name in expected]


@pytest.mark.parametrize(
    "query",
    [
        {"show": "not a slug!"},
        {"show": "x" * 500},
        {"user": "two words"},
        {"user": "nul\x00"},
        {"kind": "deleted"},
        {"days": "0"},
        {"days": "91"},
        {"days": "-1"},
        {"days": "1.5"},
        {"days": "9" * 40},
        {"days": "abc"},
        {"page": "last"},
        {"page": "99999"},
        {"page": "-3"},
    ],
)
def test_invalid_filters_are_ignored(client, changes, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert len(listed(response)) == 3


def test_it_paginates_keeping_the_filters(client, article, fan, moderator, monkeypatch):
    monkeypatch.setattr(recent, "PAGE_SIZE", 2)
    for number in range(3):
        approve_edit(article, fan, moderator, body=f"Version {number}")
    first = client.get(URL, {"kind": "edit"})
    assert len(listed(first)) == 2
    page = first.content.decode()
    assert "?kind=edit&amp;page=2" in page
    second = client.get(URL, {"kind": "edit", "page": 2})
    assert len(listed(second)) == 1


def test_page_size_is_50(client, changes):
    assert recent.PAGE_SIZE == 50
    assert client.get(URL).context["page"].paginator.per_page == 50


def test_it_rejects_post(client):
    assert client.post(URL).status_code == 405


def test_query_count_does_not_grow(client, article, fan, moderator, django_assert_num_queries):
    approve_edit(article, fan, moderator)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for number in range(6):
        writer = factories.make_user(f"writer{number}")
        episode = factories.make_episode(show_title=f"Show {number}", season=1, number=number + 1)
        new = factories.propose_article(writer, title=f"Page {number}", episode=episode)
        moderation.revision_approve(revision=new, moderator=moderator)
        approve_edit(article, writer, moderator)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(listed(response)) == 14
    # The rows, their count, and the shows for the filter.
    assert len(few.captured_queries) == 3


def test_the_header_links_here_and_to_the_feed(client):
    page = client.get(reverse("wiki:source-list")).content.decode()
    assert f'href="{URL}"' in page
    alternate = '<link rel="alternate" type="application/atom+xml" title="Fan wiki: recent changes"'
    assert f'{alternate} href="{FEED_URL}">' in page


def feed_entries(response):
    root = ElementTree.fromstring(response.content)
    return root, root.findall(f"{ATOM}entry")


def test_the_feed_lists_the_same_changes(client, changes):
    response = client.get(FEED_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root, entries = feed_entries(response)
    assert root.find(f"{ATOM}title").text == "Fan wiki: recent changes"
    edit = changes["edit"]
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles[1:] == ["Casino Night trivia: An edit", "Pilot trivia: New article"]
    entry = entries[1]
    assert entry.find(f"{ATOM}link").get("href").endswith(edit.get_absolute_url())
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "fan"
    updated = datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    assert updated == edit.decided_at


def test_the_feed_applies_the_filters(client, changes):
    _root, entries = feed_entries(client.get(FEED_URL, {"show": "parks"}))
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Pilot trivia: New article"]
    _root, entries = feed_entries(client.get(FEED_URL, {"kind": "bogus", "days": "1000"}))
    assert len(entries) == 3


def test_the_feed_holds_the_newest_50(client, article, fan, moderator, monkeypatch):
    assert feeds.FEED_SIZE == 50
    monkeypatch.setattr(feeds, "FEED_SIZE", 2)
    for number in range(3):
        approve_edit(article, fan, moderator, body=f"Version {number}")
    _root, entries = feed_entries(client.get(FEED_URL))
    assert len(entries) == 2


def test_the_feed_query_count_does_not_grow(
    client, article, fan, moderator, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as few:
        client.get(FEED_URL)
    for number in range(5):
        approve_edit(article, factories.make_user(f"feeder{number}"), moderator)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(FEED_URL)
