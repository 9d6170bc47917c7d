"""Smaller things a fan meets: pending articles on an episode's page, image descriptions,
the new-article breadcrumb, and a confirmation before withdrawing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_an_episode_says_a_proposed_article_awaits_review(client, episode, author, fan):
    factories.propose_article(author, title="Pending trivia", episode=episode)
    assert "awaits review" not in client.get(episode.get_absolute_url()).content.decode()
    client.force_login(fan)
    page = client.get(episode.get_absolute_url()).content.decode()
    assert "1 proposed article about this episode awaits review" in page
    assert "No approved trivia about this episode yet." in page
    assert "Propose another trivia article" in page
    assert "Pending trivia" not in page  # the hidden proposal's title stays hidden


def test_the_placeholder_image_description_is_refused(fan):
    with pytest.raises(ValidationError, match="replace “describe the image”"):
        factories.propose_article(fan, body="![describe the image](/media/uploads/a.png) Text.")


def test_the_new_article_breadcrumb(client, fan):
    client.force_login(fan)
    page = client.get(reverse("wiki:article-create")).content.decode()
    assert '<li aria-current="page">Propose a new article</li>' in page


def test_withdrawing_asks_first(client, article, fan):
    factories.propose_edit(article, fan)
    client.force_login(fan)
    page = client.get(reverse("wiki:contributions")).content.decode()
    assert 'data-confirm="Withdraw this proposal?' in page


def test_the_awaits_review_notice_has_no_double_full_stop(client, article, fan):
    factories.propose_edit(article, fan, body="A change.")
    client.force_login(fan)
    page = client.get(reverse("wiki:article", args=[article.slug])).content.decode()
    notice = page[page.index("awaits review") : page.index("Readers see the approved text")]
    assert ".”." not in notice and "”." not in notice
