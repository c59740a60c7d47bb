"""The budget's main UI flow in Chromium: ministry staff open the budget page, move money from one
province's loan line to another's with the amount typed in Persian digits, and see the new figures."""

import pytest

from tests.budgets.pages import world_line
from tests.factories import PASSWORD, Figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_ministry_reallocates_between_two_provinces(live_server, page, world, save_screenshot):
    base = live_server.url
    source, target = world_line(world.province_a), world_line(world.province_b)
    login(page, base, world.ministry.username, PASSWORD)
    page.wait_for_selector("[data-testid=whoami]")

    page.click("[data-testid=nav-budget]")
    page.wait_for_selector(f"tr[data-line='{source.pk}']")
    allocated = "tr[data-line='{}'] [data-field=allocated]"
    assert page.inner_text(allocated.format(source.pk)) == "۱٬۰۰۰٬۰۰۰"
    assert page.get_attribute(allocated.format(source.pk), "title") == "۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال"

    page.click("[data-testid=reallocate-link]")
    page.select_option("#id_from_line", str(source.pk))
    page.select_option("#id_to_line", str(target.pk))
    page.fill("#id_amount_rials", "۲۵۰٬۰۰۰٬۰۰۰٬۰۰۰")
    page.fill("#id_reason", "جذب کند طرح‌ها در استان الف")
    save_screenshot(page, "budget-reallocate-form")
    page.click("[data-testid=reallocate-form] button[type=submit]")

    page.wait_for_selector(".alert-success")
    assert "۲۵۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال از" in page.inner_text(".alert-success")
    assert page.inner_text(allocated.format(source.pk)) == "۹۹۹٬۷۵۰"
    assert page.inner_text(allocated.format(target.pk)) == "۱٬۰۰۰٬۲۵۰"
    assert page.get_attribute(f"tr[data-line='{source.pk}'] [data-field=remaining]", "data-rials") == str(
        Figures.WORLD_BUDGET - 250_000_000_000)
    save_screenshot(page, "budget-after-reallocation")

    # The source line's ledger shows the move and its reason.
    page.click(f"tr[data-line='{source.pk}'] a")
    page.wait_for_selector("[data-testid=ledger]")
    assert page.get_attribute("[data-testid=ledger] tr[data-entry]", "data-kind") == "reallocate_out"
    assert "جذب کند طرح‌ها در استان الف" in page.inner_text("[data-testid=ledger]")
