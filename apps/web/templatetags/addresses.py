"""``{% reader_path %}``: the page's own address as its reader may see it; ``{% fixed_url %}``.

A reader who reached an article after their spoiler point by its slug gets links
back to the page (canonical, ``og:url``, log-in's ``next``) by the article's neutral
address instead: the address names the article, and the page folds it.
"""

from functools import lru_cache

from django import template
from django.test.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse

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


@register.simple_tag
def fixed_url(name: str) -> str:
    """``{% url name %}`` for an address that takes no arguments, reversed once per process
    (the header's links are on every page: reversing them was a tenth of a cached one)."""
    return _reversed(name, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=256)
def _reversed(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf)


def _forget(setting: str, **kwargs: object) -> None:
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _reversed.cache_clear()


setting_changed.connect(_forget, dispatch_uid="web-fixed-url")
