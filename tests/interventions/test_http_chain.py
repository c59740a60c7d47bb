"""One development intervention from proposal to closure through HTTP, logged in as each role of
the §8 chain in turn: the agency officer proposes it, writes its execution documents and submits
them; ministry staff return, approve, refer it and record the grant; the officer executes it and
reports its milestones with evidence; ministry staff pay instalments; the provincial manager
evaluates and closes it.

Also: out-of-scope actors get 404, roles outside the chain 403, a step of another role 403, a stale
form 409, and bad input a Persian error with a 400 and nothing written.
"""

import datetime

import jdatetime
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditRecord, Role, User
from budgets.models import Fund
from budgets.selectors import source_amounts
from interventions.models import GrantInstalment, Intervention, InterventionFile, Milestone, ResourceLine
from interventions.workflow import InterventionState as S
from programs import calendar
from tests.interventions.helpers import advance_intervention, funding_body
from tests.uploads import EXE, pdf, upload
from tests.web import as_user

pytestmark = pytest.mark.django_db


def act(client, intervention, action, expected_state=None, **data):
    """Post the form of ``action`` on the intervention's page, saying the state the page showed
    (its state now unless ``expected_state`` is given: a stale page). ``data`` without prefix."""
    intervention.refresh_from_db()
    payload = {f"{action}-expected_state": expected_state or intervention.state}
    payload.update({f"{action}-{key}": value for key, value in data.items()})
    return client.post(reverse("interventions:action", args=[intervention.pk, action]), payload)


def jalali(day: datetime.date, persian=False) -> str:
    text = jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) if persian else text


def creation_form(world, **changes):
    """The new-intervention form of agency A's officer, the title typed on an Arabic keyboard."""
    data = {
        "title": "مركز آموزش مهارت دامپروري", "kind": Intervention.Kind.TRAINING_CENTRE,
        "creates_institution": "on", "priority_sector": world.priority_a.pk, "counties": [world.county_a.pk],
        "business_system": "زنجيره ارزش رسته بررسی شد.", "zoning": "پهنه مرکزی استان",
        "intervention_points": "کمبود نیروی ماهر",
    }
    data.update(changes)
    return data


def content_form(world, intervention, **changes):
    """The editor's content form: the creation form plus every execution document filled."""
    data = creation_form(world, title=intervention.title, expected_state=intervention.state,
                         institution_structure="هیئت امنا و مدیر مرکز", ownership="public_private",
                         management="اتحادیه تولیدکنندگان", expected_outputs="آموزش سالانه ۴۰۰ نفر",
                         indicators="تعداد آموزش‌دیدگان شاغل")
    data.update(changes)
    return data


def history(intervention):
    return list(AuditRecord.objects.filter(content_type__model="intervention", object_id=intervention.pk)
                .order_by("at", "id").values_list("action", "actor__username"))


def test_one_intervention_from_proposal_to_closure(client, world):
    body = funding_body()
    today = timezone.localdate()
    as_user(client, world.agency_officer_a)
    assert client.get(reverse("interventions:create")).status_code == 200
    response = client.post(reverse("interventions:create"), creation_form(world))
    assert response.status_code == 302, response.content.decode()[:3000]
    intervention = Intervention.objects.get()
    assert response["Location"] == reverse("interventions:detail", args=[intervention.pk])
    assert intervention.title == "مرکز آموزش مهارت دامپروری"
    assert intervention.state == S.ANALYSIS
    assert (intervention.agency, intervention.province) == (world.agency_a, world.province_a)
    assert list(intervention.counties.all()) == [world.county_a]
    inbox = client.get(reverse("interventions:inbox")).content.decode()
    assert inbox.count(f'data-intervention="{intervention.pk}"') == 1

    assert act(client, intervention, "propose").status_code == 302
    intervention.refresh_from_db()
    assert intervention.state == S.PROPOSED

    # The execution documents: the content, two milestones, the resources and a document.
    edit = reverse("interventions:edit", args=[intervention.pk])
    assert client.post(edit, content_form(world, intervention)).status_code == 302
    period = calendar.current_period()
    for title, planned in (("تجهیز کارگاه", period), ("نخستین دوره آموزشی", period + 1)):
        response = client.post(reverse("interventions:milestone_add", args=[intervention.pk]),
                               {"m-title": title, "m-planned_period": planned})
        assert response.status_code == 302, response.content.decode()[:3000]
    for source, amount in (("programme_grant", "۸٬۰۰۰٬۰۰۰٬۰۰۰"), ("provincial_funds", "3,000,000,000")):
        response = client.post(reverse("interventions:resource_add", args=[intervention.pk]),
                               {"r-source": source, "r-amount_rials": amount, "r-purpose": "تجهيز"})
        assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(reverse("interventions:document_upload", args=[intervention.pk]),
                           {"doc-file": pdf("structure.pdf", "ساختار نهاد")})
    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.ownership == "public_private"
    assert list(intervention.milestones.values_list("title", "planned_period")) == [
        ("تجهیز کارگاه", period), ("نخستین دوره آموزشی", period + 1)]
    assert sorted(intervention.resources.values_list("source", "amount_rials", "purpose")) == [
        ("programme_grant", 8_000_000_000, "تجهیز"), ("provincial_funds", 3_000_000_000, "تجهیز")]
    assert intervention.files.get().kind == InterventionFile.Kind.EXECUTION_DOCUMENT
    assert act(client, intervention, "submit_documents").status_code == 302

    # The ministry returns it once, the officer sends it again, the ministry approves and refers.
    as_user(client, world.ministry)
    inbox = client.get(reverse("interventions:inbox")).content.decode()
    assert inbox.count(f'data-intervention="{intervention.pk}"') == 1
    assert act(client, intervention, "return_for_revision", reason="جدول منابع را دقیق‌تر کنید").status_code == 302
    as_user(client, world.agency_officer_a)
    assert act(client, intervention, "resubmit").status_code == 302
    as_user(client, world.ministry)
    assert act(client, intervention, "approve", reason="با رسته هم‌خوان است").status_code == 302
    assert act(client, intervention, "refer_for_funding", funding_body=body.pk).status_code == 302
    page = client.get(reverse("interventions:detail", args=[intervention.pk])).content.decode()
    # The grant form proposes the grant asked for.
    assert 'value="۸٬۰۰۰٬۰۰۰٬۰۰۰"' in page
    assert act(client, intervention, "record_grant", grant_rials="۶٬۰۰۰٬۰۰۰٬۰۰۰").status_code == 302
    intervention.refresh_from_db()
    assert (intervention.state, intervention.grant_rials, intervention.funding_body) == (S.FUNDED, 6_000_000_000, body)
    ledger = source_amounts(intervention, Fund.GRANTS)
    assert (ledger.committed, ledger.paid) == (6_000_000_000, 0)

    # Execution: the officer reports the first milestone with evidence; the ministry pays it.
    as_user(client, world.agency_officer_a)
    assert act(client, intervention, "start_execution").status_code == 302
    first, second = intervention.milestones.order_by("order")
    report_url = reverse("interventions:milestone_report", args=[intervention.pk, first.pk])
    assert client.get(report_url).status_code == 200
    response = client.post(report_url, {"done_on": jalali(today, persian=True), "report": "کارگاه تجهيز شد",
                                         "files": [pdf("invoice.pdf"), pdf("photo.pdf")]})
    assert response.status_code == 302, response.content.decode()[:3000]
    first.refresh_from_db()
    assert (first.done_on, first.report, first.reported_by) == (today, "کارگاه تجهیز شد", world.agency_officer_a)
    assert first.files.count() == 2

    as_user(client, world.ministry)
    pay_url = reverse("interventions:instalment_pay", args=[intervention.pk, first.pk])
    page = client.get(pay_url).content.decode()
    # Two milestones unpaid: half the grant is proposed.
    assert 'value="۳٬۰۰۰٬۰۰۰٬۰۰۰"' in page
    response = client.post(pay_url, {"amount_rials": "۲٬۵۰۰٬۰۰۰٬۰۰۰", "paid_on": jalali(today)})
    assert response.status_code == 302, response.content.decode()[:3000]
    instalment = GrantInstalment.objects.get()
    assert (instalment.milestone, instalment.amount_rials, instalment.paid_on) == (first, 2_500_000_000, today)
    ledger = source_amounts(intervention, Fund.GRANTS)
    assert (ledger.committed, ledger.paid) == (3_500_000_000, 2_500_000_000)

    as_user(client, world.agency_officer_a)
    response = client.post(reverse("interventions:milestone_report", args=[intervention.pk, second.pk]),
                           {"done_on": jalali(today), "report": "دوره برگزار شد", "files": [pdf("list.pdf")]})
    assert response.status_code == 302

    # The provincial manager evaluates and closes it; the unpaid rest is released.
    as_user(client, world.manager_a)
    inbox = client.get(reverse("interventions:inbox")).content.decode()
    assert inbox.count(f'data-intervention="{intervention.pk}"') == 1
    assert act(client, intervention, "evaluate", evaluation="مرکز فعال است و ۴۰ نفر آموزش دیدند").status_code == 302
    assert act(client, intervention, "close").status_code == 302
    intervention.refresh_from_db()
    assert intervention.state == S.CLOSED
    assert intervention.evaluation == "مرکز فعال است و ۴۰ نفر آموزش دیدند"
    ledger = source_amounts(intervention, Fund.GRANTS)
    assert (ledger.committed, ledger.paid) == (0, 2_500_000_000)

    assert [action for action, _user in history(intervention) if action != "edit"] == [
        "create", "propose", "add_file", "submit_documents", "return_for_revision", "resubmit", "approve",
        "refer_for_funding", "record_grant", "start_execution", "report_milestone", "pay_instalment",
        "report_milestone", "evaluate", "close"]
    by_action = dict(history(intervention))
    assert by_action["record_grant"] == "ministry"
    assert by_action["close"] == "manager_a"
    assert by_action["report_milestone"] == "agency_a"
    returned = AuditRecord.objects.get(action="return_for_revision", object_id=intervention.pk)
    assert returned.reason == "جدول منابع را دقیق‌تر کنید"

    # Its page shows the closed state, the figures in Persian digits and the history in Persian.
    page = client.get(reverse("interventions:detail", args=[intervention.pk])).content.decode()
    assert 'data-state="closed">مختومه<' in page
    assert calendar.period_label(period) in page
    assert jalali(today, persian=True) in page
    assert '<td class="num" data-testid="grant-granted">۶٬۰۰۰٬۰۰۰٬۰۰۰</td>' in page
    assert '<td class="num" data-testid="grant-paid">۲٬۵۰۰٬۰۰۰٬۰۰۰</td>' in page
    assert '<td class="num" data-testid="grant-released">۳٬۵۰۰٬۰۰۰٬۰۰۰</td>' in page
    assert "۸ میلیارد ریال" in page
    assert "بازگشت توسط وزارت" in page and "گزارش انجام گام" in page and "پرداخت قسط کمک بلاعوض" in page
    assert page.count("<tr data-action=") == len(history(intervention))
    assert "در این وضعیت اقدامی با شما نیست." in page


def test_the_ministry_rejects_with_a_reason(client, world):
    intervention = advance_intervention(world, S.DOCUMENTS_SUBMITTED)
    as_user(client, world.ministry)
    response = act(client, intervention, "reject", reason="   ")
    assert response.status_code == 400
    assert 'data-field="reason"' in response.content.decode()
    intervention.refresh_from_db()
    assert intervention.state == S.DOCUMENTS_SUBMITTED
    response = act(client, intervention, "reject", reason="با رسته‌های اولويت‌دار هم‌خوان نیست")
    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.state == S.REJECTED
    assert AuditRecord.objects.get(action="reject").reason == "با رسته‌های اولویت‌دار هم‌خوان نیست"


# --- who may not ----------------------------------------------------------------------------

def _urls(intervention):
    milestone = intervention.milestones.order_by("order").first()
    stored = intervention.files.first()
    return {
        "detail": reverse("interventions:detail", args=[intervention.pk]),
        "edit": reverse("interventions:edit", args=[intervention.pk]),
        "report": reverse("interventions:milestone_report", args=[intervention.pk, milestone.pk]),
        "pay": reverse("interventions:instalment_pay", args=[intervention.pk, milestone.pk]),
        "file": reverse("interventions:file", args=[intervention.pk, stored.pk]),
    }


def test_out_of_scope_actors_get_404_and_nothing_changes(client, world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    InterventionFile.objects.create(intervention=intervention, kind=InterventionFile.Kind.EXECUTION_DOCUMENT,
                                    uploaded_by=world.agency_officer_a, original_name="a.pdf",
                                    content_type="application/pdf", size_bytes=1, sha256="0" * 64, file="x/a.pdf")
    urls = _urls(intervention)
    for user in (world.agency_officer_b, world.manager_b, world.secretary_b):
        as_user(client, user)
        for name, url in urls.items():
            assert client.get(url).status_code == 404, (user, name)
        assert act(client, intervention, "evaluate", evaluation="ارزیابی").status_code == 404
        assert client.post(urls["report"], {"done_on": "1404/01/01", "report": "x"}).status_code == 404
        listed = client.get(reverse("interventions:list")).content.decode()
        assert f'data-intervention="{intervention.pk}"' not in listed
    intervention.refresh_from_db()
    assert intervention.state == S.IN_EXECUTION
    assert not Milestone.objects.filter(done_on__isnull=False).exists()


def test_roles_outside_the_chain_get_403_and_anonymous_users_the_login(client, world):
    intervention = advance_intervention(world, S.DOCUMENTS_SUBMITTED)
    applicant = world.owner
    admin = User.objects.create_user("sysadmin", password="x", role=Role.SYSTEM_ADMIN)
    pages = [reverse("interventions:list"), reverse("interventions:inbox"), reverse("interventions:create"),
             reverse("interventions:detail", args=[intervention.pk]),
             reverse("interventions:edit", args=[intervention.pk])]
    for user in (world.bank_officer_1, applicant, admin):
        as_user(client, user)
        for url in pages:
            assert client.get(url).status_code == 403, (user, url)
        assert act(client, intervention, "approve").status_code == 403
    client.logout()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    intervention.refresh_from_db()
    assert intervention.state == S.DOCUMENTS_SUBMITTED
    assert not AuditRecord.objects.filter(action="approve").exists()


def test_a_step_of_another_role_is_403_and_a_stale_form_409(client, world):
    intervention = advance_intervention(world, S.DOCUMENTS_SUBMITTED)
    for user in (world.agency_officer_a, world.manager_a, world.secretary_a):
        as_user(client, user)
        response = act(client, intervention, "approve")
        assert response.status_code == 403, user
        assert "اجازه" in response.content.decode()
    as_user(client, world.ministry)
    response = act(client, intervention, "reject", expected_state=S.PROPOSED, reason="دیر رسید")
    assert response.status_code == 409
    assert "وضعیت این طرح در این فاصله تغییر کرده است" in response.content.decode()
    assert act(client, intervention, "approve").status_code == 302
    # A second tab still shows "documents submitted".
    response = act(client, intervention, "approve", expected_state=S.DOCUMENTS_SUBMITTED)
    assert response.status_code == 409
    assert AuditRecord.objects.filter(action="approve").count() == 1
    assert not AuditRecord.objects.filter(action="reject").exists()

    # The officer may not pay, ministry staff may not report; the editor is closed after approval.
    intervention = advance_intervention(world, S.IN_EXECUTION, title="دومی")
    urls = _urls_without_file(intervention)
    as_user(client, world.ministry)
    assert client.get(urls["report"]).status_code == 403
    assert client.get(urls["edit"]).status_code == 403
    as_user(client, world.agency_officer_a)
    assert client.get(urls["pay"]).status_code == 403
    response = client.get(urls["edit"])
    assert response.status_code == 409
    assert "ویرایش‌شدنی نیست" in response.content.decode()
    # Not yet reported: there is nothing to pay.
    as_user(client, world.ministry)
    assert client.get(urls["pay"]).status_code == 409
    assert not GrantInstalment.objects.exists()


def _urls_without_file(intervention):
    milestone = intervention.milestones.order_by("order").first()
    return {
        "edit": reverse("interventions:edit", args=[intervention.pk]),
        "report": reverse("interventions:milestone_report", args=[intervention.pk, milestone.pk]),
        "pay": reverse("interventions:instalment_pay", args=[intervention.pk, milestone.pk]),
    }


# --- bad input ------------------------------------------------------------------------------

def test_bad_amounts_are_refused_in_persian_and_nothing_is_written(client, world):
    intervention = advance_intervention(world, S.PROPOSED)
    as_user(client, world.agency_officer_a)
    url = reverse("interventions:resource_add", args=[intervention.pk])
    cases = {
        "۵۵۱٫۵": "مبلغ را به ریال و به صورت عدد صحیح وارد کنید.",
        "abc": "مبلغ را به ریال و به صورت عدد صحیح وارد کنید.",
        "9" * 5000: "مبلغ بیش از حد بزرگ است.",
        "۹" * 20: "مبلغ بیش از حد بزرگ است.",
        "0": "مبلغ باید دست‌کم ۱ ریال باشد.",
    }
    for amount, message in cases.items():
        response = client.post(url, {"r-source": "programme_grant", "r-amount_rials": amount})
        assert response.status_code == 400, amount
        assert message in response.content.decode(), amount
    response = client.post(url, {"r-source": "no-such-source", "r-amount_rials": "1000"})
    assert response.status_code == 400
    assert not ResourceLine.objects.exists()
    response = client.post(url, {"r-source": "programme_grant", "r-amount_rials": "٥٥١٬٠٠٠٬٠٠٠"})
    assert response.status_code == 302
    assert ResourceLine.objects.get().amount_rials == 551_000_000


def test_bad_milestones_and_content_are_refused(client, world):
    intervention = advance_intervention(world, S.ANALYSIS)
    as_user(client, world.agency_officer_a)
    url = reverse("interventions:milestone_add", args=[intervention.pk])
    for period in ("0", "abc", "9" * 30, "999"):
        response = client.post(url, {"m-title": "گام", "m-planned_period": period})
        assert response.status_code == 400, period
        assert "گزینه" in response.content.decode() or "معتبر" in response.content.decode()
    assert client.post(url, {"m-title": "  ", "m-planned_period": "40"}).status_code == 400
    assert not Milestone.objects.exists()

    # The content form: a priority sector and a county of another province are not choices.
    edit = reverse("interventions:edit", args=[intervention.pk])
    response = client.post(edit, content_form(world, intervention, priority_sector=world.priority_b.pk))
    assert response.status_code == 400
    assert 'data-field="priority_sector"' in response.content.decode()
    response = client.post(edit, content_form(world, intervention, counties=[world.county_b.pk]))
    assert response.status_code == 400
    assert 'data-field="counties"' in response.content.decode()
    response = client.post(reverse("interventions:create"), creation_form(world, title="", counties=["9" * 30]))
    assert response.status_code == 400
    intervention.refresh_from_db()
    assert intervention.priority_sector == world.priority_a
    assert Intervention.objects.count() == 1
    assert not AuditRecord.objects.filter(action="edit").exists()

    # A stale editor (the page showed "analysis", it was proposed since) is refused.
    as_user(client, world.agency_officer_a)
    client.post(reverse("interventions:action", args=[intervention.pk, "propose"]),
                {"propose-expected_state": "analysis"})
    response = client.post(edit, content_form(world, intervention, expected_state="analysis", zoning="دیر"))
    assert response.status_code == 409
    intervention.refresh_from_db()
    assert intervention.zoning != "دیر"


def test_proposing_without_the_analysis_says_what_is_missing(client, world):
    intervention = advance_intervention(world, S.ANALYSIS, zoning="")
    as_user(client, world.agency_officer_a)
    response = act(client, intervention, "propose")
    assert response.status_code == 400
    assert "پهنه‌بندی جغرافیایی" in response.content.decode()
    intervention.refresh_from_db()
    assert intervention.state == S.ANALYSIS


def test_milestone_report_dates_follow_the_jalali_calendar(client, world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    milestone = intervention.milestones.order_by("order").first()
    as_user(client, world.agency_officer_a)
    url = reverse("interventions:milestone_report", args=[intervention.pk, milestone.pk])
    tomorrow = jalali(timezone.localdate() + datetime.timedelta(days=1))
    cases = {
        "1404/12/30": "این تاریخ در تقویم شمسی وجود ندارد.",
        "2025-03-20": "سال باید شمسی و بین",
        tomorrow: "این تاریخ نباید بعد از امروز باشد.",
        "1397/12/29": "سال باید شمسی و بین",
        "۱۴۰۳/۱۳/۰۱": "این تاریخ در تقویم شمسی وجود ندارد.",
        "fardā": "تاریخ را به صورت شمسی",
    }
    for day, message in cases.items():
        response = client.post(url, {"done_on": day, "report": "انجام شد", "files": [pdf()]})
        assert response.status_code == 400, day
        assert message in response.content.decode(), day
    response = client.post(url, {"done_on": "1403/12/30", "report": "انجام شد"})
    assert response.status_code == 400
    assert 'data-field="files"' in response.content.decode()
    response = client.post(url, {"done_on": "1403/12/30", "report": "انجام شد", "files": [upload("setup.pdf", EXE)]})
    assert response.status_code == 400
    assert "باید PDF، XLSX، DOCX، JPEG یا PNG باشد" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.done_on is None
    assert not InterventionFile.objects.filter(kind=InterventionFile.Kind.MILESTONE_EVIDENCE).exists()

    response = client.post(url, {"done_on": "١٤٠٣/١٢/٣٠", "report": "انجام شد", "files": [pdf()]})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == datetime.date(2025, 3, 20)
    # Reported once: the page now answers 409.
    assert client.get(url).status_code == 409


def test_grant_and_instalment_amounts_are_checked(client, world):
    intervention = advance_intervention(world, S.REFERRED)
    as_user(client, world.ministry)
    for amount, message in (("9" * 5000, "مبلغ بیش از حد بزرگ است."),
                            ("8000000001", "حداکثر برابر کمک بلاعوض درخواستی (۸٬۰۰۰٬۰۰۰٬۰۰۰ ریال)"),
                            ("", 'data-field="grant_rials"')):
        response = act(client, intervention, "record_grant", grant_rials=amount)
        assert response.status_code == 400, amount
        assert message in response.content.decode(), amount
    intervention.refresh_from_db()
    assert (intervention.state, intervention.grant_rials) == (S.REFERRED, None)
    assert source_amounts(intervention, Fund.GRANTS) is None

    assert act(client, intervention, "record_grant", grant_rials="6,000,000,000").status_code == 302
    as_user(client, world.agency_officer_a)
    assert act(client, intervention, "start_execution").status_code == 302
    milestone = intervention.milestones.order_by("order").first()
    done = timezone.localdate() - datetime.timedelta(days=3)
    response = client.post(reverse("interventions:milestone_report", args=[intervention.pk, milestone.pk]),
                           {"done_on": jalali(done), "report": "انجام شد", "files": [pdf()]})
    assert response.status_code == 302

    as_user(client, world.ministry)
    url = reverse("interventions:instalment_pay", args=[intervention.pk, milestone.pk])
    tomorrow = jalali(timezone.localdate() + datetime.timedelta(days=1))
    for data, message in (
        ({"amount_rials": "6000000001", "paid_on": jalali(done)}, "مانده کمک بلاعوض (۶٬۰۰۰٬۰۰۰٬۰۰۰ ریال)"),
        ({"amount_rials": "۱۲۳٫۵", "paid_on": jalali(done)}, "مبلغ را به ریال و به صورت عدد صحیح وارد کنید."),
        ({"amount_rials": "1000", "paid_on": tomorrow}, "این تاریخ نباید بعد از امروز باشد."),
        ({"amount_rials": "1000", "paid_on": "1404/12/30"}, "این تاریخ در تقویم شمسی وجود ندارد."),
        ({"amount_rials": "1000", "paid_on": jalali(done - datetime.timedelta(days=1))},
         "تاریخ پرداخت نباید پیش از تاریخ انجام گام باشد."),
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    assert not GrantInstalment.objects.exists()
    ledger = source_amounts(intervention, Fund.GRANTS)
    assert (ledger.committed, ledger.paid) == (6_000_000_000, 0)
    assert client.post(url, {"amount_rials": "۱٬۰۰۰٬۰۰۰٬۰۰۰", "paid_on": jalali(done)}).status_code == 302
    # One instalment per milestone: the page is closed now.
    assert client.post(url, {"amount_rials": "1000", "paid_on": jalali(done)}).status_code == 409
    assert GrantInstalment.objects.get().amount_rials == 1_000_000_000
    assert source_amounts(intervention, Fund.GRANTS).paid == 1_000_000_000


def test_a_grant_beyond_the_budget_is_refused_on_the_form(client, world):
    intervention = advance_intervention(world, S.APPROVED)
    beyond = 10**15 + 1  # one rial more than every grants line of the test world holds
    ResourceLine.objects.filter(intervention=intervention, source="programme_grant").update(amount_rials=beyond)
    as_user(client, world.ministry)
    assert act(client, intervention, "refer_for_funding", funding_body=funding_body().pk).status_code == 302
    response = act(client, intervention, "record_grant", grant_rials=f"{beyond:,}")
    assert response.status_code == 400
    body = response.content.decode()
    # The refusal sits on the grant's form, above what was typed.
    form = body[body.index('data-action="record_grant"'):]
    form = form[:form.index("</form>")]
    assert "کافی نیست" in form and "ریال درخواست شده است" in form
    assert f'value="{beyond:,}"' in form
    intervention.refresh_from_db()
    assert intervention.state == S.REFERRED
    assert source_amounts(intervention, Fund.GRANTS) is None


def test_evaluation_waits_for_every_milestone_and_needs_its_text(client, world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    as_user(client, world.manager_a)
    response = act(client, intervention, "evaluate", evaluation="زود است")
    assert response.status_code == 400
    assert "پس از گزارش انجام همه گام‌های زمان‌بندی" in response.content.decode()
    response = act(client, intervention, "evaluate", evaluation="")
    assert response.status_code == 400
    assert 'data-field="evaluation"' in response.content.decode()
    intervention.refresh_from_db()
    assert (intervention.state, intervention.evaluation) == (S.IN_EXECUTION, "")
    # The evaluation report may be attached in execution already.
    response = client.post(reverse("interventions:evaluation_upload", args=[intervention.pk]),
                           {"eval-file": pdf("evaluation.pdf", "گزارش ارزیابی")})
    assert response.status_code == 302
    assert intervention.files.get(kind=InterventionFile.Kind.EVALUATION).original_name == "evaluation.pdf"
    response = client.post(reverse("interventions:evaluation_upload", args=[intervention.pk]),
                           {"eval-file": upload("virus.pdf", EXE)})
    assert response.status_code == 400
    assert intervention.files.filter(kind=InterventionFile.Kind.EVALUATION).count() == 1


def test_files_download_only_in_scope(client, world):
    intervention = advance_intervention(world, S.PROPOSED)
    as_user(client, world.agency_officer_a)
    client.post(reverse("interventions:document_upload", args=[intervention.pk]),
                {"doc-file": pdf("ساختار.pdf", "ساختار")})
    stored = intervention.files.get()
    url = reverse("interventions:file", args=[intervention.pk, stored.pk])
    for user in (world.agency_officer_a, world.ministry, world.manager_a, world.secretary_a):
        as_user(client, user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert "attachment" in response["Content-Disposition"]
    other = advance_intervention(world, S.ANALYSIS, province="b")
    as_user(client, world.ministry)
    assert client.get(reverse("interventions:file", args=[other.pk, stored.pk])).status_code == 404
    assert client.get(reverse("interventions:file", args=[intervention.pk, stored.pk + 1000])).status_code == 404


def test_the_analysis_keeps_its_lines(client, world):
    """A text of several lines is folded line by line, its breaks kept (the text areas are not
    one-line fields: an analysis of three points stays three lines)."""
    as_user(client, world.agency_officer_a)
    text = "۱. تأمين نهاده\r\n۲. فرآوری  \r\n\r\n\r\n۳. بازار‌"
    response = client.post(reverse("interventions:create"), creation_form(world, business_system=text))
    assert response.status_code == 302
    assert Intervention.objects.get().business_system == "۱. تأمین نهاده\n۲. فرآوری\n\n۳. بازار"
