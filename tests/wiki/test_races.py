"""Decisions racing each other, on PostgreSQL with real concurrent transactions."""

import threading
import uuid

import pytest
from django.db import connection, connections

from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.models import Article, AuditEvent, Redirect, Revision, RevisionStatus
from apps.wiki.naming import Names
from tests import factories

pytestmark = [
    # No serialized_rollback: factories.make_user(moderator=True) makes the Moderators group
    # again after a flush (restoring serialized rows collides with content types that
    # another transactional test's flush made again under other ids).
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"
    ),
]


def race(*calls):
    """Run the calls at the same moment in separate threads; return what each raised or gave."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def setting():
    author = factories.make_user("author")
    moderators = [factories.make_user(f"mod{n}", moderator=True) for n in range(2)]
    article = factories.published_article(author, moderators[0])
    return article, moderators


def test_two_moderators_approving_the_same_proposal(setting):
    article, (first, second) = setting
    proposal = factories.propose_edit(article, factories.make_user("fan"))
    results = race(
        lambda: moderation.revision_approve(revision=proposal, moderator=first),
        lambda: moderation.revision_approve(revision=proposal, moderator=second),
    )
    assert sum(isinstance(r, services.NotPending) for r in results) == 1
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert AuditEvent.objects.filter(revision=proposal, action="approved").count() == 1
    article.refresh_from_db()
    assert article.approved_revision_id == proposal.pk


def test_two_proposals_on_the_same_base(setting):
    article, (first, second) = setting
    one = factories.propose_edit(article, factories.make_user("fan1"), body="One")
    two = factories.propose_edit(article, factories.make_user("fan2"), body="Two")
    results = race(
        lambda: moderation.revision_approve(revision=one, moderator=first),
        lambda: moderation.revision_approve(revision=two, moderator=second),
    )
    assert sum(isinstance(r, services.StaleBase) for r in results) == 1
    article.refresh_from_db()
    one.refresh_from_db()
    two.refresh_from_db()
    statuses = sorted([one.status, two.status])
    assert statuses == [RevisionStatus.APPROVED, RevisionStatus.PENDING]
    winner = one if one.status == RevisionStatus.APPROVED else two
    assert article.approved_revision_id == winner.pk


def test_approve_racing_reject(setting):
    article, (first, second) = setting
    proposal = factories.propose_edit(article, factories.make_user("fan"))
    results = race(
        lambda: moderation.revision_approve(revision=proposal, moderator=first),
        lambda: moderation.revision_reject(revision=proposal, moderator=second, reason="No"),
    )
    assert sum(isinstance(r, services.NotPending) for r in results) == 1
    decisions = AuditEvent.objects.filter(revision=proposal).exclude(action="proposed")
    assert decisions.count() == 1
    proposal.refresh_from_db()
    assert proposal.status == decisions.get().to_status


def test_an_edit_form_posted_twice_at_once(setting):
    article, _moderators = setting
    fan, key, source = factories.make_user("fan"), uuid.uuid4(), factories.make_source()

    def submit():
        return services.revision_propose(
            article=article,
            author=fan,
            body="Double click. [@1]",
            summary="Once",
            citations=[factories.cite(source)],
            base=article.approved_revision,
            submission_key=key,
        )

    results = race(submit, submit)
    assert not any(isinstance(r, Exception) for r in results), results
    assert results[0].pk == results[1].pk
    assert article.revisions.filter(author=fan).count() == 1


@pytest.mark.parametrize("already_proposed", [False, True])
def test_a_new_article_form_posted_twice_at_once(setting, already_proposed):
    """A new title (the second insert fails) or one already proposed (both wait on its lock)."""
    if already_proposed:
        factories.propose_article(factories.make_user("first"), title="A double-clicked article")
    fan, key, source = factories.make_user("fan"), uuid.uuid4(), factories.make_source()

    def submit():
        return services.article_create(
            author=fan,
            title="A double-clicked article",
            body="Double click. [@1]",
            summary="Once",
            citations=[factories.cite(source)],
            submission_key=key,
        )

    results = race(submit, submit)
    assert not any(isinstance(r, Exception) for r in results), results
    assert Revision.objects.filter(author=fan).count() == 1


def test_two_moves_to_the_same_title_at_once(setting):
    """Each article is locked by its own approval: the unique address decides, and the
    second approval is refused whole (no half-renamed article, no stray redirect)."""
    article, (first, second) = setting
    other = factories.published_article(article.created_by, first, title="Another article")

    def proposal(target):
        mover = factories.make_user(f"mover{target.pk}")
        return factories.propose_names(target, mover, Names(title="The one title"), summary="Move")

    moves = [proposal(article), proposal(other)]
    results = race(
        lambda: moderation.revision_approve(revision=moves[0], moderator=first),
        lambda: moderation.revision_approve(revision=moves[1], moderator=second),
    )
    assert sum(isinstance(r, services.WikiConflict) for r in results) == 1, results
    assert Article.objects.filter(slug="the-one-title").count() == 1
    loser = [m for m, r in zip(moves, results, strict=True) if isinstance(r, Exception)][0]
    loser.refresh_from_db()
    assert loser.status == RevisionStatus.PENDING
    assert not Redirect.objects.filter(article_id=loser.article_id).exists()
