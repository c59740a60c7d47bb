"""A 5,000-digit number in any field of any financing form never answers 500 (issue 6: ``int()``
refuses more than 4,300 digits). Each form is posted once per field, in ASCII and in Persian digits.
In a number or choice field it gets the field's Persian refusal and changes nothing; in a text
field it is just text."""

import jdatetime
import pytest
from django.urls import reverse

from accounts.models import AuditRecord
from financing import forms
from financing.models import ApplicationState as S
from financing.models import Call, InvestmentApplication
from tests.web import post_huge_numbers

pytestmark = pytest.mark.django_db

TODAY = jdatetime.date.today().strftime("%Y/%m/%d")
TOO_LARGE_RIALS = "مبلغ بیش از حد بزرگ است."
TOO_LARGE_NUMBER = "عدد بیش از حد بزرگ است."
NOT_A_CHOICE = "گزینه انتخاب‌شده معتبر نیست."

# The message each numeric field gives, by field name.
NUMBER_MESSAGES = {
    "requested_loan_rials": TOO_LARGE_RIALS, "own_contribution_rials": TOO_LARGE_RIALS,
    "approved_loan_rials": TOO_LARGE_RIALS, "principal_rials": TOO_LARGE_RIALS,
    "subsidy_committed_rials": TOO_LARGE_RIALS, "amount_rials": TOO_LARGE_RIALS,
    "planned_new_jobs": TOO_LARGE_NUMBER, "planned_retained_jobs": TOO_LARGE_NUMBER,
    "physical_progress_percent": TOO_LARGE_NUMBER, "term_months": TOO_LARGE_NUMBER,
    "grace_months": TOO_LARGE_NUMBER, "planned_tranches": TOO_LARGE_NUMBER, "actual_new_jobs": TOO_LARGE_NUMBER,
    "actual_retained_jobs": TOO_LARGE_NUMBER, "county": NOT_A_CHOICE, "priority_sector": NOT_A_CHOICE,
    "priority_sectors": NOT_A_CHOICE, "bank": NOT_A_CHOICE,
}


def refused(responses, *, prefix=""):
    """Check every ``(field, response)``: a number or choice field is refused (400) with its Persian
    message; a text field may take the digits as text (a redirect) or refuse them for another rule."""
    for field, response in responses:
        message = NUMBER_MESSAGES.get(field.removeprefix(prefix))
        if message:
            assert response.status_code == 400, (field, response.status_code)
            assert message in response.content.decode(), field
        else:
            assert response.status_code in (302, 400), (field, response.status_code)


def answered(responses):
    """Every ``(field, response)`` got a page: a redirect, a refusal or a conflict, never a 500.
    (A text field may take the digits as text, and then the step is done and the next post stale.)"""
    for field, response in responses:
        assert response.status_code in (302, 400, 409), (field, response.status_code)


def numeric(fields, *, prefix=""):
    """The number and choice fields among ``fields``."""
    return [field for field in fields if field.removeprefix(prefix) in NUMBER_MESSAGES]


def test_the_registration_form(client):
    payload = {"username": "sara", "name": "سارا رحیمی", "person_kind": "natural", "ownership": "private",
               "national_id": "0042158737", "mobile": "09121234567", "password1": "Kaleh-pass-1398",
               "password2": "Kaleh-pass-1398"}
    responses = post_huge_numbers(client, reverse("financing:register"), payload, forms.RegistrationForm.base_fields)
    refused(responses)
    assert not AuditRecord.objects.exists()


def test_the_application_form(client, world):
    client.force_login(world.owner)
    payload = {"title": "گاوداری", "county": world.county_a.pk, "priority_sector": world.priority_a.pk,
               "project_kind": "new", "requested_loan_rials": "5510000000", "own_contribution_rials": "0",
               "planned_new_jobs": "10", "planned_retained_jobs": "0", "physical_progress_percent": "0"}
    fields = [f for f in forms.ApplicationForm.base_fields if f != "feasibility_files"]
    url = reverse("financing:apply", args=[world.call_a.pk])
    refused(post_huge_numbers(client, url, payload, numeric(fields)))
    assert not InvestmentApplication.objects.exists()
    refused(post_huge_numbers(client, url, payload, fields))


def test_the_call_form(client, world):
    client.force_login(world.agency_officer_a)
    before = Call.objects.count()
    payload = {"title": "فراخوان", "priority_sectors": [world.priority_a.pk], "opens_on": TODAY, "closes_on": TODAY}
    url, fields = reverse("financing:call_create"), list(forms.CallForm.base_fields)
    refused(post_huge_numbers(client, url, payload, numeric(fields)))
    assert Call.objects.count() == before
    refused(post_huge_numbers(client, url, payload, fields))


# (state, actor, step, valid fields): every action form with a field beyond its state and reason.
ACTION_FORMS = [
    (S.WORKING_GROUP_REVIEW, "secretary_a", "refer_to_bank", lambda w: {"bank": w.bank_1.pk}),
    (S.BANK_REVIEW, "bank_officer_1", "approve_by_bank", lambda w: {"approved_loan_rials": "1000"}),
    (S.BANK_APPROVED, "bank_officer_1", "sign_contract", lambda w: {
        "principal_rials": "1000", "interest_rate_percent": "18", "subsidy_rate_percent": "10", "term_months": "60",
        "grace_months": "6", "planned_tranches": "1", "subsidy_committed_rials": "100", "signed_on": TODAY,
        "bank_reference": "BNK-1"}),
    (S.CONTRACTED, "bank_officer_1", "record_disbursement", lambda w: {
        "amount_rials": "1000", "paid_on": TODAY, "bank_reference": "BNK-T1",
        "idempotency_key": "5e0c8a52-3f0e-4b8e-9a57-1d2f3c4b5a69"}),
    (S.FULLY_DISBURSED, "owner", "declare_operation", lambda w: {
        "operation_started_on": TODAY, "actual_new_jobs": "3", "actual_retained_jobs": "0"}),
    (S.OPERATING, "secretary_a", "pay_subsidy", lambda w: {
        "amount_rials": "10", "paid_on": TODAY, "idempotency_key": "8a6b2c1d-7e3f-4a5b-9c8d-0e1f2a3b4c5d"}),
    (S.AGENCY_REVIEW, "agency_officer_a", "reject_by_agency", lambda w: {"reason": "ناقص"}),
]


@pytest.mark.parametrize("state, actor, step, valid", ACTION_FORMS, ids=[case[2] for case in ACTION_FORMS])
def test_every_action_form(client, world, advance_to, state, actor, step, valid):
    from financing.views import STEPS

    application = advance_to(state)
    history = AuditRecord.objects.filter(object_id=application.pk).count()
    client.force_login(getattr(world, actor))
    payload = {f"{step}-{name}": value for name, value in {"expected_state": state, **valid(world)}.items()}
    url = reverse("financing:application_action", args=[application.pk, step])
    fields = [f"{step}-{name}" for name in STEPS[step].form.base_fields]
    refused(post_huge_numbers(client, url, payload, numeric(fields, prefix=f"{step}-")), prefix=f"{step}-")
    application.refresh_from_db()
    assert application.state == state
    assert AuditRecord.objects.filter(object_id=application.pk).count() == history
    answered(post_huge_numbers(client, url, payload, fields))


def test_the_document_form(client, world, advance_to):
    application = advance_to(S.SUBMITTED)
    client.force_login(world.owner)
    responses = post_huge_numbers(client, reverse("financing:document_upload", args=[application.pk]),
                                  {"doc-kind": "feasibility_study"}, ["doc-kind", "doc-file"])
    assert {response.status_code for _field, response in responses} == {400}
    assert application.documents.count() == 1


def test_the_list_filters_and_the_pager(client, world, advance_to):
    advance_to(S.SUBMITTED)
    client.force_login(world.ministry)
    payload = {"state": "", "q": "", "year": "1404", "month": "", "page": "1", "size": "25"}
    responses = post_huge_numbers(client, reverse("financing:applications"), payload, payload, method="get")
    for field, response in responses:
        assert response.status_code == 200, field
        if field == "year":
            assert TOO_LARGE_NUMBER in response.content.decode()


def test_the_tracking_page(client):
    for _field, response in post_huge_numbers(client, reverse("financing:track"), {}, ["code"], method="get"):
        assert response.status_code == 400
        assert "کد رهگیری ۱۶ رقم است" in response.content.decode()


def test_an_id_in_the_address_is_not_found(client, world):
    client.force_login(world.ministry)
    for number in ("9" * 5000, "9" * 20):
        assert client.get(f"/applications/{number}/").status_code == 404
