"""Bad input on the interventions' pages: amounts, milestones, content, Jalali dates (C01, C03),
grants and instalments, evaluation, downloads. Each gets a Persian error with a 400 (or the
page's refusal) and nothing is written; no input gives a 500."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditRecord
from budgets.models import Fund
from budgets.selectors import source_amounts
from interventions.models import GrantInstalment, Intervention, InterventionFile, Milestone, ResourceLine
from interventions.workflow import InterventionState as S
from tests.interventions.helpers import advance_intervention, funding_body
from tests.interventions.web import act, content_form, creation_form, jalali
from tests.uploads import EXE, pdf, upload
from tests.web import as_user

pytestmark = pytest.mark.django_db



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


def test_resource_lines_whose_total_would_overflow_are_refused(client, world):
    """Each line fits a 64-bit column, but their sum is shown and committed: the line that takes the
    total past 2⁶³ − 1 is refused with a 400, and the intervention's pages still open."""
    intervention = advance_intervention(world, S.PROPOSED)
    as_user(client, world.agency_officer_a)
    url = reverse("interventions:resource_add", args=[intervention.pk])
    before = ResourceLine.objects.filter(intervention=intervention).count()
    big = 9 * 10**18
    assert client.post(url, {"r-source": "programme_grant", "r-amount_rials": str(big)}).status_code == 302
    response = client.post(url, {"r-source": "programme_grant", "r-amount_rials": str(big)})
    assert response.status_code == 400
    assert "جمع منابع این اقدام از حد مجاز بیشتر می‌شود." in response.content.decode()
    assert ResourceLine.objects.filter(intervention=intervention).count() == before + 1
    assert client.get(reverse("interventions:detail", args=[intervention.pk])).status_code == 200
    assert client.get(reverse("interventions:edit", args=[intervention.pk])).status_code == 200
