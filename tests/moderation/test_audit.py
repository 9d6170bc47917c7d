"""The audit log page: every proposal and decision, filterable, for moderators only."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Trust
from apps.moderation import services as moderation
from apps.wiki.models import AuditAction, AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("moderation:audit")
DAY_ONE = datetime(2025, 3, 1, 23, 30, tzinfo=UTC)
DAY_TWO = datetime(2025, 3, 2, 10, 0, tzinfo=UTC)


@contextmanager
def at(moment):
    with patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def history(author, fan, moderator, other_moderator):
    """Events on two days: proposals, an approval, a rejection, an automatic approval."""
    with at(DAY_ONE):
        first = factories.propose_article(author, title="Casino Night trivia")
        moderation.revision_approve(revision=first, moderator=moderator)
    article = first.article
    with at(DAY_TWO):
        rejected = factories.propose_edit(article, author, body="Wrong.")
        moderation.revision_reject(
            revision=rejected, moderator=other_moderator, reason="The source says otherwise."
        )
        moderation.user_set_trust(user=fan, trust=Trust.TRUSTED, moderator=moderator)
        automatic = factories.propose_edit(article, fan, body="Trusted change.")
        pending = factories.propose_article(author, title="Booze Cruise trivia")
    return {
        "article": article,
        "first": first,
        "rejected": rejected,
        "automatic": automatic,
        "pending": pending,
    }


@pytest.fixture
def as_moderator(client, moderator):
    client.force_login(moderator)
    return client


def events_of(response):
    return list(response.context["page"].object_list)


def test_it_lists_every_event_newest_first(as_moderator, history):
    response = as_moderator.get(URL)
    events = events_of(response)
    assert events == list(AuditEvent.objects.order_by("-created_at", "-id"))
    assert len(events) == 7  # 4 proposals, approval, rejection, automatic approval
    assert events[0].revision == history["pending"]
    page = response.content.decode()
    assert "The source says otherwise." in page
    # The status it moved to, saying (to screen readers too) what it moved from.
    assert 'from Pending review to </span><span aria-hidden="true">→ </span>Rejected' in page
    assert f'href="{history["article"].get_absolute_url()}"' in page
    assert f'href="{history["first"].get_absolute_url()}"' in page
    # A pending proposal links to its review page, a decided one to the revision itself.
    assert f'href="{reverse("moderation:review", args=[history["pending"].pk])}"' in page
    assert f'href="{history["rejected"].get_absolute_url()}"' in page


def test_automatic_approvals_are_marked(as_moderator, history):
    response = as_moderator.get(URL, {"action": AuditAction.AUTO_APPROVED})
    [event] = events_of(response)
    assert event.revision == history["automatic"]
    page = response.content.decode()
    assert "Approved automatically" in page
    assert 'class="audit-automatic"' in page and ">automatic</span>" in page


def test_moderators_decisions_are_not_marked_automatic(as_moderator, history):
    page = as_moderator.get(URL, {"action": AuditAction.APPROVED}).content.decode()
    assert "audit-automatic" not in page


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"actor": "moderator2"}, {("rejected", "rejected")}),
        ({"action": "rejected"}, {("rejected", "rejected")}),
        ({"article": "booze-cruise-trivia"}, {("pending", "proposed")}),
        ({"until": "2025-03-01"}, {("first", "proposed"), ("first", "approved")}),
        (
            {"since": "2025-03-01", "until": "2025-03-01"},
            {("first", "proposed"), ("first", "approved")},
        ),
        (
            {"since": "2025-03-02", "actor": "author", "article": "casino-night-trivia"},
            {("rejected", "proposed")},
        ),
        ({"since": "2025-03-03"}, set()),
        ({"actor": "nobody"}, set()),
    ],
)
def test_filters(as_moderator, history, filters, expected):
    names = {history[name].pk: name for name in ("first", "rejected", "automatic", "pending")}
    events = events_of(as_moderator.get(URL, filters))
    assert {(names[e.revision_id], e.action) for e in events} == expected


@pytest.mark.parametrize(
    "junk",
    [
        {"action": "deleted"},
        {"article": "not a slug!"},
        {"actor": "nul\x00byte"},
        {"actor": "x" * 500},
        {"since": "2025-02-30"},
        {"until": "yesterday"},
        {"until": "9999-12-31"},
        {"since": "0001-01-01"},
        {"since": "2025-3-1x"},
        {"page": "many"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
    ],
)
def test_invalid_filters_are_ignored(as_moderator, history, junk):
    response = as_moderator.get(URL, junk)
    assert response.status_code == 200
    assert len(events_of(response)) == AuditEvent.objects.count()


def test_a_bad_filter_does_not_drop_the_good_ones(as_moderator, history):
    response = as_moderator.get(URL, {"action": "nonsense", "actor": "moderator2"})
    assert [e.revision for e in events_of(response)] == [history["rejected"]]
    assert "Ignored:" in response.content.decode()


def test_it_pages_by_fifty_and_keeps_the_filters(as_moderator, author, settings):
    settings.PENDING_PROPOSALS_CAP = 0  # 52 proposals await review at once
    for number in range(52):
        factories.propose_article(author, title=f"Page {number}")
    factories.propose_article(factories.make_user("someone"), title="Elsewhere")
    response = as_moderator.get(URL, {"actor": "author"})
    assert len(events_of(response)) == 50
    assert response.context["page"].paginator.count == 52
    assert "?actor=author&amp;page=2" in response.content.decode()
    second = as_moderator.get(URL, {"actor": "author", "page": 2})
    assert len(events_of(second)) == 2


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


def test_it_rejects_post(as_moderator):
    assert as_moderator.post(URL).status_code == 405


def count_queries(client, params=None):
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, params or {}).status_code == 200
    return len(context.captured_queries)


def test_its_query_count_does_not_grow(as_moderator, history, moderator):
    small = count_queries(as_moderator)
    filtered = count_queries(
        as_moderator, {"article": "casino-night-trivia", "since": "2025-01-01"}
    )
    article = history["article"]
    for number in range(10):
        writer = factories.make_user(f"writer{number}")
        proposal = factories.propose_edit(article, writer, body=f"Version {number}")
        moderation.revision_approve(revision=proposal, moderator=moderator)
        factories.propose_article(writer, title=f"Another {number}")
    assert AuditEvent.objects.count() > 30
    assert count_queries(as_moderator) == small
    assert count_queries(
        as_moderator, {"article": "casino-night-trivia", "since": "2025-01-01"}
    ) == (filtered)


def test_an_event_from_long_ago_is_listed(as_moderator, history):
    with at(DAY_ONE - timedelta(days=400)):
        factories.propose_article(factories.make_user("early"), title="Pilot trivia")
    events = events_of(as_moderator.get(URL, {"until": "2024-12-31"}))
    assert [e.article.slug for e in events] == ["pilot-trivia"]
