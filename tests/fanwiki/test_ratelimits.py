"""Abuse limits: over a limit, a 429 with Retry-After before the view runs (nothing written).

Counted in the "limits" cache (in-process here), apart from the cached pages;
test_ratelimits_shared.py runs two server processes against the real Redis.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import get_resolver, reverse

from apps.wiki.models import Follow
from fanwiki import ratelimits

pytestmark = pytest.mark.django_db


def signup_data(n):
    return {
        "username": f"newfan{n}",
        "email": f"newfan{n}@example.com",
        "password1": "a long enough passphrase 1",
        "password2": "a long enough passphrase 1",
    }


def test_signups_from_one_address_are_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": "2/h"}
    for n in range(2):
        assert client.post(reverse("accounts:signup"), signup_data(n)).status_code == 302
        client.logout()
    response = client.post(reverse("accounts:signup"), signup_data(2))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert "Slow down" in response.content.decode()
    assert not get_user_model().objects.filter(username="newfan2").exists()


def test_another_address_is_counted_apart(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": "1/h"}
    client.post(reverse("accounts:signup"), signup_data(0), REMOTE_ADDR="203.0.113.1")
    client.logout()
    elsewhere = client.post(reverse("accounts:signup"), signup_data(1), REMOTE_ADDR="203.0.113.2")
    assert elsewhere.status_code == 302


def test_a_forged_forwarded_for_does_not_escape_the_limit(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/m"}
    settings.TRUSTED_PROXIES = []
    codes = [
        client.get(reverse("wiki:search"), {"q": "x"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        for n in range(3)
    ]
    assert [r.status_code for r in codes] == [200, 200, 429]


def test_an_ipv6_48_counts_together_as_well(client, settings):
    """One /64 is one client; a /48 (65,536 of them) used to give 65,536 separate limits."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "1/m"}
    factor = ratelimits.WIDE_NETWORK_FACTOR

    def search(address):
        return client.get(reverse("wiki:search"), {"q": "x"}, REMOTE_ADDR=address).status_code

    assert [search(f"2001:db8:0:{n:x}::1") for n in range(factor)] == [200] * factor
    assert search("2001:db8:0:1::2") == 429  # the same /64 again
    assert search(f"2001:db8:0:{factor:x}::1") == 429  # a fresh /64 of the same /48
    assert search("2001:db8:1::1") == 200  # another /48
    assert search("203.0.113.9") == 200


def test_reading_the_form_is_not_counted(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": "1/h"}
    for _ in range(3):
        assert client.get(reverse("accounts:signup")).status_code == 200


def test_follows_are_limited_per_account(client, settings, fan, article):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "follow": "2/h"}
    client.force_login(fan)
    follow = reverse("wiki:article-follow", args=[article.slug])
    unfollow = reverse("wiki:article-unfollow", args=[article.slug])
    client.post(follow)
    client.post(unfollow)
    assert client.post(follow).status_code == 429
    assert not Follow.objects.filter(user=fan).exists()


def test_scripts_get_their_own_kind_of_answer(client, settings, fan):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "preview": "1/m", "search": "1/m"}
    client.force_login(fan)
    preview = reverse("markdownx-preview")
    client.post(preview, {"content": "Hello"})
    limited = client.post(preview, {"content": "Hello"})
    assert limited.status_code == 429
    assert limited["Content-Type"].startswith("text/plain")
    assert "Try again in" in limited.content.decode()
    autocomplete = reverse("wiki:source-autocomplete")
    client.get(autocomplete, {"q": "office"})
    limited = client.get(autocomplete, {"q": "office"})
    assert limited.status_code == 429
    assert "Try again in" in limited.json()["error"]


def test_proposals_are_limited_per_account(client, settings, fan):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "propose": "1/h"}
    client.force_login(fan)
    client.post(reverse("wiki:article-create"), {"title": "A"})  # invalid, but counted
    assert client.post(reverse("wiki:article-create"), {"title": "B"}).status_code == 429


def test_moves_count_with_proposals(client, settings, fan, article):
    """A move is a proposal: an account's moves and edits share one limit."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "propose": "1/h"}
    client.force_login(fan)
    client.post(reverse("wiki:article-create"), {"title": "A"})  # invalid, but counted
    move = reverse("wiki:article-move", args=[article.slug])
    response = client.post(move, {"title": "Spree", "reason": "Again"})
    assert response.status_code == 429
    assert not article.revisions.filter(title="Spree").exists()


def test_an_empty_rate_turns_a_limit_off(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": ""}
    for _ in range(5):
        assert client.get(reverse("wiki:search"), {"q": "x"}).status_code == 200


def test_a_cache_outage_lets_requests_through(client, settings, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(ratelimits, "get_usage", broken)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "1/m"}
    for _ in range(3):
        assert client.get(reverse("wiki:search"), {"q": "x"}).status_code == 200


def test_log_ins_from_one_address_are_limited_across_accounts(client, settings):
    """Password spraying: one address trying many accounts, each under the lockout's limit."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/10m"}
    answers = [
        client.post(reverse("accounts:login"), {"username": f"fan{n}", "password": "guess"})
        for n in range(4)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]


def test_a_flood_of_cached_pages_cannot_push_a_count_out(client, settings):
    """Pages and counts used to share one cache: under memory pressure (an LRU cap) a
    flood of pages evicted the log-in counts, and a locked-out address got more tries."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "2/10m"}
    for n in range(2):
        client.post(reverse("accounts:login"), {"username": f"fan{n}", "password": "guess"})
    cache.clear()  # what the flood did to the pages' cache
    answer = client.post(reverse("accounts:login"), {"username": "fan9", "password": "guess"})
    assert answer.status_code == 429


def test_with_the_counts_down_the_lockout_still_holds(client, settings, monkeypatch):
    """Decided: the limits fail open (the site keeps working while Redis is down), but the
    lockout of an account guessed at is kept in the database and holds all the same."""

    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(ratelimits, "get_usage", broken)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "1/10m"}
    user = get_user_model().objects.create_user("victim", password="the right passphrase")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "victim", "password": "wrong"})
    answer = client.post(
        reverse("accounts:login"), {"username": "victim", "password": "the right passphrase"}
    )
    assert answer.status_code == 429
    assert "_auth_user_id" not in client.session
    assert user.last_login is None


def test_address_changes_that_mail_a_link_are_limited_per_account(client, settings, fan):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "account-email": "1/h"}
    client.force_login(fan)
    change = reverse("accounts:email-change")
    client.post(change, {"email": "one@example.com", "password": "wrong"})
    limited = client.post(change, {"email": "victim@example.com", "password": "wrong"})
    assert limited.status_code == 429
    fan.refresh_from_db()
    assert fan.email != "victim@example.com"


def test_guessing_the_current_password_is_limited_per_account(client, settings, fan):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "2/10m"}
    client.force_login(fan)
    data = {"old_password": "guess", "new_password1": "x" * 20, "new_password2": "x" * 20}
    codes = [client.post(reverse("accounts:password-change"), data).status_code for _ in range(3)]
    assert codes[-1] == 429


def test_every_limited_page_is_a_page_the_site_has():
    """Limits are keyed by URL name: a renamed or moved view must not drop its limit."""
    resolver = get_resolver()

    def exists(name: str) -> bool:
        namespace, _, short = name.rpartition(":")
        names = resolver.namespace_dict[namespace][1] if namespace else resolver
        return short in names.reverse_dict

    assert [name for name in ratelimits.RULES if not exists(name)] == []
