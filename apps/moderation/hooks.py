"""What moderation adds to wiki's pages and steps (apps.wiki.slots), registered at start-up.

Wiki's pages never name moderation: the links to the queue and the review page, the
revert form, the review conversation on a proposal's page and in the editor come
from here, and review threads follow a revised proposal through wiki's
"revision-revised" hook (apps.moderation.carrying).
"""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from apps.web import hooks
from apps.web.usertext import MAX_REASON_LENGTH
from apps.wiki.models import Article, Revision, RevisionStatus
from apps.wiki.naming import Names
from apps.wiki.permissions import can_moderate

from . import carrying  # noqa: F401 - registers the threads' move to a revised proposal
from .permissions import can_discuss_proposal
from .threads import open_count, threads_of


@hooks.register("review-url")
def review_url(*, revision: Revision | None = None) -> str:
    """Where a moderator reviews ``revision`` (the queue when None)."""
    if revision is None:
        return reverse("moderation:queue")
    return reverse("moderation:review", args=[revision.pk])


@hooks.register("article-notices")
def pending_notice(*, request: HttpRequest | None, article: Article) -> str | None:
    """For moderators: how many proposals for this article wait (one query)."""
    if request is None or not can_moderate(request.user):
        return None
    count = article.revisions.pending().count()
    if not count:
        return None
    return render_to_string(
        "moderation/slots/article_notice.html", {"count": count, "queue_url": review_url()}
    )


@hooks.register("revision-actions")
def revision_actions(
    *, request: HttpRequest | None, revision: Revision, is_current: bool
) -> str | None:
    """For moderators: review a pending proposal, or restore an older approved version."""
    if request is None or not can_moderate(request.user):
        return None
    if revision.is_pending and revision.author_id != request.user.pk:
        return render_to_string(
            "moderation/slots/review_link.html", {"url": review_url(revision=revision)}
        )
    if revision.status == RevisionStatus.APPROVED and not is_current:
        current = revision.article.approved_revision
        # A revert restores the version's title, categories and other names with its text.
        names = Names.of(revision).changes_from(Names.of(current)) if current is not None else []
        return render_to_string(
            "moderation/slots/revert_form.html",
            {"max_length": MAX_REASON_LENGTH, "revision": revision, "name_changes": names},
            request=request,
        )
    return None


@hooks.register("revision-conversation")
def conversation(*, request: HttpRequest | None, revision: Revision, is_open: bool) -> str | None:
    """The review threads, for the proposal's author and moderators only."""
    if request is None or not can_discuss_proposal(request.user, revision):
        return None
    threads = threads_of(revision)
    if not threads and not (is_open and revision.author_id == request.user.pk):
        return None
    return render_to_string(
        "moderation/includes/review_conversation.html",
        {
            "threads": threads,
            "open_threads": open_count(threads),
            "revision": revision,
            "is_open": is_open,
            "show_context": True,
        },
        request=request,
    )


@hooks.register("history-links")
def audit_link(*, request: HttpRequest | None, article: Article) -> str | None:
    if request is None or not can_moderate(request.user):
        return None
    return render_to_string("moderation/slots/audit_link.html", {"article": article})


@hooks.register("editor-revising")
def editor_threads(*, request: HttpRequest | None, revision: Revision) -> str | None:
    """The comments the revision should answer (they move to it when it is submitted)."""
    if request is None or not can_discuss_proposal(request.user, revision):
        return None
    threads = threads_of(revision)
    if not threads:
        return None
    return render_to_string(
        "moderation/slots/editor_threads.html", {"threads": threads}, request=request
    )
