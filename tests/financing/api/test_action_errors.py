"""The bank API's actions refuse clearly and never fail (issue 8, "Errors"): another bank's
application is a 404 for every action, a step out of order a 409, a missing reason or an amount
the budget lacks a 400 on its field, a key whose account is no longer a bank officer a 401, and no
input at all, however odd, gives a 500."""

import datetime

import pytest

from accounts.models import AuditRecord, Role
from budgets.models import Fund
from financing import services
from financing.models import ApplicationDocument, ApplicationState, InvestmentApplication
from tests.uploads import pdf

from ...budgets.helpers import set_allocation
from .action_helpers import ACTIONS, BODIES, contract_body, days_ago, jalali, post, tranche_body, url
from .conftest import client_with_key, issue_key

S = ApplicationState

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"code", "message", "message_en", "fields"}


def state_of(pk):
    return InvestmentApplication.objects.values_list("state", flat=True).get(pk=pk)


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_of_another_bank_is_a_404_and_changes_nothing(action, advance_to, bank2_api):
    app = advance_to(S.BANK_REVIEW)  # referred to bank 1
    response = post(bank2_api, app.pk, action, BODIES[action])
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert set(response.json()) == ERROR_KEYS
    assert state_of(app.pk) == S.BANK_REVIEW


@pytest.mark.parametrize("action", ACTIONS)
def test_another_banks_application_and_an_unknown_id_answer_alike(action, advance_to, bank2_api):
    app = advance_to(S.REFERRED_TO_BANK)
    theirs = post(bank2_api, app.pk, action, BODIES[action], key="k1")
    unknown = post(bank2_api, 999_999_999, action, BODIES[action], key="k2")
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.content == unknown.content


def test_an_application_not_yet_referred_is_a_404_even_with_a_bad_body(advance_to, bank1_api):
    app = advance_to(S.WORKING_GROUP_REVIEW)
    assert post(bank1_api, app.pk, "approve", {"approved_loan_rials": "abc"}).status_code == 404


@pytest.mark.parametrize(("state", "action"), [
    (S.REFERRED_TO_BANK, "approve"),
    (S.REFERRED_TO_BANK, "contract"),
    (S.BANK_REVIEW, "start-review"),
    (S.BANK_REVIEW, "cancel"),
    (S.BANK_APPROVED, "disbursements"),
    (S.BANK_APPROVED, "reject"),
    (S.CONTRACTED, "confirm-operation"),
    (S.FULLY_DISBURSED, "disbursements"),
])
def test_an_action_out_of_order_is_a_409(state, action, advance_to, bank1_api):
    app = advance_to(state)
    response = post(bank1_api, app.pk, action, BODIES[action])
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert response.json()["message_en"] == "The application's current state does not allow this action."
    assert state_of(app.pk) == state


def test_a_stale_expected_state_is_a_409_and_changes_nothing(advance_to, bank1_api):
    app = advance_to(S.BANK_REVIEW)
    response = post(bank1_api, app.pk, "approve", {"approved_loan_rials": 1_000, "expected_state": "referred_to_bank"})
    assert response.status_code == 409
    assert response.json()["code"] == "stale_state"
    assert state_of(app.pk) == S.BANK_REVIEW


@pytest.mark.parametrize("action", ["reject", "cancel"])
@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": None}, {"reason": "\u200c"}])
def test_a_rejection_or_cancellation_without_a_reason_is_a_400_on_reason(action, body, advance_to, bank1_api):
    app = advance_to(S.BANK_REVIEW if action == "reject" else S.BANK_APPROVED)
    response = post(bank1_api, app.pk, action, body)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["reason"]
    assert state_of(app.pk) == app.state


def test_an_approval_above_the_budget_line_is_a_400_with_the_budget_message(world, advance_to, bank1_api):
    app = advance_to(S.BANK_REVIEW)
    set_allocation(world.province_a, Fund.LOANS, 1_000_000_000)
    response = post(bank1_api, app.pk, "approve", {"approved_loan_rials": 5_510_000_000})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rule_broken"  # a programme rule, not malformed input
    assert list(body["fields"]) == ["budget"]
    assert "کافی نیست" in body["message"]
    assert "۱٬۰۰۰٬۰۰۰٬۰۰۰" in body["message"] and "۵٬۵۱۰٬۰۰۰٬۰۰۰" in body["message"]
    assert state_of(app.pk) == S.BANK_REVIEW
    assert not AuditRecord.objects.filter(object_id=app.pk, action="approve_by_bank").exists()


def test_an_approval_above_the_requested_loan_is_a_400(advance_to, bank1_api):
    app = advance_to(S.BANK_REVIEW)
    response = post(bank1_api, app.pk, "approve", {"approved_loan_rials": 6_000_000_001})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["approved_loan_rials"]


def test_a_key_whose_user_became_another_role_cannot_authenticate(world, advance_to):
    app = advance_to(S.REFERRED_TO_BANK)
    client = client_with_key(issue_key(world.bank_officer_1)[1])
    world.bank_officer_1.role = Role.AGENCY_OFFICER
    world.bank_officer_1.save(update_fields=["role"])
    response = post(client, app.pk, "start-review")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert state_of(app.pk) == S.REFERRED_TO_BANK


def test_a_key_with_a_nul_byte_is_a_401_not_a_500(advance_to, client):
    app = advance_to(S.REFERRED_TO_BANK)
    response = client.post(url(app.pk, "start-review"), {}, content_type="application/json",
                           HTTP_AUTHORIZATION="Api-Key ab\x00c.def", HTTP_IDEMPOTENCY_KEY="x")
    assert response.status_code == 401


def test_no_key_is_a_401(advance_to, client):
    app = advance_to(S.REFERRED_TO_BANK)
    response = client.post(url(app.pk, "start-review"), {}, content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY="x")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


ODD_AMOUNTS = [
    "1" * 20, 10**20, "1" * 5000, -5, "-5", 0, 12.5, "۵۵۱٫۵", "abc", None, True, [], [1], {}, {"v": 1}, "",
    "1e9", "NaN",
]


@pytest.mark.parametrize("amount", ODD_AMOUNTS, ids=repr)
def test_odd_amounts_are_a_400_on_the_field(amount, advance_to, bank1_api):
    app = advance_to(S.BANK_REVIEW)
    response = post(bank1_api, app.pk, "approve", {"approved_loan_rials": amount})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["approved_loan_rials"]
    assert state_of(app.pk) == S.BANK_REVIEW


@pytest.mark.parametrize("raw", [
    b'{"approved_loan_rials": ' + b"9" * 5000 + b"}",  # more digits than Python's int() reads
    b'{"approved_loan_rials": 1e400}',
    b'{"approved_loan_rials": ',
    b"[1, 2]",
    b'"text"',
    b"null",
    b"",
    b"\xff\xfe",
], ids=lambda raw: raw[:30].decode("latin-1"))
def test_odd_bodies_are_a_400(raw, advance_to, bank1_api):
    app = advance_to(S.BANK_REVIEW)
    response = bank1_api.post(url(app.pk, "approve"), raw, content_type="application/json",
                              HTTP_IDEMPOTENCY_KEY="odd")
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS
    assert state_of(app.pk) == S.BANK_REVIEW


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_body_that_is_not_json_is_refused_without_a_500(content_type, advance_to, bank1_api):
    app = advance_to(S.BANK_REVIEW)
    response = bank1_api.post(url(app.pk, "approve"), b"approved_loan_rials=1000", content_type=content_type,
                              HTTP_IDEMPOTENCY_KEY="form")
    assert response.status_code in (400, 415)
    assert response.json()["code"] in ("unsupported_media_type", "parse_error")
    assert state_of(app.pk) == S.BANK_REVIEW


@pytest.mark.parametrize(("changes", "field"), [
    ({"interest_rate_percent": "1e1"}, "interest_rate_percent"),
    ({"interest_rate_percent": "Infinity"}, "interest_rate_percent"),
    ({"interest_rate_percent": "NaN"}, "interest_rate_percent"),
    ({"interest_rate_percent": "18.123"}, "interest_rate_percent"),
    ({"interest_rate_percent": 101}, "interest_rate_percent"),
    ({"interest_rate_percent": "9" * 5000}, "interest_rate_percent"),
    ({"subsidy_rate_percent": -1}, "subsidy_rate_percent"),
    ({"subsidy_rate_percent": "20"}, "subsidy_rate_percent"),  # above the bank's 18: the schedule's rule
    ({"term_months": "1" * 5000}, "term_months"),
    ({"term_months": 12.5}, "term_months"),
    ({"term_months": 361}, "term_months"),
    ({"grace_months": 60}, "grace_months"),  # not shorter than the term
    ({"principal_rials": 5_510_000_001}, "principal_rials"),  # above the approved loan
    ({"contract_number": " \u200c "}, "contract_number"),
    ({"contract_number": "X" * 61}, "contract_number"),
    ({"signed_date_jalali": None}, "signed_date"),
    ({"signed_date_jalali": "1404-12-30"}, "signed_date_jalali"),  # no such Jalali day
    ({"signed_date_jalali": "2025-03-20"}, "signed_date_jalali"),  # a Gregorian date in the Jalali field
    ({"signed_date_jalali": None, "signed_date": "1403-12-30"}, "signed_date"),  # a Jalali date in the ISO field
    ({"signed_date": "2020-01-01"}, "signed_date_jalali"),  # both sent, another day
    ({"signed_date_jalali": jalali(days_ago(-3))}, "signed_date_jalali"),  # in the future
])
def test_contract_input_is_checked_on_its_field(changes, field, world, advance_to, bank1_api):
    app = advance_to(S.BANK_APPROVED)
    services.document_add(actor=world.owner, application_id=app.pk, kind=ApplicationDocument.Kind.BANK_DOCUMENT,
                          uploaded_file=pdf("bank-forms.pdf", "مدارک بانک"))
    body = {key: value for key, value in contract_body(**changes).items() if value is not None}
    response = post(bank1_api, app.pk, "contract", body)
    assert response.status_code == 400, response.json()
    assert list(response.json()["fields"]) == [field]
    assert state_of(app.pk) == S.BANK_APPROVED


def test_a_contract_before_the_bank_documents_are_uploaded_is_refused(advance_to, bank1_api):
    app = advance_to(S.BANK_APPROVED)
    response = post(bank1_api, app.pk, "contract", contract_body())
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["documents"]


# Where each action may run, so that its input is really checked and, when valid, really used.
RUNS_IN = {"start-review": S.REFERRED_TO_BANK, "approve": S.BANK_REVIEW, "reject": S.BANK_REVIEW,
           "cancel": S.BANK_APPROVED, "contract": S.BANK_APPROVED, "disbursements": S.CONTRACTED,
           "confirm-operation": S.OPERATION_DECLARED}
ODD_VALUES = ["1" * 20, 10**20, "9" * 5000, 10**4000, -1, "-1", 1.5, 1e308, None, True, [], [1], {}, {"a": 1}, "",
              "abc", "۱۲", "1e1", "\x00", "ك" * 3000]
EXTRA_FIELDS = {"approve": ["reason"], "contract": ["signed_date", "reason"], "disbursements": ["paid_date_jalali"],
                "confirm-operation": ["reason"]}
FIELDS = [(action, field) for action in ACTIONS
          for field in dict.fromkeys([*BODIES[action], *EXTRA_FIELDS.get(action, []), "expected_state"])]


@pytest.mark.parametrize(("action", "field"), FIELDS, ids=[f"{a}.{f}" for a, f in FIELDS])
def test_no_value_in_any_field_gives_a_500(action, field, advance_to, bank1_api):
    app = advance_to(RUNS_IN[action])
    for value in ODD_VALUES:
        response = post(bank1_api, app.pk, action, {**BODIES[action], field: value})
        assert response.status_code in (200, 201, 400, 409), (value, response.status_code)
        assert set(response.json()) >= ({"application"} if response.status_code < 300 else ERROR_KEYS)


@pytest.mark.parametrize("pk", [0, 2**63 - 1, 2**63, 10**30])
def test_an_id_beyond_any_column_is_a_404(pk, world, bank1_api):
    assert post(bank1_api, pk, "approve", {"approved_loan_rials": 5}).status_code == 404


def test_a_body_nested_too_deep_is_a_parse_error(world, advance_to, bank1_api):
    app = advance_to(S.BANK_REVIEW)
    body = '{"reason":' + "[" * 3000 + "]" * 3000 + "}"
    response = bank1_api.post(f"/api/v1/applications/{app.pk}/reject/", body, content_type="application/json",
                              HTTP_IDEMPOTENCY_KEY="deep")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"
    assert state_of(app.pk) == S.BANK_REVIEW


def test_a_tranche_dated_before_the_contract_names_the_api_field(world, advance_to, bank1_api):
    app = advance_to(S.CONTRACTED)
    day = app.contract.signed_on - datetime.timedelta(days=1)
    response = post(bank1_api, app.pk, "disbursements", tranche_body(1_000_000, paid_date=day.isoformat()))
    assert response.status_code == 400
    assert response.json()["code"] == "rule_broken" and list(response.json()["fields"]) == ["paid_date"]


@pytest.mark.parametrize("key", ["کلید-۱", "a\tb"])
def test_an_idempotency_key_must_be_printable_ascii(world, advance_to, bank1_api, key):
    app = advance_to(S.REFERRED_TO_BANK)
    response = bank1_api.post(f"/api/v1/applications/{app.pk}/start-review/", {}, format="json",
                              HTTP_IDEMPOTENCY_KEY=key.encode().decode("latin-1"))
    assert response.status_code == 400 and response.json()["code"] == "idempotency_key_required"
    assert "ASCII" in response.json()["message_en"]
    assert state_of(app.pk) == S.REFERRED_TO_BANK
