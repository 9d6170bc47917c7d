"""The one spoiler rule as pages ask it: neutral addresses, folded links, folded editors,
spoiler sections in discussions, and lists whose cost does not grow with what they fold."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.moderation import services as moderation
from apps.talk import services as talk
from apps.web import spoilers
from apps.wiki.models import Follow
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def later(author, moderator, episode):
    return factories.published_article(
        author, moderator, title="The first kiss", body="They kiss.", episode=episode
    )


@pytest.fixture
def early(author, moderator):
    pilot = factories.make_episode(season=1, number=1, title="Pilot")
    return factories.published_article(
        author, moderator, title="Pilot notes", body="Later: [[The first kiss]].", episode=pilot
    )


def watch_up_to_pilot(client):
    pilot = factories.make_episode(season=1, number=1, title="Pilot")
    client.post(reverse("wiki:spoilers"), {"show": "the-office", "episode": pilot.pk})


def test_the_neutral_address_serves_the_folded_article_and_names_no_title(client, later):
    watch_up_to_pilot(client)
    assert later.neutral_key == f"S02E22-{later.pk}"
    page = client.get(f"/wiki/{later.neutral_key}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'rel="canonical" href="{settings.SITE_URL}/wiki/{later.neutral_key}/"' in html
    assert "the-first-kiss" not in html
    # Reached by its slug, the page still points back at itself by the neutral address.
    by_slug = client.get(f"/wiki/{later.slug}/").content.decode()
    assert f'rel="canonical" href="{settings.SITE_URL}/wiki/{later.neutral_key}/"' in by_slug
    assert f'og:url" content="{settings.SITE_URL}/wiki/{later.neutral_key}/"' in by_slug


def test_a_neutral_key_with_the_wrong_episode_is_not_found(client, later):
    assert client.get(f"/wiki/S01E01-{later.pk}/").status_code == 404
    assert client.get(f"/wiki/S02E22-{later.pk + 100}/").status_code == 404


def test_the_neutral_address_reaches_every_page_of_the_article(client, later):
    for name in ("wiki:article-history", "talk:topics"):
        assert client.get(reverse(name, args=[later.neutral_key])).status_code == 200


def test_a_link_to_a_later_article_shows_the_label_and_a_neutral_address(client, later, early):
    watch_up_to_pilot(client)
    html = client.get(early.get_absolute_url()).content.decode()
    assert f'href="/wiki/{later.neutral_key}/"' in html
    assert "An article about S02E22 (after your point)" in html
    assert "The first kiss" not in html and later.slug not in html
    # Past the point, the link is what the author wrote.
    client.post(
        reverse("wiki:spoilers"),
        {"show": "the-office", "episode": factories.make_episode(season=3, number=1).pk},
    )
    html = client.get(early.get_absolute_url()).content.decode()
    assert f'href="/wiki/{later.slug}/"' in html and "The first kiss" in html


def test_the_editor_asks_before_showing_text_that_names_a_later_article(client, fan, later, early):
    assert factories.log_in(client, "fan")
    watch_up_to_pilot(client)
    for article in (later, early):
        page = client.get(reverse("wiki:article-edit", args=[article.slug]))
        html = page.content.decode()
        assert "The editor would show you spoilers" in html
        assert "The first kiss" not in html and 'name="body"' not in html
        shown = client.get(reverse("wiki:article-edit", args=[article.slug]), {"spoilers": "show"})
        assert 'name="body"' in shown.content.decode()


def test_the_editor_asks_before_showing_a_spoiler_section_after_the_point(
    client, fan, author, moderator
):
    pilot = factories.make_episode(season=1, number=1, title="Pilot")
    article = factories.published_article(
        author,
        moderator,
        title="Pilot notes",
        body="Fine.\n\n!!! spoiler S03E01\n    The wedding.\n",
        episode=pilot,
    )
    assert factories.log_in(client, "fan")
    watch_up_to_pilot(client)
    html = client.get(reverse("wiki:article-edit", args=[article.slug])).content.decode()
    assert "The editor would show you spoilers" in html and "The wedding" not in html


def test_spoiler_sections_in_review_comments_close_after_the_readers_point(
    client, author, moderator, early
):
    proposal = factories.propose_edit(early, author, body="Changed.")
    moderation.thread_start(
        revision=proposal,
        user=moderator,
        body="Careful.\n\n!!! spoiler S03E01\n    Hidden wedding words.\n",
    )
    assert factories.log_in(client, "author")
    watch_up_to_pilot(client)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert '<details class="spoiler spoiler-later" data-spoiler="S03E01">' in html
    assert '<details class="spoiler" data-spoiler="S03E01" open' not in html


def test_spoiler_sections_in_talk_posts_close_after_the_readers_point(client, author, early):
    topic = talk.topic_start(
        article=early,
        author=author,
        title="Pilot question",
        body="Fine.\n\n!!! spoiler S03E01\n    Hidden wedding words.\n",
    )
    assert 'data-spoiler="S03E01" open' in client.get(topic.get_absolute_url()).content.decode()
    watch_up_to_pilot(client)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert '<details class="spoiler spoiler-later" data-spoiler="S03E01">' in html


def test_nothing_is_folded_with_no_reader_active(later):
    assert spoilers.active() is spoilers.NOBODY
    assert not later.folded and later.display_title == "The first kiss"
    with spoilers.reading_as({"the-office": "S01E01"}):
        assert later.folded and later.get_absolute_url() == f"/wiki/{later.neutral_key}/"
    assert later.get_absolute_url() == f"/wiki/{later.slug}/"


LISTS = [
    "home",
    "wiki:article-list",
    "wiki:recent",
    "wiki:source-list",
    "wiki:disputed",
    "wiki:citation-needed",
    "wiki:following",
    "notifications:list",
]


@pytest.mark.parametrize("url_name", LISTS)
def test_folding_a_list_costs_the_same_for_one_article_or_many(
    client, fan, author, moderator, url_name, django_capture_on_commit_callbacks
):
    """Query counts with one and with four folded articles (each cited, disputed, followed
    and so notified): a page's cost does not grow with what it folds."""
    assert factories.log_in(client, "fan")
    watch_up_to_pilot(client)

    def add(number):
        episode = factories.make_episode(season=2, number=number, title=f"Episode {number}")
        source = factories.make_source(title=f"Source {number}")
        with django_capture_on_commit_callbacks(execute=True):
            revision = factories.services.article_create(
                author=author,
                title=f"Later {number}",
                body="Told two ways. [disputed @1 @2]\n\nUnsourced. [citation needed]",
                summary="New",
                episode=episode,
                citations=[factories.cite(source, key=1), factories.cite(key=2)],
            )
            moderation.revision_approve(revision=revision, moderator=moderator)
            article = revision.article
            Follow.objects.create(user=fan, article=article)
            edit = factories.propose_edit(article, author, body="Changed.")
            moderation.revision_approve(revision=edit, moderator=moderator)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        return len(queries)

    add(10)
    one = count()
    for number in (12, 14, 16):
        add(number)
    assert count() == one


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_whose_rows_ask_the_rule_cost_the_same_however_many_rows(
    client, author, moderator, episode
):
    """With a point set: an article's infobox (other articles about its episode), the
    episode page, a talk page's topics and the audit log load the episodes with the rows."""
    from apps.talk import services as talk_services

    first = factories.published_article(author, moderator, title="Kiss one", episode=episode)
    talk_services.topic_start(article=first, author=author, title="T0", body="Hi.")
    client.force_login(moderator)
    moderator.spoiler_points = {"the-office": "S01E01"}
    moderator.save()
    urls = [
        first.get_absolute_url(),
        episode.get_absolute_url(),
        reverse("talk:topics", args=[first.slug]),
        reverse("moderation:audit"),
    ]
    before = [_queries(client, url) for url in urls]
    for n in range(3):
        factories.published_article(author, moderator, title=f"Kiss more {n}", episode=episode)
        talk_services.topic_start(article=first, author=author, title=f"T{n + 1}", body="Hi.")
    after = [_queries(client, url) for url in urls]
    assert after == before, dict(zip(urls, zip(before, after, strict=True), strict=True))
