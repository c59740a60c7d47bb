from django.urls import path

from . import step_views, views

app_name = "interventions"
urlpatterns = [
    path("", views.intervention_list, name="list"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/", views.intervention_create, name="create"),
    path("<int:pk>/", views.intervention_detail, name="detail"),
    path("<int:pk>/actions/<slug:action>/", views.intervention_action, name="action"),
    path("<int:pk>/evaluation-files/", views.evaluation_upload, name="evaluation_upload"),
    path("<int:pk>/files/<int:file_id>/", views.file_download, name="file"),
    path("<int:pk>/edit/", step_views.intervention_edit, name="edit"),
    path("<int:pk>/edit/milestones/", step_views.milestone_add, name="milestone_add"),
    path("<int:pk>/edit/milestones/<int:milestone_id>/remove/", step_views.milestone_remove, name="milestone_remove"),
    path("<int:pk>/edit/resources/", step_views.resource_add, name="resource_add"),
    path("<int:pk>/edit/resources/<int:resource_id>/remove/", step_views.resource_remove, name="resource_remove"),
    path("<int:pk>/edit/documents/", step_views.document_upload, name="document_upload"),
    path("<int:pk>/milestones/<int:milestone_id>/report/", step_views.milestone_report, name="milestone_report"),
    path("<int:pk>/milestones/<int:milestone_id>/pay/", step_views.instalment_pay, name="instalment_pay"),
]
