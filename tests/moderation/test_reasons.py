"""Every reason or note a moderator writes is checked by the service that stores it, with
the one checker (apps.web.usertext.checked_reason): a script, the admin or a form sends it
the same way. A NUL, invalid UTF-8 or an over-long reason is refused there, nothing written.
"""

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import Trust
from apps.moderation import services as moderation
from apps.moderation.forms import RejectForm, RequestChangesForm, RevertForm, TrustForm
from apps.moderation.hunks import split
from apps.moderation.models import ProtectionChange, ReviewThread, TrustChange
from apps.talk import services as talk
from apps.talk.models import TalkEvent
from apps.web.usertext import INVALID_UTF8_MESSAGE, MAX_REASON_LENGTH
from apps.wiki.merging import cited_of
from apps.wiki.models import AuditEvent, Protection, Revision, RevisionStatus
from tests import factories

pytestmark = pytest.mark.django_db

BAD_REASONS = {
    "nul": "Unsourced\x00 claim",
    "invalid-utf8": "Unsourced \ufffd claim",
    "too-long": "x" * (MAX_REASON_LENGTH + 1),
}


@pytest.fixture(params=list(BAD_REASONS), ids=list(BAD_REASONS))
def bad(request):
    return BAD_REASONS[request.param]


@pytest.fixture
def proposal(article, fan):
    return factories.propose_edit(article, fan, body="A second fact.")


def unchanged(proposal):
    proposal.refresh_from_db()
    return proposal.status == RevisionStatus.PENDING and not AuditEvent.objects.filter(
        revision=proposal
    ).exclude(action="proposed")


def test_reject(proposal, moderator, bad):
    with pytest.raises(ValidationError, match="reason|NUL|UTF-8|too long"):
        moderation.revision_reject(revision=proposal, moderator=moderator, reason=bad)
    assert unchanged(proposal)


def test_reject_with_a_listed_reason_and_a_bad_note(proposal, moderator, bad):
    with pytest.raises(ValidationError):
        moderation.revision_reject(
            revision=proposal, moderator=moderator, reason=bad, reason_code="unsourced"
        )
    assert unchanged(proposal)


def test_request_changes(proposal, moderator, bad):
    with pytest.raises(ValidationError):
        moderation.revision_request_changes(revision=proposal, moderator=moderator, reason=bad)
    assert unchanged(proposal)


def test_approve_in_part(article, fan, moderator, bad):
    two_changes = factories.propose_two_changes(article, fan)
    base = two_changes.base
    hunks = split(cited_of(base), cited_of(two_changes))
    assert len(hunks) > 1
    with pytest.raises(ValidationError):
        moderation.revision_approve_part(
            revision=two_changes,
            moderator=moderator,
            accepted={hunks[0].number},
            reasons={hunk.number: bad for hunk in hunks[1:]},
        )
    assert unchanged(two_changes)
    assert not ReviewThread.objects.exists()
    article.refresh_from_db()
    assert article.approved_revision == base


def test_revert(article, fan, moderator, bad):
    first = article.approved_revision
    moderation.revision_approve(
        revision=factories.propose_edit(article, fan, body="Newer."), moderator=moderator
    )
    revisions = Revision.objects.count()
    with pytest.raises(ValidationError):
        moderation.revision_revert(article=article, to=first, moderator=moderator, reason=bad)
    assert Revision.objects.count() == revisions


def test_trust(fan, moderator, bad):
    with pytest.raises(ValidationError):
        moderation.user_set_trust(user=fan, trust=Trust.TRUSTED, moderator=moderator, reason=bad)
    fan.refresh_from_db()
    assert fan.trust == Trust.AUTO and not TrustChange.objects.exists()


def test_protection(article, moderator, bad):
    with pytest.raises(ValidationError):
        moderation.article_protect(
            article=article, level=Protection.MODERATORS, moderator=moderator, reason=bad
        )
    article.refresh_from_db()
    assert article.protection == Protection.OPEN and not ProtectionChange.objects.exists()


@pytest.fixture
def topic(article, fan):
    return talk.topic_start(article=article, author=fan, title="Takes", body="How many?")


def test_hiding_a_post(topic, moderator, bad):
    post = topic.posts.get()
    with pytest.raises(ValidationError):
        talk.post_hide(post=post, moderator=moderator, reason=bad)
    post.refresh_from_db()
    assert not post.is_hidden and not TalkEvent.objects.exists()


def test_showing_a_post_again(topic, moderator, bad):
    post = talk.post_hide(post=topic.posts.get(), moderator=moderator, reason="Rude.")
    with pytest.raises(ValidationError):
        talk.post_unhide(post=post, moderator=moderator, reason=bad)
    post.refresh_from_db()
    assert post.is_hidden and TalkEvent.objects.count() == 1


def test_closing_a_topic(topic, moderator, bad):
    with pytest.raises(ValidationError):
        talk.topic_close(topic=topic, moderator=moderator, reason=bad)
    topic.refresh_from_db()
    assert not topic.is_closed and not TalkEvent.objects.exists()


def test_reopening_a_topic(topic, moderator, bad):
    talk.topic_close(topic=topic, moderator=moderator, reason="Settled.")
    with pytest.raises(ValidationError):
        talk.topic_reopen(topic=topic, moderator=moderator, reason=bad)
    topic.refresh_from_db()
    assert topic.is_closed and TalkEvent.objects.count() == 1


def test_the_longest_reason_is_taken(proposal, moderator):
    longest = "x" * MAX_REASON_LENGTH
    moderation.revision_reject(revision=proposal, moderator=moderator, reason=longest)
    proposal.refresh_from_db()
    assert proposal.decision_reason == longest


@pytest.mark.parametrize("form_class", [RejectForm, RequestChangesForm, RevertForm, TrustForm])
def test_a_form_says_once_that_a_reason_is_not_utf8(form_class):
    form = form_class({"reason": "Bad \ufffd bytes", "trust": Trust.TRUSTED})
    assert not form.is_valid()
    assert form.errors["reason"] == [INVALID_UTF8_MESSAGE]
