"""The watchlist: the articles a fan follows, latest change first, at a fixed cost."""

import pytest
from django.urls import reverse

from apps.wiki.models import Follow
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_lists_followed_articles_newest_change_first(client, fan, author, moderator):
    older = factories.published_article(author, moderator, title="Older")
    newer = factories.published_article(author, moderator, title="Newer")
    factories.published_article(author, moderator, title="Not followed")
    for article in (older, newer):
        Follow.objects.create(user=fan, article=article)
    client.force_login(fan)
    page = client.get(reverse("wiki:following")).content.decode()
    assert page.index("Newer") < page.index("Older")
    assert "Not followed" not in page
    assert "Changed just now: “New article”" in page


def test_it_costs_the_same_for_many(client, fan, author, moderator, django_assert_num_queries):
    def follow(n):
        for i in range(n):
            article = factories.published_article(author, moderator, title=f"T{i}-{n}")
            Follow.objects.create(user=fan, article=article)

    client.force_login(fan)
    follow(1)
    with django_assert_num_queries(7) as few:  # session, user, count, page, header
        client.get(reverse("wiki:following"))
    follow(8)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("wiki:following"))


def test_it_needs_a_login(client):
    response = client.get(reverse("wiki:following"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_empty_watchlist_says_how_to_follow(client, fan):
    client.force_login(fan)
    assert "You follow no article yet." in client.get(reverse("wiki:following")).content.decode()
