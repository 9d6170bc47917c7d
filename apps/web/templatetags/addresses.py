"""``{% reader_path %}``: the page's own address as its reader may see it.

A reader who reached an article after their spoiler point by its slug gets links
back to the page (canonical, ``og:url``, log-in's ``next``) by the article's neutral
address instead: the address names the article, and the page folds it.
"""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def reader_path(context: template.Context, full: bool = False) -> str:
    request = context.get("request")
    if request is None:
        return ""
    path: str = request.get_full_path() if full else request.path
    article = context.get("article")
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("slug") if match is not None else None
    if article is not None and slug and getattr(article, "folded", False) and slug == article.slug:
        path = path.replace(f"/{slug}/", f"/{article.url_slug}/", 1)
    return path
