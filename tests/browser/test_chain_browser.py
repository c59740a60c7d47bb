"""The main UI flow of the §9 chain in Chromium: an applicant registers and submits with a file,
the agency officer approves it from the inbox, and the public tracking page shows it."""

import pytest

from common.testing import minimal_pdf
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_applicant_submits_officer_approves_and_code_tracks(live_server, page, world, save_screenshot, tmp_path):
    from financing.models import ApplicationState, InvestmentApplication

    base = live_server.url

    # The applicant registers, typing the national ID with Persian digits and an Arabic-keyboard name.
    page.goto(f"{base}/register/")
    page.fill("#id_username", "maryam")
    page.fill("#id_name", "مريم احمدي")
    page.select_option("#id_person_kind", "natural")
    page.select_option("#id_ownership", "cooperative")
    page.fill("#id_national_id", "۰۰۱۹۸۷۶۵۴۸")
    page.fill("#id_password1", "Kaleh-pass-1398")
    page.fill("#id_password2", "Kaleh-pass-1398")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/calls/")

    # …and submits to the open call with a feasibility study.
    page.click(f"tr[data-call='{world.call_a.pk}'] a")
    page.fill("#id_title", "کارگاه لبنیات سنتی")
    page.select_option("#id_county", str(world.county_a.pk))
    page.select_option("#id_priority_sector", str(world.priority_a.pk))
    page.select_option("#id_project_kind", "expansion")
    page.fill("#id_requested_loan_rials", "۲٬۰۰۰٬۰۰۰٬۰۰۰")
    page.fill("#id_own_contribution_rials", "۵۰۰٬۰۰۰٬۰۰۰")
    page.fill("#id_planned_new_jobs", "۶")
    study = tmp_path / "study.pdf"
    study.write_bytes(minimal_pdf("طرح توجیهی"))
    page.set_input_files("#id_feasibility_files", str(study))
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=state][data-state=submitted]")
    application = InvestmentApplication.objects.get()
    assert application.requested_loan_rials == 2_000_000_000
    assert application.applicant.name == "مریم احمدی"

    # The agency officer opens the inbox and approves.
    page.context.clear_cookies()
    login(page, base, world.agency_officer_a.username, PASSWORD)
    page.goto(f"{base}/inbox/")
    row = page.locator(f"tr[data-application='{application.pk}']")
    assert row.count() == 1
    save_screenshot(page, "officer-inbox")
    row.locator("a").click()
    page.click("form[data-action=start_agency_review] button[type=submit]")
    page.wait_for_selector("[data-testid=state][data-state=agency_review]")
    page.fill("#id_approve_by_agency-reason", "مدارک کامل است")
    page.click("form[data-action=approve_by_agency] button[type=submit]")
    page.wait_for_selector("[data-testid=state][data-state=agency_approved]")
    shown_code = page.inner_text("[data-testid=tracking-code]")
    save_screenshot(page, "application-approved")
    application.refresh_from_db()
    assert application.state == ApplicationState.AGENCY_APPROVED
    persian = application.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert shown_code.replace(" ", "") == persian

    # Anyone can follow it by the code, typed with Persian digits and spaces.
    page.context.clear_cookies()
    page.goto(f"{base}/track/")
    page.fill("#id_code", shown_code)
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=track-state]")
    assert page.get_attribute("[data-testid=track-state]", "data-state") == "agency_approved"
    assert "مریم" not in page.content()
    save_screenshot(page, "track")
