from django.urls import path

from . import views

app_name = "talk"

urlpatterns = [
    path("wiki/<slug:slug>/talk/", views.topic_list, name="topics"),
    path("wiki/<slug:slug>/talk/new/", views.topic_start, name="topic-start"),
    path("wiki/<slug:slug>/talk/<int:pk>/", views.topic_detail, name="topic"),
    path("wiki/<slug:slug>/talk/<int:pk>/reply/", views.post_reply, name="reply"),
    path("wiki/<slug:slug>/talk/<int:pk>/follow/", views.topic_follow, name="topic-follow"),
    path("wiki/<slug:slug>/talk/<int:pk>/unfollow/", views.topic_unfollow, name="topic-unfollow"),
    path("wiki/<slug:slug>/talk/<int:pk>/close/", views.topic_close, name="topic-close"),
    path("wiki/<slug:slug>/talk/<int:pk>/reopen/", views.topic_reopen, name="topic-reopen"),
    path(
        "wiki/<slug:slug>/talk/<int:pk>/posts/<int:post_pk>/hide/",
        views.post_hide,
        name="post-hide",
    ),
    path(
        "wiki/<slug:slug>/talk/<int:pk>/posts/<int:post_pk>/unhide/",
        views.post_unhide,
        name="post-unhide",
    ),
]
