"""Talk pages: an article's topics, a topic's threaded posts, and what fans and moderators do there.

Thin views: fetch the article and topic with their visibility rules, validate a
form, call one service, redirect. Bad input shows the form again with what was
typed (400); a change the current state forbids answers 409 with why.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from apps.web.params import id_value
from apps.web.refusals import BAD_REQUEST, Conflict, add_errors, conflict_page
from apps.web.requests import user_of
from apps.web.usertext import MAX_REASON_LENGTH
from apps.wiki.models import Article
from apps.wiki.permissions import can_moderate
from apps.wiki.views.access import get_article_for_user, writer_required

from . import services
from .forms import ReasonForm, ReplyForm, TopicForm
from .models import Post, Topic, TopicFollow

PAGE_SIZE = 30
# Replies nest this deep on the page; deeper replies line up with their parent's level.
MAX_DEPTH = 4


@dataclass(frozen=True)
class ThreadEntry:
    post: Post
    depth: int
    replying_to: Post | None


def _article(request: HttpRequest, slug: str) -> Article:
    return get_article_for_user(request.user, slug, queryset=Article.objects.with_episode())


def _topic(request: HttpRequest, slug: str, pk: int) -> Topic:
    article = _article(request, slug)
    topic = get_object_or_404(
        Topic.objects.visible_to(request.user).select_related(
            "created_by", "closed_by", "proposal"
        ),
        pk=pk,
        article=article,
    )
    topic.article = article
    return topic


def _conflict(request: HttpRequest, topic: Topic, conflict: Conflict) -> HttpResponse:
    return conflict_page(request, conflict, template="talk/conflict.html", context={"topic": topic})


def _require_moderator(request: HttpRequest) -> None:
    if not can_moderate(request.user):
        raise PermissionDenied("Only moderators can hide posts and close topics.")


def _render_list(
    request: HttpRequest, article: Article, *, form: TopicForm, status: int = 200
) -> HttpResponse:
    topics = (
        Topic.objects.visible_to(request.user)
        .filter(article=article)
        .select_related("created_by")
        .annotate(post_count=Count("posts"))
        .order_by("-last_activity_at", "-id")
    )
    page = Paginator(topics, PAGE_SIZE).get_page(request.GET.get("page"))
    for topic in page.object_list:
        topic.article = article  # each topic's link names it: no query a topic
    return render(
        request,
        "talk/topic_list.html",
        {
            "article": article,
            "page": page,
            "form": form,
            "refusal": services.participation_refusal(request.user, article),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def topic_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The article's topics, the liveliest first, and the form to start one."""
    return _render_list(request, _article(request, slug), form=TopicForm())


@require_POST
@login_required
@writer_required("talk")
def topic_start(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article(request, slug)
    form = TopicForm(request.POST)
    if form.is_valid():
        try:
            topic = services.topic_start(
                article=article,
                author=user_of(request),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                acknowledged=form.cleaned_data["acknowledged"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Your topic is on the talk page. You follow it.")
            return redirect(topic)
    return _render_list(request, article, form=form, status=BAD_REQUEST)


def _thread(posts: list[Post]) -> list[ThreadEntry]:
    """The posts in reading order: each followed by its replies, oldest first, indented."""
    children: dict[int | None, list[Post]] = {}
    by_id = {post.pk: post for post in posts}
    for post in posts:
        parent_id = post.parent_id if post.parent_id in by_id else None
        children.setdefault(parent_id, []).append(post)
    entries: list[ThreadEntry] = []
    # An explicit stack, not recursion: a long chain of replies must not exhaust it.
    stack = [(post, 0) for post in reversed(children.get(None, []))]
    while stack:
        post, depth = stack.pop()
        parent = by_id.get(post.parent_id) if post.parent_id else None
        entries.append(ThreadEntry(post=post, depth=min(depth, MAX_DEPTH), replying_to=parent))
        stack.extend((reply, depth + 1) for reply in reversed(children.get(post.pk, [])))
    return entries


def _render_topic(
    request: HttpRequest, topic: Topic, *, form: ReplyForm | None = None, status: int = 200
) -> HttpResponse:
    posts = list(topic.posts.select_related("author", "hidden_by").order_by("created_at", "id"))
    thread = _thread(posts)
    by_id = {post.pk: post for post in posts}
    # The post a reply answers: from the posted form, or from a post's "Reply" link.
    raw = form.data.get("parent", "") if form is not None else request.GET.get("reply_to", "")
    reply_to = by_id.get(id_value(raw) or 0)
    if form is None:
        form = ReplyForm(initial={"parent": reply_to.pk if reply_to else None})
    refusal = services.participation_refusal(request.user, topic.article)
    is_following = (
        request.user.is_authenticated
        and TopicFollow.objects.filter(topic=topic, user_id=request.user.pk).exists()
    )
    return render(
        request,
        "talk/topic_detail.html",
        {
            "article": topic.article,
            "topic": topic,
            "thread": thread,
            "form": form,
            "reply_to": reply_to,
            "is_following": is_following,
            "is_moderator": can_moderate(request.user),
            "refusal": refusal,
            "can_reply": request.user.is_authenticated and not refusal and not topic.is_closed,
            "reason_max_length": MAX_REASON_LENGTH,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def topic_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _render_topic(request, _topic(request, slug, pk))


@require_POST
@login_required
@writer_required("talk")
def post_reply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    topic = _topic(request, slug, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        parent_id = form.cleaned_data["parent"]
        parent = Post.objects.filter(topic=topic, pk=parent_id).first() if parent_id else None
        if parent_id and parent is None:
            form.add_error(None, "The post you replied to is not in this topic.")
        else:
            try:
                post = services.post_reply(
                    topic=topic,
                    author=user_of(request),
                    body=form.cleaned_data["body"],
                    parent=parent,
                    acknowledged=form.cleaned_data["acknowledged"],
                )
            except Conflict as conflict:
                return _conflict(request, topic, conflict)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "Your reply is posted. You follow this topic.")
                return redirect(post)
    return _render_topic(request, topic, form=form, status=BAD_REQUEST)


@require_POST
@login_required
def topic_follow(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    topic = _topic(request, slug, pk)
    services.topic_follow(topic=topic, user=user_of(request))
    messages.success(request, "You follow this topic: you will be told about replies.")
    return redirect(topic)


@require_POST
@login_required
def topic_unfollow(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    topic = _topic(request, slug, pk)
    services.topic_unfollow(topic=topic, user=user_of(request))
    messages.success(request, "You no longer follow this topic.")
    return redirect(topic)


def _moderate(
    request: HttpRequest,
    topic: Topic,
    service: Callable[..., object],
    *,
    action: str,
    required: bool,
    done: str,
    post: Post | None = None,
) -> HttpResponse:
    """Validate the reason and call ``service`` on the post (or else the topic): then back
    to it, or the form again with what was typed (400), or why it cannot happen (409)."""
    _require_moderator(request)
    form = ReasonForm(request.POST, required=required)
    if form.is_valid():
        target: dict[str, Post | Topic] = {"post": post} if post else {"topic": topic}
        try:
            service(**target, moderator=user_of(request), reason=form.cleaned_data["reason"])
        except Conflict as conflict:
            return _conflict(request, topic, conflict)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(post or topic)
    return render(
        request,
        "talk/moderate.html",
        {"article": topic.article, "topic": topic, "post": post, "form": form, "action": action},
        status=BAD_REQUEST,
    )


def _post(topic: Topic, post_pk: int) -> Post:
    post: Post = get_object_or_404(Post.objects.select_related("author"), pk=post_pk, topic=topic)
    post.topic = topic
    return post


@require_POST
@login_required
def post_hide(request: HttpRequest, slug: str, pk: int, post_pk: int) -> HttpResponse:
    topic = _topic(request, slug, pk)
    post = _post(topic, post_pk)
    return _moderate(
        request,
        topic,
        services.post_hide,
        post=post,
        action="hide",
        required=True,
        done="The post is hidden. Readers see that a moderator hid it; moderators see why.",
    )


@require_POST
@login_required
def post_unhide(request: HttpRequest, slug: str, pk: int, post_pk: int) -> HttpResponse:
    topic = _topic(request, slug, pk)
    post = _post(topic, post_pk)
    return _moderate(
        request,
        topic,
        services.post_unhide,
        post=post,
        action="unhide",
        required=False,
        done="The post is shown again.",
    )


@require_POST
@login_required
def topic_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    topic = _topic(request, slug, pk)
    return _moderate(
        request,
        topic,
        services.topic_close,
        action="close",
        required=True,
        done="The topic is closed: it takes no more replies.",
    )


@require_POST
@login_required
def topic_reopen(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    topic = _topic(request, slug, pk)
    return _moderate(
        request,
        topic,
        services.topic_reopen,
        action="reopen",
        required=False,
        done="The topic is open to replies again.",
    )
