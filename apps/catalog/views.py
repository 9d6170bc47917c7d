"""Browsing: show → season → episode. Article lists use the reverse relation only."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Episode, Season, Show

# Readers only count and see articles that have approved text.
PUBLISHED = Q(articles__approved_revision__isnull=False)


@require_GET
def show_detail(request, show):
    show = get_object_or_404(Show, slug=show)
    seasons = show.seasons.annotate(episode_count=Count("episodes")).order_by("number")
    return render(request, "catalog/show_detail.html", {"show": show, "seasons": seasons})


@require_GET
def season_detail(request, show, season):
    season = get_object_or_404(
        Season.objects.select_related("show"), show__slug=show, number=season
    )
    episodes = season.episodes.annotate(article_count=Count("articles", filter=PUBLISHED)).order_by(
        "number"
    )
    return render(request, "catalog/season_detail.html", {"season": season, "episodes": episodes})


@require_GET
def episode_detail(request, show, season, episode):
    episode = get_object_or_404(
        Episode.objects.with_show(),
        season__show__slug=show,
        season__number=season,
        number=episode,
    )
    articles = episode.articles.filter(approved_revision__isnull=False).select_related(
        "approved_revision"
    )
    return render(
        request, "catalog/episode_detail.html", {"episode": episode, "articles": articles}
    )
