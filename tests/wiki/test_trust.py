"""Trust, automatic approval and protection."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Trust
from apps.moderation import services as moderation
from apps.moderation.models import ProtectionChange, TrustChange
from apps.wiki.models import AuditEvent, Protection, RevisionStatus
from apps.wiki.policy import earns_trust, is_trusted
from tests import factories

pytestmark = pytest.mark.django_db

AUTO = override_settings(WIKI_AUTO_APPROVE={"moderators": True, "trusted": True})


def veteran(name="veteran"):
    user = factories.make_user(name)
    user.date_joined = timezone.now() - timedelta(days=60)
    user.save(update_fields=["date_joined"])
    return user


def test_a_new_account_is_not_trusted(fan):
    assert not is_trusted(fan)


def test_the_rule_trusts_after_enough_approvals(article, moderator):
    fan = veteran()
    with override_settings(
        WIKI_TRUST_RULE={"approved": 2, "quiet_days": 30, "min_account_days": 7}
    ):
        for number in range(2):
            assert not earns_trust(fan)
            moderation.revision_approve(
                revision=factories.propose_edit(article, fan, body=f"Edit {number}"),
                moderator=moderator,
            )
        assert earns_trust(fan)
        with override_settings(WIKI_AUTO_APPROVE={"moderators": False, "trusted": False}):
            rejected = factories.propose_edit(article, fan, body="Bad edit")
        moderation.revision_reject(revision=rejected, moderator=moderator, reason="No")
        assert not earns_trust(fan)  # a recent rejection takes it away again


@AUTO
def test_a_trusted_fans_edit_goes_live_and_is_logged_as_automatic(article, moderator):
    fan = veteran()
    moderation.user_set_trust(user=fan, trust=Trust.TRUSTED, moderator=moderator, reason="Reliable")
    revision = factories.propose_edit(article, fan, body="Trusted edit")
    article.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED and revision.automatic
    assert revision.decided_by == fan
    assert article.approved_revision_id == revision.pk
    event = AuditEvent.objects.get(revision=revision, action="auto-approved")
    assert event.to_status == "approved"
    assert TrustChange.objects.get(user=fan).actor == moderator


@AUTO
def test_moderators_edits_go_live_when_the_policy_says_so(article, moderator):
    revision = factories.propose_edit(article, moderator, body="Moderator edit")
    assert revision.status == RevisionStatus.APPROVED and revision.automatic
    with override_settings(WIKI_AUTO_APPROVE={"moderators": False, "trusted": True}):
        pending = factories.propose_edit(article, moderator, body="Queued edit")
    assert pending.status == RevisionStatus.PENDING


@AUTO
def test_untrusted_and_new_accounts_always_go_through_review(article, fan, moderator):
    assert factories.propose_edit(article, fan).status == RevisionStatus.PENDING
    distrusted = veteran("distrusted")
    moderation.user_set_trust(user=distrusted, trust=Trust.UNTRUSTED, moderator=moderator)
    assert not is_trusted(distrusted)


def test_only_moderators_change_trust(fan, author):
    with pytest.raises(PermissionDenied):
        moderation.user_set_trust(user=author, trust=Trust.TRUSTED, moderator=fan)
    author.refresh_from_db()
    assert author.trust == Trust.AUTO


@pytest.mark.parametrize(
    ("level", "fan_ok", "trusted_ok", "moderator_ok"),
    [
        (Protection.OPEN, True, True, True),
        (Protection.TRUSTED, False, True, True),
        (Protection.MODERATORS, False, False, True),
    ],
)
def test_protection_levels_per_role(
    article, fan, moderator, level, fan_ok, trusted_ok, moderator_ok
):
    trusted = veteran("trusted")
    moderation.user_set_trust(user=trusted, trust=Trust.TRUSTED, moderator=moderator)
    moderation.article_protect(
        article=article, level=level, moderator=moderator, reason="Edit war."
    )
    for user, allowed in [(fan, fan_ok), (trusted, trusted_ok), (moderator, moderator_ok)]:
        if allowed:
            factories.propose_edit(article, user, body=f"By {user}")
            article.refresh_from_db()
        else:
            with pytest.raises(PermissionDenied):
                factories.propose_edit(article, user, body=f"By {user}")


def test_protection_expires(article, fan, moderator):
    moderation.article_protect(
        article=article,
        level=Protection.MODERATORS,
        moderator=moderator,
        expires_at=timezone.now() + timedelta(hours=1),
        reason="Edit war.",
    )
    with pytest.raises(PermissionDenied):
        factories.propose_edit(article, fan)
    article.refresh_from_db()
    with pytest.MonkeyPatch.context() as patch:
        later = timezone.now() + timedelta(hours=2)
        patch.setattr(timezone, "now", lambda: later)
        assert factories.propose_edit(article, fan).status == RevisionStatus.PENDING


def test_the_edit_page_explains_protection(client, article, fan, moderator):
    moderation.article_protect(
        article=article, level=Protection.MODERATORS, moderator=moderator, reason="Edit war."
    )
    client.force_login(fan)
    response = client.get(reverse("wiki:article-edit", args=[article.slug]))
    assert response.status_code == 403
    assert "only moderators" in response.content.decode()


def test_the_protection_page(client, article, fan, moderator):
    url = reverse("moderation:article", args=[article.slug])
    client.force_login(fan)
    assert client.get(url).status_code == 403
    client.force_login(moderator)
    assert client.get(url).status_code == 200
    # A protection needs a reason, as a rejection does: asked again, nothing changed.
    refused = client.post(url, {"level": "trusted"})
    assert refused.status_code == 400
    assert "This field is required" in refused.content.decode()
    article.refresh_from_db()
    assert article.protection == Protection.OPEN and not ProtectionChange.objects.exists()
    assert client.post(url, {"level": "trusted", "reason": "Vandalism"}).status_code == 302
    article.refresh_from_db()
    assert article.protection == Protection.TRUSTED
    past = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"level": "moderators", "expires_at": past, "reason": "x"})
    assert response.status_code == 400
    article.refresh_from_db()
    assert article.protection == Protection.TRUSTED


def test_each_protection_change_is_recorded_with_its_reason(client, article, moderator):
    url = reverse("moderation:article", args=[article.slug])
    client.force_login(moderator)
    client.post(url, {"level": "moderators", "reason": "An edit war over the kiss."})
    client.post(url, {"level": "open", "reason": "It calmed down."})
    changes = list(ProtectionChange.objects.filter(article=article).order_by("id"))
    assert [(c.level, c.reason, c.actor) for c in changes] == [
        (Protection.MODERATORS, "An edit war over the kiss.", moderator),
        (Protection.OPEN, "It calmed down.", moderator),
    ]
    page = client.get(url).content.decode()
    assert "An edit war over the kiss." in page
    log = client.get(reverse("moderation:audit"), {"log": "protection"}).content.decode()
    assert "An edit war over the kiss." in log and "It calmed down." in log
    response = client.post(url, {"level": "trusted", "reason": "Bad \ufffd bytes"})
    assert response.status_code == 400
    assert ProtectionChange.objects.filter(article=article).count() == 2


def test_trust_changes_are_in_the_audit_log(client, fan, moderator):
    moderation.user_set_trust(user=fan, trust=Trust.TRUSTED, moderator=moderator, reason="Reliable")
    moderation.user_set_trust(user=fan, trust=Trust.AUTO, moderator=moderator, reason="Back")
    client.force_login(moderator)
    audit = reverse("moderation:audit")
    page = client.get(audit, {"log": "trust"}).content.decode()
    assert "Reliable" in page and "Back" in page and "Trusted by a moderator" in page
    # Filtered by action; a filter the tab has no column for (article) is ignored.
    page = client.get(audit, {"log": "trust", "action": "trusted", "article": "x"})
    assert page.context["page"].paginator.count == 1
