"""Telling people about new talk: queued by the services once a post commits.

A topic's first post tells the article's followers; a reply tells the topic's
followers (its starter and everyone who replied follow it automatically) and the
article's (following an article includes its talk page, as a watchlist does). The
writer is never told about their own post. The whole fan-out is one
transaction, so a retry after a database error never tells anyone twice.
"""

from celery import shared_task
from django.db import DatabaseError, transaction

from apps.notifications.services import about, notify_many
from apps.wiki.models import Follow

from .models import Post, TopicFollow


@shared_task(autoretry_for=(DatabaseError,), max_retries=4, retry_backoff=10, retry_jitter=True)
def tell_about_post(post_id: int, actor_id: int) -> None:
    post = Post.objects.select_related("topic__article", "topic__proposal", "author").get(
        pk=post_id
    )
    with transaction.atomic():
        if post.topic.posts.filter(pk__lt=post.pk).exists():
            _tell_topic_followers(post, actor_id)
        else:
            _tell_article_followers(post, actor_id)


def _tell_article_followers(post: Post, actor_id: int) -> None:
    topic, article = post.topic, post.topic.article
    follows = (
        Follow.objects.filter(article_id=article.pk, user__is_active=True)
        .exclude(user_id=actor_id)
        .select_related("user")
    )
    notify_many(
        [follow.user for follow in follows if topic.readable_by(follow.user)],
        **about(
            article.episode,
            lambda: (
                f"New topic on the talk page of “{article.display_title}”"
                + ("" if article.folded else f": {topic.title}")
                + f"\nStarted by {post.author}.",
                topic.get_absolute_url(),
            ),
        ),
    )


def _tell_topic_followers(post: Post, actor_id: int) -> None:
    topic, article = post.topic, post.topic.article
    users = {
        follow.user_id: follow.user
        for queryset in (
            TopicFollow.objects.filter(topic_id=topic.pk),
            Follow.objects.filter(article_id=article.pk),
        )
        for follow in queryset.filter(user__is_active=True)
        .exclude(user_id=actor_id)
        .select_related("user")
        .order_by("user_id")
    }
    notify_many(
        [user for user in users.values() if topic.readable_by(user)],
        **about(
            article.episode,
            lambda: (
                f"{post.author} replied in a topic on the talk page of “{article.display_title}”."
                if article.folded
                else f"{post.author} replied in “{topic.title}” (talk page of “{article.title}”).",
                post.get_absolute_url(),
            ),
        ),
    )
