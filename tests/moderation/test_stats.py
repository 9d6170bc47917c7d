"""The moderators' statistics page and the numbers behind it."""

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from unittest.mock import patch

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Trust
from apps.moderation import services as moderation
from apps.moderation import stats
from apps.wiki import services
from apps.wiki.models import Revision, RevisionStatus
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("moderation:stats")
# Before the accounts are made (so no fan earns trust by the rule), and in the past
# (so a session made now is still valid when a request pretends it is this moment).
NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)


@contextmanager
def at(moment):
    """Freeze the clock: decided_at, created_at (auto_now_add) and audit times follow."""
    with patch("django.utils.timezone.now", return_value=moment):
        yield


def new_proposal(author, title, moment, **kwargs):
    with at(moment):
        return factories.propose_article(author, title=title, **kwargs)


def approve(revision, moderator, moment):
    with at(moment):
        return moderation.revision_approve(revision=revision, moderator=moderator)


@pytest.fixture
def crafted(author, fan, moderator, other_moderator):
    """Revisions with known times, relative to NOW. See the comments for what each counts as."""
    day = timedelta(days=1)
    minute = timedelta(minutes=1)
    hour = timedelta(hours=1)

    # Reviews inside the window: 30 min, 1 h, 3 h 20 min, 5 h (the merge), 2 d.
    start = NOW - 10 * day
    approve(new_proposal(author, "Alpha", start), moderator, start + 30 * minute)
    start = NOW - 9 * day
    approve(new_proposal(author, "Bravo", start), moderator, start + hour)
    start = NOW - 8 * day
    rejected = new_proposal(author, "Charlie", start)
    with at(start + 3 * hour + 20 * minute):
        moderation.revision_reject(
            revision=rejected, moderator=other_moderator, reason="Unsourced."
        )
    start = NOW - 7 * day
    approve(new_proposal(author, "Echo", start), moderator, start + 2 * day)

    # A stale proposal merged 5 h after it was made; the text moved on meanwhile by
    # a trusted fan's automatic approval. The merge's own copy waited for nothing.
    old = NOW - 40 * day
    first = new_proposal(author, "Delta", old, body="First line. [@1]\n\nSecond line. [@1]")
    approve(first, moderator, old)  # outside the window: counts nowhere
    article = first.article
    start = NOW - 6 * day
    with at(start):
        stale = factories.propose_edit(
            article, author, body="Changed first line. [@1]\n\nSecond line. [@1]"
        )
    with at(start + hour):
        moderation.user_set_trust(user=fan, trust=Trust.TRUSTED, moderator=moderator)
        automatic = factories.propose_edit(
            article, fan, body="First line. [@1]\n\nSecond line changed. [@1]"
        )
    with at(start + 5 * hour):
        carried = moderation.revision_approve_merged(revision=stale, moderator=moderator)

    # Withdrawn by its author: not a review.
    start = NOW - 5 * day
    withdrawn = new_proposal(author, "Foxtrot", start)
    with at(start + 10 * minute):
        services.revision_withdraw(revision=withdrawn, user=author)

    # Decided 31 days ago, proposed 41 days ago: outside the window.
    old_review = new_proposal(author, "Golf", NOW - 41 * day)
    approve(old_review, other_moderator, NOW - 31 * day)

    # Waiting: the oldest for two days.
    new_proposal(author, "Hotel", NOW - 2 * day)
    new_proposal(author, "India", NOW - 3 * hour)

    assert automatic.status == RevisionStatus.APPROVED and automatic.automatic
    assert Revision.objects.get(pk=stale.pk).status == RevisionStatus.MERGED
    assert carried.merged_from_id == stale.pk
    return {"stale": stale, "carried": carried}


def test_nearest_rank():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert stats.nearest_rank(values, 50) == 5
    assert stats.nearest_rank(values, 90) == 9
    assert stats.nearest_rank(values, 91) == 10
    assert stats.nearest_rank(values, 100) == 10
    assert stats.nearest_rank([7], 50) == 7
    assert stats.nearest_rank([1, 2, 3, 4, 5], 50) == 3
    assert stats.nearest_rank([], 50) is None
    with pytest.raises(ValueError):
        stats.nearest_rank(values, 0)


def test_humane_duration():
    assert stats.humane_duration(timedelta(hours=3, minutes=20, seconds=59)) == "3 h 20 min"
    assert stats.humane_duration(timedelta(hours=1)) == "1 h"
    assert stats.humane_duration(timedelta(minutes=45)) == "45 min"
    assert stats.humane_duration(timedelta(seconds=20)) == "under 1 min"
    assert stats.humane_duration(timedelta(days=2, hours=4, minutes=59)) == "2 d 4 h"
    assert stats.humane_duration(timedelta(days=3)) == "3 d"
    assert stats.humane_duration(timedelta(seconds=-5)) == "under 1 min"
    assert stats.humane_duration(None) == "–"


def test_bar_length():
    assert stats.bar_length(0, 10) == 0
    assert stats.bar_length(10, 10) == 100
    assert stats.bar_length(5, 10) == 50
    assert stats.bar_length(1, 1000) == 5  # a non-zero day always shows


def test_the_numbers_are_right(crafted):
    numbers = stats.moderation_stats(now=NOW)

    assert numbers["backlog"] == stats.Backlog(count=2, oldest_age=timedelta(days=2))

    times = numbers["review_times"]
    assert times.count == 5  # not the withdrawal, the automatic approval or the merge's copy
    assert times.median == timedelta(hours=3, minutes=20)
    assert times.p90 == timedelta(days=2)

    assert numbers["automatic_approvals"] == 1

    assert numbers["per_moderator"] == [
        stats.ModeratorDecisions("moderator", approved=3, rejected=0, merged=1, total=4),
        stats.ModeratorDecisions("moderator2", approved=0, rejected=1, merged=0, total=1),
    ]

    per_day = numbers["per_day"]
    assert len(per_day) == 30
    assert per_day[0].day == date(2025, 5, 17) and per_day[-1].day == date(2025, 6, 15)
    counts = {entry.day: entry.count for entry in per_day if entry.count}
    assert counts == {
        date(2025, 6, 5): 1,
        date(2025, 6, 6): 1,
        date(2025, 6, 7): 1,
        date(2025, 6, 8): 1,
        date(2025, 6, 9): 2,  # the stale proposal and the trusted fan's edit, not the copy
        date(2025, 6, 10): 1,
        date(2025, 6, 13): 1,
        date(2025, 6, 15): 1,
    }
    bars = {entry.day: entry.bar for entry in per_day}
    assert bars[date(2025, 6, 9)] == 100
    assert bars[date(2025, 6, 5)] == 50
    assert bars[date(2025, 6, 4)] == 0


def test_the_page_shows_the_numbers(client, moderator, crafted):
    client.force_login(moderator)
    with at(NOW):
        response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 h 20 min" in page  # median
    assert "2 d" in page  # 90th percentile and the oldest pending proposal
    rows = page.split("Decisions per moderator", 1)[1]
    assert rows.index("moderator</th>") < rows.index("moderator2</th>")
    assert 'class="bar bar-100"' in page
    assert page.count('<span class="bar-value">') == 30
    assert "Mon 9 Jun" in page


def test_the_empty_page(client, moderator):
    client.force_login(moderator)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["backlog"] == stats.Backlog(count=0, oldest_age=None)
    assert response.context["review_times"] == stats.ReviewTimes(0, None, None)
    assert response.context["per_moderator"] == []
    assert [entry.count for entry in response.context["per_day"]] == [0] * 30
    page = response.content.decode()
    assert "nothing is waiting" in page
    assert "No moderator has decided anything" in page
    assert "No proposal in the last 30 days." in page
    assert "bar-chart" not in page  # no thirty empty bars


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("fan", 403), ("author", 403), ("moderator", 200), ("staff", 200)],
)
def test_who_may_see_it(client, request, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == status
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


def test_it_rejects_post(client, moderator):
    client.force_login(moderator)
    assert client.post(URL).status_code == 405


def count_queries(client):
    with CaptureQueriesContext(connection) as context, at(NOW):
        assert client.get(URL).status_code == 200
    return len(context.captured_queries)


def test_its_query_count_does_not_grow(client, moderator, other_moderator, author):
    client.force_login(moderator)
    start = NOW - timedelta(hours=2)
    approve(new_proposal(author, "One", start), moderator, start + timedelta(hours=1))
    small = count_queries(client)
    for number in range(8):
        moment = NOW - timedelta(days=number, hours=2)
        proposal = new_proposal(factories.make_user(f"writer{number}"), f"Page {number}", moment)
        reviewer = moderator if number % 2 else other_moderator
        if number % 3:
            approve(proposal, reviewer, moment + timedelta(minutes=number))
        else:
            with at(moment + timedelta(hours=1)):
                moderation.revision_reject(revision=proposal, moderator=reviewer, reason="No.")
        new_proposal(author, f"Waiting {number}", moment)
    with_more_data = count_queries(client)
    assert len(stats.moderation_stats(now=NOW)["per_moderator"]) == 2
    assert with_more_data == small


def test_the_queue_links_here(client, moderator):
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert f'href="{URL}"' in page
    assert f'href="{reverse("moderation:audit")}"' in page
