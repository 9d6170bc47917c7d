"""The queue page: filters folded away unless in use, and an honest empty state."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_filters_that_match_nothing_say_how_many_wait(client, article, fan, moderator):
    factories.propose_edit(article, fan)
    client.force_login(moderator)
    response = client.get(reverse("moderation:queue"), {"author": "nobody", "kind": "new"})
    page = response.content.decode()
    assert "No proposals match these filters (1 waiting in all)." in page
    assert "The queue is empty" not in page
    assert '<details class="queue-filters-box" open>' in page
    assert '<span class="badge">2 on</span>' in page


def test_an_empty_queue_says_so(client, moderator):
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "The queue is empty. Nothing awaits review." in page
    assert '<details class="queue-filters-box">' in page  # folded: no filter in use


def test_the_order_alone_is_not_a_filter(client, article, fan, moderator):
    factories.propose_edit(article, fan)
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue"), {"sort": "newest"}).content.decode()
    assert "1 proposal waiting for a decision." in page
    assert '<details class="queue-filters-box">' in page
