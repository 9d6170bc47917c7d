"""HEAD answers wherever GET does, with the same status and headers and no body."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(article, fan, moderator):
    proposal = factories.propose_edit(article, fan)
    source = article.approved_revision.citations.get().source
    episode = article.episode
    season = episode.season
    show = season.show
    slug = article.slug
    public = [
        reverse("home"),
        reverse("wiki:article-list"),
        article.get_absolute_url(),
        reverse("wiki:article-history", args=[slug]),
        article.approved_revision.get_absolute_url(),
        reverse("wiki:source-list"),
        source.get_absolute_url(),
        reverse("wiki:search") + "?q=kiss",
        reverse("wiki:citation-needed"),
        reverse("wiki:disputed"),
        reverse("wiki:recent"),
        reverse("wiki:recent-feed"),
        reverse("wiki:profile", args=["author"]),
        reverse("catalog:show", args=[show.slug]),
        reverse("catalog:season", args=[show.slug, season.number]),
        reverse("catalog:episode", args=[show.slug, season.number, episode.number]),
        "/sitemap.xml",
        reverse("accounts:login"),
        reverse("accounts:signup"),
        reverse("healthz"),
    ]
    signed_in = [
        reverse("wiki:article-edit", args=[slug]),
        reverse("wiki:article-create"),
        reverse("wiki:contributions"),
        reverse("notifications:list"),
    ]
    moderating = [
        reverse("moderation:queue"),
        reverse("moderation:review", args=[proposal.pk]),
        reverse("moderation:stats"),
        reverse("moderation:audit"),
        reverse("moderation:article", args=[slug]),
    ]
    return {None: public, fan: signed_in, moderator: moderating}


def test_every_page_answers_head_like_get(client, pages):
    for user, urls in pages.items():
        if user is not None:
            client.force_login(user)
        for url in urls:
            got = client.get(url)
            head = client.head(url)
            assert got.status_code == 200, url
            assert head.status_code == 200, url
            assert head["Content-Type"] == got["Content-Type"], url
            assert head.content == b"", url
