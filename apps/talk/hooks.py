"""What talk adds to pages other apps own: the article's Talk tab."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from apps.web import hooks
from apps.wiki.models import Article

from .models import Topic


@hooks.register("article-tabs", order=10)
def article_tab(*, request: HttpRequest | None, article: Article) -> str:
    """The Talk tab, with how many topics are open (one query).

    Anonymous article pages are cached whole: the services move the page cache's
    generation on whenever this count changes (a topic started, closed or reopened).
    """
    open_topics = Topic.objects.open().filter(article_id=article.pk).count()
    return render_to_string(
        "talk/article_tab.html", {"article": article, "open_topics": open_topics}
    )
