"""The local Jalali date picker agrees with the server's calendar (C01): Esfand has 30 days in
1403 and 1408, 29 in 1404 and 1407; a day picked in it is stored as the right Gregorian date."""

import datetime

import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_picker_and_the_server_share_the_leap_years(live_server, page, world, save_screenshot):
    from financing.models import Call

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", world.agency_officer_a.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/calls/new/")
    page.click("#id_opens_on")
    page.wait_for_selector("jdp-container .jdp-days")
    days = {}
    for year in (1403, 1404, 1407, 1408):
        page.select_option("jdp-container .jdp-year select", str(year))
        page.select_option("jdp-container .jdp-month select", "12")
        days[year] = page.locator("jdp-container .jdp-day:not(.not-in-month)").count()
    assert days == {1403: 30, 1404: 29, 1407: 29, 1408: 30}

    page.select_option("jdp-container .jdp-year select", "1403")
    page.select_option("jdp-container .jdp-month select", "12")
    page.locator("jdp-container .jdp-day:not(.not-in-month)").last.click()
    assert page.input_value("#id_opens_on") == "۱۴۰۳/۱۲/۳۰"
    save_screenshot(page, "date-picker")
    page.fill("#id_title", "فراخوان اسفند")
    page.check(f"input[name=priority_sectors][value='{world.priority_a.pk}']")
    page.fill("#id_closes_on", "۱۴۰۴/۰۱/۱۵")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/calls/")
    call = Call.objects.get(title="فراخوان اسفند")
    assert call.opens_on == datetime.date(2025, 3, 20)
