"""The category pages: the index, one category's articles (sorted, paginated, folded for
a reader's point), the editor's suggestions, the sitemap, and what they cost."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.categories import views
from apps.categories.models import Category
from apps.wiki import services
from apps.wiki.models import Revision
from apps.wiki.naming import Names
from tests import factories

from .helpers import category, members, propose, publish, refile

pytestmark = pytest.mark.django_db


def watch_up_to(client, season=1, number=1):
    point = factories.make_episode(season=season, number=number, title="Pilot")
    client.post(reverse("wiki:spoilers"), {"show": "the-office", "episode": point.pk})


def test_members_are_sorted_by_their_sort_keys(client, fan, moderator):
    publish(fan, moderator, "Alpha kiss", categories="Kisses|zzz")
    publish(fan, moderator, "beta kiss", categories="Kisses")
    publish(fan, moderator, "Gamma kiss", categories="Kisses")
    publish(fan, moderator, "Omega kiss", categories="Kisses|Aardvark")
    page = client.get(category("Kisses").get_absolute_url()).content.decode()
    # Sort keys are lower-cased titles unless given: "Aardvark" first, "zzz" last.
    assert members(page) == ["Omega kiss", "beta kiss", "Gamma kiss", "Alpha kiss"]
    assert '<span class="muted">(4)</span>' in page


def test_a_category_is_paginated(client, fan, moderator, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for title in ["E", "D", "C", "B", "A"]:
        publish(fan, moderator, f"{title} trivia", categories="Letters")
    url = category("Letters").get_absolute_url()
    pages = [members(client.get(url, {"page": n}).content.decode()) for n in (1, 2, 3)]
    assert pages == [["A trivia", "B trivia"], ["C trivia", "D trivia"], ["E trivia"]]
    first = client.get(url).content.decode()
    assert "Page 1 of 3" in first
    assert '<a href="?page=2">Next →</a>' in first
    # A page past the end or not a number: the nearest page, as Paginator.get_page does.
    assert members(client.get(url, {"page": "9"}).content.decode()) == ["E trivia"]
    assert members(client.get(url, {"page": "x"}).content.decode()) == ["A trivia", "B trivia"]


def test_the_index_lists_categories_with_their_article_counts(client, fan, moderator):
    publish(fan, moderator, "The kiss", categories="Kisses, Season finales")
    publish(fan, moderator, "Another kiss", categories="Kisses")
    publish(fan, moderator, "Category:Kisses", body="Every kiss.", categories="Romance")
    page = client.get(reverse("categories:index")).content.decode()
    items = re.findall(
        r'<li><a href="/categories/([^/]+)/">([^<]+)</a> <span class="muted">'
        r"(\d+) articles?</span>",
        page,
    )
    # A description page counts as a subcategory, not an article.
    assert items == [
        ("kisses", "Kisses", "2"),
        ("romance", "Romance", "0"),
        ("season-finales", "Season finales", "1"),
    ]
    for key in ("citation-needed", "disputed", "stale-proposals", "without-episode"):
        assert f'href="/categories/maintenance/{key}/"' in page


def test_an_unknown_category_is_not_found(client):
    assert client.get(reverse("categories:category", args=["nothing-here"])).status_code == 404


def test_a_category_without_a_description_invites_one(client, fan, moderator):
    publish(fan, moderator, "The kiss", categories="Kisses")
    page = client.get(category("Kisses").get_absolute_url()).content.decode()
    assert "No description yet." in page
    assert f"{reverse('wiki:article-create')}?title=Category%3AKisses" in page


def test_a_reader_before_the_episode_sees_no_title_of_a_later_member(
    client, fan, moderator, episode
):
    later = publish(fan, moderator, "The first kiss", categories="Kisses", episode=episode)
    early = publish(
        fan,
        moderator,
        "Pilot kiss",
        categories="Kisses",
        episode=factories.make_episode(season=1, number=1, title="Pilot"),
    )
    url = category("Kisses").get_absolute_url()
    watch_up_to(client)
    page = client.get(url).content.decode()
    assert "The first kiss" not in page and later.slug not in page
    assert (
        f'<a href="/wiki/{later.neutral_key}/">An article about S02E22 (after your point)</a>'
        in page
    )
    assert f'<a href="/wiki/{early.slug}/">Pilot kiss</a>' in page
    # Served again from the cache to this reader: still folded; another reader sees it.
    assert "The first kiss" not in client.get(url).content.decode()
    assert "The first kiss" in Client().get(url).content.decode()


def test_a_description_is_about_no_single_episode(client, fan, moderator, episode):
    """A category's name shows on every list of categories: its page cannot be about an
    episode (whose readers before it must not see the name). Refused, nothing written."""
    with pytest.raises(ValidationError) as refused:
        propose(fan, "Category:Kisses", body="Jim kisses Pam at the casino.", episode=episode)
    assert "about no single episode" in str(refused.value)
    assert not Revision.objects.filter(title="Category:Kisses").exists()
    article = publish(fan, moderator, "Casino trivia", episode=episode)
    article.refresh_from_db()
    current = article.approved_revision
    with pytest.raises(ValidationError, match="about no single episode"):
        services.revision_propose(
            article=article,
            author=fan,
            body=current.body,
            summary="Move",
            citations=[factories.cite()],
            base=current,
            names=Names(title="Category:Casino"),
        )


def test_a_change_is_seen_at_once_by_cached_readers(client, fan, author, moderator):
    article = publish(fan, moderator, "The kiss", categories="Kisses")
    url = category("Kisses").get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    index = client.get(reverse("categories:index")).content.decode()
    assert "1 article<" in index
    refile(article, author, moderator, "Pranks")
    assert members(client.get(url).content.decode()) == []
    index = client.get(reverse("categories:index")).content.decode()
    assert re.search(r"Kisses</a> <span class=\"muted\">0 articles", index)


def test_suggestions_start_with_what_is_typed_then_contain_it(client, fan, moderator):
    publish(fan, moderator, "The kiss", categories="Kisses, First kisses, Pranks")
    assert client.get(reverse("categories:suggest"), {"q": "kis"}).json() == {
        "names": ["Kisses", "First kisses"]
    }
    assert client.get(reverse("categories:suggest"), {"q": "  PRA "}).json() == {
        "names": ["Pranks"]
    }
    assert client.get(reverse("categories:suggest"), {"q": ""}).json() == {"names": []}
    assert client.get(reverse("categories:suggest")).json() == {"names": []}


def test_suggestions_are_limited(client, fan, moderator):
    names = ", ".join(f"Kiss {n:02d}" for n in range(12))
    publish(fan, moderator, "The kiss", categories=names)
    found = client.get(reverse("categories:suggest"), {"q": "kis"}).json()["names"]
    assert found == [f"Kiss {n:02d}" for n in range(10)]


def test_the_sitemap_lists_category_pages(client, fan, moderator):
    publish(fan, moderator, "The kiss", categories="Kisses, Season finales")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [
        loc.text for loc in ET.fromstring(response.content).findall("s:url/s:loc", namespace)
    ]
    assert any(loc.endswith("/categories/kisses/") for loc in locations)
    assert any(loc.endswith("/categories/season-finales/") for loc in locations)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    assert response.get("X-Page-Cache") != "hit"
    return len(context.captured_queries)


def _member(fan, moderator, number, name="Kisses"):
    episode = factories.make_episode(season=2, number=number, title=f"Episode {number}")
    return publish(fan, moderator, f"Kiss {number}", categories=name, episode=episode)


@pytest.mark.parametrize("point", [False, True])
def test_a_category_page_costs_the_same_for_one_member_or_six(
    client, fan, moderator, point, django_assert_num_queries
):
    publish(fan, moderator, "Category:Kisses", body="Every kiss.", categories="Romance")
    publish(fan, moderator, "Category:First kisses", body="The first ones.", categories="Kisses")
    _member(fan, moderator, 1)
    if point:
        watch_up_to(client, season=2, number=3)
        client.get("/")  # the point's message is shown once
    url = category("Kisses").get_absolute_url()
    small = count_queries(client, url)
    for number in range(2, 7):
        _member(fan, moderator, number)
    with django_assert_num_queries(small):
        page = client.get(url).content.decode()
    assert len(members(page)) == 6
    assert ("An article about S02E06 (after your point)" in page) is point
    # The category (with its description page and what it is merged into), the members
    # with their episodes and their count, the subcategories, the parents; a reader
    # with a point adds the session.
    assert small == (6 if point else 5)


def test_the_index_costs_the_same_for_one_category_or_six(
    client, fan, moderator, django_assert_num_queries
):
    _member(fan, moderator, 1, name="Category 1")
    small = count_queries(client, reverse("categories:index"))
    for number in range(2, 7):
        _member(fan, moderator, number, name=f"Category {number}")
    assert Category.objects.count() == 6
    with django_assert_num_queries(small):
        client.get(reverse("categories:index"))
    assert small == 2  # the categories with their counts, and how many there are


def test_the_editor_offers_suggestions_and_starts_from_the_categories_readers_see(
    client, fan, moderator
):
    article = publish(fan, moderator, "The kiss", categories="Kisses, Season finales|finale")
    client.force_login(fan)
    new = client.get(reverse("wiki:article-create")).content.decode()
    assert (
        f'id="category-suggestions" data-url="{reverse("categories:suggest")}"' in new
        and "js/categories.js" in new
    )
    edit = client.get(reverse("wiki:article-edit", args=[article.slug]))
    assert edit.context["form"]["categories"].value() == "Kisses\nSeason finales|finale"


def test_a_folded_articles_categories_stay_inside_its_fold(client, fan, moderator, episode):
    """What an article is filed under tells about it: for a reader before its episode, the
    foot is folded with the rest of the article."""
    article = publish(fan, moderator, "The kiss", categories="Zebra kisses", episode=episode)
    watch_up_to(client)
    page = client.get(article.get_absolute_url(), follow=True).content.decode()
    outside = re.sub(
        r'<details class="spoiler spoiler-article">.*?</details>', "", page, flags=re.S
    )
    assert "Zebra kisses" in page
    assert "Zebra kisses" not in outside
