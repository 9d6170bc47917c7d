"""Review threads on proposals: comments on lines, replies, suggestions, carrying over."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.citations.models import Source
from apps.moderation import services as moderation
from apps.moderation.models import Anchor, ReviewComment, ReviewThread, Side
from apps.notifications.models import Notification
from apps.wiki import services
from apps.wiki.models import AuditAction, AuditEvent, RevisionStatus
from tests import factories
from tests.wiki.test_loop import editor_post

pytestmark = pytest.mark.django_db

BODY = "First line.\n\nSecond line has a tpyo. [@1]"


@pytest.fixture
def proposal(article, fan):
    return factories.propose_edit(article, fan, body=BODY)


def comment_on_typo(proposal, moderator, **extra):
    fields = {
        "anchor": Anchor.LINES,
        "side": Side.NEW,
        "line_start": 3,
        "line_end": 3,
        "quote": "tpyo",
        "body": "Spelling: *typo*.",
        "suggestion": "typo",
    }
    fields.update(extra)
    return moderation.thread_start(revision=proposal, user=moderator, **fields)


def test_a_line_comment_keeps_its_lines_and_tells_the_author(proposal, moderator, fan):
    thread = comment_on_typo(proposal, moderator)

    thread.refresh_from_db()
    assert thread.anchor_text == "Second line has a tpyo. [@1]"
    assert (thread.line_start, thread.line_end, thread.quote) == (3, 3, "tpyo")
    comment = thread.comments.get()
    assert comment.suggestion == "typo"
    assert "<em>typo</em>" in comment.rendered_html
    note = Notification.objects.get(user=fan)
    assert "commented on your proposal" in note.message
    assert note.url.endswith(f"#thread-{thread.pk}")


def test_the_whole_loop_comment_reply_suggestion_carry_over_approve(
    client, proposal, moderator, other_moderator, fan
):
    thread = comment_on_typo(proposal, moderator)
    moderation.thread_reply(thread=thread, user=fan, body="Good catch, taking it.")
    assert Notification.objects.filter(user=moderator, message__contains="replied").exists()

    comment = thread.comments.order_by("pk").first()
    revised = moderation.suggestion_accept(comment=comment, user=fan)

    assert revised.body == "First line.\n\nSecond line has a typo. [@1]"
    assert revised.revises_id == proposal.pk
    assert revised.status == RevisionStatus.PENDING
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.WITHDRAWN
    thread.refresh_from_db()
    assert thread.revision_id == revised.pk and thread.started_on_id == proposal.pk
    assert thread.is_resolved and thread.resolved_by == fan
    assert (thread.line_start, thread.line_end, thread.outdated) == (3, 3, False)
    assert (thread.anchor_text, thread.quote) == ("Second line has a typo. [@1]", "typo")
    comment.refresh_from_db()
    assert comment.applied_in_id == revised.pk
    assert list(revised.citations.values_list("key", "locator")) == [(1, "p. 1")]

    moderation.revision_approve(revision=revised, moderator=other_moderator)
    revised.article.refresh_from_db()
    assert revised.article.approved_revision_id == revised.pk


def test_a_suggestion_is_taken_once_and_only_by_the_author(proposal, moderator, fan):
    thread = comment_on_typo(proposal, moderator)
    comment = thread.comments.get()
    with pytest.raises(PermissionDenied):
        moderation.suggestion_accept(comment=comment, user=moderator)
    moderation.suggestion_accept(comment=comment, user=fan)
    comment.refresh_from_db()
    with pytest.raises(services.WikiConflict):
        moderation.suggestion_accept(comment=comment, user=fan)


def test_request_changes_sends_the_proposal_back_with_its_threads(
    proposal, moderator, other_moderator, fan, django_capture_on_commit_callbacks
):
    comment_on_typo(proposal, moderator)
    moderation.thread_start(revision=proposal, user=moderator, body="Also cite the episode.")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.revision_request_changes(revision=proposal, moderator=moderator)

    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.CHANGES_REQUESTED
    assert proposal.decided_by == moderator
    assert proposal.decision_reason == "See the open review comments."
    event = AuditEvent.objects.get(revision=proposal, action=AuditAction.CHANGES_REQUESTED)
    assert (event.from_status, event.to_status) == ("pending", "changes-requested")
    assert Notification.objects.filter(user=fan, message__contains="asked for changes").exists()

    # The author revises: the threads move along, the typo line is gone (outdated).
    first = ReviewThread.objects.get(anchor=Anchor.LINES)
    moderation.thread_resolve(thread=first, user=fan)
    citations = [factories.cite(proposal.citations.get().source)]
    revised = services.revision_propose(
        article=proposal.article,
        author=fan,
        body="First line.\n\nA rewritten second line. [@1]",
        summary="Revised",
        citations=citations,
        base=proposal.base,
        revises=proposal,
    )
    assert revised.status == RevisionStatus.PENDING and revised.revises_id == proposal.pk
    moved = {t.anchor: t for t in ReviewThread.objects.filter(revision=revised)}
    assert set(moved) == {Anchor.LINES, Anchor.PROPOSAL}
    assert moved[Anchor.LINES].is_resolved and moved[Anchor.LINES].outdated
    assert not moved[Anchor.PROPOSAL].is_resolved
    moderation.revision_approve(revision=revised, moderator=other_moderator)


def test_carried_line_threads_follow_their_lines(proposal, moderator, fan):
    thread = comment_on_typo(proposal, moderator, suggestion=None)
    revised = services.revision_propose(
        article=proposal.article,
        author=fan,
        body="A new first paragraph.\n\n" + BODY,
        summary="More",
        citations=[factories.cite(proposal.citations.get().source)],
        base=proposal.base,
        revises=proposal,
    )
    thread.refresh_from_db()
    assert thread.revision_id == revised.pk
    assert (thread.line_start, thread.line_end, thread.outdated) == (5, 5, False)


def test_request_changes_needs_a_reason_or_an_open_thread(proposal, moderator):
    with pytest.raises(ValidationError):
        moderation.revision_request_changes(revision=proposal, moderator=moderator, reason=" ")
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING


def test_no_one_requests_changes_on_their_own_proposal(article, moderator):
    own = factories.propose_edit(article, moderator, body="Mine.")
    with pytest.raises(PermissionDenied):
        moderation.revision_request_changes(revision=own, moderator=moderator, reason="x")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"line_start": 9, "line_end": 9}, "line_start"),
        ({"quote": "not there"}, "quote"),
        ({"body": "   "}, "body"),
        ({"body": "A NUL \x00 from a script"}, "body"),
        ({"body": "Bad bytes \ufffd"}, "body"),
        ({"side": Side.OLD, "line_start": 1, "line_end": 1, "quote": ""}, "suggestion"),
    ],
)
def test_a_thread_pointing_nowhere_is_refused(proposal, moderator, fields, field):
    with pytest.raises(ValidationError) as refused:
        comment_on_typo(proposal, moderator, **fields)
    assert field in refused.value.message_dict
    assert not ReviewThread.objects.exists()


def test_others_cannot_comment_and_closed_proposals_take_no_comments(
    proposal, moderator, other_moderator, author
):
    with pytest.raises(PermissionDenied):
        moderation.thread_start(revision=proposal, user=author, body="Drive-by.")
    thread = moderation.thread_start(revision=proposal, user=moderator, body="Looks fine.")
    moderation.revision_approve(revision=proposal, moderator=other_moderator)
    with pytest.raises(services.WikiConflict):
        moderation.thread_reply(thread=thread, user=moderator, body="Late.")
    assert ReviewComment.objects.count() == 1


# --- Pages -------------------------------------------------------------------------


def test_the_line_link_opens_a_form_with_the_line_and_posting_shows_it_on_the_review_page(
    client, proposal, moderator
):
    client.force_login(moderator)
    page = client.get(reverse("moderation:review", args=[proposal.pk]))
    new = reverse("moderation:thread-new", args=[proposal.pk])
    assert f"{new}?side=new&amp;line=3" in page.content.decode()

    form = client.get(new, {"side": "new", "line": 3})
    assert form.status_code == 200
    assert "Second line has a tpyo." in form.content.decode()

    response = client.post(
        new,
        {
            "anchor": "lines",
            "side": "new",
            "line_start": 3,
            "line_end": 3,
            "quote": "tpyo",
            "body": "Typo <script>alert(1)</script>",
            "suggestion": "typo",
        },
    )
    thread = ReviewThread.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/moderation/revisions/{proposal.pk}/#thread-{thread.pk}")
    page = client.get(reverse("moderation:review", args=[proposal.pk])).content.decode()
    assert f'id="thread-{thread.pk}"' in page
    assert "<script>alert(1)" not in page
    # Under its line in the diff, not in the list below it.
    assert page.index(f'id="thread-{thread.pk}"') < page.index('id="review-threads"')


def test_a_refused_comment_comes_back_with_what_was_typed(client, proposal, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:thread-new", args=[proposal.pk]),
        {
            "anchor": "lines",
            "side": "new",
            "line_start": 3,
            "quote": "words that are not there",
            "body": "My careful comment",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "My careful comment" in text and "copied exactly" in text
    assert not ReviewThread.objects.exists()


def test_the_author_sees_and_answers_threads_on_their_proposal_page(
    client, proposal, moderator, fan
):
    thread = comment_on_typo(proposal, moderator)
    client.force_login(fan)
    page = client.get(proposal.get_absolute_url()).content.decode()
    comment = thread.comments.get()
    assert "Spelling:" in page and "Take the suggestion into the editor" in page
    assert comment.take_url.replace("&", "&amp;") in page
    response = client.post(
        reverse("moderation:thread-reply", args=[thread.pk]), {"body": "Fixed soon."}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(proposal.get_absolute_url())
    assert thread.comments.count() == 2

    # The editor opens with the suggestion applied; nothing is written until it is submitted.
    # (The proposal's source is the fan's own, as when they described it in the editor.)
    Source.objects.filter(pk__in=proposal.citations.values("source")).update(created_by=fan)
    editor = client.get(comment.take_url)
    assert editor.status_code == 200
    assert "Second line has a typo. [@1]" in editor.context["form"]["body"].value()
    assert "suggestion is applied below" in editor.content.decode()
    assert not proposal.article.revisions.filter(revises=proposal).exists()
    # The author adjusts it before submitting.
    data = opened_editor_post(editor, body="First line!\n\nSecond line has a typo. [@1]")
    response = client.post(comment.take_url, data)
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["formset"].errors,
        response.context["formset"].non_form_errors(),
    )
    revised = proposal.article.revisions.get(revises=proposal)
    assert response.status_code == 302
    assert revised.body == "First line!\n\nSecond line has a typo. [@1]"
    comment.refresh_from_db()
    thread.refresh_from_db()
    assert comment.applied_in == revised
    assert thread.revision == revised and thread.is_resolved
    assert (thread.line_start, thread.quote) == (3, "typo")


def opened_editor_post(response, **overrides):
    """The editor's form as the browser submits it, as it was opened, plus overrides."""
    return editor_post(response, **{"summary": "Took the suggestion", **overrides})


def test_a_suggestion_someone_else_opens_is_not_applied(client, proposal, moderator, author):
    thread = comment_on_typo(proposal, moderator)
    comment = thread.comments.get()
    client.force_login(moderator)
    # Not the author's proposal: the editor does not open it at all.
    assert client.get(comment.take_url).status_code == 404
    assert comment.suggestion == "typo"


def test_no_one_else_sees_review_threads(client, proposal, moderator, author, other_moderator):
    thread = moderation.thread_start(revision=proposal, user=moderator, body="Secret-ish remark")
    client.force_login(author)
    assert client.get(reverse("moderation:thread-new", args=[proposal.pk])).status_code == 404
    response = client.post(reverse("moderation:thread-reply", args=[thread.pk]), {"body": "Me too"})
    assert response.status_code == 404
    assert thread.comments.count() == 1

    moderation.revision_approve(revision=proposal, moderator=other_moderator)
    client.logout()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Secret-ish remark" not in page
    client.force_login(author)
    assert "Secret-ish remark" not in client.get(proposal.get_absolute_url()).content.decode()


def test_request_changes_page_flow(client, proposal, moderator, fan):
    client.force_login(moderator)
    url = reverse("moderation:request-changes", args=[proposal.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Say what should change" in refused.content.decode()
    response = client.post(url, {"reason": "Please cite the episode itself."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.CHANGES_REQUESTED
    again = client.post(url, {"reason": "Twice"})
    assert again.status_code == 409

    client.force_login(fan)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Changes requested" in page and "Please cite the episode itself." in page
    assert f"?from={proposal.pk}" in page


def test_the_queue_marks_a_revision_after_changes_requested(client, proposal, moderator, fan):
    moderation.revision_request_changes(revision=proposal, moderator=moderator, reason="Cite it.")
    services.revision_propose(
        article=proposal.article,
        author=fan,
        body=BODY.replace("tpyo", "typo"),
        summary="As asked",
        citations=[factories.cite(proposal.citations.get().source)],
        base=proposal.base,
        revises=proposal,
    )
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert page.count("revised after changes requested") == 1


def test_staff_read_review_threads_in_the_admin_and_cannot_change_them(
    client, proposal, moderator, staff
):
    thread = comment_on_typo(proposal, moderator)
    client.force_login(staff)
    page = client.get(reverse("admin:wiki_revision_change", args=[proposal.pk])).content.decode()
    assert "Spelling: *typo*." in page
    listing = client.get(reverse("admin:moderation_reviewthread_changelist")).content.decode()
    assert "line 3 of the proposal" in listing
    detail = client.get(reverse("admin:moderation_reviewthread_change", args=[thread.pk]))
    assert detail.status_code == 200 and "Spelling" in detail.content.decode()
    assert client.get(reverse("admin:moderation_reviewthread_add")).status_code == 403
    client.post(reverse("admin:moderation_reviewthread_delete", args=[thread.pk]), {"post": "yes"})
    assert ReviewThread.objects.filter(pk=thread.pk).exists()


def test_review_comments_are_rate_limited_per_account(client, settings, proposal, moderator):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "review-comment": "2/h"}
    client.force_login(moderator)
    url = reverse("moderation:thread-new", args=[proposal.pk])
    answers = [
        client.post(url, {"anchor": "proposal", "body": f"Comment {n}"}).status_code
        for n in range(3)
    ]
    assert answers == [302, 302, 429]
    assert ReviewThread.objects.count() == 2


def test_the_admin_requests_changes_through_the_same_service(client, proposal):
    client.force_login(factories.make_user("staff-moderator", moderator=True, staff=True))
    url = reverse("admin:wiki_revision_changelist")
    chosen = {"action": "request_changes_selected", "_selected_action": [proposal.pk]}
    asked = client.post(url, chosen)
    assert asked.status_code == 200 and "Send back for changes" in asked.content.decode()
    client.post(url, {**chosen, "apply": "1", "reason": ""}, follow=True)
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.PENDING  # no note and no open comment
    client.post(url, {**chosen, "apply": "1", "reason": "Cite the minute."})
    proposal.refresh_from_db()
    assert proposal.status == RevisionStatus.CHANGES_REQUESTED
    assert proposal.decision_reason == "Cite the minute."
    assert AuditEvent.objects.filter(revision=proposal, action="changes-requested").count() == 1


# --- Edge cases found in review ---------------------------------------------------------


def test_a_suggestion_on_a_line_that_appears_twice_lands_on_that_line(article, moderator, fan):
    body = "Same line.\n\nOther.\n\nSame line.\n\nEnd [@1]"
    proposal = factories.propose_edit(article, fan, body=body)
    thread = moderation.thread_start(
        revision=proposal, user=moderator, body="Reword.", anchor="lines", side="new",
        line_start=5, line_end=5, suggestion="A different line.",
    )  # fmt: skip
    revised = moderation.suggestion_accept(comment=thread.comments.get(), user=fan)
    assert revised.body == "Same line.\n\nOther.\n\nA different line.\n\nEnd [@1]"
    thread.refresh_from_db()
    assert (thread.line_start, thread.line_end, thread.outdated) == (5, 5, False)


def test_a_suggestion_keeps_the_line_endings_the_browser_sent(article, moderator, fan):
    proposal = factories.propose_edit(article, fan, body="One.\r\nTwo tpyo.\r\nThree. [@1]")
    thread = moderation.thread_start(
        revision=proposal, user=moderator, body="Typo", anchor="lines", side="new",
        line_start=2, line_end=2, quote="tpyo", suggestion="typo",
    )  # fmt: skip
    revised = moderation.suggestion_accept(comment=thread.comments.get(), user=fan)
    assert revised.body == "One.\r\nTwo typo.\r\nThree. [@1]"


def test_a_suggestion_is_carried_onto_text_approved_since(author, moderator, other_moderator, fan):
    article = factories.published_article(author, moderator, body="Intro. [@1]\n\nMiddle. [@1]")
    source = article.approved_revision.citations.get().source
    proposal = factories.propose_edit(
        article, fan, body="Intro. [@1]\n\nMiddle with a tpyo. [@1]", source=source
    )
    thread = comment_on_typo(proposal, other_moderator)
    newer = factories.propose_edit(
        article, author, body="Intro, improved. [@1]\n\nMiddle. [@1]", source=source
    )
    moderation.revision_approve(revision=newer, moderator=other_moderator)
    revised = moderation.suggestion_accept(comment=thread.comments.get(), user=fan)
    article.refresh_from_db()
    assert revised.base_id == article.approved_revision_id
    assert revised.body == "Intro, improved. [@1]\n\nMiddle with a typo. [@1]"
    thread.refresh_from_db()
    assert thread.revision_id == revised.pk and not thread.outdated


def test_a_revised_proposal_takes_the_conversation_along(proposal, moderator, fan):
    moderation.revision_request_changes(revision=proposal, moderator=moderator, reason="Fix it.")
    revise = {
        "article": proposal.article, "author": fan, "body": BODY.replace("tpyo", "typo"),
        "summary": "Fixed", "base": proposal.base, "revises": proposal,
    }  # fmt: skip
    revised = services.revision_propose(
        **revise, citations=[factories.cite(proposal.citations.get().source)]
    )
    with pytest.raises(services.WikiConflict, match=f"revised as #{revised.pk}"):
        moderation.thread_start(revision=proposal, user=moderator, body="Late remark.")
    with pytest.raises(ValidationError, match="already revised"):
        services.revision_propose(
            **{**revise, "body": "Twice. [@1]"},
            citations=[factories.cite(proposal.citations.get().source)],
        )
    assert proposal.article.revisions.filter(revises=proposal).count() == 1


def post_line_comment(client, proposal, **extra):
    fields = {
        "anchor": "lines",
        "side": "new",
        "line_start": 3,
        "line_end": 3,
        "quote": "",
        "body": "About this line.",
    }
    fields.update(extra)
    return client.post(reverse("moderation:thread-new", args=[proposal.pk]), fields)


def test_the_suggestion_box_starts_as_the_commented_line(client, proposal, moderator):
    client.force_login(moderator)
    url = reverse("moderation:thread-new", args=[proposal.pk])
    form = client.get(url, {"line": 3, "side": "new"}).content.decode()
    assert 'name="suggestion"' in form
    assert "Second line has a tpyo. [@1]</textarea>" in form
    assert "offer_suggestion" not in form


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # Typed without ticking anything: that is the suggestion.
        ("Second line has a typo. [@1]", "Second line has a typo. [@1]"),
        # Left as it started (the line, or the quoted words): no suggestion.
        ("Second line has a tpyo. [@1]", None),
        ("Second line has a tpyo. [@1]\r\n", None),
        # Emptied: deleting the line is the suggestion.
        ("", ""),
    ],
)
def test_typing_in_the_suggestion_box_is_the_suggestion(client, proposal, moderator, typed, stored):
    client.force_login(moderator)
    response = post_line_comment(client, proposal, suggestion=typed)
    assert response.status_code == 302
    assert ReviewComment.objects.get().suggestion == stored


def test_words_left_as_quoted_suggest_nothing(client, proposal, moderator):
    client.force_login(moderator)
    post_line_comment(client, proposal, quote="tpyo", suggestion="tpyo")
    assert ReviewComment.objects.get().suggestion is None


def test_a_reply_suggests_only_what_was_typed(client, proposal, moderator, fan):
    thread = comment_on_typo(proposal, moderator, suggestion=None)
    client.force_login(moderator)
    reply = reverse("moderation:thread-reply", args=[thread.pk])
    client.post(reply, {"body": "No change offered.", "suggestion": "tpyo"})
    client.post(reply, {"body": "This instead.", "suggestion": "typo"})
    suggestions = list(thread.comments.order_by("pk").values_list("suggestion", flat=True))
    assert suggestions == [None, None, "typo"]
