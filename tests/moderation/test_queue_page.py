"""The queue page: filters folded away unless in use, and an honest empty state."""

import pytest
from django.urls import reverse

from apps.catalog.models import Show
from apps.wiki import services
from apps.wiki.models import RevisionTag
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


def test_a_row_shows_every_value_escaped(client, article, moderator, episode):
    author = factories.make_user("fan<b>")
    citations = [factories.cite()]
    proposal = services.revision_propose(
        article=article,
        author=author,
        body=factories.with_markers("Changed.", citations),
        summary='<img src=x onerror="alert(1)"> & more',
        citations=citations,
        base=article.approved_revision,
    )
    RevisionTag.objects.create(revision=proposal, tag="a&b <c>")
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; more" in page
    assert "fan&lt;b&gt;" in page
    assert 'href="?tag=a%26b%20%3Cc%3E"' in page
    assert ">a&amp;b &lt;c&gt;</a>" in page
    assert f'href="{reverse("moderation:review", args=[proposal.pk])}">Review</a>' in page
    assert "The Office S02E22" in page
    # The unfiltered filters are kept, but follow the list of shows.
    Show.objects.create(title="Parks & Recreation", slug="parks")
    assert "Parks &amp; Recreation" in client.get(reverse("moderation:queue")).content.decode()
