"""after_decision: who hears about a decision, once it commits.

The services already register their own on-commit callback, or will; tests
call them outside any capture (so that callback is dropped with the test's
transaction) and then call ``after_decision`` themselves inside one.
"""

import pytest
from django.db import transaction

from apps.accounts.models import Trust
from apps.moderation import services as moderation
from apps.notifications.models import Notification
from apps.wiki import notify, services, tasks
from apps.wiki.models import Follow, Revision, RevisionStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tell(django_capture_on_commit_callbacks):
    def tell(revision, actor):
        with django_capture_on_commit_callbacks(execute=True):
            notify.after_decision(revision, actor=actor)

    return tell


def messages_for(user):
    return list(Notification.objects.filter(user=user).values_list("message", flat=True))


def follow(article, *users):
    Follow.objects.bulk_create(Follow(article=article, user=user) for user in users)


def test_it_tells_the_author_of_an_approval(article, fan, moderator, tell, mailoutbox):
    proposal = factories.propose_edit(article, fan)
    proposal = moderation.revision_approve(revision=proposal, moderator=moderator)
    tell(proposal, moderator)
    notification = Notification.objects.get(user=fan)
    assert (
        notification.subject == "Your proposal for “Casino Night trivia” was approved by moderator."
    )
    assert "Edit summary: An edit" in notification.message
    assert notification.url == proposal.get_absolute_url()
    [mail] = mailoutbox
    assert mail.to == ["fan@example.com"]
    assert mail.subject == notification.subject


def test_it_tells_the_author_of_a_new_article(author, moderator, episode, tell):
    proposal = factories.propose_article(author, title="Pam's art", episode=episode)
    proposal = moderation.revision_approve(revision=proposal, moderator=moderator)
    tell(proposal, moderator)
    assert messages_for(author)[0].startswith("Your new article “Pam's art” was approved")


def test_it_tells_the_author_of_a_rejection_with_the_reason(article, fan, moderator, tell):
    proposal = factories.propose_edit(article, fan)
    proposal = moderation.revision_reject(
        revision=proposal,
        moderator=moderator,
        reason="The interview says the opposite.",
        reason_code="unsourced",
    )
    tell(proposal, moderator)
    [message] = messages_for(fan)
    assert message.startswith("Your proposal for “Casino Night trivia” was rejected by moderator.")
    assert "Reason: A statement is not supported by its citation" in message
    assert "Note from the moderator: The interview says the opposite." in message
    assert Notification.objects.get(user=fan).url == proposal.get_absolute_url()


def test_a_reason_without_a_note_is_said_once(article, fan, moderator, tell):
    proposal = factories.propose_edit(article, fan)
    proposal = moderation.revision_reject(
        revision=proposal, moderator=moderator, reason="", reason_code="spoiler"
    )
    tell(proposal, moderator)
    [message] = messages_for(fan)
    assert message.count("Unmarked spoiler") == 1


def test_a_note_without_a_reason_code(article, fan, moderator, tell):
    proposal = factories.propose_edit(article, fan)
    proposal = moderation.revision_reject(
        revision=proposal, moderator=moderator, reason="Not in the episode."
    )
    tell(proposal, moderator)
    [message] = messages_for(fan)
    assert "Not in the episode." in message and "Reason:" not in message


def test_it_tells_the_author_of_a_merge(author, moderator, tell):
    fan = factories.make_user("merger")
    other = factories.make_user("other")
    body = "First line. [@1]\n\nSecond line. [@1]"
    article = factories.published_article(author, moderator, title="Merged page", body=body)
    stale = factories.propose_edit(
        article, fan, body="Changed first line. [@1]\n\nSecond line. [@1]"
    )
    newer = factories.propose_edit(article, other, body="First line. [@1]\n\nChanged second. [@1]")
    moderation.revision_approve(revision=newer, moderator=moderator)
    carried = moderation.revision_approve_merged(revision=stale, moderator=moderator)
    stale = Revision.objects.get(pk=stale.pk)
    assert stale.status == RevisionStatus.MERGED
    tell(stale, moderator)
    tell(carried, moderator)
    merged, approved = Notification.objects.filter(user=fan).order_by("id")
    assert (
        merged.subject
        == "Your proposal for “Merged page” was merged into a newer revision by moderator."
    )
    assert merged.url == stale.get_absolute_url()
    assert approved.subject == "Your proposal for “Merged page” was approved by moderator."
    assert approved.url == carried.get_absolute_url()


def test_the_author_who_decided_is_not_told(article, fan, tell, mailoutbox):
    proposal = factories.propose_edit(article, fan)
    proposal = services.revision_withdraw(revision=proposal, user=fan)
    tell(proposal, fan)
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_an_automatic_approval_tells_followers_not_its_author(article, fan, moderator, tell):
    reader = factories.make_user("reader")
    follow(article, reader, fan)
    moderation.user_set_trust(user=fan, trust=Trust.TRUSTED, moderator=moderator)
    proposal = factories.propose_edit(article, fan)
    assert proposal.automatic and proposal.status == RevisionStatus.APPROVED
    tell(proposal, fan)
    assert messages_for(fan) == []
    [message] = messages_for(reader)
    assert (
        message
        == "“Casino Night trivia” was updated: An edit\nWritten by fan, approved automatically."
    )


def test_an_automatic_approval_decided_by_someone_else_says_so(article, fan, moderator, tell):
    moderation.user_set_trust(user=fan, trust=Trust.TRUSTED, moderator=moderator)
    proposal = factories.propose_edit(article, fan)
    tell(proposal, moderator)
    [message] = messages_for(fan)
    assert message.startswith("Your proposal for “Casino Night trivia” was approved automatically.")


def test_followers_hear_when_the_text_changes(
    article, author, fan, moderator, tell, mailoutbox, settings
):
    settings.SITE_URL = "https://wiki.example.org"
    # "author" wrote the article's first version and follows it like anyone else.
    reader = factories.make_user("reader")
    follow(article, reader, author, moderator)
    proposal = factories.propose_edit(article, fan)
    proposal = moderation.revision_approve(revision=proposal, moderator=moderator)
    tell(proposal, moderator)
    for follower in (reader, author):
        notification = Notification.objects.get(user=follower)
        assert notification.subject == "“Casino Night trivia” was updated: An edit"
        assert notification.details == "Written by fan, approved by moderator."
        assert notification.url == article.get_absolute_url()
    # The moderator who decided hears nothing.
    assert messages_for(moderator) == []
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "author@example.com",
        "fan@example.com",
        "reader@example.com",
    ]
    [to_reader] = [mail for mail in mailoutbox if mail.to == ["reader@example.com"]]
    assert to_reader.body.endswith("\n\nhttps://wiki.example.org/wiki/casino-night-trivia/\n")


def test_a_following_author_hears_once(article, fan, moderator, tell):
    follow(article, fan)
    proposal = factories.propose_edit(article, fan)
    proposal = moderation.revision_approve(revision=proposal, moderator=moderator)
    tell(proposal, moderator)
    [message] = messages_for(fan)
    assert message.startswith("Your proposal")


def test_followers_do_not_hear_of_a_rejection(article, fan, moderator, tell):
    reader = factories.make_user("reader")
    follow(article, reader)
    proposal = factories.propose_edit(article, fan)
    proposal = moderation.revision_reject(revision=proposal, moderator=moderator, reason="No.")
    tell(proposal, moderator)
    assert messages_for(reader) == []


def test_followers_without_email_are_not_mailed(article, fan, moderator, tell, mailoutbox):
    quiet = factories.make_user("quiet")
    quiet.email = ""
    quiet.save()
    gone = factories.make_user("gone")
    gone.is_active = False
    gone.save()
    follow(article, quiet, gone)
    proposal = factories.propose_edit(article, fan)
    proposal = moderation.revision_approve(revision=proposal, moderator=moderator)
    tell(proposal, moderator)
    assert len(messages_for(quiet)) == 1
    assert messages_for(gone) == []
    assert [mail.to for mail in mailoutbox] == [["fan@example.com"]]


def test_nothing_is_sent_before_commit(article, fan, moderator, django_capture_on_commit_callbacks):
    proposal = factories.propose_edit(article, fan)
    proposal = moderation.revision_approve(revision=proposal, moderator=moderator)
    with django_capture_on_commit_callbacks() as callbacks:
        notify.after_decision(proposal, actor=moderator)
    assert len(callbacks) == 1
    assert not Notification.objects.exists()
    callbacks[0]()
    assert Notification.objects.filter(user=fan).count() == 1


def test_nothing_is_sent_if_the_transaction_rolls_back(
    article, fan, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    follow(article, factories.make_user("reader"))
    proposal = factories.propose_edit(article, fan)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        proposal = moderation.revision_approve(revision=proposal, moderator=moderator)
        notify.after_decision(proposal, actor=moderator)
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mailoutbox == []
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING


# A broker that cannot be reached: tests/outbox/test_outbox.py stops a real one.


def test_a_failing_task_is_logged_and_leaves_the_decision_alone(
    article, fan, moderator, tell, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("notifications are down")

    monkeypatch.setattr(tasks, "notify", broken)
    proposal = factories.propose_edit(article, fan)
    proposal = moderation.revision_approve(revision=proposal, moderator=moderator)
    tell(proposal, moderator)
    assert "notifications are down" in caplog.text
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.APPROVED
    assert not Notification.objects.exists()


def test_query_count_does_not_grow_with_followers(
    article, fan, moderator, django_capture_on_commit_callbacks, django_assert_num_queries
):
    def decide_with_followers(how_many):
        Follow.objects.filter(article=article).delete()
        follow(article, *(factories.make_user(f"follower-{how_many}-{n}") for n in range(how_many)))
        proposal = factories.propose_edit(article, fan)
        moderation.revision_approve(revision=proposal, moderator=moderator)
        # As a service hands it over: decided, its article and author not loaded yet.
        with django_capture_on_commit_callbacks() as callbacks:
            notify.after_decision(Revision.objects.get(pk=proposal.pk), actor=moderator)
        return callbacks[0]

    # The revision with its article and author, the actor, the author's notification, the
    # followers, one insert for them all; and the savepoint the task's transaction is here.
    tell_one = decide_with_followers(1)
    with django_assert_num_queries(7):
        tell_one()
    tell_twenty = decide_with_followers(20)
    with django_assert_num_queries(7):
        tell_twenty()
    assert Notification.objects.filter(user__username__startswith="follower-").count() == 21
    assert Notification.objects.filter(user=fan).count() == 2


def test_the_approve_service_tells_the_author_and_followers(
    article, fan, moderator, django_capture_on_commit_callbacks
):
    reader = factories.make_user("reader")
    follow(article, reader)
    proposal = factories.propose_edit(article, fan)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = moderation.revision_approve(revision=proposal, moderator=moderator)
    assert len(messages_for(fan)) == 1
    assert len(messages_for(reader)) == 1
