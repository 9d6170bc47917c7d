"""What categories add to pages and steps wiki owns: the article's foot, the editor's
suggestions, the check of a proposal's categories, and filing on publish."""

from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string

from apps.web import hooks
from apps.wiki.models import Article, Revision
from apps.wiki.naming import Names

from . import services
from .models import Category


@hooks.register("article-foot", order=10)
def article_foot(*, request: HttpRequest | None, article: Article, revision: Revision) -> str:
    """The categories the article is filed under, where the catalog puts it (its show and
    season), and, on a category's description page, that category: one query. Cached with
    the page (a publish or a merge moves the cache on)."""
    found = list(
        Category.objects.filter(Q(memberships__article=article) | Q(page=article))
        .distinct()
        .order_by("name")
    )
    return render_to_string(
        "categories/article_foot.html",
        {
            "article": article,
            "categories": [c for c in found if c.page_id != article.pk],
            "describes": next((c for c in found if c.page_id == article.pk), None),
        },
        request=request,
    )


@hooks.register("editor-names", order=10)
def editor_suggestions(*, request: HttpRequest | None) -> str:
    return render_to_string("categories/editor_names.html", request=request)


@hooks.register("names-check", order=10)
def check(*, article: Article, names: Names) -> dict[str, list[str]] | None:
    return services.refusals(article=article, names=names)


@hooks.register("names-published", order=10)
def file_on_publish(
    *, article: Article, revision: Revision, names: Names, previous: Names | None
) -> None:
    services.file_article(article=article, revision=revision, names=names)
