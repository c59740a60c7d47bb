"""One development intervention from proposal to closure through HTTP, logged in as each role of
the §8 chain in turn: the agency officer proposes it, writes its execution documents and submits
them; ministry staff return, approve, refer it and record the grant; the officer executes it and
reports its milestones with evidence; ministry staff pay instalments; the provincial manager
evaluates and closes it.

Also: out-of-scope actors get 404, roles outside the chain 403, a step of another role 403, and a
stale form 409. Bad input is ``test_http_input``'s.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditRecord, Role, User
from budgets.models import Fund
from budgets.selectors import source_amounts
from interventions.models import GrantInstalment, Intervention, InterventionFile, Milestone
from interventions.workflow import InterventionState as S
from programs import calendar
from tests.interventions.helpers import advance_intervention, funding_body
from tests.interventions.web import act, content_form, creation_form, history, jalali, urls_without_file
from tests.uploads import pdf
from tests.web import as_user

pytestmark = pytest.mark.django_db



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
    urls = urls_without_file(intervention)
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
