"""Anonymous readers' pages from the cache: invalidated by every change, never shared wrongly."""

import re

import pytest
import redis
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.moderation import services as moderation
from apps.web import pagecache
from apps.wiki import services
from apps.wiki.models import Protection
from tests import factories
from tests.wiki.test_spoilers_and_links import BODY
from tests.workers import private_redis

pytestmark = pytest.mark.django_db


def cached(client, url, **headers):
    """Two requests: the first fills the cache, the second must be served from it."""
    client.get(url, **headers)
    response = client.get(url, **headers)
    assert response["X-Page-Cache"] == "hit", url
    return response


def test_a_cached_article_page_costs_no_query(client, article, django_assert_num_queries):
    url = article.get_absolute_url()
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content.replace(
        re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', first.content)[1],
        re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', second.content)[1],
    )


@pytest.mark.parametrize(
    "page",
    ["home", "article", "history", "revision", "episode", "season", "show", "source", "sources",
     "recent", "articles"],
)  # fmt: skip
def test_every_reader_page_is_cached(client, article, page, django_assert_num_queries):
    episode = article.episode
    url = {
        "home": reverse("home"),
        "article": article.get_absolute_url(),
        "history": reverse("wiki:article-history", args=[article.slug]),
        "revision": article.approved_revision.get_absolute_url(),
        "episode": episode.get_absolute_url(),
        "season": episode.season.get_absolute_url(),
        "show": episode.season.show.get_absolute_url(),
        "source": article.approved_revision.citations.get().source.get_absolute_url(),
        "sources": reverse("wiki:source-list"),
        "recent": reverse("wiki:recent"),
        "articles": reverse("wiki:article-list"),
    }[page]
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "hit"


def test_an_approval_changes_the_cached_page_at_once(client, article, fan, moderator):
    url = article.get_absolute_url()
    assert "Original text." in cached(client, url).content.decode()
    proposal = factories.propose_edit(article, fan, body="A brand new sentence.")
    assert "A brand new sentence." not in client.get(url).content.decode()
    moderation.revision_approve(revision=proposal, moderator=moderator)
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "A brand new sentence." in page.content.decode()


def test_a_pending_proposal_never_appears_in_a_cached_page(client, article, fan):
    factories.propose_edit(article, fan, body="Secret unreviewed claim.")
    for url in (article.get_absolute_url(), reverse("wiki:recent"), reverse("home")):
        assert "Secret unreviewed claim" not in cached(client, url).content.decode()


def test_a_readers_spoiler_point_never_reaches_another_reader(article, fan, moderator, episode):
    moderation.revision_approve(
        revision=factories.propose_edit(article, fan, body=BODY), moderator=moderator
    )
    url = article.get_absolute_url()
    careful, everyone = Client(), Client()
    careful.post(reverse("wiki:spoilers"), {"show": "the-office", "episode": episode.pk})
    careful.get(url)  # shows the "spoilers hidden" message: not stored
    hidden = cached(careful, url).content.decode()
    assert '<details class="spoiler spoiler-later" data-spoiler="S03E05">' in hidden
    shown = cached(everyone, url).content.decode()
    assert "spoiler-later" not in shown
    assert "spoiler-later" in cached(careful, url).content.decode()


def test_a_page_with_a_message_is_neither_served_from_nor_stored_in_the_cache(
    client, article, episode
):
    url = article.get_absolute_url()
    cached(client, url)
    client.post(reverse("wiki:spoilers"), {"show": "the-office", "episode": ""})
    with_message = client.get(url)
    assert "you see everything" in with_message.content.decode()
    assert with_message.get("X-Page-Cache") is None
    assert "you see everything" not in client.get(url).content.decode()


def test_signed_in_readers_get_their_own_page(client, article, fan):
    url = article.get_absolute_url()
    cached(Client(), url)
    client.force_login(fan)
    response = client.get(url)
    # Not the anonymous readers' page: one kept for signed-in fans (test_signed_in_pages).
    assert response["X-Page-Cache"] == "miss"
    assert f"Log out {fan.username}" in response.content.decode()


def test_each_reader_gets_a_csrf_token_that_works(article, episode):
    url = article.get_absolute_url()
    cached(Client(), url)
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(url)
    assert page["X-Page-Cache"] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    assert token != "__csrf_token_placeholder__"
    response = reader.post(
        reverse("wiki:spoilers"),
        {"show": "the-office", "episode": episode.pk, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_conditional_get_answers_304(client, article):
    url = article.get_absolute_url()
    first = client.get(url)
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


@pytest.mark.parametrize("change", ["episode", "source", "protection"])
def test_edits_outside_revisions_invalidate_too(client, article, moderator, change):
    episode = article.episode
    source = article.approved_revision.citations.get().source
    url = {
        "episode": episode.get_absolute_url(),
        "source": source.get_absolute_url(),
        "protection": article.get_absolute_url(),
    }[change]
    cached(client, url)
    before = pagecache.generation()
    if change == "episode":  # as the admin saves it
        episode.title = "Casino Night (renamed)"
        episode.save()
        expected = "Casino Night (renamed)"
    elif change == "source":
        source.title = "A corrected source title"
        source.save()
        expected = "A corrected source title"
    else:
        moderation.article_protect(
            article=article, level=Protection.MODERATORS, moderator=moderator, reason="Edit war."
        )
        expected = article.title
    assert pagecache.generation() != before
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert expected in page.content.decode()


def test_the_generation_file_is_shared_by_the_processes_of_one_machine(settings, tmp_path):
    settings.PAGE_CACHE_GENERATION_FILE = tmp_path / "generation"
    before = pagecache.generation()
    pagecache.pages_changed()
    after = pagecache.generation()
    assert before != after
    assert str((tmp_path / "generation").stat().st_mtime_ns) == after


def test_with_redis_the_generation_lives_in_the_shared_cache(client, article, redis_cache):
    url = article.get_absolute_url()
    cached(client, url)
    before = pagecache.generation()
    article.save()  # as the admin would
    assert pagecache.generation() != before
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_signed_in_readers_reuse_the_cached_text(client, article, fan, moderator):
    client.force_login(fan)
    url = article.get_absolute_url()
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        page = client.get(url)
    # The text, its red links and its references come from the cache.
    assert len(second) < len(first)
    assert not any("wiki_citation" in q["sql"] for q in second.captured_queries)
    assert "Original text." in page.content.decode()
    moderation.revision_approve(
        revision=factories.propose_edit(article, moderator, body="Newer text."),
        moderator=factories.make_user("moderator3", moderator=True),
    )
    assert "Newer text." in client.get(url).content.decode()


def test_signed_in_readers_keep_their_own_spoiler_point(article, fan, author, moderator, episode):
    moderation.revision_approve(
        revision=factories.propose_edit(article, fan, body=BODY), moderator=moderator
    )
    careful, everyone = Client(), Client()
    careful.force_login(fan)
    everyone.force_login(author)
    careful.post(reverse("wiki:spoilers"), {"show": "the-office", "episode": episode.pk})
    url = article.get_absolute_url()
    for _ in range(2):
        assert "spoiler-later" in careful.get(url).content.decode()
        assert "spoiler-later" not in everyone.get(url).content.decode()


def test_proposals_rejections_and_withdrawals_leave_the_cached_pages_alone(
    client, article, fan, moderator
):
    url = article.get_absolute_url()
    cached(client, url)
    before = pagecache.generation()
    withdrawn = factories.propose_edit(article, fan, body="Withdrawn later.")
    services.revision_withdraw(revision=withdrawn, user=fan)
    rejected = factories.propose_edit(article, fan, body="Rejected later.")
    moderation.revision_reject(revision=rejected, moderator=moderator, reason="No source says so.")
    assert pagecache.generation() == before
    assert client.get(url)["X-Page-Cache"] == "hit"


def _pages_stored():
    from django.core.cache import cache

    return sum(1 for key in cache._cache if ":page:" in key)


def test_a_flood_of_query_strings_stores_one_page(client, article):
    """Every new query string used to store a whole page (a stranger filled the cache with
    copies): parameters a page does not read are left out of its key."""
    url = article.get_absolute_url()
    answers = [client.get(url, {"utm": n, "x": "y" * n}) for n in range(30)]
    assert [a.status_code for a in answers] == [200] * 30
    assert [a["X-Page-Cache"] for a in answers] == ["miss"] + ["hit"] * 29
    assert _pages_stored() == 1


def test_a_page_number_not_as_written_is_served_but_not_stored(client, article):
    url = reverse("wiki:article-history", args=[article.slug])
    for asked in ("007", "99", "x", "-1"):
        assert client.get(url, {"page": asked}).status_code == 200
    assert _pages_stored() == 0
    assert cached(client, url, QUERY_STRING="page=1").status_code == 200
    assert _pages_stored() == 1


def test_a_filter_by_any_name_is_not_cached(client, article):
    for user in ("someone", "someone-else"):
        response = client.get(reverse("wiki:recent"), {"user": user})
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
    assert client.get(reverse("wiki:recent"), {"days": "oops"}).status_code == 200
    assert _pages_stored() == 0
    cached(client, reverse("wiki:recent"), QUERY_STRING="days=7&utm=1")
    assert _pages_stored() == 1


@pytest.fixture
def full_redis(settings):
    """A Redis at its memory cap that refuses writes (maxmemory-policy noeviction), as the
    cache, the limits' counts and the sessions' cache."""
    with private_redis("--maxmemory", "3mb", "--maxmemory-policy", "noeviction") as url:
        server = redis.Redis.from_url(url)
        with pytest.raises(redis.exceptions.ResponseError, match="maxmemory"):
            for n in range(10_000):
                server.set(f"flood:{n}", b"x" * 20_000)
        # Then small values, up to the last few bytes: the refused command's own buffer,
        # freed after it, left room under the cap for one page now and then.
        with pytest.raises(redis.exceptions.ResponseError, match="maxmemory"):
            for n in range(100_000):
                server.set(f"fill:{n}", b"x" * 16)
        settings.CACHES = {
            alias: {
                "BACKEND": "fanwiki.cache.ReusingRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": alias,
            }
            for alias in ("default", "limits")
        }
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
        yield server


def test_a_cache_that_refuses_writes_makes_pages_slower_not_errors(
    client, article, fan, full_redis
):
    """Under Redis's refusing policy, uncached anonymous pages used to answer 500."""
    for url in (article.get_absolute_url(), reverse("home"), reverse("wiki:recent")):
        first, second = client.get(url), client.get(url)
        assert (first.status_code, second.status_code) == (200, 200), url
        assert second["X-Page-Cache"] == "miss"  # nothing could be kept
    assert b"Original text" in client.get(article.get_absolute_url()).content
    fan.set_password("a long enough passphrase")
    fan.save()
    answer = client.post(
        reverse("accounts:login"),
        {"username": fan.username, "password": "a long enough passphrase"},
    )
    assert answer.status_code == 302
    assert client.get(reverse("wiki:contributions")).context["user"] == fan


def test_a_page_that_differs_by_its_csrf_token_has_a_weak_etag(client, article):
    url = article.get_absolute_url()
    first = client.get(url)
    assert b'name="csrfmiddlewaretoken"' in first.content
    assert first["ETag"].startswith('W/"')
    again = Client().get(url)
    assert again["ETag"] == first["ETag"]
    assert again.content != first.content  # another reader's token: equal, not identical
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"][2:]).status_code == 304


def test_no_text_of_a_page_can_stand_where_the_csrf_token_goes(client, moderator, episode):
    # The old fixed placeholder, as a user's name on a cached page.
    writer = factories.make_user("__csrf_token_placeholder__")
    article = factories.published_article(writer, moderator, episode=episode, body="Text.")
    url = article.get_absolute_url()
    page = cached(client, url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    assert "__csrf_token_placeholder__" in page
    assert page.count(token) == page.count('name="csrfmiddlewaretoken"')
