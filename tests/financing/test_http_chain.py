"""One application from registration to closure through HTTP, logged in as each role in turn (§9).

Also: out-of-scope actors get 404, wrong roles in scope get 403, stale clicks get 409, bad input
gets Persian errors, and the inbox runs the same queries whatever its length. The public tracking
page is in ``test_track_page.py``.
"""

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
from tests.uploads import docx_bytes, upload
from tests.web import act, as_user, post_application, register_applicant

pytestmark = pytest.mark.django_db


def test_one_application_from_submission_to_closure(client, world):
    applicant = register_applicant(client)
    assert applicant.applicant.national_id == "0042158737"
    assert applicant.applicant.name == "علی کریمی"

    response = post_application(client, world)
    assert response.status_code == 302, response.content.decode()[:3000]
    application = InvestmentApplication.objects.get()
    assert application.state == S.SUBMITTED
    assert application.requested_loan_rials == 5_510_000_000
    assert application.own_contribution_rials == 1_000_000_000
    assert (application.planned_new_jobs, application.planned_retained_jobs) == (10, 2)
    assert application.tracking_code is None
    assert application.documents.count() == 1

    steps = [
        (world.agency_officer_a, "start_agency_review", {}, S.AGENCY_REVIEW),
        (world.agency_officer_a, "approve_by_agency", {"reason": "مدارک کامل است"}, S.AGENCY_APPROVED),
        (world.secretary_a, "start_working_group_review", {}, S.WORKING_GROUP_REVIEW),
        (world.secretary_a, "refer_to_bank", {"bank": world.bank_1.pk}, S.REFERRED_TO_BANK),
        (world.bank_officer_1, "start_bank_review", {}, S.BANK_REVIEW),
        (world.bank_officer_1, "approve_by_bank", {"approved_loan_rials": "۵٬۰۰۰٬۰۰۰٬۰۰۰"}, S.BANK_APPROVED),
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
                           {"doc-kind": "bank_document", "doc-file": upload("bank.docx", docx_bytes())})
    assert response.status_code == 302

    as_user(client, world.bank_officer_1)
    today_jalali = jdatetime.date.today().strftime("%Y/%m/%d")
    response = act(client, application, "sign_contract", principal_rials="5000000000", interest_rate_percent="۱۸",
                   subsidy_rate_percent="۱۰٫۵", term_months="60", grace_months="12", planned_tranches="2",
                   signed_on=today_jalali, bank_reference="BNK-7781")
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
    as_user(client, world.bank_officer_1)
    assert act(client, application, "confirm_operation").status_code == 302
    as_user(client, world.secretary_a)
    # 5,000,000,000 rials at 18 % with 10.5 points, 60 months with 12 of grace: 1,772,063,449 rials.
    assert application.contract.subsidy_committed_rials == 1_772_063_449
    for amount, state in (("100000000", S.SUBSIDY_IN_PAYMENT), ("۱٬۶۷۲٬۰۶۳٬۴۴۹", S.CLOSED)):
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
    assert history[2] == ("approve_by_agency", "agency_review", "agency_approved", "agency_a")
    assert history[-1] == ("pay_subsidy", "subsidy_in_payment", "closed", "secretary_a")
    assert application.tracking_code == code
    assert application.actual_new_jobs == 9

    # The applicant sees the history of their own application.
    as_user(client, applicant)
    page = client.get(reverse("financing:application", args=[application.pk])).content.decode()
    assert page.count("<tr data-action=") == 15
    assert "مختومه" in page


def test_out_of_scope_actors_get_404(client, world):
    register_applicant(client)
    post_application(client, world)
    application = InvestmentApplication.objects.get()
    stranger = User.objects.create_user("stranger", password="x", role=Role.APPLICANT)
    for user in (world.agency_officer_b, world.secretary_b, world.bank_officer_2, stranger):
        as_user(client, user)
        assert client.get(reverse("financing:application", args=[application.pk])).status_code == 404
        response = act(client, application, "start_agency_review")
        assert response.status_code == 404
        document = application.documents.get()
        url = reverse("financing:document", args=[application.pk, document.pk])
        assert client.get(url).status_code == 404
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_wrong_role_in_scope_is_refused_and_nothing_changes(client, world):
    applicant = register_applicant(client)
    post_application(client, world)
    application = InvestmentApplication.objects.get()
    as_user(client, applicant)
    response = act(client, application, "start_agency_review")
    assert response.status_code == 403
    assert "اجازه" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert AuditRecord.objects.filter(action="start_agency_review").count() == 0


def test_stale_click_is_refused_with_a_conflict(client, world):
    register_applicant(client)
    post_application(client, world)
    application = InvestmentApplication.objects.get()
    as_user(client, world.agency_officer_a)
    assert act(client, application, "start_agency_review").status_code == 302
    # A second officer tab still shows "submitted".
    response = client.post(reverse("financing:application_action", args=[application.pk, "start_agency_review"]),
                           {"start_agency_review-expected_state": "submitted"})
    assert response.status_code == 409
    assert AuditRecord.objects.filter(action="start_agency_review").count() == 1


def test_bad_input_gets_persian_errors_and_nothing_is_saved(client, world):
    register_applicant(client)
    response = post_application(client, world, requested_loan_rials="۵۵۱٫۵",
                                feasibility_files=[SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")])
    assert response.status_code == 400
    body = response.content.decode()
    assert "مبلغ را به ریال و به صورت عدد صحیح وارد کنید." in body
    assert InvestmentApplication.objects.count() == 0
    response = post_application(client, world,
                                feasibility_files=[SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")])
    assert response.status_code == 400
    assert "باید PDF، XLSX، DOCX، JPEG یا PNG باشد" in response.content.decode()
    assert InvestmentApplication.objects.count() == 0


def test_reject_without_reason_is_refused(client, world):
    register_applicant(client)
    post_application(client, world)
    application = InvestmentApplication.objects.get()
    as_user(client, world.agency_officer_a)
    act(client, application, "start_agency_review")
    response = act(client, application, "reject_by_agency", reason="   ")
    assert response.status_code == 400
    assert "دلیل" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.AGENCY_REVIEW


def test_inbox_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    register_applicant(client)
    for _ in range(3):
        post_application(client, world)
    as_user(client, world.agency_officer_a)
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("financing:inbox"))
    for _ in range(12):
        as_user(client, User.objects.get(username="ali"))
        post_application(client, world)
    as_user(client, world.agency_officer_a)
    with django_assert_max_num_queries(8) as large:
        body = client.get(reverse("financing:inbox")).content.decode()
    assert len(re.findall(r'data-application="\d+"', body)) == 15
    assert len(large.captured_queries) == len(small.captured_queries)
