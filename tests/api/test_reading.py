"""Reading over the API: what readers see on the site, folded as the site folds it."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.moderation import services as moderation
from tests import factories

from .conftest import Api, make_token

pytestmark = pytest.mark.django_db


def test_an_article_has_its_text_html_citations_and_episode(api, article):
    response = api.get(f"/articles/{article.slug}")
    assert response.status_code == 200
    data = response.json()
    revision = article.approved_revision
    assert data["revision_id"] == revision.pk
    assert data["markdown"] == revision.body
    assert "Original text." in data["html"]
    assert data["citations"][0]["source"]["title"] == "The story behind the kiss"
    assert data["article"]["episode"]["code"] == "S02E22"
    assert data["article"]["folded"] is False


def test_the_article_read_costs_a_fixed_number_of_queries(api, article, author, moderator):
    api.get(f"/articles/{article.slug}")  # warm what is read once per process
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        assert api.get(f"/articles/{article.slug}").status_code == 200
    with CaptureQueriesContext(connection) as repeated:
        assert api.get(f"/articles/{article.slug}").json()["markdown"] == "Original text. [@1]"
    # More citations and sources do not add queries.
    for _ in range(3):
        revision = factories.propose_edit(article, author, body="More [@1] text.")
        moderation.revision_approve(revision=revision, moderator=moderator)
    with CaptureQueriesContext(connection) as later:
        assert api.get(f"/articles/{article.slug}").json()["revision_id"] == revision.pk
    # The article with its approved version, then its citations with their sources; a
    # repeated read comes from the shared cache until something is published.
    assert len(first) == len(later) == 2, [q["sql"] for q in later]
    assert len(repeated) == 0


def test_a_cached_answer_is_never_another_reader_s(api, article):
    assert api.get(f"/articles/{article.slug}").json()["article"]["folded"] is False
    folded = api.get(f"/articles/{article.slug}", {"watched_up_to": "the-office:S01E01"})
    assert folded.json()["article"]["folded"] is True
    revealed = api.get(
        f"/articles/{article.slug}", {"watched_up_to": "the-office:S01E01", "reveal": "true"}
    )
    assert revealed.json()["markdown"] is not None


def test_an_unpublished_article_is_its_creator_s_only_and_never_cached(client, author, fan):
    proposal = factories.propose_article(author, title="Not yet")
    slug = proposal.article.slug
    assert Api(client, make_token(author)).get(f"/articles/{slug}").status_code == 200
    assert Api(client, make_token(fan)).get(f"/articles/{slug}").status_code == 404
    assert Api(client).get(f"/articles/{slug}").status_code == 404


def test_etag_answers_304_until_the_article_changes(api, article, author, moderator):
    first = api.get(f"/articles/{article.slug}")
    tag = first["ETag"]
    again = api.get(f"/articles/{article.slug}", HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b""
    revision = factories.propose_edit(article, author, body="Newer text.")
    moderation.revision_approve(revision=revision, moderator=moderator)
    changed = api.get(f"/articles/{article.slug}", HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and changed["ETag"] != tag
    assert changed.json()["revision_id"] == revision.pk


def test_a_reader_before_the_episode_gets_it_folded(api, article):
    response = api.get(f"/articles/{article.slug}", {"watched_up_to": "the-office:S01E03"})
    data = response.json()
    assert data["article"]["folded"] is True
    assert data["article"]["title"] == "An article about S02E22 (after your point)"
    assert data["article"]["slug"] == f"S02E22-{article.pk}"
    assert article.title not in response.content.decode()
    assert "Original text" not in response.content.decode()
    assert data["markdown"] is None and data["citations"] == []
    revealed = api.get(
        f"/articles/{article.slug}", {"watched_up_to": "the-office:S01E03", "reveal": "true"}
    )
    assert revealed.json()["markdown"] == article.approved_revision.body
    # Past the episode: nothing folds.
    after = api.get(f"/articles/{article.slug}", {"watched_up_to": "the-office:S02E22"})
    assert after.json()["article"]["folded"] is False


def test_a_token_reads_with_its_owner_s_points(client, fan, article):
    fan.spoiler_points = {"the-office": "S01E01"}
    fan.save()
    data = Api(client, make_token(fan)).get(f"/articles/{article.slug}").json()
    assert data["article"]["folded"] is True


@pytest.mark.parametrize(
    ("path", "query"), [("/articles", {}), ("/recent", {}), ("/search", {"q": "Original"})]
)
def test_lists_fold_titles_and_summaries(api, article, path, query):
    response = api.get(path, {"watched_up_to": "the-office:S01E01", **query})
    assert response.status_code == 200
    text = response.content.decode()
    assert article.title not in text
    assert "An article about S02E22" in text
    assert article.slug not in text  # the neutral address stands for it
    assert "Original text" not in text
    assert "New article" not in text  # the summary


def test_a_bad_point_is_a_422_problem(api, article):
    response = api.get(f"/articles/{article.slug}", {"watched_up_to": "the-office"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "watched_up_to"


def test_history_compare_and_revision(api, article, author, moderator):
    first = article.approved_revision
    revision = factories.propose_edit(article, author, body="Changed text.")
    moderation.revision_approve(revision=revision, moderator=moderator)
    history = api.get(f"/articles/{article.slug}/history").json()
    assert [r["id"] for r in history["items"]] == [revision.pk, first.pk]
    compared = api.get(f"/articles/{article.slug}/compare", {"to": revision.pk}).json()
    assert compared["older_id"] == first.pk
    assert "-Original text." in compared["diff"] and "+Changed text." in compared["diff"]
    one = api.get(f"/revisions/{first.pk}").json()
    assert one["markdown"] == first.body and one["decision_reason"] is None


def test_a_pending_proposal_is_private(client, api, article, author, fan, moderator):
    proposal = factories.propose_edit(article, author, body="Secret draft.")
    assert api.get(f"/revisions/{proposal.pk}").status_code == 404
    assert Api(client, make_token(fan)).get(f"/revisions/{proposal.pk}").status_code == 404
    # Its author reads it with the read scope, not with a propose-only token.
    assert Api(client, make_token(author)).get(f"/revisions/{proposal.pk}").status_code == 200
    propose_only = Api(client, make_token(author, ("propose",)))
    assert propose_only.get(f"/revisions/{proposal.pk}").status_code == 404
    moderating = Api(client, make_token(moderator, ("moderate",)))
    assert moderating.get(f"/revisions/{proposal.pk}").json()["markdown"].startswith("Secret")
    assert b"Secret draft" not in api.get(f"/articles/{article.slug}").content


def test_cursor_pagination_neither_repeats_nor_skips_under_inserts(api, author, moderator):
    for n in range(5):
        factories.published_article(author, moderator, title=f"Article {n}")
    first = api.get("/articles", {"limit": 2}).json()
    # A new article arrives while the bot walks the list.
    factories.published_article(author, moderator, title="Arrived meanwhile")
    seen = [a["title"] for a in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = api.get("/articles", {"limit": 2, "cursor": cursor}).json()
        seen += [a["title"] for a in page["items"]]
        cursor = page["next_cursor"]
    assert seen == [f"Article {n}" for n in range(5)] + ["Arrived meanwhile"]


@pytest.mark.parametrize("cursor", ["garbage", "W10", "WyJ4Il0", "eyJhIjogMX0"])
def test_a_foreign_cursor_is_a_400_problem(api, cursor):
    response = api.get("/articles", {"cursor": cursor})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_sources_catalog_categories_and_recent(api, article):
    sources = api.get("/sources").json()["items"]
    assert [s["title"] for s in sources] == ["The story behind the kiss"]
    source = api.get(f"/sources/{sources[0]['id']}").json()
    assert source["citing"][0]["article"]["id"] == article.pk
    shows = api.get("/shows").json()
    assert shows[0]["slug"] == "the-office" and shows[0]["seasons"] == [2]
    episodes = api.get("/shows/the-office/episodes").json()["items"]
    assert episodes[0]["code"] == "S02E22"
    episode = api.get(f"/episodes/{episodes[0]['id']}").json()
    assert [a["id"] for a in episode["articles"]] == [article.pk]
    recent = api.get("/recent").json()["items"]
    assert recent[0]["revision_id"] == article.approved_revision_id
    assert api.get("/categories").json() == {"items": [], "next_cursor": None}
    assert api.get("/categories/nothing").status_code == 404


def test_bots_edits_are_marked_and_can_be_left_out(api, article, author, moderator):
    author.is_bot = True
    author.save()
    revision = factories.propose_edit(article, author, body="Bot text.")
    moderation.revision_approve(revision=revision, moderator=moderator)
    everything = api.get("/recent").json()["items"]
    assert everything[0]["bot"] is True
    without = api.get("/recent", {"bots": "false"}).json()["items"]
    assert all(not item["bot"] for item in without)
    assert revision.pk not in [item["revision_id"] for item in without]


def test_read_rate_limit_answers_429_with_retry_after(api, article, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api-read": "2/m"}
    assert api.get(f"/articles/{article.slug}").status_code == 200
    assert api.get(f"/articles/{article.slug}").status_code == 200
    refused = api.get(f"/articles/{article.slug}")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert refused.json()["retry_after"] >= 1


def test_the_reference_page_lists_every_operation_without_inline_script(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<script>" not in text and "onclick" not in text
    assert "/api/v1/articles/{key}/proposals" in text
    assert 'id="problem-stale-base"' in text
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    for path in schema["paths"]:
        assert f"/api/v1{path.removeprefix('/api/v1')}" in text


def test_sources_and_episodes_answer_304_too(api, article):
    source_id = article.approved_revision.citations.get().source_id
    for path in (f"/sources/{source_id}", f"/episodes/{article.episode_id}"):
        tag = api.get(path)["ETag"]
        assert api.get(path, HTTP_IF_NONE_MATCH=tag).status_code == 304
        assert api.get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_the_page_cache_keeps_anonymous_reads_never_a_token_s(client, api, article, fan):
    """Anonymous reads come from the site's page cache; a token reads as its owner (here:
    with a point before the episode), never from what was kept for anonymous readers."""
    assert api.get(f"/articles/{article.slug}")["X-Page-Cache"] == "miss"
    assert api.get(f"/articles/{article.slug}")["X-Page-Cache"] == "hit"
    fan.spoiler_points = {"the-office": "S01E01"}
    fan.save()
    as_fan = Api(client, make_token(fan)).get(f"/articles/{article.slug}")
    assert "X-Page-Cache" not in as_fan
    assert as_fan.json()["article"]["folded"] is True
