"""Browsing the catalog: show → season → episode, with the trivia readers can see.

These live in wiki, not catalog, because they list articles; the URL names keep
the "catalog" namespace the catalog models' get_absolute_url reverses.
"""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from apps.catalog.models import Episode, Season, Show
from apps.web.pagecache import cached_for_readers

from ..models import Article, RevisionStatus
from ..presenting import neighbours, spoiler_setting


@require_safe
@cached_for_readers
def show_detail(request, show):
    show = get_object_or_404(Show, slug=show)
    seasons = show.seasons.annotate(episode_count=Count("episodes")).order_by("number")
    return render(request, "wiki/show_detail.html", {"show": show, "seasons": seasons})


@require_safe
@cached_for_readers
def season_detail(request, show, season):
    season = get_object_or_404(
        Season.objects.select_related("show"), show__slug=show, number=season
    )
    published = Article.objects.published().values("pk")
    episodes = season.episodes.annotate(
        article_count=Count("articles", filter=Q(articles__in=published))
    ).order_by("number")
    return render(request, "wiki/season_detail.html", {"season": season, "episodes": episodes})


@require_safe
@cached_for_readers
def episode_detail(request, show, season, episode):
    episode = get_object_or_404(
        Episode.objects.with_show(),
        season__show__slug=show,
        season__number=season,
        number=episode,
    )
    articles = list(Article.objects.published().filter(episode=episode).order_by("title"))
    for article in articles:
        article.episode = episode  # their titles and links ask the spoiler rule: no query each
    previous, following = neighbours(episode)
    awaiting = None
    if request.user.is_authenticated:
        # New articles about it that wait for review: a fan sees them before proposing a
        # duplicate (signed-in pages are not cached, so the count is never stale).
        awaiting = (
            Article.objects.filter(episode=episode, approved_revision__isnull=True)
            .filter(revisions__status=RevisionStatus.PENDING)
            .distinct()
            .count()
        )
    return render(
        request,
        "wiki/episode_detail.html",
        {
            "episode": episode,
            "articles": articles,
            "awaiting": awaiting,
            "previous": previous,
            "next": following,
            "spoiler_setting": spoiler_setting(request, episode.season.show),
        },
    )
