"""What talk adds to pages other apps own: the article's Talk tab, and a tab of the
moderators' audit log."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string

from apps.moderation.auditlogs import AuditLog
from apps.web import hooks
from apps.wiki.models import Article

from .models import TalkAction, TalkEvent, Topic


@hooks.register("article-tabs", order=10)
def article_tab(*, request: HttpRequest | None, article: Article) -> str:
    """The Talk tab, with how many topics are open (one query).

    Anonymous article pages are cached whole: the services move the page cache's
    generation on whenever this count changes (a topic started, closed or reopened).
    """
    # Only topics every reader may open: the page is the same for all (and cached).
    open_topics = Topic.objects.open().public().filter(article_id=article.pk).count()
    return render_to_string(
        "talk/article_tab.html", {"article": article, "open_topics": open_topics}
    )


def _moderation_events() -> QuerySet[TalkEvent]:
    return (
        TalkEvent.objects.select_related(
            "actor", "article__episode__season__show", "topic", "post__author"
        )
        .defer("post__body", "post__rendered_html")
        .order_by("-created_at", "-id")
    )


@hooks.register("audit-logs", order=10)
def audit_log() -> AuditLog:
    """The talk tab of the moderators' audit log: posts hidden and shown again, topics
    closed and reopened, with the reasons."""
    return AuditLog(
        key="talk",
        tab="Talk pages",
        description="Every post hidden or shown again and every topic closed or reopened "
        "on the talk pages",
        events=_moderation_events,
        actions=list(TalkAction.choices),
        table="talk/audit_log.html",
        empty="No talk moderation event matches these filters.",
    )
