"""One development intervention in Chromium from creation to closure (§8), switching users: the
agency officer proposes it and writes its documents, ministry staff approve, refer and fund it,
the officer executes it and reports a milestone with a file, ministry staff pay an instalment,
and the provincial manager evaluates and closes it."""

import pytest

from common.testing import minimal_pdf
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def take_step(page, action, state, **fields):
    """Fill the step's form on the detail page (``fields`` by name without prefix), send it and
    wait for ``state``."""
    for name, value in fields.items():
        selector = f"#id_{action}-{name}"
        if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    page.click(f"form[data-action={action}] button[type=submit]")
    page.wait_for_selector(f"[data-testid=state][data-state={state}]")


def test_an_intervention_from_creation_to_closure(live_server, page, world, save_screenshot, tmp_path):
    import jdatetime
    from django.utils import timezone

    from budgets.models import Fund
    from budgets.selectors import source_amounts
    from interventions.models import Intervention
    from programs import calendar
    from tests.interventions.helpers import funding_body

    base = live_server.url
    body = funding_body()
    evidence = tmp_path / "evidence.pdf"
    evidence.write_bytes(minimal_pdf("مستند انجام گام"))
    today = jdatetime.date.fromgregorian(date=timezone.localdate()).strftime("%Y/%m/%d")
    today_fa = today.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))

    # The agency officer records it, typing on an Arabic keyboard, and proposes it.
    login(page, base, world.agency_officer_a)
    page.goto(f"{base}/interventions/")
    page.click("[data-testid=new-intervention]")
    page.fill("#id_title", "مركز آموزش مهارت دامپروري")
    page.select_option("#id_kind", "training_centre")
    page.select_option("#id_priority_sector", str(world.priority_a.pk))
    page.select_option("#id_counties", [str(world.county_a.pk)])
    page.fill("#id_business_system", "زنجیره ارزش رسته از نهاده تا بازار بررسی شد.")
    page.fill("#id_zoning", "پهنه مرکزی استان")
    page.fill("#id_intervention_points", "کمبود نیروی ماهر")
    page.click("[data-testid=intervention-form] button[type=submit]")
    page.wait_for_selector("[data-testid=state][data-state=analysis]")
    intervention = Intervention.objects.get()
    assert intervention.title == "مرکز آموزش مهارت دامپروری"
    take_step(page, "propose", "proposed")

    # …writes the execution documents: content, a milestone, the resources and a document.
    page.click("[data-testid=edit-link]")
    page.fill("#id_institution_structure", "هیئت امنا، مدیر مرکز و سه کارگاه")
    page.select_option("#id_ownership", "public_private")
    page.fill("#id_management", "اتحادیه تولیدکنندگان استان")
    page.fill("#id_expected_outputs", "آموزش سالانه ۴۰۰ نفر")
    page.fill("#id_indicators", "تعداد آموزش‌دیدگان شاغل‌شده")
    page.click("[data-testid=content-form] button[type=submit]")
    page.wait_for_selector(".alert-success")
    period = calendar.current_period()
    page.fill("#id_m-title", "تجهیز کارگاه‌ها")
    page.select_option("#id_m-planned_period", str(period))
    page.click("[data-testid=milestone-form] button[type=submit]")
    page.wait_for_selector("[data-testid=milestones] tr[data-milestone]")
    page.select_option("#id_r-source", "programme_grant")
    page.fill("#id_r-amount_rials", "۸٬۰۰۰٬۰۰۰٬۰۰۰")
    page.fill("#id_r-purpose", "تجهیز کارگاه‌ها")
    page.click("[data-testid=resource-form] button[type=submit]")
    page.wait_for_selector("[data-testid=requested-grant]:has-text('۸٬۰۰۰٬۰۰۰٬۰۰۰')")
    page.set_input_files("#id_doc-file", str(evidence))
    page.click("[data-testid=document-form] button[type=submit]")
    page.wait_for_selector("[data-testid=documents] a")
    save_screenshot(page, "intervention-editor")
    page.click("[data-testid=back-to-detail]")
    take_step(page, "submit_documents", "documents_submitted")

    # Ministry staff find it in their inbox, approve it, refer it and record the grant.
    login(page, base, world.ministry)
    page.goto(f"{base}/interventions/inbox/")
    page.click(f"tr[data-intervention='{intervention.pk}'] a")
    take_step(page, "approve", "approved", reason="با رسته اولویت‌دار استان هم‌خوان است")
    take_step(page, "refer_for_funding", "referred", funding_body=str(body.pk))
    assert page.input_value("#id_record_grant-grant_rials") == "۸٬۰۰۰٬۰۰۰٬۰۰۰"
    take_step(page, "record_grant", "funded", grant_rials="۶٬۰۰۰٬۰۰۰٬۰۰۰")

    # The officer starts the execution and reports the milestone with a file.
    login(page, base, world.agency_officer_a)
    page.goto(f"{base}/interventions/{intervention.pk}/")
    take_step(page, "start_execution", "in_execution")
    page.click("[data-testid=report-milestone]")
    page.fill("#id_done_on", today_fa)
    page.fill("#id_report", "کارگاه‌ها تجهیز شد و تحویل گرفته شد.")
    page.set_input_files("#id_files", str(evidence))
    page.click("[data-testid=milestone-report-form] button[type=submit]")
    page.wait_for_selector(f"[data-testid=done-on]:has-text('{today_fa}')")

    # Ministry staff pay an instalment against it.
    login(page, base, world.ministry)
    page.goto(f"{base}/interventions/{intervention.pk}/")
    page.click("[data-testid=pay-milestone]")
    page.fill("#id_amount_rials", "۲٬۵۰۰٬۰۰۰٬۰۰۰")
    page.fill("#id_paid_on", today_fa)
    page.click("[data-testid=instalment-form] button[type=submit]")
    page.wait_for_selector("[data-testid=grant-paid]:has-text('۲٬۵۰۰٬۰۰۰٬۰۰۰')")

    # The provincial manager evaluates and closes it.
    login(page, base, world.manager_a)
    page.goto(f"{base}/interventions/inbox/")
    page.click(f"tr[data-intervention='{intervention.pk}'] a")
    take_step(page, "evaluate", "evaluated", evaluation="مرکز فعال است و نخستین دوره برگزار شد.")
    take_step(page, "close", "closed")
    assert page.inner_text("[data-testid=state]") == "مختومه"
    assert page.inner_text("[data-testid=grant-released]") == "۳٬۵۰۰٬۰۰۰٬۰۰۰"
    assert page.locator("[data-testid=history] tr[data-action]").count() >= 12
    save_screenshot(page, "intervention-closed")

    intervention.refresh_from_db()
    assert (intervention.state, intervention.grant_rials) == ("closed", 6_000_000_000)
    assert intervention.milestones.get().files.count() == 1
    ledger = source_amounts(intervention, Fund.GRANTS)
    assert (ledger.committed, ledger.paid) == (0, 2_500_000_000)
