"""What the wiki does in the background: telling people about decisions.

``notify.after_decision`` queues :func:`tell_about_decision` once a decision
commits; a worker (or, without a broker, the same process) runs it. The whole
fan-out is one transaction, so a retry after a database error never tells
anyone twice; the e-mails it causes are tasks of their own, queued on commit.
"""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction

from apps.notifications.services import about, notify, notify_many

from .models import Follow, Revision, RevisionStatus


@shared_task(autoretry_for=(DatabaseError,), max_retries=4, retry_backoff=10, retry_jitter=True)
def tell_about_decision(revision_id: int, actor_id: int) -> None:
    """Tell the author of a decided revision, and the article's followers if its text changed."""
    revision = Revision.objects.select_related(
        "article__episode__season__show", "author", "merged_from"
    ).get(pk=revision_id)
    actor = get_user_model().objects.get(pk=actor_id)
    with transaction.atomic():
        _tell_everyone(revision, actor)


def _tell_everyone(revision, actor) -> None:
    article = revision.article
    # A part approval tells the author once, with the proposal's decision (what came back).
    part = revision.merged_from_id is not None and revision.merged_from.status != (
        RevisionStatus.MERGED
    )
    told = revision.author_id != actor.pk and not part
    if told and _author_message(revision, article, actor):
        notify(revision.author, **about(article.episode, lambda: _author_notice(revision, actor)))
    if revision.status == RevisionStatus.APPROVED:
        _tell_followers(revision, article, actor)


def _author_notice(revision, actor) -> tuple[str, str]:
    article = revision.article
    message = _author_message(revision, article, actor) or ""
    if article.folded:
        # Summaries and moderators' notes quote the text: only the decision, and where to read.
        message = (
            message.partition("\n")[0] + "\nThe details are after your spoiler point: "
            "open the proposal to read them."
        )
    return message, revision.get_absolute_url()


def _author_message(revision, article, actor) -> str | None:
    proposal = (
        f"Your new article “{article.display_title}”"
        if revision.base_id is None and revision.merged_from_id is None
        else f"Your proposal for “{article.display_title}”"
    )
    summary = f"Edit summary: {revision.summary}"
    if revision.status == RevisionStatus.APPROVED and revision.automatic:
        return f"{proposal} was approved automatically.\n{summary}"
    if revision.status == RevisionStatus.APPROVED:
        return f"{proposal} was approved by {actor}.\n{summary}"
    if revision.status == RevisionStatus.REJECTED:
        part = revision.merged_into.order_by("pk").first()
        opening = (
            f"{proposal} was approved in part by {actor}, as version #{part.pk}; "
            "the rest was declined."
            if part is not None
            else f"{proposal} was rejected by {actor}."
        )
        return "\n".join([opening, summary, *_reasons(revision)])
    if revision.status == RevisionStatus.CHANGES_REQUESTED:
        part = revision.merged_into.order_by("pk").first()
        opening = (
            f"{proposal} was approved in part by {actor}, as version #{part.pk}; "
            "the rest came back to you for changes."
            if part is not None
            else f"{actor} asked for changes to {proposal[0].lower()}{proposal[1:]}."
        )
        return "\n".join(
            [
                opening,
                summary,
                f"Note from the moderator: {revision.decision_reason}",
                "Revise it from your proposal's page; the revised proposal is reviewed again.",
            ]
        )
    if revision.status == RevisionStatus.MERGED:
        lines = [f"{proposal} was merged into a newer revision by {actor}.", summary]
        return "\n".join(lines + ([revision.decision_reason] if revision.decision_reason else []))
    return None


def _reasons(revision) -> list[str]:
    label = revision.get_reason_code_display() if revision.reason_code else ""
    reasons = [f"Reason: {label}"] if label else []
    # With no note written, the service stores the reason's label as the note.
    if revision.decision_reason and revision.decision_reason != label:
        reasons.append(f"Note from the moderator: {revision.decision_reason}")
    return reasons


def _tell_followers(revision, article, actor) -> None:
    follows = (
        Follow.objects.filter(article_id=article.pk, user__is_active=True)
        .exclude(user_id__in={actor.pk, revision.author_id})
        .select_related("user")
    )
    who = "approved automatically" if revision.automatic else f"approved by {actor}"

    def message() -> tuple[str, str]:
        change = "" if article.folded else f": {revision.summary}"
        return (
            f"“{article.display_title}” was updated{change}\nWritten by {revision.author}, {who}.",
            article.get_absolute_url(),
        )

    notify_many([follow.user for follow in follows], **about(article.episode, message))
