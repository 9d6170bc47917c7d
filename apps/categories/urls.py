from django.urls import path

from . import views

app_name = "categories"

urlpatterns = [
    path("categories/", views.category_index, name="index"),
    path("categories/suggest/", views.suggest, name="suggest"),
    path("categories/maintenance/<slug:key>/", views.maintenance_detail, name="maintenance"),
    path("categories/<slug:slug>/", views.category_detail, name="category"),
]
