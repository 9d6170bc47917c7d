import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.models import Article, AuditEvent, Revision, RevisionStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_creates_an_unpublished_article_with_a_pending_revision(author, episode):
    revision = factories.propose_article(author, episode=episode)
    article = Article.objects.get(pk=revision.article_id)
    assert article.approved_revision is None
    assert revision.status == RevisionStatus.PENDING
    assert revision.citations.count() == 1
    assert AuditEvent.objects.filter(revision=revision, action="proposed").count() == 1


def test_it_approves_and_publishes(author, moderator):
    revision = factories.propose_article(author)
    moderation.revision_approve(revision=revision, moderator=moderator)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED
    assert revision.decided_by == moderator
    assert revision.decided_at is not None
    assert revision.article.approved_revision_id == revision.pk
    assert AuditEvent.objects.filter(revision=revision, action="approved").count() == 1


def test_it_refuses_self_approval(moderator):
    revision = factories.propose_article(moderator)
    with pytest.raises(PermissionDenied):
        moderation.revision_approve(revision=revision, moderator=moderator)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.PENDING


def test_it_refuses_a_stale_base(article, fan, moderator, other_moderator):
    first = factories.propose_edit(article, fan, body="First edit.")
    second = factories.propose_edit(article, factories.make_user("fan2"), body="Second edit.")
    moderation.revision_approve(revision=first, moderator=moderator)
    with pytest.raises(services.StaleBase):
        moderation.revision_approve(revision=second, moderator=other_moderator)
    second.refresh_from_db()
    article.refresh_from_db()
    assert second.status == RevisionStatus.PENDING
    assert article.approved_revision_id == first.pk


def test_it_refuses_to_decide_twice(author, moderator, other_moderator):
    revision = factories.propose_article(author)
    moderation.revision_approve(revision=revision, moderator=moderator)
    with pytest.raises(services.NotPending):
        moderation.revision_reject(revision=revision, moderator=other_moderator, reason="No")
    with pytest.raises(services.NotPending):
        moderation.revision_approve(revision=revision, moderator=other_moderator)
    assert AuditEvent.objects.filter(revision=revision).exclude(action="proposed").count() == 1


def test_it_refuses_a_proposal_without_citations(article, fan):
    with pytest.raises(ValidationError, match="Cite at least one source"):
        services.revision_propose(
            article=article,
            author=fan,
            body="x",
            summary="y",
            citations=[],
            base=article.approved_revision,
        )
    assert article.revisions.count() == 1


def test_it_writes_nothing_when_a_citation_is_invalid(author):
    with pytest.raises(ValidationError):
        services.article_create(
            author=author,
            title="Half written",
            body="Text",
            summary="New",
            citations=[
                services.CitationInput(new_source={"title": "", "kind": "web"}, locator="1")
            ],
        )
    assert not Article.objects.filter(title="Half written").exists()
    assert not Revision.objects.exists()


def test_reject_needs_a_reason(author, moderator):
    revision = factories.propose_article(author)
    with pytest.raises(ValidationError):
        moderation.revision_reject(revision=revision, moderator=moderator, reason="  ")
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.PENDING


def test_only_the_author_withdraws(author, fan):
    revision = factories.propose_article(author)
    with pytest.raises(PermissionDenied):
        services.revision_withdraw(revision=revision, user=fan)
    services.revision_withdraw(revision=revision, user=author)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.WITHDRAWN


def test_revisions_are_immutable(article):
    revision = article.approved_revision
    revision.body = "Rewritten history"
    with pytest.raises(ValueError, match="immutable"):
        revision.save()


def test_the_database_refuses_a_foreign_approved_revision(article, author, moderator):
    other = factories.published_article(author, moderator, title="Another article")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(approved_revision=other.approved_revision)
        # PostgreSQL checks the deferred foreign key at commit; force it now.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_database_refuses_to_change_an_audit_event(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(article=article).update(reason="rewritten")


def test_the_database_refuses_to_rewrite_a_revision(article, fan):
    proposal = factories.propose_edit(article, fan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.filter(pk=proposal.pk).update(body="Rewritten behind the service")
    proposal.refresh_from_db()
    assert proposal.body == "Changed text. [@1]"


@pytest.mark.parametrize(
    "field, value",
    [("title", "Renamed behind the service"), ("categories", "Kisses"), ("aliases", "Other")],
)
def test_the_database_refuses_to_rename_or_recategorise_a_proposal(article, fan, field, value):
    """A version's names are its content, as its text is (migration 0017 guards them)."""
    proposal = factories.propose_edit(article, fan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.filter(pk=proposal.pk).update(**{field: value})
    proposal.refresh_from_db()
    assert getattr(proposal, field) != value


def test_the_database_refuses_to_change_a_decided_revision(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.filter(pk=article.approved_revision_id).update(status="rejected")


def test_the_database_refuses_an_unapproved_revision_as_approved_text(article, fan):
    proposal = factories.propose_edit(article, fan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(approved_revision=proposal)
    article.refresh_from_db()
    assert article.approved_revision_id != proposal.pk
