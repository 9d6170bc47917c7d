"""Pages readers browse: home, catalog, article, history, sources, search."""

import pytest
from django.urls import reverse

from apps.moderation import services as moderation
from tests import factories

pytestmark = pytest.mark.django_db


def test_home_lists_shows_and_recent_changes(client, article):
    page = client.get(reverse("home")).content.decode()
    assert "The Office" in page
    assert article.title in page


def test_show_season_episode_pages(client, article, episode):
    show_page = client.get(episode.season.show.get_absolute_url()).content.decode()
    assert "Season 2" in show_page
    season_page = client.get(episode.season.get_absolute_url()).content.decode()
    assert "Casino Night" in season_page
    episode_page = client.get(episode.get_absolute_url()).content.decode()
    assert "S02E22" in episode_page
    assert article.title in episode_page


def test_unknown_catalog_pages_are_404(client, episode):
    assert client.get("/shows/nothing/").status_code == 404
    assert client.get("/shows/the-office/season/9/").status_code == 404
    assert client.get("/shows/the-office/season/2/episode/99/").status_code == 404
    assert client.get("/wiki/no-such-article/").status_code == 404


def test_history_lists_only_approved_revisions(client, article, fan, moderator):
    approved = factories.propose_edit(article, fan, body="Second version")
    moderation.revision_approve(revision=approved, moderator=moderator)
    pending = factories.propose_edit(article, fan, body="Third, pending")
    response = client.get(reverse("wiki:article-history", args=[article.slug]))
    revisions = list(response.context["page"].object_list)
    assert approved in revisions and article.approved_revision in revisions
    assert pending not in revisions


def test_an_old_approved_revision_is_readable(client, article, fan, moderator):
    first = article.approved_revision
    moderation.revision_approve(revision=factories.propose_edit(article, fan), moderator=moderator)
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Original text." in page and "older approved version" in page


def test_source_pages(client, article):
    source = article.approved_revision.citations.get().source
    listing = client.get(reverse("wiki:source-list"), {"q": "story"}).content.decode()
    assert source.title in listing
    detail = client.get(source.get_absolute_url()).content.decode()
    assert article.title in detail


def test_a_source_only_in_a_proposal_is_not_public(client, article, fan, moderator):
    proposal = factories.propose_edit(article, fan, source=factories.make_source("Only here"))
    source = proposal.citations.get().source
    assert client.get(source.get_absolute_url()).status_code == 404
    assert source.title not in client.get(reverse("wiki:source-list")).content.decode()
    client.force_login(moderator)
    assert client.get(source.get_absolute_url()).status_code == 200
    moderation.revision_approve(revision=proposal, moderator=moderator)
    client.logout()
    assert article.title in client.get(source.get_absolute_url()).content.decode()


def test_a_source_page_lists_only_current_approved_text(client, article, fan, moderator):
    old_source = article.approved_revision.citations.get().source
    moderation.revision_approve(revision=factories.propose_edit(article, fan), moderator=moderator)
    detail = client.get(old_source.get_absolute_url()).content.decode()
    assert "No approved article cites this source at the moment" in detail


def test_search_finds_text_and_episode_codes(client, article, fan):
    factories.propose_article(fan, title="Unreviewed page", body="Original text.")
    response = client.get(reverse("wiki:search"), {"q": "original"})
    assert list(response.context["articles"]) == [article]
    response = client.get(reverse("wiki:search"), {"q": "s02e22"})
    assert response["Location"] == article.episode.get_absolute_url()


def test_season_page_counts_only_published_articles(client, article, fan, episode):
    factories.propose_article(fan, title="Unreviewed trivia", episode=episode)
    response = client.get(episode.season.get_absolute_url())
    counts = {e.title: e.article_count for e in response.context["episodes"]}
    assert counts == {"Casino Night": 1}


def test_episode_page_lists_only_published_articles(client, article, fan, episode):
    factories.propose_article(fan, title="Unreviewed trivia", episode=episode)
    response = client.get(episode.get_absolute_url())
    assert list(response.context["articles"]) == [article]


def test_an_article_with_three_sections_has_contents(client, author, moderator):
    body = "Intro.\n\n## First\n\nA.\n\n## Second\n\nB.\n\n## Third\n\nC."
    article = factories.published_article(author, moderator, title="Sections", body=body)
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<nav class="toc" aria-labelledby="toc-heading">' in page
    assert '<a href="#h-second">Second</a>' in page


def test_an_episode_links_its_neighbours_across_seasons(client, episode):
    before = factories.make_episode(season=2, number=21, title="Conflict Resolution")
    after = factories.make_episode(season=3, number=1, title="Gay Witch Hunt")
    factories.make_episode(show_title="Parks", season=2, number=23, title="Other show")
    page = client.get(episode.get_absolute_url()).content.decode()
    assert f'<a rel="prev" href="{before.get_absolute_url()}">' in page
    assert f'<a rel="next" href="{after.get_absolute_url()}">' in page


def test_an_episode_article_has_an_infobox(client, article, author, moderator):
    after = factories.make_episode(season=3, number=1, title="Gay Witch Hunt")
    other = factories.published_article(
        author, moderator, title="More Casino Night", episode=article.episode
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<aside class="infobox" aria-labelledby="infobox-heading">' in page
    assert f'<dt>After</dt><dd><a href="{after.get_absolute_url()}">' in page
    assert f'<a href="{other.get_absolute_url()}">More Casino Night</a>' in page
