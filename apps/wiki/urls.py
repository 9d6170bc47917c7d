from django.urls import path

import apps.accounts.converters  # noqa: F401 - registers <username:…>

from .feeds import RecentChangesFeed
from .views import (
    compare,
    contributions,
    following,
    profiles,
    proposals,
    reading,
    recent,
    sources,
    spoiler_setting,
    statements,
)

app_name = "wiki"

urlpatterns = [
    path("wiki/", reading.article_list, name="article-list"),
    path("wiki/new/", proposals.article_create, name="article-create"),
    path("wiki/<slug:slug>/", reading.article_detail, name="article"),
    path("wiki/<slug:slug>/edit/", proposals.article_edit, name="article-edit"),
    path("wiki/<slug:slug>/move/", proposals.article_move, name="article-move"),
    path("wiki/<slug:slug>/history/", reading.article_history, name="article-history"),
    path("wiki/<slug:slug>/compare/", compare.article_compare, name="article-compare"),
    path("wiki/<slug:slug>/follow/", following.follow, name="article-follow"),
    path("wiki/<slug:slug>/unfollow/", following.unfollow, name="article-unfollow"),
    path("following/", following.following, name="following"),
    path("wiki/<slug:slug>/revisions/<int:pk>/", reading.revision_detail, name="revision"),
    path("revisions/<int:pk>/withdraw/", proposals.revision_withdraw, name="revision-withdraw"),
    path("contributions/", contributions.contributions, name="contributions"),
    path("users/<username:username>/", profiles.profile, name="profile"),
    path("sources/", reading.source_list, name="source-list"),
    path("sources/autocomplete/", sources.source_autocomplete, name="source-autocomplete"),
    path("sources/lookup/", sources.source_lookup, name="source-lookup"),
    path("sources/<int:pk>/", reading.source_detail, name="source"),
    path("search/", reading.search, name="search"),
    path("spoilers/", spoiler_setting.set_point, name="spoilers"),
    path("citation-needed/", statements.citation_needed, name="citation-needed"),
    path("disputed/", statements.disputed, name="disputed"),
    path("recent/", recent.recent, name="recent"),
    path("recent/feed/", RecentChangesFeed(), name="recent-feed"),
]
