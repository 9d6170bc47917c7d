"""POST /wiki/<slug>/follow/ and /unfollow/, and the button on the article page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.wiki.models import Follow
from tests import factories

pytestmark = pytest.mark.django_db


def follow_url(article):
    return reverse("wiki:article-follow", args=[article.slug])


def unfollow_url(article):
    return reverse("wiki:article-unfollow", args=[article.slug])


def test_it_follows(client, article, fan):
    client.force_login(fan)
    response = client.post(follow_url(article))
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert Follow.objects.filter(user=fan, article=article).exists()


def test_following_twice_keeps_one_row(client, article, fan):
    client.force_login(fan)
    client.post(follow_url(article))
    client.post(follow_url(article))
    assert Follow.objects.filter(user=fan, article=article).count() == 1


def test_it_unfollows(client, article, fan):
    Follow.objects.create(user=fan, article=article)
    client.force_login(fan)
    response = client.post(unfollow_url(article))
    assert response.status_code == 302
    assert not Follow.objects.filter(user=fan, article=article).exists()
    # Unfollowing what one does not follow is no error.
    assert client.post(unfollow_url(article)).status_code == 302


def test_it_leaves_other_followers_alone(client, article, fan, author):
    Follow.objects.create(user=author, article=article)
    Follow.objects.create(user=fan, article=article)
    client.force_login(fan)
    client.post(unfollow_url(article))
    assert Follow.objects.filter(user=author, article=article).exists()


def test_it_rejects_get(client, article, fan):
    client.force_login(fan)
    assert client.get(follow_url(article)).status_code == 405
    assert client.get(unfollow_url(article)).status_code == 405
    assert not Follow.objects.exists()


def test_it_requires_login(client, article):
    response = client.post(follow_url(article))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not Follow.objects.exists()


def test_unknown_article_is_404(client, fan):
    client.force_login(fan)
    assert client.post("/wiki/no-such-article/follow/").status_code == 404
    assert client.post("/wiki/no-such-article/unfollow/").status_code == 404


def test_an_unpublished_article_is_404_for_others(client, author, fan, moderator):
    pending = factories.propose_article(author, title="Not yet").article
    client.force_login(fan)
    assert client.post(follow_url(pending)).status_code == 404
    assert not Follow.objects.exists()
    # Its creator and moderators can see it, so they can follow it.
    for user in (author, moderator):
        client.force_login(user)
        assert client.post(follow_url(pending)).status_code == 302
    assert Follow.objects.filter(article=pending).count() == 2


def test_the_article_page_offers_follow_then_unfollow(client, article, fan):
    client.force_login(fan)
    page = client.get(article.get_absolute_url())
    assert page.context["is_following"] is False
    assert follow_url(article) in page.content.decode()
    client.post(follow_url(article))
    page = client.get(article.get_absolute_url())
    assert page.context["is_following"] is True
    assert unfollow_url(article) in page.content.decode()
    assert follow_url(article) not in page.content.decode()


def test_someone_elses_follow_is_not_mine(client, article, fan, author):
    Follow.objects.create(user=author, article=article)
    client.force_login(fan)
    assert client.get(article.get_absolute_url()).context["is_following"] is False


def test_readers_see_no_button(client, article):
    page = client.get(article.get_absolute_url())
    assert follow_url(article) not in page.content.decode()
    assert "follow-form" not in page.content.decode()


def test_following_costs_the_article_page_nothing(
    client, article, fan, django_assert_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # the page itself, not its cached text
    client.force_login(fan)
    with CaptureQueriesContext(connection) as not_following:
        client.get(article.get_absolute_url())
    Follow.objects.create(user=fan, article=article)
    with django_assert_num_queries(len(not_following.captured_queries)):
        response = client.get(article.get_absolute_url())
    assert response.context["is_following"] is True
