"""The Gantt chart's data (``monitoring.gantt``, §14) for progress recorded in the test: the columns
(periods, Jalali years, today's period, beyond the plan), each stage's planned and actual bars, the
region's aggregate over the provinces, and the late marking; and the table the template draws."""

import datetime
import re

import jdatetime
import pytest
from django.template.loader import render_to_string

from accounts.models import Role
from monitoring import services
from monitoring.gantt import province_gantt, region_gantt
from programs import calendar
from programs.models import Province, Stage

pytestmark = pytest.mark.usefixtures("programme_data")

START = datetime.date(2019, 6, 22)


def jalali(year, month, day) -> datetime.date:
    return jdatetime.date(year, month, day).togregorian()


@pytest.fixture
def record(make_user):
    """``record(code, stage, status, started, finished=None)``: progress recorded by ministry staff."""
    ministry = make_user(Role.MINISTRY_STAFF)

    def record(code, number, status, started=None, finished=None):
        return services.stage_progress_update(
            actor=ministry, province_id=Province.objects.get(code=code).pk,
            stage_id=Stage.objects.get(number=number).pk, status=status, started_on=started, finished_on=finished)

    return record


def row_of(gantt, number):
    return next(row for group in gantt.groups for row in group.rows if row.stage.number == number)


def periods(row, what):
    return [cell.period for cell in row.cells if getattr(cell, what)]


# --- columns -------------------------------------------------------------------------------------

def test_columns_run_to_todays_period_past_the_plan():
    gantt = region_gantt(start=START, current=45)
    assert [c.period for c in gantt.columns] == list(range(1, 46))
    assert [c.period for c in gantt.columns if c.beyond_plan] == list(range(19, 46))
    assert [c.period for c in gantt.columns if c.is_current] == [45]
    assert [(span.value, span.span) for span in gantt.plan] == [("plan", 18), ("beyond", 27)]
    # Each period counts in the Jalali year it starts in: 1398 has Tir … Esfand (5 periods), then 6 a year.
    assert [(span.value, span.span) for span in gantt.years] == [
        (1398, 5), (1399, 6), (1400, 6), (1401, 6), (1402, 6), (1403, 6), (1404, 6), (1405, 4)]
    first, fifth = gantt.columns[0], gantt.columns[4]
    assert (first.months, first.label) == (("تیر", "مرداد"), "تیر–مرداد ۱۳۹۸")
    assert (fifth.months, fifth.label) == (("اسفند", "فروردین"), "اسفند ۱۳۹۸–فروردین ۱۳۹۹")
    assert gantt.width == 46


def test_within_the_plan_there_are_18_columns_and_no_beyond():
    gantt = region_gantt(start=START, current=10)
    assert len(gantt.columns) == 18
    assert [(span.value, span.span) for span in gantt.plan] == [("plan", 18)]
    assert not any(c.beyond_plan for c in gantt.columns)
    assert [c.period for c in gantt.columns if c.is_current] == [10]


def test_a_plan_edited_past_today_widens_the_chart():
    Stage.objects.filter(number=9).update(planned_first_period=20, planned_last_period=24)
    gantt = region_gantt(start=START, current=10)
    assert len(gantt.columns) == 24
    assert periods(row_of(gantt, 9), "planned") == [20, 21, 22, 23, 24]


def test_todays_period_is_taken_in_tehran(monkeypatch):
    monkeypatch.setattr(calendar.timezone, "localdate", lambda: jalali(1405, 9, 11))
    gantt = region_gantt()
    assert gantt.current_period == 45 and gantt.start == START


# --- rows ----------------------------------------------------------------------------------------

def test_rows_are_grouped_by_phase_with_the_planned_bars():
    gantt = region_gantt(start=START, current=10)
    assert [(g.phase.number, [r.stage.number for r in g.rows]) for g in gantt.groups] == [
        (1, [1, 2]), (2, [3, 4, 5, 6, 7]), (3, [8, 9])]
    assert [g.uncertain for g in gantt.groups] == [False, True, True]  # stages 6–9
    assert periods(row_of(gantt, 1), "planned") == [1, 2]
    assert periods(row_of(gantt, 8), "planned") == list(range(1, 19))
    assert periods(row_of(gantt, 9), "planned") == [17, 18]


def test_a_provinces_actual_bar_follows_its_dates(record):
    record("IR-05", 3, "done", jalali(1398, 8, 15), jalali(1399, 1, 10))  # periods 3 … 5
    record("IR-05", 4, "in_progress", jalali(1399, 2, 5))  # from period 6, still going
    gantt = province_gantt(Province.objects.get(code="IR-05"), start=START, current=10)
    done, going, untouched = row_of(gantt, 3), row_of(gantt, 4), row_of(gantt, 2)
    assert periods(done, "actual") == [3, 4, 5] and not done.running and done.status == "done"
    assert periods(going, "actual") == [6, 7, 8, 9, 10] and going.running
    assert periods(untouched, "actual") == [] and untouched.actual_first is None
    assert untouched.status_label == "آغازنشده"


def test_late_is_a_stage_planned_to_end_before_today_and_not_done(record):
    record("IR-05", 3, "done", jalali(1398, 8, 15), jalali(1399, 1, 10))
    record("IR-05", 4, "in_progress", jalali(1399, 2, 5))
    gantt = province_gantt(Province.objects.get(code="IR-05"), start=START, current=10)
    late = {row.stage.number: row.late for group in gantt.groups for row in group.rows}
    # Planned last periods: 1→2, 2→3, 3→5, 4→6, 5→8, 6→9, 7→17, 8→18, 9→18; today is period 10.
    assert late == {1: True, 2: True, 3: False, 4: True, 5: True, 6: True, 7: False, 8: False, 9: False}


def test_in_the_planned_last_period_a_stage_is_not_late_yet():
    gantt = region_gantt(start=START, current=2)
    assert not row_of(gantt, 1).late  # planned 1–2, today is period 2


def test_the_region_spans_the_earliest_start_to_the_latest_finish(record):
    record("IR-05", 3, "done", jalali(1398, 8, 15), jalali(1399, 1, 10))  # periods 3–5
    record("IR-16", 3, "done", jalali(1398, 10, 1), jalali(1399, 4, 5))  # periods 4–7
    gantt = region_gantt(start=START, current=10)
    row = row_of(gantt, 3)
    assert periods(row, "actual") == [3, 4, 5, 6, 7]
    assert (row.done, row.provinces, row.running) == (2, 4, False)
    assert row.late  # two of four provinces have not finished a stage planned to end in period 5


def test_the_region_runs_to_today_while_a_province_is_in_the_stage(record):
    record("IR-05", 3, "done", jalali(1398, 8, 15), jalali(1399, 1, 10))
    record("IR-15", 3, "in_progress", jalali(1399, 3, 1))
    row = row_of(region_gantt(start=START, current=10), 3)
    assert periods(row, "actual") == list(range(3, 11)) and row.running and row.done == 1


def test_a_stage_done_in_every_province_is_not_late(record):
    for code in ("IR-05", "IR-16", "IR-15", "IR-13"):
        record(code, 1, "done", jalali(1398, 4, 5), jalali(1398, 7, 1))
    row = row_of(region_gantt(start=START, current=10), 1)
    assert (row.done, row.late) == (4, False)
    assert periods(row, "actual") == [1, 2]  # 1 Mehr 1398 is in period 2 (Shahrivar–Mehr)


# --- cells and the drawn table -------------------------------------------------------------------

def test_cell_classes_say_planned_actual_today_and_beyond(record):
    record("IR-05", 8, "in_progress", jalali(1398, 4, 1))
    row = row_of(province_gantt(Province.objects.get(code="IR-05"), start=START, current=20), 8)
    cells = {cell.period: cell.css for cell in row.cells}
    assert cells[1] == "gantt-cell gantt-planned gantt-actual"
    assert cells[18] == "gantt-cell gantt-planned gantt-actual"
    assert cells[19] == "gantt-cell gantt-actual gantt-beyond"
    assert cells[20] == "gantt-cell gantt-actual gantt-now gantt-beyond"
    assert len(cells) == 20


def drawn(gantt) -> str:
    return render_to_string("monitoring/_gantt.html", {"gantt": gantt})


def test_the_table_is_drawn_without_script_or_inline_style(record):
    record("IR-05", 1, "in_progress", jalali(1398, 4, 10))
    html = drawn(province_gantt(Province.objects.get(code="IR-05"), start=START, current=45))
    assert "<script" not in html and "style=" not in html and "<img" not in html and "<svg" not in html
    assert html.count('<th scope="col" class="gantt-period') == 45
    assert "فراتر از برنامه" in html and "برنامه سند: ۱۸ دوره دوماهه" in html
    assert 'colspan="27"' in html  # the beyond-the-plan band over periods 19–45
    assert html.count('<span class="gantt-now-label">اکنون</span>') == 1
    assert "انجام: از دوره ۱ تا اکنون" in html
    assert 'data-period="45" title="آبان–آذر ۱۴۰۵"' in html


def test_late_rows_say_so_in_words(record):
    record("IR-05", 1, "in_progress", jalali(1398, 4, 10))
    html = drawn(province_gantt(Province.objects.get(code="IR-05"), start=START, current=10))
    late_rows = re.findall(r'<tr class="gantt-row gantt-row-late" data-stage="(\d)">', html)
    assert late_rows == ["1", "2", "3", "4", "5", "6"]  # planned to end by period 9, none done
    assert html.count('data-field="late">عقب‌افتاده از برنامه</strong>') == 6


def test_the_region_row_counts_provinces_and_the_seeds_flags_show(record):
    record("IR-16", 6, "done", jalali(1399, 1, 5), jalali(1399, 9, 1))
    html = drawn(region_gantt(start=START, current=10))
    row = html[html.index('data-stage="6"'):html.index('data-stage="7"')]
    assert "۱ از ۴ استان انجام‌شده" in row
    assert "برنامه: دوره ۷ تا ۹ (فرضی)" in row
    assert "انجام: دوره ۵ تا ۹" in row
    assert "فاز نامطمئن" in row
