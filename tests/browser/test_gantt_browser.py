"""The timetable in Chromium: a province's working-group secretary opens the province's timetable,
records a meeting of stage 1 and its progress with Jalali dates in Persian digits, and sees the
stage's actual bar in the Gantt chart; the chart scrolls inside its own box at 390 px."""

import pytest

from accounts.models import Role
from monitoring.models import Meeting, StageProgress
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]")


def test_secretary_records_a_meeting_and_progress_and_sees_the_gantt(live_server, page, make_user,
                                                                      save_screenshot):
    base = live_server.url
    secretary = make_user(Role.WORKING_GROUP_SECRETARY, "IR-05", username="secretary_kermanshah")
    login(page, base, secretary.username)
    page.goto(f"{base}/timetable/IR-05/")
    assert "جدول زمانی برنامه: استان کرمانشاه" in page.inner_text("h1")

    # A meeting of stage 1 (two meetings with provincial officials are asked for).
    page.click("[data-testid=meeting-form-1] summary")
    page.fill("#stage1-meeting-held_on", "۱۳۹۸/۰۴/۲۰")
    page.keyboard.press("Escape")  # close the date picker
    page.fill("#stage1-meeting-title", "جلسه نخست توسعه استان")
    page.fill("#stage1-meeting-attendees", "معاون استاندار\nنماینده اتاق بازرگانی")
    page.fill("#stage1-meeting-minutes", "چارچوب برنامه معرفی شد.")
    page.click("[data-testid=meeting-form-1] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "جلسه ثبت شد." in page.inner_text(".alert-success")
    assert page.inner_text("#stage-1 [data-testid=meetings] [data-field=held_on]") == "۱۳۹۸/۰۴/۲۰"
    assert "۱ از ۲ جلسه" in page.inner_text("#stage-1 [data-field=required-meetings]")

    # Its progress: done, from 10 Tir to 30 Shahrivar 1398 (periods 1–2).
    page.click("[data-testid=progress-form-1] summary")
    page.select_option("#stage1-progress-status", "done")
    page.fill("#stage1-progress-started_on", "۱۳۹۸/۰۴/۱۰")
    page.keyboard.press("Escape")
    page.fill("#stage1-progress-finished_on", "۱۳۹۸/۰۶/۳۰")
    page.keyboard.press("Escape")
    page.fill("#stage1-progress-responsible_body", "استانداری کرمانشاه")
    page.click("[data-testid=progress-form-1] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("#stage-1 [data-field=started_on]") == "۱۳۹۸/۰۴/۱۰"
    assert page.inner_text("#stage-1 [data-field=status]") == "انجام‌شده"

    row = "[data-testid=gantt] tr[data-stage='1']"
    assert page.locator(f"{row} td.gantt-actual").count() == 2
    assert page.get_attribute(f"{row} td.gantt-actual >> nth=0", "data-period") == "1"
    assert "انجام: دوره ۱ تا ۲" in page.inner_text(f"{row} th")
    assert page.locator("[data-testid=gantt] th.gantt-now .gantt-now-label").count() == 1
    gantt = page.locator("[data-testid=gantt]")
    gantt.scroll_into_view_if_needed()
    path = save_screenshot(page, "timetable-gantt-province")
    gantt.screenshot(path=str(path.with_name("timetable-gantt-province-chart.png")))

    # At 390 px the page does not scroll sideways; the chart scrolls inside its own box.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    widths = page.evaluate("""() => ({
        page: document.documentElement.scrollWidth,
        box: document.querySelector('[data-testid=gantt]').clientWidth,
        chart: document.querySelector('[data-testid=gantt]').scrollWidth})""")
    assert widths["page"] <= 390
    assert widths["box"] <= 390 < widths["chart"]
    page.locator("[data-testid=gantt]").screenshot(path=str(path.with_name("timetable-gantt-390.png")))

    assert Meeting.objects.get().recorded_by == secretary
    assert StageProgress.objects.get().updated_by == secretary
