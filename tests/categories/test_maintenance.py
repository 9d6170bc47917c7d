"""The lists the wiki keeps itself: articles that need work, from what they say and what
waits for review."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.categories import maintenance, views
from apps.moderation import services as moderation
from apps.wiki import services
from tests import factories

from .helpers import publish, refile

pytestmark = pytest.mark.django_db


def listed(client, key):
    response = client.get(reverse("categories:maintenance", args=[key]))
    assert response.status_code == 200
    return response.content.decode()


def titles(page):
    start = page.index("<h1>")
    return re.findall(r'<li><a href="/wiki/[^"]*">([^<]*)</a>', page[start:])


def test_citation_needed_lists_articles_whose_text_asks_for_one(client, fan, moderator):
    publish(fan, moderator, "Unsourced", body="A claim. [citation needed]")
    publish(fan, moderator, "Sourced", body="A claim.")
    page = listed(client, "citation-needed")
    assert "<h1>Articles with a statement needing a citation</h1>" in page
    assert titles(page) == ["Unsourced"]


def test_a_fixed_article_leaves_the_list(client, fan, author, moderator):
    article = publish(fan, moderator, "Unsourced", body="A claim. [citation needed]")
    assert titles(listed(client, "citation-needed")) == ["Unsourced"]
    edit = factories.propose_edit(article, author, body="A claim.")
    moderation.revision_approve(revision=edit, moderator=moderator)
    assert titles(listed(client, "citation-needed")) == []
    assert "No article is in this list just now." in listed(client, "citation-needed")


def test_disputed_lists_articles_with_a_disputed_statement(client, fan, moderator):
    source = factories.make_source("Another source")
    citations = [factories.cite(key=1), factories.cite(source, key=2)]
    revision = services.article_create(
        author=fan,
        title="Disputed",
        body="Told two ways. [disputed @1 @2]",
        summary="New",
        citations=citations,
    )
    moderation.revision_approve(revision=revision, moderator=moderator)
    publish(fan, moderator, "Calm", body="Told once.")
    assert titles(listed(client, "disputed")) == ["Disputed"]


def test_stale_proposals_lists_articles_with_a_proposal_waiting_too_long(
    client, fan, author, moderator, monkeypatch
):
    waiting = publish(fan, moderator, "Waiting")
    publish(fan, moderator, "Quiet")
    factories.propose_edit(waiting, author)
    factories.propose_article(author, title="Never published")
    # Signed in: the page is made for each request (a proposal changes nothing readers see,
    # so an anonymous reader's copy may be up to PAGE_CACHE_SECONDS old).
    client.force_login(fan)
    # Nothing has waited two weeks yet.
    assert titles(listed(client, "stale-proposals")) == []
    monkeypatch.setattr(maintenance, "STALE_AFTER", timedelta(0))
    # Every proposal is now stale: only published articles are listed, and not twice.
    factories.propose_edit(waiting, factories.make_user("second"))
    assert titles(listed(client, "stale-proposals")) == ["Waiting"]


def test_a_decided_proposal_is_not_stale(client, fan, author, moderator, monkeypatch):
    monkeypatch.setattr(maintenance, "STALE_AFTER", timedelta(0))
    article = publish(fan, moderator, "Waiting")
    edit = factories.propose_edit(article, author)
    assert titles(listed(client, "stale-proposals")) == ["Waiting"]
    moderation.revision_reject(revision=edit, moderator=moderator, reason="No.")
    # A rejection changes nothing readers see, so the page is served from the cache:
    # the list is fresh for a signed-in reader.
    client.force_login(moderator)
    assert titles(listed(client, "stale-proposals")) == []


def test_without_episode_lists_articles_about_no_single_episode(client, fan, moderator, episode):
    publish(fan, moderator, "Running jokes")
    publish(fan, moderator, "Casino night trivia", episode=episode)
    page = listed(client, "without-episode")
    assert titles(page) == ["Running jokes"]


def test_lists_fold_articles_after_the_reader_s_point(client, fan, moderator, episode):
    later = publish(
        fan, moderator, "The first kiss", body="A kiss. [citation needed]", episode=episode
    )
    point = factories.make_episode(season=1, number=1, title="Pilot")
    client.post(reverse("wiki:spoilers"), {"show": "the-office", "episode": point.pk})
    page = listed(client, "citation-needed")
    assert "The first kiss" not in page and later.slug not in page
    assert (
        f'<a href="/wiki/{later.neutral_key}/">An article about S02E22 (after your point)' in page
    )


def test_maintenance_lists_are_paginated(client, fan, moderator, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for title in "CAB":
        publish(fan, moderator, f"{title} jokes")
    url = reverse("categories:maintenance", args=["without-episode"])
    assert titles(client.get(url).content.decode()) == ["A jokes", "B jokes"]
    assert titles(client.get(url, {"page": 2}).content.decode()) == ["C jokes"]


def test_an_unknown_list_is_not_found(client):
    assert client.get(reverse("categories:maintenance", args=["nothing"])).status_code == 404


def test_maintenance_lists_are_not_at_an_article_s_foot(client, fan, author, moderator):
    article = publish(fan, moderator, "Unsourced", body="A claim. [citation needed]")
    refile(article, author, moderator, "Kisses")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "citation-needed/" not in page.split('<footer class="article-categories"')[1]


def test_a_list_costs_the_same_for_one_article_or_five(client, fan, moderator):
    point = factories.make_episode(season=2, number=2, title="Sexual Harassment")
    client.post(reverse("wiki:spoilers"), {"show": "the-office", "episode": point.pk})
    client.get("/")  # the point's message is shown once

    def needs_citation(number):
        episode = factories.make_episode(season=2, number=number, title=f"Episode {number}")
        publish(
            fan, moderator, f"Claim {number}", body="A claim. [citation needed]", episode=episode
        )

    def count():
        with CaptureQueriesContext(connection) as context:
            page = client.get(reverse("categories:maintenance", args=["citation-needed"]))
        return len(context.captured_queries), page.content.decode()

    needs_citation(1)
    small, _page = count()
    for number in range(2, 6):
        needs_citation(number)
    many, page = count()
    assert len(titles(page)) == 5
    assert page.count("(after your point)") == 3
    # The session with the reader's point, the articles with their episodes, their count.
    assert small == many == 3
