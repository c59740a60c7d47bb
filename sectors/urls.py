from django.urls import path

from . import views

app_name = "sectors"
urlpatterns = [
    path("", views.priority_sector_list_view, name="list"),
    path("new/", views.priority_sector_create_view, name="create"),
]
