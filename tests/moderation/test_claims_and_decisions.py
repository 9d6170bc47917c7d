"""Claims, rejection reasons, revising a rejected proposal, and reverts."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Trust
from apps.moderation import services as moderation
from apps.moderation.models import ReviewClaim, TrustChange
from apps.moderation.queue import waited
from apps.wiki.models import AuditEvent, Protection, RejectionReason, Revision, RevisionStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(article, fan):
    return factories.propose_edit(article, fan, body="A proposal.")


def test_a_claim_keeps_other_moderators_off(client, proposal, moderator, other_moderator):
    client.force_login(moderator)
    assert client.post(reverse("moderation:claim", args=[proposal.pk])).status_code == 302
    assert ReviewClaim.objects.get(revision=proposal).moderator == moderator

    client.force_login(other_moderator)
    page = client.get(reverse("moderation:review", args=[proposal.pk])).content.decode()
    assert "moderator is reviewing this proposal" in page
    assert client.post(reverse("moderation:claim", args=[proposal.pk])).status_code == 409
    response = client.post(reverse("moderation:approve", args=[proposal.pk]))
    assert response.status_code == 409
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING

    client.force_login(moderator)
    assert client.post(reverse("moderation:approve", args=[proposal.pk])).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.APPROVED


def test_a_claim_expires(proposal, moderator, other_moderator, monkeypatch):
    moderation.review_claim(revision=proposal, moderator=moderator)
    later = timezone.now() + timedelta(minutes=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    moderation.review_claim(revision=proposal, moderator=other_moderator)
    assert ReviewClaim.objects.get(revision=proposal).moderator == other_moderator
    moderation.revision_approve(revision=proposal, moderator=other_moderator)


def test_a_claim_can_be_released_by_its_holder_only(client, proposal, moderator, other_moderator):
    moderation.review_claim(revision=proposal, moderator=moderator)
    client.force_login(other_moderator)
    assert client.post(reverse("moderation:release", args=[proposal.pk])).status_code == 409
    client.force_login(moderator)
    assert client.post(reverse("moderation:release", args=[proposal.pk])).status_code == 302
    assert not ReviewClaim.objects.filter(revision=proposal).exists()


def test_claims_are_post_only_and_for_moderators(client, proposal, fan, moderator):
    client.force_login(moderator)
    assert client.get(reverse("moderation:claim", args=[proposal.pk])).status_code == 405
    client.force_login(fan)
    assert client.post(reverse("moderation:claim", args=[proposal.pk])).status_code == 403
    assert not ReviewClaim.objects.exists()


def test_rejecting_with_a_common_reason(client, proposal, fan, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:reject", args=[proposal.pk]),
        {"reason_code": RejectionReason.UNSOURCED, "reason": ""},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.reason_code == RejectionReason.UNSOURCED
    assert proposal.decision_reason == RejectionReason.UNSOURCED.label


def test_other_needs_a_note(client, proposal, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:reject", args=[proposal.pk]), {"reason_code": "other", "reason": ""}
    )
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING


def test_a_rejected_proposal_is_revised_and_approved(client, article, proposal, fan, moderator):
    moderation.revision_reject(revision=proposal, moderator=moderator, reason="Cite the minute.")
    client.force_login(fan)
    url = reverse("wiki:article-edit", args=[article.slug]) + f"?from={proposal.pk}"
    page = client.get(url)
    assert page.context["form"].initial["body"] == proposal.body
    assert page.context["revises"] == proposal
    source = article.approved_revision.citations.get().source
    response = client.post(
        url,
        {
            "body": "A proposal, now sourced. [@1]",
            "summary": "Revised",
            "base_revision": article.approved_revision_id,
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "0",
            "citations-0-source": source.pk,
            "citations-0-locator": "12",
        },
    )
    assert response.status_code == 302
    revised = Revision.objects.get(revises=proposal)
    client.force_login(moderator)
    review = client.get(reverse("moderation:review", args=[revised.pk])).content.decode()
    assert f"proposal #{proposal.pk}" in review and "Cite the minute." in review
    moderation.revision_approve(revision=revised, moderator=moderator)
    article.refresh_from_db()
    assert article.approved_revision_id == revised.pk


def test_revert_creates_a_new_revision(client, article, fan, moderator):
    first = article.approved_revision
    moderation.revision_approve(
        revision=factories.propose_edit(article, fan, body="Vandalised"), moderator=moderator
    )
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:revert", args=[article.slug, first.pk]), {"reason": "Vandalism"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    restored = article.approved_revision
    assert restored.pk not in (first.pk,) and restored.body == first.body
    assert restored.automatic and restored.author == moderator
    assert AuditEvent.objects.filter(revision=restored, action="reverted").exists()
    assert article.revisions.approved().count() == 3  # history kept


def test_revert_is_for_moderators(client, article, fan, moderator):
    first = article.approved_revision
    moderation.revision_approve(revision=factories.propose_edit(article, fan), moderator=moderator)
    client.force_login(fan)
    response = client.post(
        reverse("moderation:revert", args=[article.slug, first.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.approved_revision.body != first.body


def test_queue_filters(client, article, fan, moderator, episode):
    edit = factories.propose_edit(article, fan)
    new = factories.propose_article(factories.make_user("newbie"), title="Brand new")
    client.force_login(moderator)
    url = reverse("moderation:queue")

    def listed(**params):
        return [r.pk for r in client.get(url, params).context["page"].object_list]

    assert listed() == [edit.pk, new.pk]
    assert listed(kind="new") == [new.pk]
    assert listed(kind="edit") == [edit.pk]
    assert listed(author="newbie") == [new.pk]
    assert listed(episode="S02E22") == [edit.pk]
    assert listed(sort="newest") == [new.pk, edit.pk]
    assert listed(age="7d") == []
    assert listed(show="no-such-show", kind="bogus") == [edit.pk, new.pk]  # invalid: ignored


def test_a_moderator_trusts_a_fan_from_the_review_page(client, proposal, fan, moderator):
    client.force_login(moderator)
    review_url = reverse("moderation:review", args=[proposal.pk])
    assert 'name="trust-trust"' in client.get(review_url).content.decode()
    response = client.post(
        reverse("moderation:trust", args=[fan.username]),
        {"trust-trust": "trusted", "trust-reason": "Reliable", "next": review_url},
    )
    assert response.status_code == 302 and response["Location"] == review_url
    fan.refresh_from_db()
    assert fan.trust == "trusted"
    assert TrustChange.objects.get(user=fan).reason == "Reliable"


def test_only_moderators_use_the_trust_page(client, fan, author):
    client.force_login(fan)
    response = client.post(
        reverse("moderation:trust", args=[author.username]), {"trust-trust": "trusted"}
    )
    assert response.status_code == 403
    author.refresh_from_db()
    assert author.trust == "auto"


def test_the_trust_form_does_not_redirect_off_site(client, fan, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:trust", args=[fan.username]),
        {"trust-trust": "auto", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("moderation:queue")


def test_the_queue_says_how_long_each_proposal_has_waited():
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert waited(now - timedelta(seconds=20), now) == "less than a minute"
    assert waited(now - timedelta(minutes=1), now) == "1 minute"
    assert waited(now - timedelta(hours=3, minutes=59), now) == "3 hours"
    assert waited(now - timedelta(days=2), now) == "2 days"
    assert waited(now - timedelta(days=15), now) == "2 weeks"
    assert waited(now + timedelta(minutes=5), now) == "less than a minute"  # clock skew


def test_staff_read_trust_and_protection_changes_in_the_admin(client, article, fan, moderator):
    staff = factories.make_user("staff", superuser=True)
    moderation.user_set_trust(user=fan, trust=Trust.TRUSTED, moderator=moderator, reason="Sure")
    moderation.article_protect(
        article=article, level=Protection.TRUSTED, moderator=moderator, reason="Edit war."
    )
    client.force_login(staff)
    for model, reason in (("trustchange", "Sure"), ("protectionchange", "Edit war.")):
        page = client.get(reverse(f"admin:moderation_{model}_changelist"))
        assert page.status_code == 200 and reason in page.content.decode()
        assert client.get(reverse(f"admin:moderation_{model}_add")).status_code == 403
