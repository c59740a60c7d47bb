"""The bank API, version 1 (issue 8): ``/api/v1/``. One view per operation (``reads``, ``actions``);
the OpenAPI schema and its interactive docs are served from this machine."""

from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import actions, reads
from .errors import error_body

app_name = "bank_api"


@csrf_exempt  # an API path takes no cookie; CSRF's HTML 403 would hide the JSON 404
def unknown_path(request, path=""):
    """Any other path under ``/api/v1/``: the API's JSON 404, not the portal's HTML page."""
    return JsonResponse(error_body("not_found", _("پیدا نشد.")), status=404, json_dumps_params={"ensure_ascii": False})


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="bank_api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="bank_api:schema"), name="redoc"),
    path("applications/", reads.ApplicationListApi.as_view(), name="applications"),
    path("applications/<int:pk>/", reads.ApplicationDetailApi.as_view(), name="application"),
    path("applications/<int:pk>/documents/<int:document_id>/", reads.DocumentDownloadApi.as_view(), name="document"),
    path("applications/<int:pk>/subsidy/", reads.SubsidyApi.as_view(), name="subsidy"),
    path("applications/<int:pk>/start-review/", actions.StartReviewApi.as_view(), name="start_review"),
    path("applications/<int:pk>/approve/", actions.ApproveApi.as_view(), name="approve"),
    path("applications/<int:pk>/reject/", actions.RejectApi.as_view(), name="reject"),
    path("applications/<int:pk>/cancel/", actions.CancelApi.as_view(), name="cancel"),
    path("applications/<int:pk>/contract/", actions.ContractApi.as_view(), name="contract"),
    path("applications/<int:pk>/disbursements/", actions.DisbursementApi.as_view(), name="disbursements"),
    path("applications/<int:pk>/confirm-operation/", actions.ConfirmOperationApi.as_view(), name="confirm_operation"),
    # Last: any path the API does not have.
    re_path(r"^(?P<path>.*)$", unknown_path),
]
