"""The bank side of one application through the API (issue 8, "Endpoints"; §9 steps 6–9): each
action calls the same service as the UI, answers with the new state and the rows it wrote, and
leaves an audit row naming the key's user and an API call record with its idempotency key."""

import datetime

import pytest

from accounts.models import AuditRecord
from financing import services
from financing.api.models import ApiCallRecord
from financing.api.serializers import jalali_datetime_text
from financing.models import ApplicationDocument, ApplicationState, Disbursement, InvestmentApplication
from tests.factories import Figures
from tests.uploads import pdf

from .action_helpers import contract_body, days_ago, jalali, post, tranche_body

S = ApplicationState

pytestmark = pytest.mark.django_db


def audit_actors(pk, action):
    return list(AuditRecord.objects.filter(object_id=pk, content_type__model="investmentapplication",
                                           action=action).values_list("actor__username", flat=True))


def test_the_whole_bank_side_of_one_application(world, advance_to, bank1_api):
    app = advance_to(S.REFERRED_TO_BANK)
    pk = app.pk

    started = post(bank1_api, pk, "start-review", {"expected_state": "referred_to_bank"}, key="step-1")
    assert started.status_code == 200
    block = started.json()["application"]
    updated_at = InvestmentApplication.objects.get(pk=pk).updated_at
    assert block == {"id": pk, "tracking_code": app.tracking_code, "state": "bank_review",
                     "state_label": "در بررسی بانک عامل", "updated_at": block["updated_at"],
                     "updated_at_jalali": jalali_datetime_text(updated_at)}
    assert datetime.datetime.fromisoformat(block["updated_at"]) == updated_at

    approved = post(bank1_api, pk, "approve", {"approved_loan_rials": "۵٬۵۱۰٬۰۰۰٬۰۰۰"}, key="step-2")
    assert approved.status_code == 200
    assert approved.json()["approved_loan_rials"] == 5_510_000_000
    assert approved.json()["application"]["state"] == "bank_approved"

    services.document_add(actor=world.owner, application_id=pk, kind=ApplicationDocument.Kind.BANK_DOCUMENT,
                          uploaded_file=pdf("bank-forms.pdf", "مدارک بانک"))
    contracted = post(bank1_api, pk, "contract", contract_body(interest_rate_percent="۱۸", subsidy_rate_percent=10),
                      key="step-3")
    assert contracted.status_code == 201, contracted.json()
    contract = contracted.json()["contract"]
    assert contract["subsidy_committed_rials"] == Figures.SUBSIDY == 1_863_370_197
    assert contract["applicant_rate_percent"] == 8
    assert (contract["interest_rate_percent"], contract["subsidy_rate_percent"]) == (18, 10)
    assert (contract["principal_rials"], contract["term_months"], contract["grace_months"]) == (5_510_000_000, 60, 12)
    assert contract["contract_number"] == "BNK-CONTRACT-1"
    assert contract["signed_date"] == days_ago(60).isoformat()
    assert contract["signed_date_jalali"] == jalali(days_ago(60))
    assert contracted.json()["application"]["state"] == "contracted"

    first = post(bank1_api, pk, "disbursements", tranche_body(2_000_000_000), key="step-4")
    assert first.status_code == 201
    assert first.json()["disbursement"] == {
        "id": Disbursement.objects.get(application=pk).pk, "amount_rials": 2_000_000_000,
        "paid_date": days_ago(50).isoformat(), "paid_date_jalali": jalali(days_ago(50)),
        "bank_reference": "BNK-7781"}
    assert (first.json()["disbursed_rials"], first.json()["remaining_rials"]) == (2_000_000_000, 3_510_000_000)
    assert first.json()["application"]["state"] == "disbursing"

    second = post(bank1_api, pk, "disbursements",
                  {"amount_rials": 3_510_000_000, "paid_date_jalali": jalali(days_ago(40)),
                   "bank_reference": "BNK-۷۷۸۲"}, key="step-5")
    assert second.status_code == 201
    assert second.json()["disbursement"]["bank_reference"] == "BNK-7782"
    assert second.json()["disbursement"]["paid_date"] == days_ago(40).isoformat()
    assert (second.json()["disbursed_rials"], second.json()["remaining_rials"]) == (5_510_000_000, 0)
    assert second.json()["application"]["state"] == "fully_disbursed"

    services.application_declare_operation(actor=world.owner, application_id=pk, operation_started_on=days_ago(10),
                                           actual_new_jobs=11, actual_retained_jobs=4)
    confirmed = post(bank1_api, pk, "confirm-operation", {"expected_state": "operation_declared"}, key="step-6")
    assert confirmed.status_code == 200
    assert confirmed.json()["application"]["state"] == "operating"
    assert confirmed.json()["operation_started_date"] == days_ago(10).isoformat()
    assert confirmed.json()["operation_started_date_jalali"] == jalali(days_ago(10))

    assert InvestmentApplication.objects.get(pk=pk).state == S.OPERATING
    for action in ("start_bank_review", "approve_by_bank", "sign_contract", "confirm_operation"):
        assert audit_actors(pk, action) == ["bank_officer_1"]
    assert audit_actors(pk, "record_disbursement") == ["bank_officer_1", "bank_officer_1"]
    calls = list(ApiCallRecord.objects.order_by("id").values_list("endpoint", "idempotency_key", "status_code",
                                                                  "outcome", "user__username", "bank_id"))
    bank = world.bank_1.pk
    assert calls == [
        ("bank_api:start_review", "step-1", 200, "ok", "bank_officer_1", bank),
        ("bank_api:approve", "step-2", 200, "ok", "bank_officer_1", bank),
        ("bank_api:contract", "step-3", 201, "ok", "bank_officer_1", bank),
        ("bank_api:disbursements", "step-4", 201, "ok", "bank_officer_1", bank),
        ("bank_api:disbursements", "step-5", 201, "ok", "bank_officer_1", bank),
        ("bank_api:confirm_operation", "step-6", 200, "ok", "bank_officer_1", bank),
    ]


def test_a_rejection_says_why_and_is_final(advance_to, bank1_api):
    app = advance_to(S.BANK_REVIEW)
    response = post(bank1_api, app.pk, "reject", {"reason": "طرح از نظر فني قابل قبول نيست."})
    assert response.status_code == 200
    assert response.json()["application"]["state"] == "rejected"
    assert response.json()["reason"] == "طرح از نظر فنی قابل قبول نیست."  # Arabic ي folded to ی
    record = AuditRecord.objects.get(object_id=app.pk, action="reject_by_bank")
    assert (record.actor.username, record.reason) == ("bank_officer_1", "طرح از نظر فنی قابل قبول نیست.")


def test_a_cancellation_releases_the_approved_loan(advance_to, bank1_api):
    app = advance_to(S.BANK_APPROVED)
    response = post(bank1_api, app.pk, "cancel", {"reason": "متقاضی مدارک بانک را کامل نکرد."})
    assert response.status_code == 200
    assert response.json()["application"]["state"] == "cancelled"
    assert response.json()["application"]["state_label"] == "لغوشده توسط بانک عامل"
    record = AuditRecord.objects.get(object_id=app.pk, action="cancel_by_bank")
    assert record.data == {"released_rials": Figures.PRINCIPAL}


def test_a_contract_signed_in_iso_and_jalali_that_agree_is_accepted(world, advance_to, bank1_api):
    app = advance_to(S.BANK_APPROVED)
    services.document_add(actor=world.owner, application_id=app.pk, kind=ApplicationDocument.Kind.BANK_DOCUMENT,
                          uploaded_file=pdf("bank-forms.pdf", "مدارک بانک"))
    day = days_ago(30)
    body = contract_body(signed_date=day.isoformat(), signed_date_jalali=jalali(day).replace("-", "/"),
                         principal_rials=5_000_000_000, interest_rate_percent="۱۸٫۵", subsidy_rate_percent=12.5)
    response = post(bank1_api, app.pk, "contract", body)
    assert response.status_code == 201, response.json()
    contract = response.json()["contract"]
    assert (contract["interest_rate_percent"], contract["subsidy_rate_percent"]) == (18.5, 12.5)
    assert contract["applicant_rate_percent"] == 6
    assert contract["signed_date"] == day.isoformat()
    assert app.__class__.objects.get(pk=app.pk).contract.principal_rials == 5_000_000_000


ACTION_PATHS = ["start-review", "approve", "reject", "cancel", "contract", "disbursements", "confirm-operation"]


def test_the_schema_documents_each_action_with_its_key_and_errors(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for action in ACTION_PATHS:
        operation = schema["paths"][f"/api/v1/applications/{{id}}/{action}/"]["post"]
        header = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
        assert (header["in"], header["required"]) == ("header", True)
        assert set(operation["responses"]) == {"200" if action in ("start-review", "approve", "reject", "cancel",
                                                                   "confirm-operation") else "201",
                                               "400", "401", "403", "404", "409", "422", "429"}
        error = operation["responses"]["409"]["content"]["application/json"]
        assert error["schema"] == {"$ref": "#/components/schemas/ApiError"}
        assert operation["requestBody"]["content"]["application/json"]["examples"]
    contract = schema["components"]["schemas"]["SignedContract"]["properties"]
    assert {"applicant_rate_percent", "subsidy_committed_rials", "signed_date", "signed_date_jalali"} <= set(contract)
