import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_the_sitemap_lists_published_articles_and_episodes(client, article, fan, episode):
    unpublished = factories.propose_article(fan, title="Not yet approved")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert article.get_absolute_url() in body
    assert episode.get_absolute_url() in body
    assert unpublished.article.get_absolute_url() not in body


def test_article_pages_have_canonical_and_opengraph_tags(client, article):
    page = client.get(article.get_absolute_url() + "?utm_source=x").content.decode()
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in page
    assert f'<meta property="og:title" content="{article.title}">' in page
    assert '<meta property="og:type" content="article">' in page


def test_episode_pages_have_opengraph_tags(client, episode):
    page = client.get(episode.get_absolute_url()).content.decode()
    assert "og:title" in page and "S02E22" in page
    assert reverse("home") in page
