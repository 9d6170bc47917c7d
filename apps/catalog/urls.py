from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("shows/<slug:show>/", views.show_detail, name="show"),
    path("shows/<slug:show>/season/<int:season>/", views.season_detail, name="season"),
    path(
        "shows/<slug:show>/season/<int:season>/episode/<int:episode>/",
        views.episode_detail,
        name="episode",
    ),
]
