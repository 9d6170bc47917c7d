from django.urls import path

from . import views

app_name = "safety"

urlpatterns = [
    path("", views.block_list, name="blocks"),
    path("new/", views.block_new, name="block-new"),
    path("<int:pk>/lift/", views.block_lift, name="block-lift"),
]
