"""An article about an episode after the reader's point folds whole, title included."""

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

TEXT = "Jim and Pam kiss for the first time"


@pytest.fixture
def later(author, moderator, episode):
    """An article about S02E22, and a reader who has watched up to S01E01."""
    return factories.published_article(
        author, moderator, title="The first kiss", body=f"{TEXT}.", episode=episode
    )


def watch_up_to(client, season=1, number=1):
    early = factories.make_episode(season=season, number=number, title="Pilot")
    client.post(reverse("wiki:spoilers"), {"show": "the-office", "episode": early.pk})


def outside_the_fold(page):
    return re.sub(r'<details class="spoiler spoiler-article">.*?</details>', "", page, flags=re.S)


def test_a_reader_before_the_episode_sees_nothing_of_it_unfolded(client, later):
    watch_up_to(client)
    page = client.get(later.get_absolute_url()).content.decode()
    assert '<details class="spoiler spoiler-article">' in page
    assert "<h1>An article about S02E22, after your point</h1>" in page
    assert "<title>Spoilers: an article about S02E22" in page
    rest = outside_the_fold(page)
    assert TEXT not in rest
    assert "The first kiss" not in rest
    assert TEXT in page  # inside the fold, for a reader who opens it


def test_a_reader_past_the_episode_reads_it_as_usual(client, later):
    watch_up_to(client, season=3, number=1)
    page = client.get(later.get_absolute_url()).content.decode()
    assert "spoiler-article" not in page
    assert "<h1>The first kiss</h1>" in page


def test_search_does_not_leak_a_folded_article(client, later):
    watch_up_to(client)
    page = client.get(reverse("wiki:search"), {"q": "kiss"}).content.decode()
    assert f"/wiki/{later.neutral_key}/" in page  # linked by episode and id, not by its slug
    assert later.slug not in page
    assert "An article about S02E22 (after your point)" in page
    assert TEXT not in page and "The first kiss" not in page


def test_the_episode_page_does_not_leak_titles(client, later, episode):
    watch_up_to(client)
    page = client.get(episode.get_absolute_url()).content.decode()
    assert "The first kiss" not in page
    assert "An article about S02E22 (after your point)" in page


@pytest.mark.parametrize("url_name", ["home", "wiki:recent"])
def test_lists_of_articles_do_not_leak_a_folded_one(client, later, url_name):
    watch_up_to(client)
    page = client.get(reverse(url_name)).content.decode()
    assert f"/wiki/{later.neutral_key}/" in page
    assert later.slug not in page
    assert "An article about S02E22 (after your point)" in page
    assert "The first kiss" not in page
