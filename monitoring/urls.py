from django.urls import path

from . import coverage_views, timetable_views, views

app_name = "monitoring"
urlpatterns = [
    path("program/", views.program_page, name="program"),
    path("coverage/", coverage_views.coverage_page, name="coverage"),
    # The timetable (§13, §14): staff only; a province's page for its own staff and the ministry.
    path("timetable/", timetable_views.timetable_region, name="timetable"),
    path("timetable/<str:code>/", timetable_views.timetable_province, name="timetable_province"),
    path("timetable/<str:code>/stages/<int:number>/progress/", timetable_views.progress_update,
         name="timetable_progress"),
    path("timetable/<str:code>/stages/<int:number>/meetings/", timetable_views.meeting_record,
         name="timetable_meeting"),
    path("timetable/<str:code>/stages/<int:number>/evidence/", timetable_views.evidence_add,
         name="timetable_evidence"),
    path("timetable/<str:code>/evidence/<int:pk>/", timetable_views.evidence_download,
         name="timetable_evidence_file"),
]
