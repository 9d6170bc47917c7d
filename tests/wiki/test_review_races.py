"""The three decisions, and a part approval, racing each other on PostgreSQL."""

import pytest

from apps.moderation import services as moderation
from apps.moderation.hunks import split
from apps.wiki import services
from apps.wiki.merging import cited_of
from apps.wiki.models import AuditEvent, Revision, RevisionStatus
from tests import factories
from tests.wiki.test_races import pytestmark as race_marks
from tests.wiki.test_races import race

pytestmark = race_marks

BASE = "Jim tells Pam how he feels. [@1]\n\nThey kiss in her office. [@1]"


@pytest.fixture
def setting():
    author = factories.make_user("author")
    moderators = [factories.make_user(f"mod{n}", moderator=True) for n in range(3)]
    article = factories.published_article(author, moderators[0], body=BASE)
    return article, moderators


def test_approve_reject_and_request_changes_at_once_make_one_decision(setting):
    article, (first, second, third) = setting
    proposal = factories.propose_edit(article, factories.make_user("fan"))
    results = race(
        lambda: moderation.revision_approve(revision=proposal, moderator=first),
        lambda: moderation.revision_reject(revision=proposal, moderator=second, reason="No"),
        lambda: moderation.revision_request_changes(
            revision=proposal, moderator=third, reason="Cite the episode"
        ),
    )
    assert sum(isinstance(r, services.NotPending) for r in results) == 2, results
    decisions = AuditEvent.objects.filter(revision=proposal).exclude(action="proposed")
    assert decisions.count() == 1
    proposal.refresh_from_db()
    assert proposal.status == decisions.get().to_status
    article.refresh_from_db()
    published = proposal.status == RevisionStatus.APPROVED
    assert (article.approved_revision_id == proposal.pk) is published


def test_a_part_approval_racing_an_approval_loses_nothing(setting):
    article, (first, second, _third) = setting
    source = article.approved_revision.citations.get().source
    mixed = services.revision_propose(
        article=article,
        author=factories.make_user("fan"),
        body="Jim tells Pam how he feels, in the lot. [@1]\n\nThey kiss in her office. [@1]"
        "\n\nA rumour. [@1]",
        summary="Two changes",
        citations=[factories.cite(source, key=1)],
        base=article.approved_revision,
    )
    other = factories.propose_edit(
        article,
        factories.make_user("fan2"),
        body="Jim tells Pam how he feels. [@1]\n\nThey kiss, at last. [@1]",
    )
    hunks = split(cited_of(mixed.base), cited_of(mixed))
    good = next(h.number for h in hunks if any("the lot" in line for line in h.new_lines))
    bad = next(h.number for h in hunks if any("rumour" in line for line in h.new_lines))
    results = race(
        lambda: moderation.revision_approve_part(
            revision=mixed, moderator=first, accepted={good}, reasons={bad: "Rumour."}
        ),
        lambda: moderation.revision_approve(revision=other, moderator=second),
    )
    article.refresh_from_db()
    text = article.approved_revision.body
    part, whole = results
    assert not isinstance(part, Exception), part  # merged onto the other, or first
    assert "in the lot" in text and "A rumour" not in text
    if isinstance(whole, services.StaleBase):
        # The part came first: the other proposal is stale, still pending, nothing lost.
        other.refresh_from_db()
        assert other.status == RevisionStatus.PENDING
    else:
        assert not isinstance(whole, Exception), whole
        assert "They kiss, at last." in text
    assert Revision.objects.filter(merged_from=mixed).count() == 1


def test_a_suggestion_accepted_twice_at_once_makes_one_revision(setting):
    article, (first, _second, _third) = setting
    fan = factories.make_user("fan")
    source = article.approved_revision.citations.get().source
    proposal = factories.propose_edit(
        article,
        fan,
        body="Jim tells Pam how he feels. [@1]\n\nThey kiss in her ofice.",
        source=source,
    )
    thread = moderation.thread_start(
        revision=proposal, user=first, body="Spelling", anchor="lines", side="new",
        line_start=3, line_end=3, quote="ofice", suggestion="office",
    )  # fmt: skip
    comment = thread.comments.get()
    results = race(
        lambda: moderation.suggestion_accept(comment=comment, user=fan),
        lambda: moderation.suggestion_accept(comment=comment, user=fan),
    )
    assert sum(isinstance(r, services.WikiConflict) for r in results) == 1, results
    assert Revision.objects.filter(revises=proposal).count() == 1
    revised = Revision.objects.get(revises=proposal)
    assert revised.status == RevisionStatus.PENDING and "her office." in revised.body
