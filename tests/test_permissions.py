"""Who may change what: every state-changing view, for every persona."""

import pytest
from django.urls import reverse

from apps.wiki.models import Article, AuditEvent, Revision, RevisionStatus
from tests import factories

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "fan", "author", "moderator", "staff"]


@pytest.fixture
def proposal(article, author):
    """A pending edit by ``author`` on a published article."""
    return factories.propose_edit(article, author, body="Proposed text.")


@pytest.fixture
def login_as(client, fan, author, moderator, staff):
    users = {"fan": fan, "author": author, "moderator": moderator, "staff": staff}

    def login(persona):
        if persona != "anonymous":
            client.force_login(users[persona])
        return client

    return login


def decision_count(revision):
    return AuditEvent.objects.filter(revision=revision).exclude(action="proposed").count()


@pytest.mark.parametrize(
    ("persona", "status", "outcome"),
    [
        ("anonymous", 302, RevisionStatus.PENDING),
        ("fan", 403, RevisionStatus.PENDING),
        ("author", 403, RevisionStatus.PENDING),
        ("moderator", 302, RevisionStatus.APPROVED),
        ("staff", 302, RevisionStatus.APPROVED),
    ],
)
def test_approve(login_as, proposal, persona, status, outcome):
    response = login_as(persona).post(reverse("moderation:approve", args=[proposal.pk]))
    assert response.status_code == status
    if persona == "anonymous":
        assert reverse("accounts:login") in response["Location"]
    proposal.refresh_from_db()
    assert proposal.status == outcome
    proposal.article.refresh_from_db()
    assert (proposal.article.approved_revision_id == proposal.pk) == (outcome == "approved")
    assert decision_count(proposal) == (1 if outcome == "approved" else 0)


@pytest.mark.parametrize(
    ("persona", "status", "outcome"),
    [
        ("anonymous", 302, RevisionStatus.PENDING),
        ("fan", 403, RevisionStatus.PENDING),
        ("author", 403, RevisionStatus.PENDING),
        ("moderator", 302, RevisionStatus.REJECTED),
        ("staff", 302, RevisionStatus.REJECTED),
    ],
)
def test_reject(login_as, proposal, persona, status, outcome):
    response = login_as(persona).post(
        reverse("moderation:reject", args=[proposal.pk]), {"reason": "Unsourced."}
    )
    assert response.status_code == status
    proposal.refresh_from_db()
    assert proposal.status == outcome
    assert decision_count(proposal) == (1 if outcome == "rejected" else 0)


@pytest.mark.parametrize(
    ("persona", "status", "outcome"),
    [
        ("anonymous", 302, RevisionStatus.PENDING),
        ("fan", 403, RevisionStatus.PENDING),
        ("author", 302, RevisionStatus.WITHDRAWN),
        ("moderator", 403, RevisionStatus.PENDING),
        ("staff", 403, RevisionStatus.PENDING),
    ],
)
def test_withdraw(login_as, proposal, persona, status, outcome):
    response = login_as(persona).post(reverse("wiki:revision-withdraw", args=[proposal.pk]))
    assert response.status_code == status
    proposal.refresh_from_db()
    assert proposal.status == outcome


@pytest.mark.parametrize("persona", PERSONAS)
def test_propose_edit(login_as, article, persona):
    client = login_as(persona)
    before = Revision.objects.count()
    source = article.approved_revision.citations.get().source  # in the registry, approved
    response = client.post(
        reverse("wiki:article-edit", args=[article.slug]),
        {
            "body": "A new text [@1]",
            "summary": "Edit",
            "base_revision": article.approved_revision_id,
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "0",
            "citations-0-source": source.pk,
            "citations-0-locator": "p. 3",
        },
    )
    assert response.status_code == 302
    if persona == "anonymous":
        assert reverse("accounts:login") in response["Location"]
        assert Revision.objects.count() == before
    else:
        assert Revision.objects.count() == before + 1
        assert Revision.objects.latest("id").status == RevisionStatus.PENDING


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_article(login_as, article, persona):
    source = article.approved_revision.citations.get().source
    response = login_as(persona).post(
        reverse("wiki:article-create"),
        {
            "title": "A new page",
            "body": "Text [@1]",
            "summary": "New",
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "0",
            "citations-0-source": source.pk,
            "citations-0-locator": "p. 3",
        },
    )
    assert response.status_code == 302
    created = Article.objects.filter(slug="a-new-page").first()
    assert (created is not None) == (persona != "anonymous")
    if created:
        assert created.approved_revision is None  # nobody publishes without review


@pytest.mark.parametrize(
    "url_name", ["moderation:approve", "moderation:reject", "wiki:revision-withdraw"]
)
def test_change_endpoints_refuse_get(client, moderator, author, proposal, url_name):
    client.force_login(author if url_name == "wiki:revision-withdraw" else moderator)
    response = client.get(reverse(url_name, args=[proposal.pk]))
    assert response.status_code == 405
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING


def test_logout_refuses_get(client, fan):
    client.force_login(fan)
    assert client.get(reverse("accounts:logout")).status_code == 405


@pytest.mark.parametrize(
    "url_name",
    ["moderation:approve", "moderation:reject", "moderation:review", "wiki:revision-withdraw"],
)
def test_unknown_ids_are_404(client, moderator, url_name):
    client.force_login(moderator)
    method = client.get if url_name == "moderation:review" else client.post
    assert method(reverse(url_name, args=[999999]), {"reason": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("fan", 403), ("author", 403), ("moderator", 200), ("staff", 200)],
)
def test_queue_and_review_pages(login_as, proposal, persona, status):
    client = login_as(persona)
    assert client.get(reverse("moderation:queue")).status_code == status
    assert client.get(reverse("moderation:review", args=[proposal.pk])).status_code == status


def test_a_moderator_cannot_approve_their_own_proposal(client, article, moderator):
    own = factories.propose_edit(article, moderator, body="My own edit")
    client.force_login(moderator)
    review = client.get(reverse("moderation:review", args=[own.pk]))
    assert "your own proposal" in review.content.decode()
    assert client.post(reverse("moderation:approve", args=[own.pk])).status_code == 403
    assert (
        client.post(reverse("moderation:reject", args=[own.pk]), {"reason": "x"}).status_code == 403
    )
    own.refresh_from_db()
    assert own.status == RevisionStatus.PENDING


def test_a_stale_proposal_is_refused_with_a_conflict(client, article, fan, moderator):
    stale = factories.propose_edit(article, fan, body="Written against the old text")
    newer = factories.propose_edit(article, factories.make_user("fan2"), body="Newer")
    client.force_login(moderator)
    client.post(reverse("moderation:approve", args=[newer.pk]))
    response = client.post(reverse("moderation:approve", args=[stale.pk]))
    assert response.status_code == 409
    assert "changed after this proposal was written" in response.content.decode()
    stale.refresh_from_db()
    article.refresh_from_db()
    assert stale.status == RevisionStatus.PENDING
    assert article.approved_revision_id == newer.pk


def test_deciding_twice_is_a_conflict(client, proposal, moderator, other_moderator):
    client.force_login(moderator)
    client.post(reverse("moderation:approve", args=[proposal.pk]))
    client.force_login(other_moderator)
    response = client.post(reverse("moderation:reject", args=[proposal.pk]), {"reason": "Late"})
    assert response.status_code == 409
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.APPROVED
    assert decision_count(proposal) == 1


def test_reject_without_reason_is_400(client, proposal, moderator):
    client.force_login(moderator)
    response = client.post(reverse("moderation:reject", args=[proposal.pk]), {"reason": " "})
    assert response.status_code == 400
    assert "Give the author a reason" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING


def test_unpublished_articles_are_hidden_from_other_users(client, author, fan, moderator):
    revision = factories.propose_article(author, title="Secret draft")
    url = revision.article.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(fan)
    assert client.get(url).status_code == 404
    assert client.get(reverse("wiki:article-edit", args=[revision.article.slug])).status_code == 404
    client.force_login(author)
    assert client.get(url).status_code == 200
    client.force_login(moderator)
    assert client.get(url).status_code == 200
