"""The bank API's reads (issue 8): the applications referred to the key's bank, one in full, its
files and its subsidy. Every read goes through ``financing.selectors`` with the key's user, so an
application of another bank, or one not referred yet, is a 404 like an unknown id.

Reads change nothing, so they leave no ``ApiCallRecord``; they count against the key's rate limit.
"""

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from common.errors import Conflict, NotFound
from common.uploads import ALLOWED_TYPES

from ..models import ApplicationDocument
from ..selectors import application_get
from . import schema  # noqa: F401 - registers the Api-Key security scheme with drf-spectacular
from .base import BankApiView
from .filters import ApplicationFilterSerializer, bank_applications
from .pagination import UpdatedCursorPagination
from .schema import error_responses
from .serializers import ApplicationDetailSerializer, ApplicationRowSerializer
from .subsidy import SubsidySerializer, subsidy_data

TAG = ["applications"]
# drf-spectacular names the ``pk`` of the URL ``id`` (the model's primary key).
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1}
ID_PARAMETER = OpenApiParameter("id", ID_SCHEMA, OpenApiParameter.PATH, description="The application's id.")

ROW_EXAMPLE = {
    "id": 42, "tracking_code": "1404071234567890", "state": "referred_to_bank",
    "state_label": "ارجاع‌شده به بانک عامل",
    "province": {"id": 7, "code": "IR-07", "name": "فارس"}, "county": {"id": 118, "name": "مرودشت"},
    "priority_sector": {"id": 31, "name": "دامپروری"},
    "economic_sector": {"id": 1, "code": "agriculture", "name": "کشاورزی"},
    "title": "پرورش دام سبک", "requested_loan_rials": 6000000000, "approved_loan_rials": None,
    "planned_new_jobs": 12, "planned_retained_jobs": 4, "priority_score": 68,
    "submitted_at": "2025-03-21T00:15:00+03:30", "submitted_at_jalali": "1404-01-01T00:15:00+03:30",
    "updated_at": "2025-04-10T09:30:00.123456+03:30", "updated_at_jalali": "1404-01-21T09:30:00+03:30",
}


class ApplicationListApi(BankApiView):
    """The applications referred to the key's bank, oldest change first."""

    FilterSerializer = ApplicationFilterSerializer
    OutputSerializer = ApplicationRowSerializer
    pagination_class = UpdatedCursorPagination

    @extend_schema(
        operation_id="applications_list", tags=TAG, summary="List the applications referred to your bank",
        description=(
            "The applications referred to the key's bank (and, for an officer narrowed to some provinces, in "
            "those), ordered by their last change (`updated_at`, then `id`), ascending. Paged by an opaque "
            "cursor: follow `next` until it is null. A bank keeping in sync stores the `updated_at` of the last "
            "row it saw and asks again with `updated_since`; a row changed meanwhile comes again, later in "
            "the order, so none is missed however many share a time."),
        parameters=[ApplicationFilterSerializer],
        responses={200: ApplicationRowSerializer(many=True), **error_responses(400, 401, 403, 429)},
        examples=[OpenApiExample("A page", value=ROW_EXAMPLE,
                                 response_only=True, status_codes=["200"])],
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(bank_applications(request.user, filters.validated_data), request, self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class ApplicationDetailApi(BankApiView):
    """One application in full."""

    OutputSerializer = ApplicationDetailSerializer

    @extend_schema(
        operation_id="applications_retrieve", tags=TAG, summary="Read one application in full",
        description=(
            "The applicant (name, kind of person, ownership, national ID, mobile), the project's figures, "
            "the contract (with the applicant's rate and the committed subsidy), the tranches, the subsidy "
            "payouts, the documents (download each with the same key) and the workflow history (each step's "
            "action, states, the actor's role, the reason and the time). 404 for an application not referred "
            "to your bank."),
        parameters=[ID_PARAMETER],
        responses={200: ApplicationDetailSerializer, **error_responses(401, 403, 404, 429)},
    )
    def get(self, request, pk):
        application = application_get(request.user, pk)
        return Response(self.OutputSerializer(application, context={"request": request}).data)


class AnyAccept(BaseContentNegotiation):
    """A file is sent whatever the client accepts; errors are JSON (the only renderer)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None


class DocumentDownloadApi(BankApiView):
    """A document of the application: the feasibility study, the bank's documents or the proof of
    operation."""

    content_negotiation_class = AnyAccept

    @extend_schema(
        operation_id="applications_documents_retrieve", tags=TAG, summary="Download a document",
        description=(
            "The file as uploaded, with its content type (PDF, XLSX, DOCX, JPEG or PNG, checked by content) "
            "and its original name in `Content-Disposition`. Its SHA-256 is in the application's `documents`. "
            "404 for a document of another application, or of an application not referred to your bank."),
        parameters=[ID_PARAMETER,
                    OpenApiParameter("document_id", ID_SCHEMA, OpenApiParameter.PATH,
                                     description="The document's id.")],
        responses={**{(200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
                      for media_type in ALLOWED_TYPES},
                   **error_responses(401, 403, 404, 429)},
    )
    def get(self, request, pk, document_id):
        application = application_get(request.user, pk)
        document = ApplicationDocument.objects.filter(application=application, pk=document_id).first()
        if document is None:
            raise NotFound()
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                            content_type=document.content_type)


class SubsidyApi(BankApiView):
    """The interest subsidy of the application's contract."""

    OutputSerializer = SubsidySerializer

    @extend_schema(
        operation_id="applications_subsidy_retrieve", tags=TAG, summary="Read the interest subsidy",
        description=(
            "What the contract's subsidy commits, what was paid and what remains (rials), the payouts, and "
            "the schedule month by month: the instalment and interest at the bank's rate and at the "
            "applicant's, and the month's subsidy (their difference), with totals. The schedule's total is "
            "the committed subsidy. 409 (`conflict`) while the application has no contract."),
        parameters=[ID_PARAMETER],
        responses={200: SubsidySerializer,
                   **error_responses(401, 403, 404, 409, 429,
                                     descriptions={409: "The application has no contract yet."})},
    )
    def get(self, request, pk):
        application = application_get(request.user, pk)
        data = subsidy_data(application)
        if data is None:
            raise Conflict(_("این طرح هنوز قرارداد ندارد."))
        return Response(self.OutputSerializer(data).data)
