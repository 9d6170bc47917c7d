"""Comparing two versions of an article, for anyone who may see both."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.web.params import int_param

from ..diff import citation_diff, text_diff
from .access import get_article_for_user, get_revision_for_user


@require_safe
def article_compare(request, slug):
    """A word-level diff between two revisions (``?from=&to=``); readers see approved ones."""
    article = get_article_for_user(request.user, slug)
    older_pk, newer_pk = int_param(request, "from"), int_param(request, "to")
    if older_pk is None and newer_pk is not None:
        revision = get_revision_for_user(request.user, newer_pk, slug=slug)
        older_pk = revision.base_id
    if older_pk is None or newer_pk is None:
        raise Http404("Choose two versions to compare.")
    older = get_revision_for_user(request.user, older_pk, slug=slug)
    newer = get_revision_for_user(request.user, newer_pk, slug=slug)
    if older.created_at > newer.created_at:
        older, newer = newer, older
    changes = citation_diff(
        older.citations.select_related("source"), newer.citations.select_related("source")
    )
    return render(
        request,
        "wiki/compare.html",
        {
            "article": article,
            "older": older,
            "newer": newer,
            "rows": text_diff(older.body, newer.body),
            "side": request.GET.get("view") == "side",
            "citation_changes": [c for c in changes if c.kind != "same"],
        },
    )
