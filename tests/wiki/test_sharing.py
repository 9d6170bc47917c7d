import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://wiki.example.org"


def test_the_sitemap_lists_published_articles_and_episodes(client, article, fan, episode):
    unpublished = factories.propose_article(fan, title="Not yet approved")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"<loc>https://wiki.example.org{article.get_absolute_url()}</loc>" in body
    assert f"<loc>https://wiki.example.org{episode.get_absolute_url()}</loc>" in body
    assert unpublished.article.get_absolute_url() not in body
    assert "testserver" not in body


def test_the_feed_links_to_the_site_url(client, article):
    body = client.get(reverse("wiki:recent-feed"), HTTP_HOST="127.0.0.1").content.decode()
    assert f'href="https://wiki.example.org{article.approved_revision.get_absolute_url()}"' in body
    assert '<link href="https://wiki.example.org/recent/feed/" rel="self"/>' in body
    assert "127.0.0.1" not in body


def test_article_pages_have_canonical_and_opengraph_tags(client, article):
    page = client.get(article.get_absolute_url() + "?utm_source=x").content.decode()
    url = f"https://wiki.example.org{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert f'<meta property="og:title" content="{article.title}">' in page
    assert '<meta property="og:type" content="article">' in page


def test_episode_pages_have_opengraph_tags(client, episode):
    page = client.get(episode.get_absolute_url()).content.decode()
    assert "og:title" in page and "S02E22" in page
    assert reverse("home") in page
