from django.urls import path

from . import track_views, views

app_name = "financing"
urlpatterns = [
    path("home/", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("inbox/", views.inbox, name="inbox"),
    path("applications/", views.application_list, name="applications"),
    path("my/applications/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/actions/<slug:action>/", views.application_action, name="application_action"),
    path("applications/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("applications/<int:pk>/schedule.xlsx", views.schedule_xlsx, name="schedule_xlsx"),
    path("applications/<int:pk>/documents/<int:document_id>/", views.document_download, name="document"),
    path("calls/", views.call_list, name="calls"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<int:call_id>/apply/", views.application_create, name="apply"),
    path("track/", track_views.track, name="track"),
]
