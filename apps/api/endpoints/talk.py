"""Talk pages over the API: an article's topics and their posts; replying (scope propose)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from apps.talk import services
from apps.talk.forms import ReplyForm
from apps.talk.models import Post, Topic
from apps.web.refusals import Flagged
from apps.wiki.permissions import can_moderate

from .. import schemas
from ..access import anyone, limit, require, signed_in
from ..pagination import paginate
from ..problems import Problem, field_error, validation_errors
from ..reading import reader
from .read import CURSOR, LIMIT, PROBLEMS, WATCHED, _article

router = Router(tags=["Talk"])


def _topic(request: HttpRequest, key: str, topic_id: int) -> Topic:
    article = _article(request, key)
    topic: Topic = get_object_or_404(
        Topic.objects.visible_to(request.user).select_related("created_by", "proposal"),
        pk=topic_id,
        article=article,
    )
    topic.article = article
    return topic


def _topic_out(topic: Topic) -> dict:
    return {
        "id": topic.pk,
        "title": topic.title,
        "author": topic.created_by.username,
        "created_at": topic.created_at,
        "last_activity_at": topic.last_activity_at,
        "closed": topic.is_closed,
    }


def _post_out(post: Post, *, moderator: bool) -> dict:
    shown = not post.is_hidden or moderator
    return {
        "id": post.pk,
        "author": post.author.username,
        "parent_id": post.parent_id,
        "created_at": post.created_at,
        "hidden": post.is_hidden,
        "markdown": post.body if shown else None,
        "html": post.rendered_html if shown else None,
    }


def _folded(article) -> None:
    # A talk page discusses the article: it folds with it (the site folds its title).
    if article.folded:
        raise Problem("forbidden", "This article is after your point: its talk page too.")


@router.get("/articles/{key}/talk", response={200: schemas.TopicPage, **PROBLEMS}, auth=anyone)
def topic_list(
    request: HttpRequest,
    key: str,
    watched_up_to: list[str] = WATCHED,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """An article's talk topics, newest first."""
    with reader(watched_up_to):
        article = _article(request, key)
        _folded(article)
        topics = Topic.objects.visible_to(request.user).filter(article=article)
        topics = topics.select_related("created_by")
        page = paginate(topics, order=("-id",), cursor=cursor, limit=limit)
        return {"items": [_topic_out(t) for t in page.items], "next_cursor": page.next_cursor}


@router.get("/articles/{key}/talk/{topic_id}", response={200: schemas.PostPage, **PROBLEMS},
            auth=anyone)  # fmt: skip
def post_list(
    request: HttpRequest,
    key: str,
    topic_id: int,
    watched_up_to: list[str] = WATCHED,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """A topic's posts, oldest first (a hidden post's text only for moderators)."""
    with reader(watched_up_to):
        topic = _topic(request, key, topic_id)
        _folded(topic.article)
        posts = topic.posts.select_related("author")
        page = paginate(posts, order=("id",), cursor=cursor, limit=limit)
        moderator = can_moderate(request.user)
        return {
            "items": [_post_out(p, moderator=moderator) for p in page.items],
            "next_cursor": page.next_cursor,
        }


@router.post(
    "/articles/{key}/talk/{topic_id}/posts",
    response={201: schemas.PostOut, **PROBLEMS, 403: schemas.ProblemOut},
    auth=signed_in,
)
def reply(request: HttpRequest, key: str, topic_id: int, payload: schemas.ReplyIn):
    """Reply in a topic (token scope: propose), as the site's reply form does."""
    author = require(request, "propose")
    limit(request, "talk", per_address="talk-per-address")
    topic = _topic(request, key, topic_id)
    form = ReplyForm({"body": payload.body, "parent": payload.parent_id or ""})
    if not form.is_valid():
        errors = []
        for field, messages in form.errors.items():
            name = "parent_id" if field == "parent" else field
            errors += [field_error([] if field == "__all__" else [name], str(m)) for m in messages]
        raise Problem("invalid", "The reply was not posted: see errors.", errors=errors)
    parent = None
    if payload.parent_id:
        parent = Post.objects.filter(topic=topic, pk=payload.parent_id).first()
        if parent is None:
            raise Problem(
                "invalid",
                "The post you replied to is not in this topic.",
                errors=[field_error(["parent_id"], "Not a post of this topic.")],
            )
    try:
        post = services.post_reply(
            topic=topic,
            author=author,
            body=form.cleaned_data["body"],
            parent=parent,
            acknowledged=payload.acknowledged or "",
        )
    except Flagged as warned:
        raise Problem("flagged", " ".join(warned.messages),
                      acknowledge=warned.acknowledge) from warned  # fmt: skip
    except ValidationError as error:
        raise Problem("invalid", " ".join(error.messages),
                      errors=validation_errors(error)) from error  # fmt: skip
    return Status(201, _post_out(post, moderator=False))
