from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("revisions/<int:pk>/", views.review, name="review"),
    path("revisions/<int:pk>/approve/", views.approve, name="approve"),
    path("revisions/<int:pk>/reject/", views.reject, name="reject"),
]
