"""Approving part of a proposal: the good change is published, the bad one goes back."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.moderation import services as moderation
from apps.moderation.hunks import split
from apps.moderation.models import Anchor, ReviewThread
from apps.moderation.stats import moderation_stats
from apps.notifications.models import Notification
from apps.wiki import services
from apps.wiki.merging import cited_of
from apps.wiki.models import AuditAction, AuditEvent, Revision, RevisionStatus
from tests import factories

pytestmark = pytest.mark.django_db

BASE = "Jim tells Pam how he feels. [@1]\n\nThey kiss in her office. [@1]"
GOOD = "Jim tells Pam how he feels, in the parking lot. [@1]"
BAD = "Fans say the scene was shot in one take. [@2]"


@pytest.fixture
def wiki_article(author, moderator):
    return factories.published_article(author, moderator, body=BASE)


@pytest.fixture
def rumour_source(db):
    return factories.make_source("A fan forum thread")


@pytest.fixture
def mixed(wiki_article, fan, rumour_source):
    """A proposal with a good change (a detail, same citation) and a bad one (a rumour)."""
    kept = wiki_article.approved_revision.citations.get()
    return services.revision_propose(
        article=wiki_article,
        author=fan,
        body=f"{GOOD}\n\nThey kiss in her office. [@1]\n\n{BAD}",
        summary="Where, and a fun fact",
        citations=[
            services.CitationInput(source=kept.source, locator=kept.locator, key=1),
            services.CitationInput(source=rumour_source, locator="post 3", key=2),
        ],
        base=wiki_article.approved_revision,
    )


def hunk_numbers(revision):
    hunks = split(cited_of(revision.base), cited_of(revision))
    good = next(h.number for h in hunks if any("parking lot" in line for line in h.new_lines))
    bad = next(h.number for h in hunks if any("one take" in line for line in h.new_lines))
    return hunks, good, bad


def test_only_the_good_change_is_published_credited_to_its_author(
    mixed, moderator, fan, rumour_source, django_capture_on_commit_callbacks
):
    hunks, good, bad = hunk_numbers(mixed)
    assert len(hunks) == 2
    with django_capture_on_commit_callbacks(execute=True):
        published = moderation.revision_approve_part(
            revision=mixed,
            moderator=moderator,
            accepted={good},
            reasons={bad: "A forum rumour is not a reliable source."},
        )

    article = mixed.article
    article.refresh_from_db()
    assert article.approved_revision_id == published.pk
    assert published.author == fan and published.merged_from_id == mixed.pk
    assert published.body == f"{GOOD}\n\nThey kiss in her office. [@1]"
    assert "one take" not in published.rendered_html
    assert list(published.citations.values_list("key", flat=True)) == [1]
    assert not published.citations.filter(source=rumour_source).exists()
    assert published.status == RevisionStatus.APPROVED and published.decided_by == moderator

    mixed.refresh_from_db()
    assert mixed.status == RevisionStatus.CHANGES_REQUESTED
    assert "A forum rumour is not a reliable source." in mixed.decision_reason
    thread = ReviewThread.objects.get(revision=mixed)
    assert thread.anchor == Anchor.LINES and "one take" in thread.anchor_text
    assert "not a reliable source" in thread.comments.get().body
    event = AuditEvent.objects.get(revision=mixed, action=AuditAction.PART_APPROVED)
    assert event.to_status == RevisionStatus.CHANGES_REQUESTED
    assert AuditEvent.objects.filter(revision=published, action=AuditAction.APPROVED).exists()
    # One message to the author, saying what was approved and what came back.
    messages = list(Notification.objects.filter(user=fan).values_list("message", flat=True))
    assert len(messages) == 1 and "approved in part" in messages[0]


def test_the_returned_rest_is_what_the_author_revises_onto_the_new_text(
    client, mixed, moderator, other_moderator, fan
):
    _hunks, good, bad = hunk_numbers(mixed)
    moderation.revision_approve_part(
        revision=mixed, moderator=moderator, accepted={good}, reasons={bad: "Needs a source."}
    )
    client.force_login(fan)
    editor = client.get(reverse("wiki:article-edit", args=[mixed.article.slug]), {"from": mixed.pk})
    body = editor.context["form"].initial["body"]
    # Carried onto the text that now has the good change: only the rumour remains to fix.
    assert body == f"{GOOD}\n\nThey kiss in her office. [@1]\n\n{BAD}"
    assert "<<<<<<<" not in body


def test_accepting_the_change_with_a_new_source_brings_its_citation(
    mixed, moderator, rumour_source
):
    _hunks, good, bad = hunk_numbers(mixed)
    published = moderation.revision_approve_part(
        revision=mixed,
        moderator=moderator,
        accepted={bad},
        reasons={good: "The location is wrong."},
        rest="decline",
    )
    assert published.body == f"{BASE}\n\n{BAD}"
    assert published.citations.get(key=2).source == rumour_source
    mixed.refresh_from_db()
    assert mixed.status == RevisionStatus.REJECTED
    assert "The location is wrong." in mixed.decision_reason


def test_the_part_is_carried_onto_newer_text_or_refused_cleanly(
    wiki_article, mixed, moderator, author, other_moderator
):
    _hunks, good, bad = hunk_numbers(mixed)
    # Someone else changes the second paragraph meanwhile: the part still applies.
    newer = factories.propose_edit(
        wiki_article, author, body="Jim tells Pam how he feels. [@1]\n\nThey kiss, at last."
    )
    moderation.revision_approve(revision=newer, moderator=other_moderator)
    published = moderation.revision_approve_part(
        revision=mixed, moderator=moderator, accepted={good}, reasons={bad: "Rumour."}
    )
    assert published.body.startswith(GOOD)
    assert "They kiss, at last." in published.body


def test_a_part_that_no_longer_applies_is_refused_with_nothing_written(
    wiki_article, mixed, moderator, author, other_moderator
):
    _hunks, good, bad = hunk_numbers(mixed)
    newer = factories.propose_edit(
        wiki_article,
        author,
        body="Jim tells Pam everything, at the car. [@1]\n\nThey kiss in her office. [@1]",
    )
    moderation.revision_approve(revision=newer, moderator=other_moderator)
    before = Revision.objects.count()
    with pytest.raises(services.WikiConflict):
        moderation.revision_approve_part(
            revision=mixed, moderator=moderator, accepted={good}, reasons={bad: "Rumour."}
        )
    mixed.refresh_from_db()
    assert mixed.status == RevisionStatus.PENDING
    assert Revision.objects.count() == before
    assert not ReviewThread.objects.exists()


@pytest.mark.parametrize(
    ("accepted", "reasons", "field"),
    [
        (set(), {}, "accepted"),
        ({1, 2}, {}, "accepted"),
        ({7}, {}, "accepted"),
        ({1}, {}, "reason_2"),
    ],
)
def test_bad_choices_are_refused(mixed, moderator, accepted, reasons, field):
    with pytest.raises(ValidationError) as refused:
        moderation.revision_approve_part(
            revision=mixed, moderator=moderator, accepted=accepted, reasons=reasons
        )
    assert field in refused.value.message_dict
    mixed.refresh_from_db()
    assert mixed.status == RevisionStatus.PENDING


def test_a_new_article_is_decided_whole(fan, moderator):
    revision = factories.propose_article(fan)
    with pytest.raises(services.WikiConflict):
        moderation.revision_approve_part(
            revision=revision, moderator=moderator, accepted={1}, reasons={}
        )


def test_the_review_page_offers_the_hunks_and_approves_part(client, mixed, moderator):
    _hunks, good, bad = hunk_numbers(mixed)
    client.force_login(moderator)
    page = client.get(reverse("moderation:review", args=[mixed.pk])).content.decode()
    assert 'id="part-heading"' in page and f'name="accept_{good}"' in page

    url = reverse("moderation:approve-part", args=[mixed.pk])
    refused = client.post(url, {f"accept_{good}": "on", "rest": "return"})
    assert refused.status_code == 400
    assert "Say why this change is not accepted." in refused.content.decode()

    response = client.post(
        url,
        {f"accept_{good}": "on", f"reason_{bad}": "Not from a reliable source.", "rest": "return"},
    )
    assert response.status_code == 302
    mixed.article.refresh_from_db()
    assert "parking lot" in mixed.article.approved_revision.body
    assert "one take" not in mixed.article.approved_revision.body


def test_statistics_count_each_decision_as_its_own(mixed, moderator, wiki_article, author):
    _hunks, good, bad = hunk_numbers(mixed)
    moderation.revision_approve_part(
        revision=mixed, moderator=moderator, accepted={good}, reasons={bad: "Rumour."}
    )
    other = factories.propose_edit(wiki_article, author, body="Something else entirely.")
    moderation.revision_request_changes(revision=other, moderator=moderator, reason="Cite it.")

    (row,) = moderation_stats(now=timezone.now())["per_moderator"]
    # The first article approval, the part approval's new version, then the two decisions.
    assert (row.approved, row.rejected, row.changes_requested, row.part_approved) == (1, 0, 1, 1)
    assert row.total == 3


def test_a_part_without_any_citation_is_refused_cleanly(client, author, moderator, fan):
    article = factories.published_article(author, moderator, body="Old fact. [@1]\n\nMiddle.")
    kept = article.approved_revision.citations.get()
    proposal = services.revision_propose(
        article=article,
        author=fan,
        body="Middle, reworded.\n\nA new fact. [@1]",
        summary="Two",
        citations=[services.CitationInput(source=kept.source, locator=kept.locator, key=1)],
        base=article.approved_revision,
    )
    hunks = split(cited_of(proposal.base), cited_of(proposal))
    uncited = next(h.number for h in hunks if "Old fact. [@1]" in h.old_lines)
    client.force_login(moderator)
    data = {f"accept_{uncited}": "on", "rest": "return"}
    data.update({f"reason_{h.number}": "Not this." for h in hunks if h.number != uncited})
    response = client.post(reverse("moderation:approve-part", args=[proposal.pk]), data)
    assert response.status_code in (400, 409)
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING


def test_changed_lines_of_one_paragraph_are_one_change(author, moderator, fan):
    article = factories.published_article(
        author, moderator, body="Old claim,\nsame middle,\nend. [@1]\n\nOther. [@1]"
    )
    old = article.approved_revision.citations.get()
    proposal = services.revision_propose(
        article=article,
        author=fan,
        body="New claim,\nsame middle,\nend. [@2]\n\nOther, changed. [@1]",
        summary="Rewrite",
        citations=[
            services.CitationInput(source=old.source, locator=old.locator, key=1),
            services.CitationInput(source=factories.make_source("New"), locator="p. 9", key=2),
        ],
        base=article.approved_revision,
    )
    hunks = split(cited_of(proposal.base), cited_of(proposal))
    assert len(hunks) == 2
    assert any("New claim," in h.new_lines and "end. [@2]" in h.new_lines for h in hunks)
