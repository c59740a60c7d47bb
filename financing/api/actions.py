"""The bank's actions on an application (issue 8, "Endpoints"; §9 steps 6–9): start the review,
approve or reject, cancel an approved loan, record the contract, record a tranche, confirm
operation. Each is one view with its input and output, calling the same service as the UI.

Every action is a POST with an ``Idempotency-Key`` header (``BankApiView.idempotent``, C21). An
application outside the key's bank is a 404 before the body is even read; a step the state does
not allow, or a stale ``expected_state``, is a 409; input the serializer or a programme rule
refuses is a 400 on its field. Answers carry the application's new state (code and Persian label)
and the rows the step wrote, dates in both calendars.
"""

import hashlib

from django.db.models import Sum
from rest_framework import serializers
from rest_framework.response import Response

from common.errors import NotFound

from .. import services
from ..models import ApplicationState
from ..selectors import applications_visible_to
from .action_serializers import (
    ContractSerializer,
    IsoDateField,
    JalaliDateField,
    JalaliOutField,
    PercentField,
    ReferenceField,
    RialField,
    TrancheSerializer,
    WholeNumberField,
    action_schema,
    expected_state_field,
    reason_field,
    take_date,
)
from .base import IDEMPOTENCY_HEADER, BankApiView, load_json
from .serializers import JalaliDateTimeField


class ApplicationStateSerializer(serializers.Serializer):
    """The application after the action: id, tracking code, state (code and Persian label), and
    the time of this change in both calendars."""

    id = serializers.IntegerField()
    tracking_code = serializers.CharField(allow_null=True)
    state = serializers.ChoiceField(choices=ApplicationState.choices)
    state_label = serializers.CharField(source="get_state_display")
    updated_at = serializers.DateTimeField()
    updated_at_jalali = JalaliDateTimeField(source="updated_at")

    class Meta:
        ref_name = "ApplicationState"


class ActionApi(BankApiView):
    """What the actions share: the scope check, the input, the answer."""

    status_code = 200

    def validated_input(self, request, pk) -> dict:
        """The validated body, once the application is known to be in the key's bank's scope (a 404
        outside it, whatever the body). Raises DRF's ``ValidationError`` (400) on bad input."""
        if not applications_visible_to(request.user).filter(pk=pk).exists():
            raise NotFound()
        serializer = self.InputSerializer(data=load_json(request))
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def answer(self, **data):
        return Response(self.OutputSerializer(data).data, status=self.status_code)


class StartReviewApi(ActionApi):
    """Open the bank's feasibility review of an application referred to the bank (§9 step 6)."""

    class InputSerializer(serializers.Serializer):
        expected_state = expected_state_field()

        class Meta:
            ref_name = "StartReviewInput"

    class OutputSerializer(serializers.Serializer):
        application = ApplicationStateSerializer()

        class Meta:
            ref_name = "StartReviewOutput"

    @action_schema("start_review", InputSerializer, OutputSerializer, example={"expected_state": "referred_to_bank"})
    def post(self, request, pk):
        return self.idempotent(request, lambda: self.act(request, pk))

    def act(self, request, pk):
        data = self.validated_input(request, pk)
        application = services.application_start_bank_review(actor=request.user, application_id=pk,
                                                             expected_state=data.get("expected_state"))
        return self.answer(application=application)


class ApproveApi(ActionApi):
    """Approve a loan of ``approved_loan_rials`` (at most the amount requested), committed against
    the province's and the economic sector's loan budget lines (§9 step 6)."""

    class InputSerializer(serializers.Serializer):
        approved_loan_rials = RialField(help_text="The approved loan in rials.")
        reason = reason_field(required=False)
        expected_state = expected_state_field()

        class Meta:
            ref_name = "ApproveInput"

    class OutputSerializer(serializers.Serializer):
        application = ApplicationStateSerializer()
        approved_loan_rials = serializers.IntegerField()

        class Meta:
            ref_name = "ApproveOutput"

    @action_schema("approve", InputSerializer, OutputSerializer, example={"approved_loan_rials": 5510000000})
    def post(self, request, pk):
        return self.idempotent(request, lambda: self.act(request, pk))

    def act(self, request, pk):
        data = self.validated_input(request, pk)
        application = services.application_approve_by_bank(
            actor=request.user, application_id=pk, approved_loan_rials=data["approved_loan_rials"],
            reason=data["reason"], expected_state=data.get("expected_state"))
        return self.answer(application=application, approved_loan_rials=application.approved_loan_rials)


class ReasonInput(serializers.Serializer):
    reason = reason_field(required=True)
    expected_state = expected_state_field()


class ReasonOutput(serializers.Serializer):
    application = ApplicationStateSerializer()
    reason = serializers.CharField()


class ReasonRequiredApi(ActionApi):
    """An action whose only input is its required reason: ``service`` takes it."""

    service = None

    def post(self, request, pk):
        return self.idempotent(request, lambda: self.act(request, pk))

    def act(self, request, pk):
        data = self.validated_input(request, pk)
        application = type(self).service(actor=request.user, application_id=pk, reason=data["reason"],
                                         expected_state=data.get("expected_state"))
        return self.answer(application=application, reason=data["reason"])


class RejectApi(ReasonRequiredApi):
    """Refuse the loan; the reason is required (it is shown to the applicant)."""

    service = staticmethod(services.application_reject_by_bank)

    class InputSerializer(ReasonInput):
        class Meta:
            ref_name = "RejectInput"

    class OutputSerializer(ReasonOutput):
        class Meta:
            ref_name = "RejectOutput"

    @action_schema("reject", InputSerializer, OutputSerializer,
                   example={"reason": "طرح توجیهی از نظر فنی قابل قبول نیست."})
    def post(self, request, pk):
        return super().post(request, pk)


class CancelApi(ReasonRequiredApi):
    """Cancel an approved loan that will not reach a contract (the applicant never completed the
    documents, or the bank withdrew); the reason is required. The commitment is released."""

    service = staticmethod(services.application_cancel_by_bank)

    class InputSerializer(ReasonInput):
        class Meta:
            ref_name = "CancelInput"

    class OutputSerializer(ReasonOutput):
        class Meta:
            ref_name = "CancelOutput"

    @action_schema("cancel", InputSerializer, OutputSerializer,
                   example={"reason": "متقاضی مدارک بانک را در مهلت کامل نکرد."})
    def post(self, request, pk):
        return super().post(request, pk)


class ContractApi(ActionApi):
    """Record the signed loan contract (§9 step 7) once the applicant has uploaded the bank's
    documents. The interest subsidy is computed from the terms and committed; the answer carries
    it and the applicant's rate (bank rate minus subsidy points; roles.md, "The contract's rates")."""

    status_code = 201

    class InputSerializer(serializers.Serializer):
        contract_number = ReferenceField(help_text="The bank's contract number.")
        principal_rials = RialField(help_text="At most the approved loan.")
        interest_rate_percent = PercentField(help_text="The bank's annual rate, percent (18 or \"18.5\").")
        subsidy_rate_percent = PercentField(help_text="The subsidy in percentage points of the bank's rate.")
        term_months = WholeNumberField(min_value=1, max_value=360, help_text="Repayment term, grace included.")
        grace_months = WholeNumberField(min_value=0, max_value=120)
        planned_tranches = WholeNumberField(min_value=1, max_value=60, required=False, default=1)
        signed_date = IsoDateField(required=False, help_text="Signing date, ISO 8601 (or send signed_date_jalali).")
        signed_date_jalali = JalaliDateField(required=False, help_text="Signing date, Jalali YYYY-MM-DD.")
        reason = reason_field(required=False)
        expected_state = expected_state_field()

        class Meta:
            ref_name = "ContractInput"

        def validate(self, attrs):
            attrs["signed_on"] = take_date(attrs, "signed")
            return attrs

    class OutputSerializer(serializers.Serializer):
        application = ApplicationStateSerializer()
        contract = ContractSerializer()

        class Meta:
            ref_name = "ContractOutput"

    @action_schema("contract", InputSerializer, OutputSerializer, status=201, example={
        "contract_number": "BNK-CONTRACT-1", "principal_rials": 5510000000, "interest_rate_percent": 18,
        "subsidy_rate_percent": 10, "term_months": 60, "grace_months": 12, "planned_tranches": 2,
        "signed_date_jalali": "1403-10-01"})
    def post(self, request, pk):
        return self.idempotent(request, lambda: self.act(request, pk))

    def act(self, request, pk):
        data = self.validated_input(request, pk)
        contract = services.ContractInput(
            principal_rials=data["principal_rials"], interest_rate_percent=data["interest_rate_percent"],
            subsidy_rate_percent=data["subsidy_rate_percent"], term_months=data["term_months"],
            grace_months=data["grace_months"], planned_tranches=data["planned_tranches"],
            signed_on=data["signed_on"], bank_reference=data["contract_number"])
        application = services.application_sign_contract(actor=request.user, application_id=pk, contract=contract,
                                                         reason=data["reason"],
                                                         expected_state=data.get("expected_state"))
        return self.answer(application=application, contract=application.contract)


def service_idempotency_key(request) -> str:
    """The tranche's own idempotency key (``Disbursement.idempotency_key``, 100 characters): the
    header's, scoped to the API key like the header is, so a retry can never pay twice even if
    the API's stored answer were lost (C18)."""
    key = f"api:{request.auth.prefix}:{request.headers[IDEMPOTENCY_HEADER].strip()}"
    if len(key) <= 100:
        return key
    return f"api:{request.auth.prefix}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"


class DisbursementApi(ActionApi):
    """Record a tranche paid to the applicant (§9 step 8). The tranches never add up to more than
    the contract's principal; when they reach it the loan is fully disbursed. A retry with the
    same ``Idempotency-Key`` and body returns the same tranche and pays nothing more (C18)."""

    status_code = 201

    class InputSerializer(serializers.Serializer):
        amount_rials = RialField(help_text="The tranche in rials, at most what remains of the principal.")
        paid_date = IsoDateField(required=False, help_text="Payment date, ISO 8601 (or send paid_date_jalali).")
        paid_date_jalali = JalaliDateField(required=False, help_text="Payment date, Jalali YYYY-MM-DD.")
        bank_reference = ReferenceField(help_text="The bank's own reference of the payment.")
        expected_state = expected_state_field()

        class Meta:
            ref_name = "DisbursementInput"

        def validate(self, attrs):
            attrs["paid_on"] = take_date(attrs, "paid")
            return attrs

    class OutputSerializer(serializers.Serializer):
        application = ApplicationStateSerializer()
        disbursement = TrancheSerializer()
        disbursed_rials = serializers.IntegerField(help_text="All tranches so far.")
        remaining_rials = serializers.IntegerField(help_text="What remains of the principal.")

        class Meta:
            ref_name = "DisbursementOutput"

    @action_schema("disbursement", InputSerializer, OutputSerializer, status=201, example={
        "amount_rials": 2000000000, "paid_date_jalali": "1403-10-11", "bank_reference": "BNK-7781"})
    def post(self, request, pk):
        return self.idempotent(request, lambda: self.act(request, pk))

    def act(self, request, pk):
        data = self.validated_input(request, pk)
        tranche = services.application_record_disbursement(
            actor=request.user, application_id=pk, amount_rials=data["amount_rials"], paid_on=data["paid_on"],
            bank_reference=data["bank_reference"], idempotency_key=service_idempotency_key(request),
            expected_state=data.get("expected_state"))
        application = tranche.application
        disbursed = application.disbursements.aggregate(total=Sum("amount_rials"))["total"] or 0
        return self.answer(application=application, disbursement=tranche, disbursed_rials=disbursed,
                           remaining_rials=application.contract.principal_rials - disbursed)


class ConfirmOperationApi(ActionApi):
    """Confirm that the project operates as the applicant declared (§9 step 9); the interest
    subsidy may then be paid."""

    class InputSerializer(serializers.Serializer):
        reason = reason_field(required=False)
        expected_state = expected_state_field()

        class Meta:
            ref_name = "ConfirmOperationInput"

    class OutputSerializer(serializers.Serializer):
        application = ApplicationStateSerializer()
        operation_started_date = serializers.DateField(source="application.operation_started_on")
        operation_started_date_jalali = JalaliOutField(source="application.operation_started_on")

        class Meta:
            ref_name = "ConfirmOperationOutput"

    @action_schema("confirm_operation", InputSerializer, OutputSerializer, example={"expected_state":
                                                                                    "operation_declared"})
    def post(self, request, pk):
        return self.idempotent(request, lambda: self.act(request, pk))

    def act(self, request, pk):
        data = self.validated_input(request, pk)
        application = services.application_confirm_operation(actor=request.user, application_id=pk,
                                                             reason=data["reason"],
                                                             expected_state=data.get("expected_state"))
        return self.answer(application=application)
