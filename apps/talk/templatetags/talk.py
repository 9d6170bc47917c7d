"""What other apps' templates show of talk pages (wiki's code never imports talk)."""

from django import template

from ..models import Topic

register = template.Library()


@register.simple_tag
def open_topic_count(article) -> int:
    """How many topics on the article's talk page are open (one query).

    Anonymous article pages are cached whole: the services move the page cache's
    generation on whenever this count changes (a topic started, closed or reopened).
    """
    return Topic.objects.open().filter(article_id=article.pk).count()
