"""Following an article: hearing when its approved text changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from ..models import Article, Follow
from .access import get_article_for_user

PAGE_SIZE = 50


@require_safe
@login_required
def following(request):
    """The articles the user follows, the latest change first, with what changed."""
    follows = (
        Follow.objects.filter(user=request.user)
        .select_related(
            "article__episode__season__show",
            "article__approved_revision__author",
        )
        .defer("article__approved_revision__body", "article__approved_revision__rendered_html")
        .order_by("-article__approved_at", "-id")
    )
    page = Paginator(follows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "wiki/following.html", {"page": page})


@require_POST
@login_required
def follow(request, slug):
    article = get_article_for_user(request.user, slug, queryset=Article.objects.all())
    # get_or_create: following twice, even from two tabs at once, leaves one row
    # (the unique constraint refuses the second insert and it falls back to a get).
    Follow.objects.get_or_create(user=request.user, article=article)
    messages.success(request, "You follow this article: you will be told when its text changes.")
    return redirect(article)


@require_POST
@login_required
def unfollow(request, slug):
    article = get_article_for_user(request.user, slug, queryset=Article.objects.all())
    Follow.objects.filter(user=request.user, article=article).delete()
    messages.success(request, "You no longer follow this article.")
    return redirect(article)
