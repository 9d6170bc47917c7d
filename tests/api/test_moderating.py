"""Moderating over the API: moderators' tokens only, the site's services and locks."""

import pytest

from apps.moderation.models import ReviewClaim
from apps.wiki.models import Revision, RevisionStatus
from tests import factories

from .conftest import Api, make_token

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("get", "/moderation/queue"),
    ("get", "/moderation/proposals/{pk}"),
    ("post", "/moderation/proposals/{pk}/approve"),
    ("post", "/moderation/proposals/{pk}/approve-merged"),
    ("post", "/moderation/proposals/{pk}/reject"),
    ("post", "/moderation/proposals/{pk}/request-changes"),
    ("post", "/moderation/proposals/{pk}/approve-part"),
    ("post", "/moderation/proposals/{pk}/claim"),
    ("post", "/moderation/proposals/{pk}/release"),
]
BODIES = {
    "reject": {"reason": "Unsourced.", "reason_code": "other"},
    "request-changes": {"reason": "Cite it."},
    "approve-part": {"accepted": [1], "reasons": {"2": "No."}, "rest": "return"},
}


def _call(api, method, path, pk):
    path = path.format(pk=pk)
    if method == "get":
        return api.get(path)
    return api.post(path, BODIES.get(path.rsplit("/", 1)[-1]))


@pytest.fixture
def proposal(article, author):
    return factories.propose_two_changes(article, author)


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_fans_and_tokens_without_the_scope_get_403_everywhere(
    client, fan, moderator, proposal, method, path
):
    for token in (make_token(fan), make_token(moderator, ("read", "propose"))):
        response = _call(Api(client, token), method, path, proposal.pk)
        assert response.status_code == 403, (path, response.content)
        assert response["Content-Type"] == "application/problem+json"
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING
    assert not ReviewClaim.objects.exists()


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_without_a_token_every_moderation_endpoint_answers_401(api, proposal, method, path):
    assert _call(api, method, path, proposal.pk).status_code == 401


def test_the_queue_and_the_review_data(moderator_api, proposal, author):
    author.is_bot = True
    author.save()
    queue = moderator_api.get("/moderation/queue").json()["items"]
    assert [item["revision"]["id"] for item in queue] == [proposal.pk]
    assert queue[0]["revision"]["bot"] is True and queue[0]["stale"] is False
    assert moderator_api.get("/moderation/queue", {"bots": "false"}).json()["items"] == []
    review = moderator_api.get(f"/moderation/proposals/{proposal.pk}").json()
    assert review["revision"]["markdown"] == proposal.body
    assert [h["index"] for h in review["hunks"]] == [1, 2]
    assert "+One more. [@1]" in review["diff"]


def test_approve_publishes_and_a_second_approval_is_409(moderator_api, proposal, article):
    first = moderator_api.post(f"/moderation/proposals/{proposal.pk}/approve")
    assert first.status_code == 200
    assert first.json() == {
        "revision_id": proposal.pk,
        "status": "approved",
        "published_revision_id": proposal.pk,
    }
    article.refresh_from_db()
    assert article.approved_revision_id == proposal.pk
    again = moderator_api.post(f"/moderation/proposals/{proposal.pk}/approve")
    assert again.status_code == 409
    assert proposal.audit_events.filter(action="approved").count() == 1


def test_reject_needs_a_reason_and_the_author_sees_it(client, moderator_api, proposal, author):
    refused = moderator_api.post(f"/moderation/proposals/{proposal.pk}/reject", {"reason": ""})
    assert refused.status_code == 422
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING
    done = moderator_api.post(
        f"/moderation/proposals/{proposal.pk}/reject", {"reason": "No source says so."}
    )
    assert done.json()["status"] == "rejected"
    mine = Api(client, make_token(author)).get(f"/revisions/{proposal.pk}").json()
    assert mine["decision_reason"] == "No source says so."


def test_request_changes_and_approve_part(moderator_api, article, author):
    proposal = factories.propose_two_changes(article, author)
    part = moderator_api.post(
        f"/moderation/proposals/{proposal.pk}/approve-part",
        {"accepted": [1], "reasons": {"2": "Not in the source."}, "rest": "return"},
    )
    assert part.status_code == 200, part.content
    published = Revision.objects.get(pk=part.json()["published_revision_id"])
    article.refresh_from_db()
    assert article.approved_revision == published
    assert "One more." in published.body and "And another." not in published.body
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.CHANGES_REQUESTED


def test_approve_part_without_reasons_for_the_rest_is_422(moderator_api, proposal):
    response = moderator_api.post(
        f"/moderation/proposals/{proposal.pk}/approve-part", {"accepted": [1], "rest": "return"}
    )
    assert response.status_code == 422
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING


def test_claims(client, moderator_api, other_moderator, proposal):
    claimed = moderator_api.post(f"/moderation/proposals/{proposal.pk}/claim").json()
    assert claimed["claimed_by"] == "moderator"
    other = Api(client, make_token(other_moderator, ("moderate",)))
    assert other.post(f"/moderation/proposals/{proposal.pk}/claim").status_code == 409
    assert other.post(f"/moderation/proposals/{proposal.pk}/approve").status_code == 409
    moderator_api.post(f"/moderation/proposals/{proposal.pk}/release")
    assert other.post(f"/moderation/proposals/{proposal.pk}/approve").status_code == 200


def test_a_moderator_cannot_approve_their_own_proposal(moderator_api, article, moderator):
    own = factories.propose_edit(article, moderator, body="Mine.")
    if own.status == RevisionStatus.PENDING:
        response = moderator_api.post(f"/moderation/proposals/{own.pk}/approve")
        assert response.status_code == 403
