"""An unpublished title is never squatted: turned-down creations free it, pending ones share it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.models import Article, RevisionStatus
from tests import factories
from tests.wiki.test_bad_input import new_article_post

pytestmark = pytest.mark.django_db


def test_a_rejected_creation_frees_its_title(fan, author, moderator, episode):
    first = factories.propose_article(author, title="Casino Night trivia")
    moderation.revision_reject(revision=first, moderator=moderator, reason="Unsourced")
    second = factories.propose_article(fan, title="Casino night Trivia", episode=episode)
    article = Article.objects.get()
    assert second.article == article == first.article
    assert (article.title, article.episode, article.created_by) == (
        "Casino night Trivia",
        episode,
        fan,
    )
    moderation.revision_approve(revision=second, moderator=moderator)
    article.refresh_from_db()
    assert article.approved_revision == second
    # The turned-down proposal stays in the record.
    first.refresh_from_db()
    assert first.status == RevisionStatus.REJECTED


def test_a_withdrawn_creation_frees_its_title(fan, author):
    first = factories.propose_article(author)
    services.revision_withdraw(revision=first, user=author)
    second = factories.propose_article(fan)
    assert second.article.created_by == fan


def test_a_second_proposal_waits_beside_a_pending_one(fan, author, moderator):
    first = factories.propose_article(author, body="Their text.")
    second = factories.propose_article(fan, body="My text.")
    assert second.article == first.article
    assert second.status == RevisionStatus.PENDING
    # The first proposer keeps the article until a decision.
    assert Article.objects.get().created_by == author
    moderation.revision_approve(revision=first, moderator=moderator)
    # Now the second proposal is written against nothing while the article has text.
    with pytest.raises(services.StaleBase):
        moderation.revision_approve(revision=second, moderator=moderator)
    second.refresh_from_db()
    assert second.status == RevisionStatus.PENDING


def test_a_published_title_is_refused(fan, author, moderator):
    first = factories.propose_article(author)
    moderation.revision_approve(revision=first, moderator=moderator)
    with pytest.raises(ValidationError, match="propose your change as an edit"):
        factories.propose_article(fan)
    assert first.article.revisions.count() == 1


def test_the_answer_reveals_nothing_about_a_hidden_proposal(client, fan, author):
    factories.propose_article(author, title="A new page")
    client.force_login(fan)
    response = client.post(reverse("wiki:article-create"), new_article_post())
    assert response.status_code == 302
    mine = Article.objects.get().revisions.get(author=fan)
    assert response["Location"] == mine.get_absolute_url()
    # The fan reads their own proposal's article page; the other proposal stays hidden.
    page = client.get(reverse("wiki:article", args=[mine.article.slug]))
    assert page.status_code == 200
    assert "The kiss." not in page.content.decode()


def test_the_moderator_reviews_the_stale_second_proposal(client, fan, author, moderator):
    first = factories.propose_article(author, body="Their text.")
    second = factories.propose_article(fan, body="My text.")
    moderation.revision_approve(revision=first, moderator=moderator)
    client.force_login(moderator)
    response = client.get(reverse("moderation:review", args=[second.pk]))
    assert response.status_code == 200
    assert "My text." in response.content.decode()


def test_the_second_proposer_may_propose_again_to_the_shared_title(fan, author):
    first = factories.propose_article(author, body="Their text.")
    mine = factories.propose_article(fan, body="My text.")
    again = services.revision_propose(
        article=mine.article,
        author=fan,
        body="My text, revised. [@1]",
        summary="Revised",
        citations=[factories.cite()],
        base=None,
        revises=mine,
    )
    assert again.article == first.article
    mine.refresh_from_db()
    assert mine.status == RevisionStatus.WITHDRAWN  # replaced by the revision
