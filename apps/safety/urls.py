from django.urls import path

import apps.accounts.converters  # noqa: F401 - registers <username:…>

from . import views

app_name = "safety"

urlpatterns = [
    path("blocks/", views.block_list, name="blocks"),
    path("blocks/new/", views.block_new, name="block-new"),
    path("blocks/<int:pk>/lift/", views.block_lift, name="block-lift"),
    path("filters/", views.filter_list, name="filters"),
    path("filters/new/", views.filter_edit, name="filter-new"),
    path("filters/hits/", views.filter_hits, name="filter-hits-all"),
    path("filters/<int:pk>/", views.filter_edit, name="filter-edit"),
    path("filters/<int:pk>/hits/", views.filter_hits, name="filter-hits"),
    path("revisions/<int:pk>/oversight/", views.oversight, name="oversight"),
    path("rollback/<username:username>/", views.rollback, name="rollback"),
]
