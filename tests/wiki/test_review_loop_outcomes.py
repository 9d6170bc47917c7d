"""The review loop without dead ends: what a part approval is called, and where a proposal
already revised leads."""

import pytest
from django.urls import reverse

from apps.moderation import services as moderation
from apps.moderation.hunks import split
from apps.wiki import services
from apps.wiki.merging import cited_of
from tests import factories

pytestmark = pytest.mark.django_db


def approve_first_change(proposal, moderator, *, rest):
    first, *others = split(cited_of(proposal.base), cited_of(proposal))
    return moderation.revision_approve_part(
        revision=proposal,
        moderator=moderator,
        accepted={first.number},
        reasons={hunk.number: "Not this one." for hunk in others},
        rest=rest,
    )


@pytest.mark.parametrize(
    ("rest", "called"),
    [("decline", "Approved in part"), ("return", "Approved in part, the rest returned")],
)
def test_a_part_approval_is_not_called_a_rejection(client, article, fan, moderator, rest, called):
    proposal = factories.propose_two_changes(article, fan)
    part = approve_first_change(proposal, moderator, rest=rest)
    proposal.refresh_from_db()
    assert proposal.outcome == called

    assert factories.log_in(client, "fan")
    contributions = client.get(reverse("wiki:contributions")).content.decode()
    assert f'<span class="badge badge-part-approved">{called}</span>' in contributions
    assert "badge-rejected" not in contributions
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Rejected</strong>" not in page
    assert f"version #{part.pk}</a>" in page

    client.force_login(moderator)
    log = client.get(reverse("moderation:audit")).content.decode()
    assert f"Wrote from proposal #{proposal.pk}" in log
    assert "Approved in part" in log
    history = client.get(reverse("wiki:article-history", args=[article.slug])).content.decode()
    assert f"Wrote from proposal #{proposal.pk}" in history


def test_an_old_audit_row_of_a_carried_version_is_named_too(article, fan, moderator):
    """Rows written before the action existed said "Proposed", by the moderator."""
    from apps.wiki.models import AuditAction, AuditEvent

    proposal = factories.propose_two_changes(article, fan)
    part = approve_first_change(proposal, moderator, rest="decline")
    event = AuditEvent.objects.get(revision=part, action=AuditAction.CARRIED)
    legacy = AuditEvent(
        revision=part, article=article, actor=moderator, action=AuditAction.PROPOSED
    )
    assert legacy.action_label == event.action_label == f"Wrote from proposal #{proposal.pk}"
    own = AuditEvent(revision=proposal, article=article, actor=fan, action=AuditAction.PROPOSED)
    assert own.action_label == "Proposed"


def test_a_proposal_already_revised_offers_its_revision_not_revise_it(
    client, article, fan, moderator
):
    proposal = factories.propose_edit(article, fan, body="First try.")
    moderation.revision_request_changes(revision=proposal, moderator=moderator, reason="Cite it.")
    assert factories.log_in(client, "fan")
    edit_url = reverse("wiki:article-edit", args=[article.slug]) + f"?from={proposal.pk}"
    page = client.get(reverse("wiki:contributions")).content.decode()
    assert edit_url.replace("&", "&amp;") in page  # not revised yet: it can be

    revised = services.revision_propose(
        article=article,
        author=fan,
        body="Second try. [@1]",
        summary="Cited",
        citations=[factories.cite(key=1)],
        base=proposal.base,
        revises=proposal,
    )
    page = client.get(reverse("wiki:contributions")).content.decode()
    assert edit_url not in page
    assert f'Revised as <a href="{revised.get_absolute_url()}">proposal #{revised.pk}</a>' in page
    # An old link to revise it goes to the revision, with the reason, instead of a refusal.
    response = client.get(edit_url, follow=True)
    assert response.redirect_chain[0][0] == revised.get_absolute_url()
    assert f"You already revised this proposal as #{revised.pk}." in response.content.decode()
