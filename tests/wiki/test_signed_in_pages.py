"""The article page kept for signed-in fans: one page, its personal parts made for each."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from apps.moderation import services as moderation
from apps.notifications.services import notify
from apps.safety.services import block_create
from apps.wiki.models import Follow
from apps.wiki.permissions import can_moderate
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')


def same_page(html: bytes) -> bytes:
    """The page without its CSRF tokens, which differ on every request."""
    return TOKEN.sub(rb"\1-\2", html)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fresh(client, url, settings) -> bytes:
    """The page as the view makes it for this reader, the cache left out."""
    seconds = settings.PAGE_CACHE_SECONDS
    settings.PAGE_CACHE_SECONDS = 0
    try:
        response = client.get(url)
        assert response.get("X-Page-Cache") is None
        return same_page(response.content)
    finally:
        settings.PAGE_CACHE_SECONDS = seconds


def test_a_fans_page_is_served_to_another_fan_with_their_own_parts(article, fan, settings):
    other = factories.make_user("other-fan")
    Follow.objects.create(article=article, user=other)
    proposal = factories.propose_edit(article, other, body="Other's idea.")
    notify(other, message="Something happened", url="/", email=False)
    url = article.get_absolute_url()
    first = signed_in(fan).get(url)
    assert first["X-Page-Cache"] == "miss"
    client = signed_in(other)
    page = client.get(url)
    assert page["X-Page-Cache"] == "hit"
    html = page.content.decode()
    # Their own name, count, follow state and proposal; nothing of the fan who made it.
    assert f"Log out {other.username}" in html
    assert f"Log out {fan.username}" not in html
    assert "(1<span" in html
    assert "Unfollow" in html
    assert reverse("wiki:revision-withdraw", args=[proposal.pk]) in html
    # Byte for byte the page the view makes for them.
    assert same_page(page.content) == fresh(client, url, settings)
    # And the first fan's page, served from the cache too, is still theirs alone.
    again = signed_in(fan).get(url)
    assert again["X-Page-Cache"] == "hit"
    assert same_page(again.content) == same_page(first.content)
    assert "Unfollow" not in again.content.decode()


def test_the_csrf_tokens_of_a_served_page_work(article, fan):
    url = article.get_absolute_url()
    signed_in(fan).get(url)
    other = factories.make_user("other-fan")
    client = Client(enforce_csrf_checks=True)
    client.force_login(other)
    page = client.get(url)
    assert page["X-Page-Cache"] == "hit"
    follow = reverse("wiki:article-follow", args=[article.slug])
    form = re.search(
        rf'action="{follow}">.*?name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()
    )
    response = client.post(follow, {"csrfmiddlewaretoken": form[1]})
    assert response.status_code == 302
    assert Follow.objects.filter(article=article, user=other).exists()
    assert "Unfollow" in client.get(url).content.decode()


def test_moderators_are_not_served_a_fans_page(article, fan, moderator):
    factories.propose_edit(article, fan)
    url = article.get_absolute_url()
    signed_in(fan).get(url)
    page = signed_in(moderator).get(url)
    assert page.get("X-Page-Cache") is None
    assert reverse("moderation:queue") in page.content.decode()  # the pending notice and link


def test_a_fan_made_moderator_gets_the_moderators_page_at_once(article, fan):
    client = signed_in(fan)
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    fan.groups.add(factories.moderators_group())
    page = client.get(url)
    assert page.get("X-Page-Cache") is None
    assert reverse("moderation:queue") in page.content.decode()


def test_an_unpublished_article_is_never_kept(author, fan, episode):
    article = factories.propose_article(author, episode=episode).article
    url = article.get_absolute_url()
    client = signed_in(author)
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert signed_in(fan).get(url).status_code == 404


def test_a_change_moves_the_kept_page_on(article, fan, moderator):
    client = signed_in(fan)
    url = article.get_absolute_url()
    client.get(url)
    moderation.revision_approve(
        revision=factories.propose_edit(article, factories.make_user("w"), body="Newer text."),
        moderator=moderator,
    )
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "Newer text." in page.content.decode()


def test_markers_in_a_fans_text_are_only_text(author, moderator, fan, episode):
    forged = "<!--personal:" + "0" * 32 + ":includes/site_nav.html--> forged"
    article = factories.published_article(author, moderator, episode=episode, body=forged)
    url = article.get_absolute_url()
    signed_in(fan).get(url)
    html = signed_in(factories.make_user("other-fan")).get(url).content.decode()
    assert "<!--personal" not in html
    assert html.count("Log out other-fan") == 1


def test_a_kept_page_costs_two_queries(redis_cache, article, fan, django_assert_num_queries):
    url = article.get_absolute_url()
    client = signed_in(fan)
    client.get(url)
    signed_in(factories.make_user("other-fan")).get(url)  # fills the permissions of another
    # The user, and one for the personal parts (following, own proposals, unread count).
    with django_assert_num_queries(2):
        page = client.get(url)
    assert page["X-Page-Cache"] == "hit"
    factories.propose_edit(article, fan)
    with django_assert_num_queries(3):  # ... and the proposals themselves, when there are
        assert "awaits review" in client.get(url).content.decode()


def test_permissions_are_kept_until_they_change(redis_cache, fan, django_assert_num_queries):
    def reread():
        return get_user_model().objects.get(pk=fan.pk)

    assert not can_moderate(reread())
    with django_assert_num_queries(1):  # the user; their permissions come from the cache
        assert not can_moderate(reread())
    group = factories.moderators_group()
    fan.groups.add(group)
    assert can_moderate(reread())
    moderate = Permission.objects.get(codename="moderate_revision")
    group.permissions.remove(moderate)
    assert not can_moderate(reread())
    group.permissions.add(moderate)
    assert can_moderate(reread())
    fan.groups.remove(group)
    assert not can_moderate(reread())
    fan.user_permissions.add(moderate)
    assert can_moderate(reread())
    fan.user_permissions.clear()
    assert not can_moderate(reread())


def test_the_kept_page_ends_with_the_session(redis_cache, article, fan):
    client = signed_in(fan)
    url = article.get_absolute_url()
    client.get(url)
    client.post(reverse("accounts:logout"))
    page = client.get(url)
    assert "Log out" not in page.content.decode()
    assert page["X-Page-Cache"] == "miss"  # the anonymous readers' page, not the fan's


def test_staff_and_blocked_fans_get_the_page_the_view_makes_for_them(
    article, fan, moderator, settings
):
    url = article.get_absolute_url()
    signed_in(fan).get(url)
    staff = factories.make_user("staff-fan", staff=True)
    blocked = factories.make_user("blocked-fan")
    block_create(moderator=moderator, reason="Vandalism", user=blocked)
    for who in (staff, blocked):
        client = signed_in(who)
        page = client.get(url)
        assert page["X-Page-Cache"] == "hit"
        assert same_page(page.content) == fresh(client, url, settings)
    assert reverse("admin:index") in signed_in(staff).get(url).content.decode()


def test_a_superuser_made_or_unmade_is_seen_at_once(redis_cache, fan):
    def reread():
        return get_user_model().objects.get(pk=fan.pk)

    assert not can_moderate(reread())
    get_user_model().objects.filter(pk=fan.pk).update(is_superuser=True)  # no signal
    assert can_moderate(reread())
    get_user_model().objects.filter(pk=fan.pk).update(is_superuser=False)
    assert not can_moderate(reread())
