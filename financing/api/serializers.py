"""The bank API's read shapes (issue 8): an application's list row and its full detail (the
contract, tranche and error shapes are the actions' own, ``action_serializers``, so the schema has
one of each).

Formats: money is integer rials; rates are JSON numbers in percent (``18.0``); each date is
``…_date`` (ISO 8601) and ``…_date_jalali`` (``YYYY-MM-DD``); each instant ``…_at`` (ISO 8601,
Tehran time, ``+03:30``) and ``…_at_jalali`` (``YYYY-MM-DDTHH:MM:SS+03:30``, Jalali). Officers
are named by their role only, never by name.
"""

import jdatetime
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Applicant, InvestmentApplication
from ..selectors import application_history
from ..workflow import ApplicationState, DocumentKind
from .action_serializers import ContractSerializer, JalaliOutField, TrancheSerializer


def jalali_datetime_text(value) -> str:
    """An aware datetime as Jalali text in Tehran time: ``2025-03-20T20:45:00Z`` gives
    ``"1404-01-01T00:15:00+03:30"`` (C05)."""
    local = timezone.localtime(value)
    offset = local.strftime("%z")
    return (jdatetime.datetime.fromgregorian(datetime=local).strftime("%Y-%m-%dT%H:%M:%S")
            + f"{offset[:3]}:{offset[3:]}")


@extend_schema_field({"type": "string", "example": "1404-01-01T00:15:00+03:30",
                      "description": "The same instant in the Jalali calendar, Tehran time."})
class JalaliDateTimeField(serializers.Field):
    """An aware datetime, read only, as ``jalali_datetime_text``."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return jalali_datetime_text(value)


# --- references ------------------------------------------------------------------------------

class ProvinceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="The ISO 3166-2 code.")
    name = serializers.CharField()


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EconomicSectorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ApplicationRowSerializer(serializers.Serializer):
    """One application of the list: what a bank's system needs to pick up changes."""

    id = serializers.IntegerField()
    tracking_code = serializers.CharField(allow_null=True, help_text="The 16-digit tracking code.")
    state = serializers.ChoiceField(choices=ApplicationState.choices, help_text="The state's code in the §9 chain.")
    state_label = serializers.CharField(source="get_state_display", help_text="The state's Persian label.")
    province = ProvinceRefSerializer()
    county = NamedRefSerializer()
    priority_sector = NamedRefSerializer()
    economic_sector = EconomicSectorRefSerializer()
    title = serializers.CharField()
    requested_loan_rials = serializers.IntegerField(help_text="Rials.")
    approved_loan_rials = serializers.IntegerField(allow_null=True, help_text="Rials; null until the bank approves.")
    planned_new_jobs = serializers.IntegerField(help_text="Persons.")
    planned_retained_jobs = serializers.IntegerField(help_text="Persons.")
    priority_score = serializers.IntegerField(help_text="The §9 priority score (higher first).")
    submitted_at = serializers.DateTimeField()
    submitted_at_jalali = JalaliDateTimeField(source="submitted_at")
    updated_at = serializers.DateTimeField(help_text="The last change of the application or its rows.")
    updated_at_jalali = JalaliDateTimeField(source="updated_at")


# --- the detail's parts --------------------------------------------------------------------------

class ApplicantSerializer(serializers.Serializer):
    name = serializers.CharField()
    person_kind = serializers.ChoiceField(choices=Applicant.PersonKind.choices,
                                          help_text="natural: a person (10-digit national ID); legal: a company "
                                                    "(11-digit national company ID).")
    person_kind_label = serializers.CharField(source="get_person_kind_display")
    ownership = serializers.ChoiceField(choices=Applicant.Ownership.choices)
    ownership_label = serializers.CharField(source="get_ownership_display")
    national_id = serializers.CharField(help_text="Text of 10 or 11 ASCII digits, leading zeros kept (C09).")
    mobile = serializers.CharField(help_text="Empty when not given.")


class ProjectSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(source="project_kind", choices=InvestmentApplication.ProjectKind.choices)
    kind_label = serializers.CharField(source="get_project_kind_display")
    is_existing_unit = serializers.BooleanField()
    requested_loan_rials = serializers.IntegerField(help_text="Rials.")
    own_contribution_rials = serializers.IntegerField(help_text="Rials.")
    planned_new_jobs = serializers.IntegerField(help_text="Persons.")
    planned_retained_jobs = serializers.IntegerField(help_text="Persons.")
    physical_progress_percent = serializers.IntegerField(help_text="Percent, 0–100.")


class PayoutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    amount_rials = serializers.IntegerField(help_text="Rials.")
    paid_date = serializers.DateField(source="paid_on")
    paid_date_jalali = JalaliOutField(source="paid_on")


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size_bytes = serializers.IntegerField()
    sha256 = serializers.CharField(help_text="SHA-256 of the file, hex.")
    uploaded_at = serializers.DateTimeField()
    uploaded_at_jalali = JalaliDateTimeField(source="uploaded_at")
    download_url = serializers.SerializerMethodField(help_text="GET it with the same API key.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document):
        url = reverse("bank_api:document", args=[document.application_id, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class HistorySerializer(serializers.Serializer):
    """One audit record: what was done, from which state to which, by which role, why, when."""

    action = serializers.CharField(help_text="The action's code, e.g. approve_by_bank.")
    action_label = serializers.CharField(source="get_action_display")
    from_state = serializers.CharField(help_text="A state code; empty for the submission.")
    from_state_label = serializers.CharField(source="get_from_state_display")
    to_state = serializers.CharField()
    to_state_label = serializers.CharField(source="get_to_state_display")
    actor_role = serializers.CharField(help_text="The role of who acted (never an officer's name).")
    actor_role_label = serializers.CharField(source="get_actor_role_display")
    reason = serializers.CharField()
    at = serializers.DateTimeField()
    at_jalali = JalaliDateTimeField(source="at")


def contract_or_none(application):
    """The application's ``LoanContract``, or ``None`` before signing."""
    try:
        return application.contract
    except ObjectDoesNotExist:
        return None


class ApplicationDetailSerializer(ApplicationRowSerializer):
    """An application in full: what the bank needs to assess it and follow it to the end."""

    # Give it an application read through ``financing.selectors`` and ``context={"request": request}``
    # (absolute download URLs). It reads the contract, tranches, payouts, documents and history: one
    # query each.

    applicant = ApplicantSerializer()
    project = ProjectSerializer(source="*")
    agency = NamedRefSerializer()
    bank = NamedRefSerializer(allow_null=True)
    operation_started_date = serializers.DateField(source="operation_started_on", allow_null=True)
    operation_started_date_jalali = JalaliOutField(source="operation_started_on", allow_null=True)
    actual_new_jobs = serializers.IntegerField(allow_null=True, help_text="Persons, once operation is declared.")
    actual_retained_jobs = serializers.IntegerField(allow_null=True, help_text="Persons.")
    contract = serializers.SerializerMethodField()
    tranches = TrancheSerializer(many=True, source="disbursements.all")
    subsidy_payouts = PayoutSerializer(many=True, source="subsidy_payouts.all")
    documents = DocumentSerializer(many=True, source="documents.all")
    history = serializers.SerializerMethodField()

    @extend_schema_field(ContractSerializer(allow_null=True))
    def get_contract(self, application):
        contract = contract_or_none(application)
        return ContractSerializer(contract).data if contract else None

    @extend_schema_field(HistorySerializer(many=True))
    def get_history(self, application):
        return HistorySerializer(application_history(application), many=True).data
