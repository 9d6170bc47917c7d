"""Every change to talk pages goes through these functions.

Views and admin actions call them, so the same rules hold everywhere. Each runs
in one transaction. Replying, closing and reopening lock the topic row first, so
a reply cannot land on a topic a moderator has just closed; hiding and showing
lock the post. Each moderator action writes one append-only :class:`TalkEvent`.
Who hears about a new topic or a reply is worked out once the transaction
commits (:mod:`apps.talk.tasks`).
"""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.outbox.services import send_later
from apps.web import hooks
from apps.web.pagecache import pages_changed
from apps.web.refusals import Conflict
from apps.web.usertext import checked_reason, line_problem, rendered, text_problem
from apps.wiki.models import Article, Revision
from apps.wiki.permissions import can_moderate, can_open_unpublished
from apps.wiki.policy import account_refusal, check_text

from .models import Post, TalkAction, TalkEvent, Topic, TopicFollow
from .tasks import tell_about_post

TALK_POSTED = "talk-posted"

MAX_BODY_LENGTH = 20_000
MAX_TITLE_LENGTH = 200
CLOSED_MESSAGE = "This topic is closed: it takes no more replies."


class TalkConflict(Conflict):
    """A change to a talk page that cannot happen in the current state (a 409)."""


def participation_refusal(user: User | AnonymousUser, article: Article) -> str | None:
    """Why this user may not start topics or reply on this article's talk page, or None.

    The same rule as for proposing (blocked and unverified accounts wait), and an
    unpublished article's talk is for those who may open the article.
    """
    refusal = account_refusal(user, action="talk", article=article)
    if refusal is None and not article.is_published and not can_open_unpublished(user, article):
        refusal = "This article is awaiting review: its talk page opens when it is published."
    return refusal


def _rendered(body: str, errors: dict[str, str]) -> str:
    """The body as safe HTML, or "" with the reason in ``errors`` when it cannot be."""
    try:
        return rendered(body, what="message", max_length=MAX_BODY_LENGTH)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
        return ""


def _check_participant(user: User, article: Article) -> None:
    refusal = participation_refusal(user, article)
    if refusal:
        raise PermissionDenied(refusal)


def _proposal_of(article: Article, author: User) -> Revision | None:
    """What a topic started now is about: on an unpublished article, the starter's own
    newest proposal for it (a moderator's: the creator's); None once it is published."""
    if article.is_published:
        return None
    newest = article.revisions.order_by("-created_at", "-pk")
    return (
        newest.filter(author=author).first()
        or newest.filter(author_id=article.created_by_id).first()
    )


def _after_commit(post: Post, actor: User) -> None:
    hooks.run(TALK_POSTED, post=post)

    send_later(tell_about_post, post.pk, actor.pk)


def topic_start(
    *, article: Article, author: User, title: str, body: str, acknowledged: str = ""
) -> Topic:
    """Start a topic on the article's talk page with its first post; the author follows it."""
    _check_participant(author, article)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    title_error = text_problem(title, what="title", max_length=MAX_TITLE_LENGTH) or line_problem(
        title, what="title"
    )
    if title_error:
        errors["title"] = title_error
    html = _rendered(body, errors)
    if errors:
        raise ValidationError(errors)
    check_text(author=author, kind="talk", text=body, html=html, article=article, summary=title,
               acknowledged=acknowledged)  # fmt: skip
    now = timezone.now()
    with transaction.atomic():
        topic = Topic.objects.create(
            article=article,
            title=title,
            created_by=author,
            created_at=now,
            last_activity_at=now,
            proposal=_proposal_of(article, author),
        )
        post = Post.objects.create(
            topic=topic, author=author, body=body, rendered_html=html, created_at=now
        )
        TopicFollow.objects.create(user=author, topic=topic)
        # The article page's Talk tab counts open topics; cached pages show it.
        pages_changed()
        _after_commit(post, author)
    return topic


def post_reply(
    *,
    topic: Topic,
    author: User,
    body: str,
    parent: Post | None = None,
    acknowledged: str = "",
) -> Post:
    """Reply to the topic, or to one of its posts; the author follows the topic from then on."""
    _check_participant(author, topic.article)
    if not topic.readable_by(author):
        raise PermissionDenied("This topic is about another fan's proposal.")
    if parent is not None and parent.topic_id != topic.pk:
        raise ValidationError({"parent": "You can only reply to a post in this topic."})
    errors: dict[str, str] = {}
    html = _rendered(body, errors)
    if errors:
        raise ValidationError(errors)
    check_text(author=author, kind="talk", text=body, html=html, article=topic.article,
               summary=topic.title, acknowledged=acknowledged)  # fmt: skip
    with transaction.atomic():
        # Locked: a moderator closing the topic meanwhile waits for this reply, or this
        # reply waits for the close and is refused.
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        if locked.is_closed:
            raise TalkConflict(CLOSED_MESSAGE)
        now = timezone.now()
        post = Post.objects.create(
            topic=locked,
            parent=parent,
            author=author,
            body=body,
            rendered_html=html,
            created_at=now,
        )
        locked.last_activity_at = now
        locked.save(update_fields=["last_activity_at"])
        TopicFollow.objects.get_or_create(user=author, topic=locked)
        _after_commit(post, author)
    return post


def _check_moderator(moderator: User) -> None:
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can hide posts and close topics.")


def _record(
    *, topic: Topic, actor: User, action: TalkAction, reason: str, post: Post | None = None
) -> TalkEvent:
    return TalkEvent.objects.create(
        article_id=topic.article_id,
        topic=topic,
        post=post,
        actor=actor,
        action=action,
        reason=reason,
    )


def post_hide(*, post: Post, moderator: User, reason: str) -> Post:
    """Hide a post from readers and fans (moderators still see it, with the reason)."""
    _check_moderator(moderator)
    reason = checked_reason(reason, missing="Give a reason for hiding the post.")
    with transaction.atomic():
        locked = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        if locked.is_hidden:
            raise TalkConflict("This post is already hidden.")
        locked.hidden_at = timezone.now()
        locked.hidden_by = moderator
        locked.hidden_reason = reason
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        _record(
            topic=locked.topic,
            post=locked,
            actor=moderator,
            action=TalkAction.HIDDEN,
            reason=reason,
        )
    return locked


def post_unhide(*, post: Post, moderator: User, reason: str = "") -> Post:
    """Show a hidden post again."""
    _check_moderator(moderator)
    reason = checked_reason(reason, required=False)
    with transaction.atomic():
        locked = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        if not locked.is_hidden:
            raise TalkConflict("This post is not hidden.")
        locked.hidden_at = None
        locked.hidden_by = None
        locked.hidden_reason = ""
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        _record(
            topic=locked.topic,
            post=locked,
            actor=moderator,
            action=TalkAction.UNHIDDEN,
            reason=reason,
        )
    return locked


def topic_close(*, topic: Topic, moderator: User, reason: str) -> Topic:
    """Close a topic: it stays readable and takes no more replies."""
    _check_moderator(moderator)
    reason = checked_reason(reason, missing="Give a reason for closing the topic.")
    with transaction.atomic():
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        if locked.is_closed:
            raise TalkConflict("This topic is already closed.")
        locked.closed_at = timezone.now()
        locked.closed_by = moderator
        locked.close_reason = reason
        locked.save(update_fields=["closed_at", "closed_by", "close_reason"])
        _record(topic=locked, actor=moderator, action=TalkAction.CLOSED, reason=reason)
        pages_changed()  # the Talk tab's count of open topics
    return locked


def topic_reopen(*, topic: Topic, moderator: User, reason: str = "") -> Topic:
    """Open a closed topic to replies again."""
    _check_moderator(moderator)
    reason = checked_reason(reason, required=False)
    with transaction.atomic():
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        if not locked.is_closed:
            raise TalkConflict("This topic is not closed.")
        locked.closed_at = None
        locked.closed_by = None
        locked.close_reason = ""
        locked.save(update_fields=["closed_at", "closed_by", "close_reason"])
        _record(topic=locked, actor=moderator, action=TalkAction.REOPENED, reason=reason)
        pages_changed()
    return locked


def topic_follow(*, topic: Topic, user: User) -> TopicFollow:
    """Hear about replies in the topic. Following twice, even at once, leaves one row."""
    if not user.is_authenticated:
        raise PermissionDenied("Log in to follow topics.")
    with transaction.atomic():
        follow, _ = TopicFollow.objects.get_or_create(user=user, topic=topic)
    return follow


def topic_unfollow(*, topic: Topic, user: User) -> None:
    """Stop hearing about replies in the topic."""
    with transaction.atomic():
        TopicFollow.objects.filter(user=user, topic=topic).delete()


def imported_topic(*, article: Article, title: str, author: User, created_at: datetime) -> Topic:
    """A topic from another wiki's talk page, dated as it was there (apps.operations.mediawiki,
    in its transaction): no one is told and no one follows it; its posts come next."""
    title = " ".join((title or "").split())[:MAX_TITLE_LENGTH] or "Imported discussion"
    return Topic.objects.create(
        article=article,
        title=title,
        created_by=author,
        created_at=created_at,
        last_activity_at=created_at,
    )


def imported_post(
    *, topic: Topic, author: User, body: str, created_at: datetime, parent: Post | None = None
) -> Post:
    """A post from another wiki's talk page (its text through the one renderer and its
    limits: ValidationError when it cannot be stored)."""
    html = rendered(body, what="message", max_length=MAX_BODY_LENGTH)
    post = Post.objects.create(
        topic=topic,
        parent=parent,
        author=author,
        body=body,
        rendered_html=html,
        created_at=created_at,
    )
    if created_at > topic.last_activity_at:
        topic.last_activity_at = created_at
        topic.save(update_fields=["last_activity_at"])
    return post
