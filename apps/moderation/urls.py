from django.urls import path

import apps.accounts.converters  # noqa: F401 - registers <username:…>

from .views import decisions, housekeeping, reports, review, threads

app_name = "moderation"

urlpatterns = [
    path("", review.queue, name="queue"),
    path("revisions/<int:pk>/", review.review, name="review"),
    path("revisions/<int:pk>/approve/", decisions.approve, name="approve"),
    path("revisions/<int:pk>/reject/", decisions.reject, name="reject"),
    path("revisions/<int:pk>/approve-merged/", decisions.approve_merged, name="approve-merged"),
    path("revisions/<int:pk>/approve-part/", decisions.approve_part, name="approve-part"),
    path("revisions/<int:pk>/request-changes/", decisions.request_changes, name="request-changes"),
    path("revisions/<int:pk>/claim/", decisions.claim, name="claim"),
    path("revisions/<int:pk>/release/", decisions.release, name="release"),
    # The review conversation: moderators and the proposal's author (404 for anyone else).
    path("revisions/<int:pk>/threads/new/", threads.thread_new, name="thread-new"),
    path("threads/<int:pk>/reply/", threads.thread_reply, name="thread-reply"),
    path("threads/<int:pk>/resolve/", threads.thread_resolve, name="thread-resolve"),
    path("threads/<int:pk>/reopen/", threads.thread_reopen, name="thread-reopen"),
    path("users/<username:username>/trust/", housekeeping.set_trust, name="trust"),
    path("articles/<slug:slug>/", housekeeping.article_tools, name="article"),
    path("articles/<slug:slug>/revert/<int:pk>/", housekeeping.revert, name="revert"),
    path("stats/", reports.statistics, name="stats"),
    path("audit/", reports.audit_log, name="audit"),
]
