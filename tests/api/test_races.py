"""Over the API, on PostgreSQL with real concurrent transactions: the site's locks hold."""

import pytest
from django.db import connection
from django.test import Client

from apps.moderation import services as moderation
from apps.wiki.models import AuditEvent, Revision, RevisionStatus
from tests import factories
from tests.wiki.test_races import race

from .conftest import Api, make_token, payload_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"
    ),
]


@pytest.fixture
def setting():
    author = factories.make_user("author")
    moderators = [factories.make_user(f"mod{n}", moderator=True) for n in range(2)]
    article = factories.published_article(author, moderators[0])
    return article, author, moderators


def test_two_approvals_at_once_decide_once(setting):
    article, _author, moderators = setting
    proposal = factories.propose_edit(article, factories.make_user("fan"))
    apis = [Api(Client(), make_token(m, ("moderate",))) for m in moderators]
    results = race(
        *[lambda api=api: api.post(f"/moderation/proposals/{proposal.pk}/approve") for api in apis]
    )
    assert sorted(r.status_code for r in results) == [200, 409]
    assert AuditEvent.objects.filter(revision=proposal, action="approved").count() == 1
    article.refresh_from_db()
    assert article.approved_revision_id == proposal.pk


def test_a_proposal_racing_a_publish(setting):
    article, author, (moderator, _other) = setting
    waiting = factories.propose_edit(article, author, body="Published meanwhile.")
    fan = factories.make_user("fan")
    api = Api(Client(), make_token(fan))
    payload = payload_for(article)
    results = race(
        lambda: api.post(f"/articles/{article.slug}/proposals", payload),
        lambda: moderation.revision_approve(revision=waiting, moderator=moderator),
    )
    answer = results[0]
    article.refresh_from_db()
    assert article.approved_revision_id == waiting.pk
    mine = Revision.objects.filter(author=fan)
    if answer.status_code == 201:
        # Written first, on the base that was current: a stale proposal, never lost text.
        assert mine.get().base_id == payload["base_revision_id"]
    else:
        assert answer.status_code == 409
        assert answer.json()["current_revision_id"] == waiting.pk
        assert not mine.exists()


def test_the_pending_cap_holds_under_concurrent_proposals(setting, settings):
    settings.PENDING_PROPOSALS_CAP = 1
    article, _author, _moderators = setting
    fan = factories.make_user("fan")
    apis = [Api(Client(), make_token(fan)) for _ in range(3)]
    payload = payload_for(article)
    results = race(
        *[lambda api=api: api.post(f"/articles/{article.slug}/proposals", payload) for api in apis]
    )
    assert sorted(r.status_code for r in results) == [201, 429, 429]
    assert Revision.objects.filter(author=fan, status=RevisionStatus.PENDING).count() == 1
