from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "سامانه برنامه کاله"
admin.site.site_title = "مدیریت کاله"
admin.site.index_title = "مدیریت"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="monitoring:program", permanent=False)),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("financing.urls")),
    path("", include("monitoring.urls")),
    path("sectors/", include("sectors.urls")),
    path("budgets/", include("budgets.urls")),
    path("interventions/", include("interventions.urls")),
    path("api/v1/", include("financing.api.urls")),
]
