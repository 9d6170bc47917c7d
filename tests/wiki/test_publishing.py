"""One publish path: every way text reaches readers goes through revision_publish."""

import re
from pathlib import Path
from unittest import mock

import pytest
from django.test import override_settings

from apps.accounts.models import Trust
from apps.moderation import services as moderation
from apps.moderation.hunks import split
from apps.wiki import services
from apps.wiki.merging import cited_of
from apps.wiki.models import AuditAction, AuditEvent, RevisionStatus
from apps.wiki.services import publishing
from tests import factories

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def published():
    """Counts the times revision_publish ran (it alone calls pages_changed in its module)."""
    with mock.patch.object(publishing, "pages_changed", wraps=publishing.pages_changed) as spy:
        yield spy


def test_an_approval_publishes_through_it(article, fan, moderator, published):
    proposal = factories.propose_edit(article, fan)
    moderation.revision_approve(revision=proposal, moderator=moderator)
    assert published.call_count == 1
    article.refresh_from_db()
    assert article.approved_revision == proposal


def test_a_merged_approval_publishes_through_it(author, fan, moderator, published):
    body = "First line. [@1]\n\nSecond line. [@1]"
    article = factories.published_article(author, moderator, title="Merged page", body=body)
    stale = factories.propose_edit(article, fan, body=body.replace("First", "Changed first"))
    moderation.revision_approve(
        revision=factories.propose_edit(article, author, body=body.replace("Second", "Other")),
        moderator=moderator,
    )
    carried = moderation.revision_approve_merged(revision=stale, moderator=moderator)
    assert published.call_count == 3  # the article's first text, the newer edit, the merge
    stale.refresh_from_db()
    assert stale.status == RevisionStatus.MERGED and carried.merged_from == stale
    # The proposal is decided before its carried text is approved, as before.
    actions = list(
        AuditEvent.objects.filter(revision__in=[stale, carried])
        .order_by("id")
        .values_list("revision_id", "action")
    )
    assert actions[-3:] == [
        (carried.pk, AuditAction.CARRIED),
        (stale.pk, AuditAction.MERGED),
        (carried.pk, AuditAction.APPROVED),
    ]


def test_a_part_approval_publishes_through_it(article, fan, moderator, published):
    proposal = factories.propose_two_changes(article, fan)
    first, *rest = split(cited_of(proposal.base), cited_of(proposal))
    part = moderation.revision_approve_part(
        revision=proposal,
        moderator=moderator,
        accepted={first.number},
        reasons={hunk.number: "Not this one." for hunk in rest},
    )
    assert published.call_count == 1
    # The part is approved first, then the rest of the proposal is decided, as before.
    actions = list(
        AuditEvent.objects.filter(revision__in=[proposal, part])
        .order_by("id")
        .values_list("revision_id", "action")
    )
    assert actions[-3:] == [
        (part.pk, AuditAction.CARRIED),
        (part.pk, AuditAction.APPROVED),
        (proposal.pk, AuditAction.PART_APPROVED),
    ]


def test_carried_text_keeps_a_summary_the_column_holds(author, fan, moderator):
    body = "First line. [@1]\n\nSecond line. [@1]"
    article = factories.published_article(author, moderator, title="Long summary", body=body)
    stale = services.revision_propose(
        article=article,
        author=fan,
        body=body.replace("First", "Changed first"),
        summary="x" * 300,
        citations=[factories.cite(article.approved_revision.citations.get().source, key=1)],
        base=article.approved_revision,
    )
    moderation.revision_approve(
        revision=factories.propose_edit(article, author, body=body.replace("Second", "Other")),
        moderator=moderator,
    )
    carried = moderation.revision_approve_merged(revision=stale, moderator=moderator)
    assert len(carried.summary) == 300 and carried.summary.startswith("x" * 250)


def test_a_revert_publishes_through_it(article, fan, moderator, published):
    first = article.approved_revision
    moderation.revision_approve(
        revision=factories.propose_edit(article, fan, body="Newer."), moderator=moderator
    )
    restored = moderation.revision_revert(
        article=article, to=first, moderator=moderator, reason="Vandalism."
    )
    assert published.call_count == 2
    assert restored.automatic and restored.body == first.body


@override_settings(WIKI_AUTO_APPROVE={"moderators": True, "trusted": True})
def test_a_trusted_authors_proposals_publish_through_it(article, fan, moderator, published):
    fan.trust = Trust.TRUSTED
    fan.save(update_fields=["trust"])
    edit = factories.propose_edit(article, fan, body="Trusted edit.")
    new = factories.propose_article(fan, title="Another page")
    assert edit.automatic and new.automatic
    assert published.call_count == 2


def test_nothing_else_points_an_article_at_its_approved_text():
    """Only the publish path (and a restore from a backup) sets approved_revision."""
    assignment = re.compile(r"\.approved_revision\s*=(?!=)|approved_revision_id\s*=(?!=)")
    writers = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "apps").rglob("*.py")
        if "migrations" not in path.parts and assignment.search(path.read_text())
    )
    assert writers == [
        "apps/operations/backup/importing.py",
        "apps/wiki/services/publishing.py",
    ]
