from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("program/", views.program_page, name="program"),
]
