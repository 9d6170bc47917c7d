"""*My contributions*: every proposal of the signed-in fan, by outcome, paginated."""

import pytest
from django.urls import reverse

from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.models import Revision, RevisionStatus
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("wiki:contributions")


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_rejects_post(client, fan):
    client.force_login(fan)
    assert client.post(URL).status_code == 405


def test_it_lists_only_the_fans_own_proposals(client, article, fan, author):
    mine = factories.propose_edit(article, fan, body="Mine.")
    factories.propose_edit(article, author, body="Not mine.")
    client.force_login(fan)
    response = client.get(URL)
    assert list(response.context["page"].object_list) == [mine]


@pytest.fixture
def merged(author, fan, moderator):
    """A fan's proposal that went stale and was approved as a merge onto newer text."""
    article = factories.published_article(
        author, moderator, title="Two lines", body="Line one. [@1]\n\nLine two. [@1]"
    )
    stale = factories.propose_edit(article, fan, body="Line one, changed. [@1]\n\nLine two. [@1]")
    newer = factories.propose_edit(article, author, body="Line one. [@1]\n\nLine two, too. [@1]")
    moderation.revision_approve(revision=newer, moderator=moderator)
    carried = moderation.revision_approve_merged(revision=stale, moderator=moderator)
    stale.refresh_from_db()
    assert stale.status == RevisionStatus.MERGED
    return stale, carried


def test_a_merged_proposal_is_shown_with_the_version_that_carried_it(client, fan, merged):
    stale, carried = merged
    client.force_login(fan)
    response = client.get(URL, {"status": "merged"})
    assert list(response.context["page"].object_list) == [stale]
    page = response.content.decode()
    assert f'as <a href="{carried.get_absolute_url()}">version #{carried.pk}</a>' in page
    assert "Merged into a newer revision (1)" in page


def test_tabs_count_each_outcome(client, article, fan, moderator, merged):
    withdrawn = factories.propose_edit(article, fan, body="Withdrawn.")
    services.revision_withdraw(revision=withdrawn, user=fan)
    rejected = factories.propose_edit(article, fan, body="Rejected.")
    moderation.revision_reject(
        revision=rejected, moderator=moderator, reason="", reason_code="unsourced"
    )
    returned = factories.propose_edit(article, fan, body="Returned.")
    moderation.revision_request_changes(
        revision=returned, moderator=moderator, reason="Quote the episode."
    )
    factories.propose_edit(article, fan, body="Pending.")
    client.force_login(fan)
    response = client.get(URL)
    counts = {tab["status"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {
        "changes-requested": 1,
        "pending": 1,
        "rejected": 1,
        "approved": 1,  # the merged copy is credited to the fan
        "merged": 1,
        "withdrawn": 1,
    }
    assert response.context["total"] == 6
    returned_page = client.get(URL, {"status": "changes-requested"}).content.decode()
    assert "Quote the episode." in returned_page and f"?from={returned.pk}" in returned_page
    rejected_page = client.get(URL, {"status": "rejected"}).content.decode()
    assert "A statement is not supported by its citation" in rejected_page
    assert f"?from={rejected.pk}" in rejected_page


def test_an_unknown_status_shows_everything(client, article, fan):
    factories.propose_edit(article, fan)
    client.force_login(fan)
    response = client.get(URL, {"status": "nonsense\x00"})
    assert response.status_code == 200
    assert response.context["status"] == ""
    assert len(response.context["page"].object_list) == 1


def test_it_is_paginated_with_a_fixed_number_of_queries(
    client, article, fan, django_assert_num_queries, settings
):
    settings.PENDING_PROPOSALS_CAP = 0  # 55 proposals await review at once
    for n in range(55):
        factories.propose_edit(article, fan, body=f"Edit {n}.")
    client.force_login(fan)
    for page, rows in ((1, 50), (2, 5)):
        # session, user, permissions (2), unread notifications, counts by status,
        # page count, rows, merged prefetch, revised-by prefetch
        with django_assert_num_queries(10):
            response = client.get(URL, {"page": page})
        assert len(response.context["page"].object_list) == rows
    assert Revision.objects.filter(author=fan).count() == 55
