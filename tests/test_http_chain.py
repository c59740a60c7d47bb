"""One application from registration to closure through HTTP, logged in as each role in turn (§9).

Also: out-of-scope actors get 404, wrong roles in scope get 403, stale clicks get 409, and the
public tracking page answers every input without a server error and without personal data.
"""

import datetime
import re
import uuid

import jdatetime
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditRecord, Role, User
from financing import tracking
from financing.models import ApplicationState as S
from financing.models import InvestmentApplication
from tests.support import act, as_user, docx, register_applicant, submit

pytestmark = pytest.mark.django_db


def test_one_application_from_submission_to_closure(client, chain_world):
    w = chain_world["IR-05"]
    applicant = register_applicant(client)
    assert applicant.applicant.national_id == "0042158737"
    assert applicant.applicant.name == "علی کریمی"

    response = submit(client, w["call"], w["county"], w["sector"])
    assert response.status_code == 302, response.content.decode()[:3000]
    application = InvestmentApplication.objects.get()
    assert application.state == S.SUBMITTED
    assert application.requested_loan_rials == 5_510_000_000
    assert application.own_contribution_rials == 1_000_000_000
    assert (application.planned_new_jobs, application.planned_retained_jobs) == (10, 2)
    assert application.tracking_code is None
    assert application.documents.count() == 1

    steps = [
        (w["officer"], "start_agency_review", {}, S.AGENCY_REVIEW),
        (w["officer"], "approve_by_agency", {"reason": "مدارک کامل است"}, S.AGENCY_APPROVED),
        (w["secretary"], "start_working_group_review", {}, S.WORKING_GROUP_REVIEW),
        (w["secretary"], "refer_to_bank", {"bank": w["bank"].pk}, S.REFERRED_TO_BANK),
        (w["banker"], "start_bank_review", {}, S.BANK_REVIEW),
        (w["banker"], "approve_by_bank", {"approved_loan_rials": "۵٬۰۰۰٬۰۰۰٬۰۰۰"}, S.BANK_APPROVED),
    ]
    for user, action, data, state in steps:
        as_user(client, user)
        inbox = client.get(reverse("financing:inbox")).content.decode()
        assert inbox.count(f'data-application="{application.pk}"') == 1
        response = act(client, application, action, **data)
        assert response.status_code == 302, (action, response.content.decode()[:3000])
        application.refresh_from_db()
        assert application.state == state, action
        if action == "approve_by_agency":
            code = application.tracking_code
            assert tracking.is_valid(code)

    as_user(client, applicant)
    response = client.post(reverse("financing:document_upload", args=[application.pk]),
                           {"doc-kind": "bank_document", "doc-file": docx()})
    assert response.status_code == 302

    as_user(client, w["banker"])
    today_jalali = jdatetime.date.today().strftime("%Y/%m/%d")
    response = act(client, application, "sign_contract", principal_rials="5000000000", interest_rate_percent="۱۸",
                   subsidy_rate_percent="۱۰٫۵", term_months="60", grace_months="12", planned_tranches="2",
                   subsidy_committed_rials="300000000", signed_on=today_jalali, bank_reference="BNK-7781")
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert application.state == S.CONTRACTED
    assert application.contract.subsidy_rate_percent == pytest.approx(10.5)
    for amount, state in (("3,000,000,000", S.DISBURSING), ("2,000,000,000", S.FULLY_DISBURSED)):
        response = act(client, application, "record_disbursement", amount_rials=amount, paid_on=today_jalali,
                       bank_reference="TR-1", idempotency_key=str(uuid.uuid4()))
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.state == state

    as_user(client, applicant)
    response = act(client, application, "declare_operation", operation_started_on=today_jalali,
                   actual_new_jobs="۹", actual_retained_jobs="۲")
    assert response.status_code == 302
    as_user(client, w["banker"])
    assert act(client, application, "confirm_operation").status_code == 302
    as_user(client, w["secretary"])
    for amount, state in (("100000000", S.SUBSIDY_IN_PAYMENT), ("200000000", S.CLOSED)):
        assert act(client, application, "pay_subsidy", amount_rials=amount, paid_on=today_jalali,
                   idempotency_key=str(uuid.uuid4())).status_code == 302
        application.refresh_from_db()
        assert application.state == state

    history = list(AuditRecord.objects.filter(object_id=application.pk, content_type__model="investmentapplication")
                   .values_list("action", "from_state", "to_state", "actor__username"))
    assert [h[0] for h in history] == [
        "submit", "start_agency_review", "approve_by_agency", "start_working_group_review", "refer_to_bank",
        "start_bank_review", "approve_by_bank", "add_document", "sign_contract", "record_disbursement",
        "record_disbursement", "declare_operation", "confirm_operation", "pay_subsidy", "pay_subsidy",
    ]
    assert history[2] == ("approve_by_agency", "agency_review", "agency_approved", "agency-IR-05")
    assert history[-1] == ("pay_subsidy", "subsidy_in_payment", "closed", "wg-IR-05")
    assert application.tracking_code == code
    assert application.actual_new_jobs == 9

    # The applicant sees the history of their own application.
    as_user(client, applicant)
    page = client.get(reverse("financing:application", args=[application.pk])).content.decode()
    assert page.count("<tr data-action=") == 15
    assert "مختومه" in page


def test_out_of_scope_actors_get_404(client, chain_world):
    home, other = chain_world["IR-05"], chain_world["IR-16"]
    register_applicant(client)
    submit(client, home["call"], home["county"], home["sector"])
    application = InvestmentApplication.objects.get()
    stranger = User.objects.create_user("stranger", password="x", role=Role.APPLICANT)
    for user in (other["officer"], other["secretary"], other["banker"], stranger):
        as_user(client, user)
        assert client.get(reverse("financing:application", args=[application.pk])).status_code == 404
        response = act(client, application, "start_agency_review")
        assert response.status_code == 404
        document = application.documents.get()
        url = reverse("financing:document", args=[application.pk, document.pk])
        assert client.get(url).status_code == 404
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_wrong_role_in_scope_is_refused_and_nothing_changes(client, chain_world):
    w = chain_world["IR-05"]
    applicant = register_applicant(client)
    submit(client, w["call"], w["county"], w["sector"])
    application = InvestmentApplication.objects.get()
    as_user(client, applicant)
    response = act(client, application, "start_agency_review")
    assert response.status_code == 403
    assert "اجازه" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert AuditRecord.objects.filter(action="start_agency_review").count() == 0


def test_stale_click_is_refused_with_a_conflict(client, chain_world):
    w = chain_world["IR-05"]
    register_applicant(client)
    submit(client, w["call"], w["county"], w["sector"])
    application = InvestmentApplication.objects.get()
    as_user(client, w["officer"])
    assert act(client, application, "start_agency_review").status_code == 302
    # A second officer tab still shows "submitted".
    response = client.post(reverse("financing:application_action", args=[application.pk, "start_agency_review"]),
                           {"start_agency_review-expected_state": "submitted"})
    assert response.status_code == 409
    assert AuditRecord.objects.filter(action="start_agency_review").count() == 1


def test_bad_input_gets_persian_errors_and_nothing_is_saved(client, chain_world):
    w = chain_world["IR-05"]
    register_applicant(client)
    response = submit(client, w["call"], w["county"], w["sector"], requested_loan_rials="۵۵۱٫۵",
                      feasibility_files=[SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")])
    assert response.status_code == 400
    body = response.content.decode()
    assert "مبلغ را به ریال و به صورت عدد صحیح وارد کنید." in body
    assert InvestmentApplication.objects.count() == 0
    response = submit(client, w["call"], w["county"], w["sector"],
                      feasibility_files=[SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")])
    assert response.status_code == 400
    assert "باید PDF، XLSX، DOCX، JPEG یا PNG باشد" in response.content.decode()
    assert InvestmentApplication.objects.count() == 0


def test_reject_without_reason_is_refused(client, chain_world):
    w = chain_world["IR-05"]
    register_applicant(client)
    submit(client, w["call"], w["county"], w["sector"])
    application = InvestmentApplication.objects.get()
    as_user(client, w["officer"])
    act(client, application, "start_agency_review")
    response = act(client, application, "reject_by_agency", reason="   ")
    assert response.status_code == 400
    assert "دلیل" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.AGENCY_REVIEW


def test_track_page_shows_state_steps_and_next_actor_without_personal_data(client, tracked):
    code = tracked.tracking_code
    typed = "-".join(code[i : i + 4] for i in range(0, 16, 4)).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    response = client.get(reverse("financing:track"), {"code": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-state="agency_approved"' in body
    assert "دبیر کارگروه اشتغال استان" in body  # the next step's actor
    assert body.count("<li>") >= 3  # submitted, agency review, approved
    for secret in ("کریمی", "0042158737", "۰۰۴۲۱۵۸۷۳۷", "۵٬۵۱۰٬۰۰۰٬۰۰۰", "5510000000", "09121234567"):
        assert secret not in body
    # The code is shown in groups of four inside a left-to-right isolate (C13).
    grouped = tracking.grouped(code)
    assert f'<bdi dir="ltr">{grouped}</bdi>' in body


@pytest.mark.parametrize("typed, message, status", [
    ("12", "کد رهگیری ۱۶ رقم است", 400),
    ("<script>alert(1)</script>", "کد رهگیری ۱۶ رقم است", 400),
    ("x" * 500, "کد رهگیری ۱۶ رقم است", 400),
    ("\x00\x01", "کد رهگیری ۱۶ رقم است", 400),
])
def test_track_page_junk_input(client, db, typed, message, status):
    response = client.get(reverse("financing:track"), {"code": typed})
    assert response.status_code == status
    assert message in response.content.decode()


def test_track_page_mistyped_and_unknown_codes(client, tracked):
    code = tracked.tracking_code
    mistyped = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
    response = client.get(reverse("financing:track"), {"code": mistyped})
    assert response.status_code == 400
    assert "یکی از رقم‌ها اشتباه است" in response.content.decode()
    unknown = tracking.generate()
    while unknown == code:
        unknown = tracking.generate()
    response = client.get(reverse("financing:track"), {"code": unknown})
    assert response.status_code == 404
    assert "پیدا نشد" in response.content.decode()


def test_track_page_dates_are_tehran_jalali(client, tracked):
    """C05: 2025-03-20T20:45:00Z is 00:15 on 1404-01-01 in Tehran."""
    AuditRecord.objects.filter(object_id=tracked.pk, action="submit").update(
        at=datetime.datetime(2025, 3, 20, 20, 45, tzinfo=datetime.UTC))
    body = client.get(reverse("financing:track"), {"code": tracked.tracking_code}).content.decode()
    assert "۱۴۰۴/۰۱/۰۱ ۰۰:۱۵" in body
    assert "۱۴۰۳/۱۲/۳۰" not in body


def test_inbox_query_count_does_not_grow_with_rows(client, chain_world, django_assert_max_num_queries):
    w = chain_world["IR-05"]
    register_applicant(client)
    for _ in range(3):
        submit(client, w["call"], w["county"], w["sector"])
    as_user(client, w["officer"])
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("financing:inbox"))
    for _ in range(12):
        as_user(client, User.objects.get(username="ali"))
        submit(client, w["call"], w["county"], w["sector"])
    as_user(client, w["officer"])
    with django_assert_max_num_queries(8) as large:
        body = client.get(reverse("financing:inbox")).content.decode()
    assert len(re.findall(r'data-application="\d+"', body)) == 15
    assert len(large.captured_queries) == len(small.captured_queries)
