"""Spam rules refuse a proposal before review: banned domains, and links from new accounts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.wiki.models import Revision
from tests import factories
from tests.wiki.test_bad_input import new_article_post

pytestmark = pytest.mark.django_db

LINKS = " ".join(f"[site {n}](https://example{n}.com/page)" for n in range(3))


@pytest.fixture
def banned(settings):
    settings.SPAM_BANNED_DOMAINS = ["casino.example"]


def test_a_link_to_a_banned_domain_is_refused(banned, fan):
    with pytest.raises(ValidationError, match="Links to casino.example are not allowed"):
        factories.propose_article(fan, body="Play at [this](https://www.casino.example/x).")
    assert not Revision.objects.exists()


def test_a_source_on_a_banned_domain_is_refused(banned, client, fan):
    client.force_login(fan)
    data = new_article_post()
    data["citations-0-url"] = "https://casino.example/review"
    response = client.post(reverse("wiki:article-create"), data)
    assert response.status_code == 400
    assert "Sources on casino.example are not accepted" in response.content.decode()
    assert not Revision.objects.exists()


def test_a_lookalike_domain_is_not_banned(banned, author, fan, moderator):
    for n in range(3):  # not a new account any more
        factories.published_article(fan, moderator, title=f"Earlier {n}")
    revision = factories.propose_article(fan, body="See [it](https://notcasino.example/).")
    assert revision.pk


def test_a_new_account_may_link_only_a_little(client, fan):
    client.force_login(fan)
    data = new_article_post(body=f"Links: {LINKS} [@1]")
    response = client.post(reverse("wiki:article-create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "may link to at most 2 other sites; this one has 3 links" in page
    assert "example2.com" in page  # the text typed is kept
    assert not Revision.objects.exists()


def test_links_within_the_wiki_do_not_count(fan, settings):
    settings.ALLOWED_HOSTS = ["wiki.example"]
    body = " ".join(f"[page {n}](https://wiki.example/wiki/p{n}/)" for n in range(5))
    assert factories.propose_article(fan, body=body).pk


def test_an_established_account_may_link_freely(author, fan, moderator):
    for n in range(3):
        factories.published_article(fan, moderator, title=f"Earlier {n}")
    assert factories.propose_article(fan, title="Links", body=LINKS).pk


def test_moderators_are_exempt(banned, moderator):
    body = LINKS + " [casino](https://casino.example/)"
    assert factories.propose_article(moderator, body=body).pk


@pytest.mark.parametrize(
    "link",
    [
        "[a](//www.casino.example/x)",
        "[a](http:casino.example)",
        "[a](https:/\\casino.example)",
        "[a](HTTPS://CASINO.EXAMPLE/x)",
        '<a href=" https://casino.example">a</a>',
        '<a href="ht&#9;tps://casino.example">a</a>',
        "[a](https://casino%2eexample/)",
        "[a](https://casino\u3002example/)",
        "[a](https://user@casino.example:8443/)",
        "<https://casino.example/>",
        "[a][ref] [@1]\n\n[ref]: https://casino.example/",
    ],
)
def test_links_written_any_way_a_browser_follows_are_caught(banned, fan, settings, link):
    settings.SITE_URL = "https://wiki.example"
    with pytest.raises(ValidationError, match="casino.example are not allowed"):
        factories.propose_article(fan, body=f"Play {link}\n\nNow.")


def test_a_banned_unicode_domain_matches_its_punycode(fan, settings):
    settings.SPAM_BANNED_DOMAINS = ["bücher.example"]
    with pytest.raises(ValidationError, match="not allowed"):
        factories.propose_article(fan, body="[a](https://xn--bcher-kva.example/)")
