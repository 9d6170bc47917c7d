from django.urls import path

import apps.accounts.converters  # noqa: F401 - registers <username:…>

from . import reports, views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("revisions/<int:pk>/", views.review, name="review"),
    path("revisions/<int:pk>/approve/", views.approve, name="approve"),
    path("revisions/<int:pk>/reject/", views.reject, name="reject"),
    path("revisions/<int:pk>/approve-merged/", views.approve_merged, name="approve-merged"),
    path("revisions/<int:pk>/approve-part/", views.approve_part, name="approve-part"),
    path("revisions/<int:pk>/request-changes/", views.request_changes, name="request-changes"),
    path("revisions/<int:pk>/claim/", views.claim, name="claim"),
    path("revisions/<int:pk>/release/", views.release, name="release"),
    path("users/<username:username>/trust/", views.set_trust, name="trust"),
    path("articles/<slug:slug>/", views.article_tools, name="article"),
    path("articles/<slug:slug>/revert/<int:pk>/", views.revert, name="revert"),
    path("stats/", reports.statistics, name="stats"),
    path("audit/", reports.audit_log, name="audit"),
]
