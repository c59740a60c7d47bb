"""C21 and C18 through the API: a repeated ``Idempotency-Key`` never runs twice and always
answers the same; the same key with another body is a 422; keys belong to the API key that sent
them; a retried tranche never pays twice, even if the API's stored answer were lost."""

import pytest

from accounts.models import AuditRecord
from financing.api.models import ApiCallRecord, IdempotencyRecord
from financing.models import ApplicationState, Disbursement, InvestmentApplication
from tests.factories import Figures

from .action_helpers import post, tranche_body
from .conftest import client_with_key, issue_key

S = ApplicationState

pytestmark = pytest.mark.django_db

C18_BODY = {"amount_rials": 5_510_000_000, "paid_date": tranche_body()["paid_date"], "bank_reference": "BNK-7781"}


def audit_count(pk, action):
    return AuditRecord.objects.filter(object_id=pk, content_type__model="investmentapplication",
                                      action=action).count()


def test_the_same_key_and_body_get_the_first_response_byte_for_byte_and_pay_once(advance_to, bank1_api):
    app = advance_to(S.CONTRACTED)
    first = post(bank1_api, app.pk, "disbursements", C18_BODY, key="tranche-T-1")
    again = post(bank1_api, app.pk, "disbursements", C18_BODY, key="tranche-T-1")
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.json()["disbursement"]["id"] == Disbursement.objects.get(application=app.pk).pk
    assert Disbursement.objects.filter(application=app.pk).count() == 1
    assert audit_count(app.pk, "record_disbursement") == 1
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.FULLY_DISBURSED
    # The replay ran nothing, so it left no second call record.
    assert ApiCallRecord.objects.filter(idempotency_key="tranche-T-1").count() == 1


def test_after_the_state_moved_on_the_same_key_still_gets_the_first_response_not_409(advance_to, bank1_api):
    app = advance_to(S.BANK_REVIEW)
    first = post(bank1_api, app.pk, "approve", {"approved_loan_rials": Figures.PRINCIPAL}, key="approve-1")
    assert first.status_code == 200
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.BANK_APPROVED
    again = post(bank1_api, app.pk, "approve", {"approved_loan_rials": Figures.PRINCIPAL}, key="approve-1")
    assert (again.status_code, again.content) == (200, first.content)
    assert audit_count(app.pk, "approve_by_bank") == 1
    # A new key is a new request: now out of order.
    assert post(bank1_api, app.pk, "approve", {"approved_loan_rials": Figures.PRINCIPAL}).status_code == 409


def test_the_same_key_with_another_amount_is_a_422_and_writes_nothing(advance_to, bank1_api):
    app = advance_to(S.CONTRACTED)
    assert post(bank1_api, app.pk, "disbursements", C18_BODY, key="tranche-T-1").status_code == 201
    other = post(bank1_api, app.pk, "disbursements", {**C18_BODY, "amount_rials": 5_510_000_001}, key="tranche-T-1")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert other.json()["message_en"] == "This Idempotency-Key was used with another request body."
    assert Disbursement.objects.filter(application=app.pk).count() == 1


def test_a_further_tranche_above_what_remains_is_refused(advance_to, bank1_api):
    app = advance_to(S.CONTRACTED)
    assert post(bank1_api, app.pk, "disbursements", tranche_body(5_000_000_000)).status_code == 201
    above = post(bank1_api, app.pk, "disbursements", tranche_body(510_000_001, bank_reference="BNK-7782"))
    assert above.status_code == 400
    assert list(above.json()["fields"]) == ["amount_rials"]
    assert sum(Disbursement.objects.filter(application=app.pk).values_list("amount_rials", flat=True)) == 5_000_000_000


def test_a_refusal_is_replayed_too(advance_to, bank1_api):
    app = advance_to(S.REFERRED_TO_BANK)
    first = post(bank1_api, app.pk, "approve", {"approved_loan_rials": 1_000}, key="early")
    assert first.status_code == 409
    post(bank1_api, app.pk, "start-review")
    again = post(bank1_api, app.pk, "approve", {"approved_loan_rials": 1_000}, key="early")
    assert (again.status_code, again.content) == (409, first.content)
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.BANK_REVIEW


def test_keys_belong_to_the_api_key_that_sent_them(world, advance_to):
    app = advance_to(S.CONTRACTED)
    first_system = client_with_key(issue_key(world.bank_officer_1, name="core banking")[1])
    second_system = client_with_key(issue_key(world.bank_officer_1, name="branch system")[1])
    one = post(first_system, app.pk, "disbursements", tranche_body(1_000_000_000), key="shared-key")
    two = post(second_system, app.pk, "disbursements", tranche_body(2_000_000_000), key="shared-key")
    assert (one.status_code, two.status_code) == (201, 201)
    assert one.json()["disbursement"]["id"] != two.json()["disbursement"]["id"]
    assert sorted(Disbursement.objects.filter(application=app.pk).values_list("amount_rials", flat=True)) == [
        1_000_000_000, 2_000_000_000]
    assert IdempotencyRecord.objects.filter(key="shared-key").count() == 2


def test_a_retried_tranche_never_pays_twice_even_if_the_stored_answer_is_lost(advance_to, bank1_api):
    app = advance_to(S.CONTRACTED)
    first = post(bank1_api, app.pk, "disbursements", tranche_body(1_000_000_000), key="lost-answer")
    IdempotencyRecord.objects.all().delete()
    again = post(bank1_api, app.pk, "disbursements", tranche_body(1_000_000_000), key="lost-answer")
    assert again.status_code == 201
    assert again.json()["disbursement"] == first.json()["disbursement"]
    assert Disbursement.objects.filter(application=app.pk).count() == 1
    assert audit_count(app.pk, "record_disbursement") == 1


@pytest.mark.parametrize("key", ["", "   ", "k" * 256, "a\x00b"], ids=["none", "blank", "too-long", "nul"])
def test_a_post_without_a_usable_key_is_a_400_and_changes_nothing(key, advance_to, bank1_api):
    app = advance_to(S.REFERRED_TO_BANK)
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    response = bank1_api.post(f"/api/v1/applications/{app.pk}/start-review/", {}, format="json", **extra)
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_required"
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.REFERRED_TO_BANK


def test_a_long_key_still_scopes_the_tranche(advance_to, bank1_api):
    app = advance_to(S.CONTRACTED)
    key = "k" * 255
    first = post(bank1_api, app.pk, "disbursements", tranche_body(), key=key)
    assert first.status_code == 201
    stored = Disbursement.objects.get(application=app.pk).idempotency_key
    assert stored.startswith("api:") and len(stored) <= 100
