"""An article's history page: approved versions, then the decisions taken on the article."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Trust
from apps.moderation import services as moderation
from apps.wiki.models import AuditAction
from tests import factories

pytestmark = pytest.mark.django_db


def history_url(article):
    return reverse("wiki:article-history", args=[article.slug])


@pytest.fixture
def decided(author, fan, moderator, other_moderator):
    """An article with an approval, a rejection, a merge, an automatic approval and a proposal."""
    first = factories.propose_article(
        author, title="Merger trivia", body="First line. [@1]\n\nSecond line. [@1]"
    )
    moderation.revision_approve(revision=first, moderator=moderator)
    article = first.article
    rejected = factories.propose_edit(article, author, body="Wrong.")
    moderation.revision_reject(
        revision=rejected, moderator=other_moderator, reason="Secret moderator note."
    )
    stale = factories.propose_edit(
        article, author, body="Changed first line. [@1]\n\nSecond line. [@1]"
    )
    moderation.user_set_trust(user=fan, trust=Trust.TRUSTED, moderator=moderator)
    automatic = factories.propose_edit(
        article, fan, body="First line. [@1]\n\nSecond line changed. [@1]"
    )
    carried = moderation.revision_approve_merged(revision=stale, moderator=moderator)
    moderation.user_set_trust(user=fan, trust=Trust.AUTO, moderator=moderator)
    pending = factories.propose_edit(article, fan, body="Still waiting.")
    article.refresh_from_db()
    return {
        "article": article,
        "first": first,
        "rejected": rejected,
        "stale": stale,
        "automatic": automatic,
        "carried": carried,
        "pending": pending,
    }


def decisions_of(response):
    return [(event.revision_id, event.action) for event in response.context["decisions"]]


def test_readers_see_only_decisions_that_made_text_public(client, decided):
    response = client.get(history_url(decided["article"]))
    assert response.status_code == 200
    assert decisions_of(response) == [
        (decided["carried"].pk, AuditAction.APPROVED),
        (decided["stale"].pk, AuditAction.MERGED),
        (decided["automatic"].pk, AuditAction.AUTO_APPROVED),
        (decided["first"].pk, AuditAction.APPROVED),
    ]
    page = response.content.decode()
    decisions = page.split('id="decisions"', 1)[1]
    assert "Secret moderator note." not in page
    assert "Merged onto the newer text" not in decisions  # reasons are for moderators
    assert "Approved automatically" in decisions and ">automatic</span>" in decisions
    assert f'href="{decided["carried"].get_absolute_url()}"' in decisions
    # The merged proposal itself was never public: its number, without a link.
    assert f'href="{decided["stale"].get_absolute_url()}"' not in decisions
    assert f"#{decided['stale'].pk}" in decisions
    assert reverse("moderation:audit") not in page
    assert reverse("moderation:review", args=[decided["pending"].pk]) not in page


def test_fans_see_what_readers_see(client, decided, author):
    client.force_login(author)
    response = client.get(history_url(decided["article"]))
    assert decided["rejected"].pk not in {pk for pk, _ in decisions_of(response)}
    assert "Secret moderator note." not in response.content.decode()


def test_moderators_see_every_event_with_reasons(client, decided, moderator):
    client.force_login(moderator)
    response = client.get(history_url(decided["article"]))
    events = decisions_of(response)
    assert len(events) == 11  # 6 proposals (one the merge's copy), 5 decisions
    assert (decided["rejected"].pk, AuditAction.REJECTED) in events
    assert events[0] == (decided["pending"].pk, AuditAction.PROPOSED)
    page = response.content.decode()
    assert "Secret moderator note." in page
    assert "Pending review → Rejected" in page
    assert f'href="{reverse("moderation:audit")}?article=merger-trivia"' in page
    assert f'href="{reverse("moderation:review", args=[decided["pending"].pk])}"' in page
    assert f'href="{decided["rejected"].get_absolute_url()}"' in page


def test_at_most_fifty_decisions(client, article, moderator):
    for number in range(26):
        proposal = factories.propose_edit(
            article, factories.make_user(f"writer{number}"), body=f"Version {number}"
        )
        moderation.revision_approve(revision=proposal, moderator=moderator)
    client.force_login(moderator)
    assert len(client.get(history_url(article)).context["decisions"]) == 50


def test_an_article_without_decisions_yet(client, author):
    article = factories.propose_article(author, title="Unreviewed").article
    client.force_login(author)
    response = client.get(history_url(article))
    assert response.status_code == 200
    assert list(response.context["decisions"]) == []
    assert "No decisions recorded yet." in response.content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def add_decisions(article, moderator, how_many):
    for number in range(how_many):
        writer = factories.make_user(f"more{number}")
        approved = factories.propose_edit(article, writer, body=f"More {number}")
        moderation.revision_approve(revision=approved, moderator=moderator)
        rejected = factories.propose_edit(article, writer, body=f"Rejected {number}")
        moderation.revision_reject(revision=rejected, moderator=moderator, reason="No.")


@pytest.mark.parametrize("persona", ["anonymous", "fan", "moderator"])
def test_its_query_count_does_not_grow(client, request, article, moderator, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = history_url(article)
    small = count_queries(client, url)
    add_decisions(article, moderator, 8)
    assert count_queries(client, url) == small
