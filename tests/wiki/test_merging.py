"""Three-way merges: a stale proposal's changes carried onto newer approved text."""

import pytest
from django.urls import reverse

from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.merging import has_conflict_markers, merge_texts
from apps.wiki.models import AuditEvent, Revision, RevisionStatus
from tests import factories

BASE = "Intro.\nJim kisses Pam in the office. It was filmed late.\nEnd."


def test_changes_to_different_lines_merge():
    merged = merge_texts(BASE, BASE.replace("Intro.", "Intro, revised."), BASE + "\nMore.")
    assert merged.clean
    assert (
        merged.text
        == "Intro, revised.\nJim kisses Pam in the office. It was filmed late.\nEnd.\nMore."
    )


def test_changes_to_different_words_of_one_line_merge():
    current = BASE.replace("office", "dark office")
    proposal = BASE.replace("late", "on the last day")
    merged = merge_texts(BASE, current, proposal)
    assert merged.clean
    assert "in the dark office. It was filmed on the last day." in merged.text


def test_the_same_words_changed_twice_conflict_and_keep_both():
    current = BASE.replace("office", "dark office")
    proposal = BASE.replace("office", "empty office")
    merged = merge_texts(BASE, current, proposal)
    assert merged.conflicts == 1
    assert "dark office" in merged.text and "empty office" in merged.text
    assert has_conflict_markers(merged.text)


def test_the_approved_change_is_never_lost():
    current = BASE.replace("End.", "The end, approved.")
    for proposal in [BASE, BASE.replace("Intro.", "Intro!"), BASE.replace("End.", "Fin.")]:
        merged = merge_texts(BASE, current, proposal)
        assert "The end, approved." in merged.text


pytestmark = pytest.mark.django_db


def _approved_edit(article, author, moderator, body, source=None):
    revision = factories.propose_edit(article, author, body=body, source=source)
    moderation.revision_approve(revision=revision, moderator=moderator)
    article.refresh_from_db()
    return revision


def test_a_clean_merge_is_approved_and_credited_to_the_author(
    client, article, fan, moderator, other_moderator
):
    base = _approved_edit(article, factories.make_user("writer"), moderator, BASE + "[@1]")
    stale = factories.propose_edit(article, fan, body=BASE.replace("late", "at night") + "[@1]")
    _approved_edit(
        article, factories.make_user("quick"), moderator, BASE.replace("Intro.", "Hello.") + "[@1]"
    )
    client.force_login(other_moderator)
    review = client.get(reverse("moderation:review", args=[stale.pk]))
    assert review.context["merged"].clean
    response = client.post(reverse("moderation:approve-merged", args=[stale.pk]))
    assert response.status_code == 302
    stale.refresh_from_db()
    article.refresh_from_db()
    carried = article.approved_revision
    assert stale.status == RevisionStatus.MERGED
    assert carried.merged_from_id == stale.pk and carried.author == fan
    assert carried.body.startswith("Hello.") and "at night" in carried.body
    assert carried.decided_by == other_moderator
    assert AuditEvent.objects.filter(revision=stale, action="merged").count() == 1
    assert base.pk != carried.pk


def test_a_conflicting_proposal_cannot_be_merged_and_nothing_is_lost(
    client, article, fan, moderator
):
    _approved_edit(article, factories.make_user("writer"), moderator, BASE + "[@1]")
    stale = factories.propose_edit(
        article, fan, body=BASE.replace("office", "empty office") + "[@1]"
    )
    newer = _approved_edit(
        article,
        factories.make_user("quick"),
        moderator,
        BASE.replace("office", "dark office") + "[@1]",
    )
    with pytest.raises(services.WikiConflict):
        moderation.revision_approve_merged(revision=stale, moderator=moderator)
    article.refresh_from_db()
    stale.refresh_from_db()
    assert article.approved_revision_id == newer.pk
    assert stale.status == RevisionStatus.PENDING

    # The author resolves it in the editor, with both sides shown.
    client.force_login(fan)
    url = reverse("wiki:article-edit", args=[article.slug])
    page = client.get(url, {"from": stale.pk})
    body = page.context["form"].initial["body"]
    assert "dark office" in body and "empty office" in body and has_conflict_markers(body)
    data = {
        "body": BASE.replace("office", "dark, empty office") + "[@1]",
        "summary": "Resolved",
        "base_revision": newer.pk,
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "1",
        "citations-0-source": newer.citations.get().source_id,
        "citations-0-locator": "p. 1",
        "citations-0-key": "1",
    }
    # Submitting with the markers still in is refused, text kept.
    refused = client.post(url + f"?from={stale.pk}", {**data, "body": body})
    assert refused.status_code == 400 and "conflict markers" in refused.content.decode()
    assert client.post(url + f"?from={stale.pk}", data).status_code == 302
    stale.refresh_from_db()
    resolved = Revision.objects.get(revises=stale)
    assert stale.status == RevisionStatus.WITHDRAWN
    assert resolved.status == RevisionStatus.PENDING and resolved.base_id == newer.pk


def test_new_citations_on_both_sides_keep_their_own_sources(article, fan, moderator):
    shared = article.approved_revision.citations.get().source
    podcast = factories.make_source("Podcast", kind="podcast")
    book = factories.make_source("Book", kind="book")
    stale = services.revision_propose(
        article=article, author=fan, summary="Adds a podcast",
        body="Original text. [@1]\n\nPodcast fact.[@2]",
        citations=[factories.cite(shared, key=1), factories.cite(podcast, locator="3:10", key=2)],
        base=article.approved_revision,
    )  # fmt: skip
    newer = services.revision_propose(
        article=article, author=factories.make_user("other"), summary="Adds a book",
        body="Book fact.[@2]\n\nOriginal text. [@1]",
        citations=[factories.cite(shared, key=1), factories.cite(book, locator="p. 9", key=2)],
        base=article.approved_revision,
    )  # fmt: skip
    moderation.revision_approve(revision=newer, moderator=moderator)
    carried = moderation.revision_approve_merged(revision=stale, moderator=moderator)
    by_key = {c.key: c.source.title for c in carried.citations.select_related("source")}
    assert by_key[2] == "Book"
    assert "Podcast" in by_key.values()
    podcast_key = next(k for k, title in by_key.items() if title == "Podcast")
    assert f"Podcast fact.[@{podcast_key}]" in carried.body
