"""The editor posted twice (a double click) stores one proposal; nothing approves a no-op."""

import pytest
from django.urls import reverse

from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.models import Revision, RevisionStatus
from tests import factories
from tests.wiki.test_bad_input import new_article_post
from tests.wiki.test_loop import edit_post

pytestmark = pytest.mark.django_db


def test_an_edit_posted_twice_is_one_proposal(client, article, fan):
    client.force_login(fan)
    data = edit_post(article, client, body="Changed once. [@1]", summary="Typo")
    first = client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    second = client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    assert Revision.objects.filter(author=fan).count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_a_new_article_posted_twice_is_one_proposal(client, fan):
    client.force_login(fan)
    form = client.get(reverse("wiki:article-create")).context["form"]
    data = new_article_post(submission_key=form["submission_key"].value())
    client.post(reverse("wiki:article-create"), data)
    client.post(reverse("wiki:article-create"), data)
    assert Revision.objects.filter(author=fan).count() == 1


def test_each_editor_page_has_its_own_key(client, article, fan):
    client.force_login(fan)
    first = edit_post(article, client, body="One. [@1]", summary="One")
    second = edit_post(article, client, body="Two. [@1]", summary="Two")
    assert first["submission_key"] != second["submission_key"]
    client.post(reverse("wiki:article-edit", args=[article.slug]), first)
    client.post(reverse("wiki:article-edit", args=[article.slug]), second)
    assert Revision.objects.filter(author=fan).count() == 2


def test_the_same_page_sent_back_with_other_text_is_kept(client, article, fan):
    """Back button, change, submit: a new proposal, not the first one again."""
    client.force_login(fan)
    data = edit_post(article, client, body="First try. [@1]", summary="Try")
    client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    data["body"] = "Second try. [@1]"
    client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    bodies = set(Revision.objects.filter(author=fan).values_list("body", flat=True))
    assert bodies == {"First try. [@1]", "Second try. [@1]"}


def test_a_proposal_identical_to_the_approved_text_cannot_be_approved(
    client, article, fan, moderator
):
    current = article.approved_revision
    citation = current.citations.get()
    same = services.revision_propose(
        article=article,
        author=fan,
        body=current.body,
        summary="Nothing",
        base=current,
        citations=[services.CitationInput(source=citation.source, locator=citation.locator)],
    )
    with pytest.raises(services.WikiConflict, match="changes nothing"):
        moderation.revision_approve(revision=same, moderator=moderator)
    client.force_login(moderator)
    response = client.post(reverse("moderation:approve", args=[same.pk]), follow=True)
    assert "changes nothing" in response.content.decode()
    same.refresh_from_db()
    article.refresh_from_db()
    assert same.status == RevisionStatus.PENDING
    assert article.approved_revision == current


def test_a_duplicate_cannot_be_merged_onto_its_twin(article, fan, moderator):
    source = factories.make_source()
    twins = [
        factories.propose_edit(article, fan, body="Same change.", source=source) for _ in range(2)
    ]
    moderation.revision_approve(revision=twins[0], moderator=moderator)
    with pytest.raises(services.WikiConflict, match="changes nothing"):
        moderation.revision_approve_merged(revision=twins[1], moderator=moderator)
    assert Revision.objects.filter(status=RevisionStatus.APPROVED).count() == 2


def test_the_same_page_sent_back_with_another_summary_is_kept(client, article, fan):
    client.force_login(fan)
    data = edit_post(article, client, body="Same text. [@1]", summary="First summary")
    client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    data["summary"] = "A better summary"
    client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    summaries = set(Revision.objects.filter(author=fan).values_list("summary", flat=True))
    assert summaries == {"First summary", "A better summary"}
