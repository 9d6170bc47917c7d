"""The sources autocomplete (apps/wiki/views/sources.py): what the citation picker asks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.wiki.views.sources import MAX_IDS, MAX_RESULTS
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("wiki:source-autocomplete")


def titles(response):
    assert response.status_code == 200, response.content
    return [result["title"] for result in response.json()["results"]]


def search(client, text):
    return titles(client.get(URL, {"q": text}))


def query_count(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.fixture
def cited(article):
    """The source the article's approved text cites: anyone may cite it."""
    return article.approved_revision.citations.get().source


@pytest.fixture
def pending_source(article, author):
    """A source described only in the author's pending proposal."""
    source = factories.make_source("Pending interview with the director", created_by=author)
    factories.propose_edit(article, author, source=source)
    return source


def test_it_finds_sources_by_title_url_or_publisher(client, fan, cited):
    factories.make_source("Office Ladies", kind="podcast", publisher="Earwolf")
    factories.make_source("Trivia page", url="https://example.com/office-trivia")
    cited.publisher = "The Reader's Digest"
    cited.save()
    client.force_login(fan)
    assert search(client, "office ladies") == []  # not cited by approved text: not the fan's
    assert search(client, "STORY behind") == [cited.title]
    assert search(client, "reader's") == [cited.title]


def test_it_answers_what_the_picker_shows(client, fan):
    source = factories.make_source(
        "<img src=x onerror=alert(1)> Kiss",
        kind="book",
        publisher="Harper & Row",
        author="B. J. Novak",
        url="https://example.com/kiss",
        created_by=fan,
    )
    client.force_login(fan)
    response = client.get(URL, {"q": "kiss"})
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # Plain strings, as stored: the script inserts them as text.
    assert response.json() == {
        "results": [
            {
                "id": source.pk,
                "title": "<img src=x onerror=alert(1)> Kiss",
                "kind": "book",
                "kind_label": "Book",
                "publisher": "Harper & Row",
                "author": "B. J. Novak",
                "url": "https://example.com/kiss",
            }
        ]
    }


def test_titles_that_start_with_the_text_come_first(client, fan):
    for title in ["The Casino Night commentary", "casino night, a review", "Behind Casino"]:
        factories.make_source(title, created_by=fan)
    factories.make_source("Unrelated", publisher="Casino Weekly", created_by=fan)
    client.force_login(fan)
    assert search(client, "casino") == [
        "casino night, a review",
        "Behind Casino",
        "The Casino Night commentary",
        "Unrelated",
    ]


@pytest.mark.parametrize(
    ("persona", "offered"),
    [
        ("fan", {"own"}),
        ("author", {"pending"}),
        ("moderator", {"own", "pending"}),
        ("staff", {"own", "pending"}),
    ],
)
def test_unapproved_sources_are_offered_to_their_creator_and_moderators(
    client, fan, author, moderator, staff, pending_source, persona, offered
):
    """A source only in someone else's pending proposal is not offered to a fan."""
    own = factories.make_source("Pending interview, the fan's own", created_by=fan)
    names = {own.title: "own", pending_source.title: "pending"}
    users = {"fan": fan, "author": author, "moderator": moderator, "staff": staff}
    client.force_login(users[persona])
    assert {names[title] for title in search(client, "pending interview")} == offered
    asked = client.get(URL, {"id": f"{own.pk},{pending_source.pk}"})
    assert {names[title] for title in titles(asked)} == offered


def test_ids_are_answered_if_visible(client, fan, cited, pending_source):
    own = factories.make_source("Mine", created_by=fan)
    client.force_login(fan)
    asked = f"{own.pk},{pending_source.pk},999999"
    assert titles(client.get(URL, {"id": [asked, cited.pk]})) == ["Mine", cited.title]
    assert titles(client.get(f"{URL}?id={cited.pk}&id={own.pk}&id={cited.pk}")) == [
        cited.title,
        "Mine",
    ]


def test_it_refuses_anonymous_users(client, cited):
    response = client.get(URL, {"q": "story"})
    assert response.status_code == 403
    assert response.json()["error"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_rejects_other_methods(client, fan, method):
    client.force_login(fan)
    assert getattr(client, method)(URL, {"q": "story"}).status_code == 405


@pytest.mark.parametrize("text", ["", "s", "  s  ", "\x00s\x00"])
def test_fewer_than_two_characters_find_nothing(client, fan, cited, text):
    client.force_login(fan)
    assert search(client, text) == []


def test_nul_characters_are_removed_and_the_text_trimmed(client, fan, cited):
    client.force_login(fan)
    assert search(client, "  sto\x00ry  ") == [cited.title]


def test_long_text_and_like_wildcards_are_just_text(client, fan, cited):
    client.force_login(fan)
    assert search(client, "story" * 300) == []
    assert search(client, "%%") == []
    assert search(client, "__") == []


@pytest.mark.parametrize(
    "params",
    [
        {"id": "abc"},
        {"id": "12a"},
        {"id": "-1"},
        {"id": "1.5"},
        {"id": "²"},
        {"id": "9" * 40},
        {"id": ",".join(str(n) for n in range(1, MAX_IDS + 2))},
        {"q": "story\x01"},
        {"q": "a\x1bb"},
    ],
)
def test_bad_input_is_a_400_with_a_message(client, fan, params):
    client.force_login(fan)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_at_most_twenty_results(client, fan):
    for number in range(MAX_RESULTS + 5):
        factories.make_source(f"Interview {number:02d}", created_by=fan)
    client.force_login(fan)
    assert search(client, "interview") == [f"Interview {n:02d}" for n in range(MAX_RESULTS)]


def test_the_search_is_one_query_however_many_sources(client, fan):
    client.force_login(fan)
    without_search = query_count(client, {"q": "i"})  # too short: no search at all
    factories.make_source("Interview", created_by=fan)
    one = query_count(client, {"q": "interview"})
    for number in range(40):
        factories.make_source(f"Interview {number}", created_by=fan)
    assert query_count(client, {"q": "interview"}) == one == without_search + 1
    assert query_count(client, {"id": "1,2,3,4,5"}) == without_search + 1
