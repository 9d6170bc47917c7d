"""Spoiler sections behind the reader's "watched up to" point, and [[links]] between articles."""

import pytest
from django.urls import reverse

from apps.moderation import services as moderation
from tests import factories

pytestmark = pytest.mark.django_db

BODY = (
    "Before the spoilers.[@1]\n\n"
    "!!! spoiler S1E1\n    An early detail.[@1]\n\n"
    "!!! spoiler S03E05\n    Jim and Pam get engaged.[@1]\n\n"
    "See also [[Casino Night trivia]] and [[The Dundies trivia|the awards show]].[@1]"
)


@pytest.fixture
def spoiled(article, fan, moderator):
    moderation.revision_approve(
        revision=factories.propose_edit(article, fan, body=BODY), moderator=moderator
    )
    article.refresh_from_db()
    return article


def test_readers_who_set_nothing_see_everything(client, spoiled):
    page = client.get(spoiled.get_absolute_url()).content.decode()
    assert page.count('open="">') == 2
    assert "spoiler-later" not in page
    assert 'id="spoiler-episode"' in page  # the setting is offered


def test_later_spoilers_are_hidden_for_the_session(client, spoiled, episode):
    response = client.post(
        reverse("wiki:spoilers"),
        {"show": "the-office", "episode": episode.pk, "next": spoiled.get_absolute_url()},
    )
    assert response.status_code == 302 and response["Location"] == spoiled.get_absolute_url()
    page = client.get(spoiled.get_absolute_url()).content.decode()
    assert '<details class="spoiler spoiler-later" data-spoiler="S03E05">' in page
    assert '<details class="spoiler" data-spoiler="S01E01" open="">' in page
    # And back to everything.
    client.post(reverse("wiki:spoilers"), {"show": "the-office", "episode": ""})
    assert "spoiler-later" not in client.get(spoiled.get_absolute_url()).content.decode()


def test_a_signed_in_readers_point_is_kept_on_the_profile(client, spoiled, fan, episode):
    client.force_login(fan)
    client.post(reverse("wiki:spoilers"), {"show": "the-office", "episode": episode.pk})
    fan.refresh_from_db()
    assert fan.spoiler_points == {"the-office": "S02E22"}
    client.logout()
    client.force_login(fan)  # a new session still knows it
    assert "spoiler-later" in client.get(spoiled.get_absolute_url()).content.decode()


def test_bad_spoiler_settings(client, spoiled, episode):
    other = factories.make_episode(show_title="Parks", season=1, number=1, title="Pilot")
    url = reverse("wiki:spoilers")
    assert client.post(url, {"show": "the-office", "episode": other.pk}).status_code == 404
    assert client.post(url, {"show": "nope", "episode": episode.pk}).status_code == 404
    assert client.post(url, {"show": "the-office", "episode": "²"}).status_code == 302
    assert client.get(url).status_code == 405


def test_links_to_missing_articles_invite_their_creation(client, spoiled, fan, moderator):
    factories.published_article(fan, moderator, title="Casino Night trivia two")
    page = client.get(spoiled.get_absolute_url()).content.decode()
    assert '<a class="wikilink" href="/wiki/casino-night-trivia/"' in page
    assert (
        'class="wikilink wikilink-missing" href="/wiki/new/?title=The%20Dundies%20trivia"' in page
    )
    client.force_login(fan)
    form = client.get(reverse("wiki:article-create"), {"title": "The Dundies trivia"})
    assert form.context["form"].initial["title"] == "The Dundies trivia"
