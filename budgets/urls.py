from django.urls import path

from . import views

app_name = "budgets"
urlpatterns = [
    path("", views.budget_page, name="page"),
    path("lines/<int:pk>/", views.line_detail, name="line"),
    path("reallocate/", views.reallocate, name="reallocate"),
]
