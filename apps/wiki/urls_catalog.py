"""Catalog pages (served by wiki, which lists their articles) under the "catalog" namespace."""

from django.urls import path

from .views import browse

app_name = "catalog"

urlpatterns = [
    path("shows/<slug:show>/", browse.show_detail, name="show"),
    path("shows/<slug:show>/season/<int:season>/", browse.season_detail, name="season"),
    path(
        "shows/<slug:show>/season/<int:season>/episode/<int:episode>/",
        browse.episode_detail,
        name="episode",
    ),
]
