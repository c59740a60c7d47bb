"""The programme's two-month periods (``programs.calendar``, §14): counted from 1 Tir 1398 in Jalali
months (C04) with the official leap years (C01), going on past the plan's 18 periods.

Every Gregorian date below was checked with jdatetime (``jdatetime.date(y, m, d).togregorian()``).
"""

import datetime

import jdatetime
import pytest

from programs import calendar
from programs.calendar import (
    DEFAULT_START,
    PLAN_PERIODS,
    current_period,
    is_beyond_plan,
    period_end,
    period_label,
    period_of,
    period_start,
)
from programs.models import Programme

START = datetime.date(2019, 6, 22)  # 1 Tir 1398

# (period, its first day in Jalali, the same day in Gregorian)
PERIOD_STARTS = [
    (1, (1398, 4, 1), datetime.date(2019, 6, 22)),
    (2, (1398, 6, 1), datetime.date(2019, 8, 23)),
    (3, (1398, 8, 1), datetime.date(2019, 10, 23)),
    (4, (1398, 10, 1), datetime.date(2019, 12, 22)),
    (5, (1398, 12, 1), datetime.date(2020, 2, 20)),
    (6, (1399, 2, 1), datetime.date(2020, 4, 20)),
    (7, (1399, 4, 1), datetime.date(2020, 6, 21)),
    (8, (1399, 6, 1), datetime.date(2020, 8, 22)),
    (9, (1399, 8, 1), datetime.date(2020, 10, 22)),
    (10, (1399, 10, 1), datetime.date(2020, 12, 21)),
    (11, (1399, 12, 1), datetime.date(2021, 2, 19)),
    (12, (1400, 2, 1), datetime.date(2021, 4, 21)),
    (13, (1400, 4, 1), datetime.date(2021, 6, 22)),
    (14, (1400, 6, 1), datetime.date(2021, 8, 23)),
    (15, (1400, 8, 1), datetime.date(2021, 10, 23)),
    (16, (1400, 10, 1), datetime.date(2021, 12, 22)),
    (17, (1400, 12, 1), datetime.date(2022, 2, 20)),
    (18, (1401, 2, 1), datetime.date(2022, 4, 21)),
]


def jalali(year, month, day) -> datetime.date:
    return jdatetime.date(year, month, day).togregorian()


def test_the_seed_start_is_1_tir_1398():
    assert DEFAULT_START == START == jalali(1398, 4, 1)
    assert PLAN_PERIODS == 18


@pytest.mark.parametrize(("n", "jalali_day", "gregorian"), PERIOD_STARTS)
def test_each_of_the_18_periods_starts_on_the_first_of_its_jalali_month(n, jalali_day, gregorian):
    assert jalali(*jalali_day) == gregorian
    assert period_start(n, START) == gregorian
    assert period_of(gregorian, START) == n
    # The day before belongs to the previous period (0 before the first).
    assert period_of(gregorian - datetime.timedelta(days=1), START) == n - 1


def test_the_18th_period_ends_on_31_khordad_1401():
    assert period_end(18, START) == jalali(1401, 3, 31) == datetime.date(2022, 6, 21)
    assert period_of(datetime.date(2022, 6, 21), START) == 18
    assert period_of(datetime.date(2022, 6, 22), START) == 19  # 1 Tir 1401: beyond the plan


def test_first_and_last_day_of_a_period():
    # Period 5 is Esfand 1398 (29 days, 1398 is not leap) and Farvardin 1399.
    assert period_start(5, START) == jalali(1398, 12, 1)
    assert period_end(5, START) == jalali(1399, 1, 31) == datetime.date(2020, 4, 19)
    assert period_of(jalali(1398, 12, 1), START) == 5
    assert period_of(jalali(1398, 12, 29), START) == 5
    assert period_of(jalali(1399, 1, 31), START) == 5
    assert period_of(jalali(1399, 2, 1), START) == 6


def test_esfand_30_of_a_leap_year():
    # 1403 is leap (C01): 1403-12-30 is 2025-03-20, the last day of Esfand. Periods from Tir 1398:
    # Esfand 1403 is month 5*12 + 8 = 68 after Tir 1398, so period 68 // 2 + 1 = 35 (Esfand–Farvardin).
    day = jalali(1403, 12, 30)
    assert day == datetime.date(2025, 3, 20)
    assert period_of(day, START) == 35
    assert period_of(day + datetime.timedelta(days=1), START) == 35  # 1404-01-01, same period
    assert period_start(35, START) == jalali(1403, 12, 1)
    assert period_end(35, START) == jalali(1404, 1, 31)
    assert period_label(35, START) == "اسفند ۱۴۰۳–فروردین ۱۴۰۴"


def test_a_day_in_1405_is_beyond_the_plan():
    # 1405-09-11 (Azar) is 7*12 + 5 = 89 months after Tir 1398: period 89 // 2 + 1 = 45 (Aban–Azar 1405).
    day = jalali(1405, 9, 11)
    assert day == datetime.date(2026, 12, 2)
    assert period_of(day, START) == 45
    assert period_start(45, START) == jalali(1405, 8, 1)
    assert period_end(45, START) == jalali(1405, 9, 30)
    assert period_label(45, START) == "آبان–آذر ۱۴۰۵"
    assert is_beyond_plan(45)
    assert is_beyond_plan(19)
    assert not is_beyond_plan(18)
    assert not is_beyond_plan(1)


def test_period_zero_before_the_start():
    assert period_of(datetime.date(2019, 6, 21), START) == 0  # 31 Khordad 1398
    assert period_of(datetime.date(2010, 1, 1), START) == 0


def test_period_before_the_first_is_refused():
    with pytest.raises(ValueError):
        period_start(0, START)


def test_labels_in_persian():
    assert period_label(1, START) == "تیر–مرداد ۱۳۹۸"
    assert period_label(5, START) == "اسفند ۱۳۹۸–فروردین ۱۳۹۹"
    assert period_label(18, START) == "اردیبهشت–خرداد ۱۴۰۱"


def test_every_day_lies_inside_its_period():
    day, last = START, datetime.date(2027, 3, 21)
    while day <= last:
        n = period_of(day, START)
        assert period_start(n, START) <= day <= period_end(n, START)
        day += datetime.timedelta(days=7)


def test_a_start_in_mid_month_counts_from_that_day():
    start = jalali(1398, 4, 15)
    assert period_start(2, start) == jalali(1398, 6, 15)
    assert period_end(1, start) == jalali(1398, 6, 14)
    assert period_of(jalali(1398, 6, 14), start) == 1
    assert period_of(jalali(1398, 6, 15), start) == 2


@pytest.mark.django_db
def test_the_start_is_read_from_the_programme_row():
    Programme.objects.create(name="آزمایشی", start_date=jalali(1399, 1, 1), new_jobs_target=1,
                             retained_jobs_target=1, institutions_target=1, cost_per_job_rials=1,
                             per_capita_income_growth_percent=1)
    assert period_start(1) == datetime.date(2020, 3, 20)
    assert period_of(datetime.date(2020, 5, 20)) == 1  # 31 Ordibehesht 1399
    assert period_of(datetime.date(2020, 5, 21)) == 2  # 1 Khordad 1399
    assert period_label(1) == "فروردین–اردیبهشت ۱۳۹۹"


@pytest.mark.django_db
def test_without_a_programme_row_the_seed_start_is_used():
    assert period_start(1) == START


def test_current_period_is_todays_in_tehran(monkeypatch):
    monkeypatch.setattr(calendar.timezone, "localdate", lambda: jalali(1405, 9, 11))
    assert current_period(START) == 45
    monkeypatch.setattr(calendar.timezone, "localdate", lambda: jalali(1398, 5, 31))
    assert current_period(START) == 1
