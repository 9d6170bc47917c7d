"""Following an article: hearing when its approved text changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from ..models import Article, Follow
from .access import get_article_for_user


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
