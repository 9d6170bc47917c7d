"""The Django admin's decisions obey the same rules as the site."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse

from apps.moderation import services as moderation
from apps.wiki.models import AuditEvent, RevisionStatus
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:wiki_revision_changelist")


@pytest.fixture
def admin_moderator(db):
    """A staff member who moderates without being a superuser, like demo-moderator."""
    return factories.make_user("staffmod", moderator=True, staff=True)


def run_action(client, action, revisions, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in revisions], **extra}
    return client.post(CHANGELIST, data, follow=True)


def test_it_approves_through_the_service(client, article, fan, admin_moderator):
    proposal = factories.propose_edit(article, fan)
    client.force_login(admin_moderator)
    response = run_action(client, "approve_selected", [proposal])
    assert "Approved 1 proposal" in response.content.decode()
    proposal.refresh_from_db()
    article.refresh_from_db()
    assert proposal.status == RevisionStatus.APPROVED
    assert proposal.decided_by == admin_moderator
    assert article.approved_revision_id == proposal.pk
    assert AuditEvent.objects.filter(revision=proposal, action="approved").count() == 1


def test_it_refuses_self_approval(client, article, admin_moderator):
    own = factories.propose_edit(article, admin_moderator)
    client.force_login(admin_moderator)
    response = run_action(client, "approve_selected", [own])
    assert "cannot approve or reject your own proposal" in response.content.decode()
    own.refresh_from_db()
    assert own.status == RevisionStatus.PENDING


def test_it_refuses_a_stale_base(client, article, fan, admin_moderator, moderator):
    stale = factories.propose_edit(article, fan, body="old base")
    newer = factories.propose_edit(article, factories.make_user("fan2"), body="newer")
    client.force_login(admin_moderator)
    run_action(client, "approve_selected", [newer])
    response = run_action(client, "approve_selected", [stale])
    assert "changed after this proposal was written" in response.content.decode()
    stale.refresh_from_db()
    assert stale.status == RevisionStatus.PENDING


def test_reject_asks_for_a_reason_first(client, article, fan, admin_moderator):
    proposal = factories.propose_edit(article, fan)
    client.force_login(admin_moderator)
    response = run_action(client, "reject_selected", [proposal])
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING

    response = run_action(client, "reject_selected", [proposal], apply="1", reason="")
    assert "Give the authors a reason" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING

    run_action(client, "reject_selected", [proposal], apply="1", reason="Needs a source.")
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.REJECTED
    assert proposal.decision_reason == "Needs a source."


def test_reject_offers_the_common_reasons(client, article, fan, admin_moderator):
    proposal = factories.propose_edit(article, fan)
    client.force_login(admin_moderator)
    form = run_action(client, "reject_selected", [proposal]).content.decode()
    assert '<option value="wording">Copied wording: write it in your own words</option>' in form
    run_action(client, "reject_selected", [proposal], apply="1", reason="", reason_code="wording")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reason_code) == (RevisionStatus.REJECTED, "wording")
    assert proposal.decision_reason == "Copied wording: write it in your own words"


def test_the_change_page_compares_a_pending_proposal_with_the_current_text(
    client, article, fan, author, moderator, admin_moderator
):
    stale = factories.propose_edit(article, fan, body="Stale change.")
    moderation.revision_approve(
        revision=factories.propose_edit(article, author, body="Newer text."), moderator=moderator
    )
    client.force_login(admin_moderator)
    page = client.get(reverse("admin:wiki_revision_change", args=[stale.pk])).content.decode()
    assert "The approved text changed after this proposal was written" in page
    assert "the text readers see now" in page
    assert "Newer" in page  # the current text is the diff's left side


def test_a_staff_member_without_the_permission_cannot_decide(client, article, fan):
    clerk = factories.make_user("clerk", staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_revision"))
    proposal = factories.propose_edit(article, fan)
    client.force_login(clerk)
    response = run_action(client, "approve_selected", [proposal])
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING


def test_revisions_and_audit_events_are_read_only(client, article, staff):
    client.force_login(staff)
    revision = article.approved_revision
    url = reverse("admin:wiki_revision_change", args=[revision.pk])
    response = client.post(url, {"body": "Rewritten", "status": "rejected"})
    assert response.status_code == 403
    revision.refresh_from_db()
    assert revision.body == "Original text. [@1]"
    event = AuditEvent.objects.filter(revision=revision).first()
    response = client.post(
        reverse("admin:wiki_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:wiki_revision_changelist",
        "admin:wiki_article_changelist",
        "admin:wiki_auditevent_changelist",
        "admin:citations_source_changelist",
        "admin:wiki_citation_changelist",
        "admin:catalog_episode_changelist",
        "admin:accounts_user_changelist",
    ],
)
def test_admin_lists_load(client, article, staff, url_name):
    client.force_login(staff)
    assert client.get(reverse(url_name), {"q": "trivia"}).status_code == 200


def test_revision_admin_page_shows_its_citations(client, article, staff):
    client.force_login(staff)
    response = client.get(
        reverse("admin:wiki_revision_change", args=[article.approved_revision_id])
    )
    assert response.status_code == 200
    assert "The story behind the kiss" in response.content.decode()


def test_the_revision_admin_page_shows_the_diff(client, article, fan, staff):
    proposal = factories.propose_edit(article, fan, body="A changed sentence.")
    client.force_login(staff)
    page = client.get(reverse("admin:wiki_revision_change", args=[proposal.pk])).content.decode()
    assert f"version #{article.approved_revision_id}" in page
    # A word diff of the one edited line: "Original text. [@1]" became "A changed sentence. [@1]".
    assert (
        '<td class="text"><del>Original</del><ins>A</ins> <del>text</del>'
        "<ins>changed sentence</ins>. [@1]</td>"
    ) in page


def test_a_pending_proposals_page_decides_it_and_shows_it_rendered(
    client, article, fan, admin_moderator
):
    proposal = factories.propose_edit(article, fan, body="A **bold** change.")
    page_url = reverse("admin:wiki_revision_change", args=[proposal.pk])
    decide = reverse("admin:wiki_revision_decide", args=[proposal.pk])
    client.force_login(admin_moderator)
    page = client.get(page_url).content.decode()
    assert decide in page and "How readers would see it" in page
    # Forms of their own, before the change form (a form inside a form would post that one).
    assert page.index(decide) < page.index('id="revision_form"')
    assert "<strong>bold</strong>" in page  # rendered, not the Markdown
    assert reverse("moderation:review", args=[proposal.pk]) in page
    assert page.count('id="reject_reason"') == 1 and page.count('id="request_reason"') == 1

    # A rejection with no reason is refused, nothing written; then one with a reason.
    response = client.post(decide, {"decision": "reject", "reason_code": "", "reason": ""})
    assert response.status_code == 302 and response["Location"] == page_url
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING
    client.post(decide, {"decision": "reject", "reason_code": "", "reason": "Not sourced."})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reason) == (RevisionStatus.REJECTED, "Not sourced.")
    assert "Decision</h2>" not in client.get(page_url).content.decode()  # decided: no buttons


def test_the_admins_decisions_are_post_only_and_for_moderators(client, article, fan, staff):
    proposal = factories.propose_edit(article, fan)
    decide = reverse("admin:wiki_revision_decide", args=[proposal.pk])
    clerk = factories.make_user("clerk", staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_revision"))
    client.force_login(clerk)
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    client.force_login(staff)
    assert client.get(decide).status_code == 405
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING
    client.post(decide, {"decision": "approve"})
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.APPROVED


def test_a_reason_the_form_refuses_comes_back_as_a_message(client, article, fan, admin_moderator):
    proposal = factories.propose_edit(article, fan)
    client.force_login(admin_moderator)
    decide = reverse("admin:wiki_revision_decide", args=[proposal.pk])
    response = client.post(decide, {"decision": "reject", "reason": "x" * 3000}, follow=True)
    assert response.status_code == 200
    assert "2000" in response.content.decode() or "characters" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING
    response = client.post(decide, {"decision": "nonsense"}, follow=True)
    assert "Choose a decision." in response.content.decode()
