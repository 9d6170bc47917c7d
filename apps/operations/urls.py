from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("my-data/", views.my_data, name="my-data"),
    path("leave/", views.leave, name="leave"),
]
