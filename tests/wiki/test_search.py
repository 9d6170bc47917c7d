"""Search: ranked approved text with highlighted snippets, and episodes by code.

Every test runs on SQLite and on PostgreSQL (DATABASE_URL): the backends search
differently (words in the text vs full-text search), and readers get the same promises.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.catalog.codes import parse_episode_code
from apps.moderation import services as moderation
from apps.wiki import search as search_module
from apps.wiki.search import search_articles
from apps.wiki.views import reading
from tests import factories

LONG_INTRO = "This paragraph is about the warehouse and the office party planning committee. " * 3


def search(client, query):
    response = client.get(reverse("wiki:search"), {"q": query})
    assert response.status_code == 200
    return response


def matched_words(segments):
    return [text.lower() for text, is_match in segments if is_match]


def test_it_ranks_a_title_match_above_a_text_match(client, author, moderator):
    text_only = factories.published_article(
        author, moderator, title="Office party", body="The dundie awards, then more dundie talk."
    )
    in_title = factories.published_article(
        author, moderator, title="Dundie awards trivia", body="Michael hosts at Chili's."
    )
    factories.published_article(author, moderator, title="Unrelated", body="Nothing here.")
    results = search_articles("dundie")
    assert [r.article for r in results] == [in_title, text_only]
    assert results[0].rank > results[1].rank
    assert list(search(client, "dundie").context["articles"]) == [in_title, text_only]


def test_a_title_match_outside_the_rank_window_still_comes_first(author, moderator, monkeypatch):
    """A word in more articles than the window: title matches are ranked wherever they are."""
    for n in range(3):
        factories.published_article(author, moderator, title=f"Early {n}", body="A teapot.")
    titled = factories.published_article(
        author, moderator, title="Teapot trivia", body="The teapot gift."
    )
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)
    results = search_articles("teapot")
    assert results[0].article == titled
    assert len(results) == 3  # the window (2) and the title match


def test_more_mentions_rank_higher(author, moderator):
    once = factories.published_article(author, moderator, title="First", body="A teapot appears.")
    often = factories.published_article(
        author, moderator, title="Second", body="The teapot, the teapot note, and the teapot again."
    )
    assert [r.article for r in search_articles("teapot")] == [often, once]


def test_every_word_must_match(author, moderator):
    both = factories.published_article(author, moderator, title="A", body="Jim kisses Pam.")
    factories.published_article(author, moderator, title="B", body="Jim pranks Dwight.")
    assert [r.article for r in search_articles("jim pam")] == [both]


def test_the_snippet_shows_and_marks_the_first_match(client, author, moderator):
    factories.published_article(
        author, moderator, title="Casino night", body=LONG_INTRO + "Then Jim **kisses** Pam."
    )
    [result] = search_articles("kisses")
    # The first match is past the lead, so the snippet starts mid-text with an ellipsis.
    assert result.snippet[0][0].startswith("…") and not result.snippet[0][1]
    assert "kisses" in matched_words(result.snippet)
    assert "**" not in "".join(text for text, _ in result.snippet)
    assert len("".join(text for text, _ in result.snippet)) <= 250
    assert "Jim <mark>kisses</mark> Pam" in search(client, "kisses").content.decode()


def test_title_words_are_marked(client, author, moderator):
    factories.published_article(author, moderator, title="Casino Night trivia", body="A text.")
    page = search(client, "casino").content.decode()
    assert "<mark>Casino</mark> Night trivia</a>" in page


def test_the_snippet_starts_the_text_when_only_the_title_matches(author, moderator):
    factories.published_article(author, moderator, title="Dundies", body="Michael hosts.")
    [result] = search_articles("dundies")
    assert "".join(text for text, _ in result.snippet).startswith("Michael hosts.")


def test_other_forms_of_a_word_match_and_are_marked(author, moderator):
    factories.published_article(author, moderator, title="A", body="Jim kissed Pam twice.")
    [result] = search_articles("kissing")
    assert matched_words(result.snippet) == ["kissed"]


def test_text_is_escaped_and_never_marked_safe(client, author, moderator):
    factories.published_article(
        author, moderator, title="Tom & Jerry <i>style</i>", body="Jim & Pam: 5 > 4, a kiss."
    )
    page = search(client, "kiss").content.decode()
    assert "Tom &amp; Jerry &lt;i&gt;style&lt;/i&gt;" in page
    assert "Jim &amp; Pam: 5 &gt; 4, a <mark>kiss</mark>." in page
    page = search(client, "<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)" not in page


def test_pending_text_never_matches(client, article, fan, moderator):
    proposal = factories.propose_edit(article, fan, body="Original text and a zebra.")
    factories.propose_article(fan, title="Unreviewed zebra page", body="A zebra.")
    assert search_articles("zebra") == []
    page = search(client, "zebra").content.decode()
    assert "No approved article matches" in page
    assert "Unreviewed" not in page
    # The author of the proposal sees the same: search shows what readers see.
    client.force_login(fan)
    assert search(client, "zebra").context["articles"] == []

    moderation.revision_approve(revision=proposal, moderator=moderator)
    [result] = search_articles("zebra")
    assert result.article == article
    assert "zebra" in matched_words(result.snippet)


def test_replaced_text_no_longer_matches(article, fan, moderator):
    moderation.revision_approve(
        revision=factories.propose_edit(article, fan, body="Entirely new words."),
        moderator=moderator,
    )
    assert search_articles("original") == []
    assert [r.article for r in search_articles("entirely")] == [article]


def test_spoiler_sections_stay_out_of_snippets(author, moderator):
    body = "Season three.\n\n!!! spoiler S03E05\n    They get engaged at a rest stop.\n\nAfter."
    factories.published_article(author, moderator, title="Engagement", body=body)
    [result] = search_articles("engagement")
    assert "rest stop" not in "".join(text for text, _ in result.snippet)


@pytest.mark.parametrize("query", ["S02E22", "s2e22", "2x22", "s02 e22"])
def test_an_episode_code_goes_to_the_episode(client, episode, query):
    response = client.get(reverse("wiki:search"), {"q": query})
    assert response.status_code == 302
    assert response["Location"] == episode.get_absolute_url()


def test_a_code_two_shows_share_lists_both(client, episode):
    other = factories.make_episode(show_title="Parks", season=2, number=22, title="Other")
    response = search(client, "S02E22")
    assert {e.pk for e in response.context["episodes"]} == {episode.pk, other.pk}


def test_it_finds_episodes_by_title(client, episode):
    response = search(client, "casino")
    assert [e.title for e in response.context["episodes"]] == ["Casino Night"]
    assert "The Office S02E22 “Casino Night”" in response.content.decode()


def test_no_result_offers_a_fan_the_new_article(client, fan):
    assert "Create an article titled" not in search(client, "Dundies 2005").content.decode()
    client.force_login(fan)
    page = search(client, "Dundies 2005").content.decode()
    assert f'href="{reverse("wiki:article-create")}?title=Dundies%202005"' in page


@pytest.mark.parametrize(
    ("text", "code"),
    [("S02E22", (2, 22)), (" s2e5 ", (2, 5)), ("3x01", (3, 1)), ("S02", None), ("2x", None)],
)
def test_parse_episode_code(text, code):
    assert parse_episode_code(text) == code


def test_the_page_counts_results_and_keeps_the_query(client, author, moderator):
    for title in ("Dundies one", "Dundies two"):
        factories.published_article(author, moderator, title=title, body="Text.")
    page = search(client, "dundies").content.decode()
    assert "2 articles match “dundies”" in page
    assert 'value="dundies"' in page


def test_an_empty_query_shows_help_and_no_results(client, article):
    response = search(client, "   ")
    assert response.context["articles"] == []
    assert "No approved article matches" not in response.content.decode()


def test_the_query_is_trimmed_and_bounded(client, article):
    response = search(client, "  original" + "x" * 500)
    assert len(response.context["query"]) == 200
    assert response.context["query"].startswith("original")
    assert search(client, "  Original\x00 ").context["query"] == "Original"


def test_the_limit_bounds_the_results(author, moderator):
    for number in range(3):
        factories.published_article(author, moderator, title=f"Dundies {number}", body="Text.")
    assert len(search_articles("dundies", limit=2)) == 2
    assert search_articles("dundies", limit=0) == []


def test_an_episode_without_matching_articles_is_still_found(client, article):
    article.episode.production_code = "2022"
    article.episode.save()
    page = search(client, "2022").content.decode()
    assert "No approved article matches “2022”: each episode’s page lists" in page
    assert 'href="' + article.episode.get_absolute_url() + '"' in page


def test_malformed_percent_encoding_is_answered(client, article):
    assert client.get(reverse("wiki:search") + "?q=%ED%A0%80%FForiginal%").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"casino night',
        "the",
        "the and of a",
        "-",
        "-original",
        "original -casino",
        "or or or",
        "!!",
        "& | ! <-> :* ( )",
        "'",
        "\\",
        "%_%",
        "😀",
        "😀 original 🎉",
        "x" * 200,
        "é" * 200,
        "original:*",
        "(((original",
        "S99E999",
        "99x999",
        "a b c d e f g h i j k l m n",
        "word " * 40,
    ],
)
def test_odd_input_is_answered(client, article, query):
    search(client, query)


def test_an_odd_query_still_finds_text(article):
    assert [r.article for r in search_articles('"original text"')] == [article]
    assert [r.article for r in search_articles("😀 original")] == [article]


def count_search_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        search(client, query)
    return len(queries)


def test_the_query_count_does_not_grow_with_results(client, author, moderator):
    episode = factories.make_episode()
    factories.published_article(author, moderator, title="Kiss 0", body="A kiss.", episode=episode)
    few = count_search_queries(client, "kiss")
    for number in range(1, 12):
        episode = factories.make_episode(number=number, title=f"Episode {number}")
        factories.published_article(
            author, moderator, title=f"Kiss {number}", body="A kiss. Kissing.", episode=episode
        )
    many = count_search_queries(client, "kiss")
    assert len(search(client, "kiss").context["articles"]) == 12
    assert many == few


def test_results_come_in_pages(client, author, moderator, monkeypatch):
    for n in range(7):
        factories.published_article(author, moderator, title=f"Teapot {n}", body="A teapot.")
    monkeypatch.setattr(reading, "PAGE_SIZE", 3)
    pages = [client.get(reverse("wiki:search"), {"q": "teapot", "page": n}) for n in (1, 2, 3, 9)]
    first, second, third, beyond = pages
    titles = [[r.article.title for r in page.context["results"]] for page in pages[:3]]
    assert [len(t) for t in titles] == [3, 3, 1]
    assert len(set(sum(titles, []))) == 7  # every match once, none twice
    assert first.context["next_page"] == 2 and first.context["previous_page"] is None
    assert third.context["next_page"] is None and third.context["previous_page"] == 2
    assert 'start="4"' in second.content.decode()
    assert "Articles 4 to 6 of those that match" in second.content.decode()
    assert beyond.context["results"] == []
    assert "No more articles match" in beyond.content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own index (FTS5)")
@pytest.mark.django_db(transaction=True)
def test_sqlite_index_follows_a_flush_and_a_restore(author, moderator, tmp_path):
    """A flush leaves the index's rows behind (Django does not know the table): the next
    migrate or flush makes it anew; a restored backup is searchable."""
    from django.core.management import call_command

    article = factories.published_article(author, moderator, title="Dundies", body="Michael hosts.")
    path = tmp_path / "wiki.jsonl"
    call_command("export_wiki", str(path), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM wiki_article_search")
        assert cursor.fetchone() == (0,)
    call_command("import_wiki", str(path), verbosity=0)
    assert [result.article.pk for result in search_articles("hosts")] == [article.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL parses the bodies")
@pytest.mark.django_db
def test_postgresql_keeps_each_versions_plain_text_for_snippets(article):

    key = search_module.plain_text_key(article.approved_revision)
    cache.delete(key)
    [first] = search_articles("original")
    assert cache.get(key) == "Original text."
    with CaptureQueriesContext(connection) as queries:
        [again] = search_articles("original")
    assert not any('"body"' in query["sql"] for query in queries.captured_queries)
    assert again.snippet == first.snippet
    assert matched_words(again.snippet) == ["original"]
