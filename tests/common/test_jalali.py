"""The Jalali calendar (``common.jalali``, ``common.fields``): the leap years of the official
calendar (C01), any digits and separators (C03), and the Gregorian ranges of Jalali months and years."""

import datetime

import pytest

from common import jalali
from common.fields import parse_jalali_date


def test_c01_leap_years_follow_the_official_calendar():
    assert parse_jalali_date("1403/12/30") == datetime.date(2025, 3, 20)
    assert parse_jalali_date("1404-01-01") == datetime.date(2025, 3, 21)
    assert datetime.date(2025, 3, 21).weekday() == 4  # a Friday
    assert parse_jalali_date("1408/12/30") == datetime.date(2030, 3, 20)
    for missing in ("1404/12/30", "1407/12/30"):
        with pytest.raises(ValueError):
            parse_jalali_date(missing)


def test_c03_slashes_and_any_digits():
    for typed in ("1403/12/30", "۱۴۰۳/۱۲/۳۰", "١٤٠٣/١٢/٣٠", "1403-12-30"):
        assert parse_jalali_date(typed) == datetime.date(2025, 3, 20)


def test_month_and_year_ranges():
    assert jalali.month_dates(1404, 5) == (datetime.date(2025, 7, 23), datetime.date(2025, 8, 23))
    assert jalali.month_dates(1403, 12) == (datetime.date(2025, 2, 19), datetime.date(2025, 3, 21))
    assert jalali.year_dates(1404) == (datetime.date(2025, 3, 21), datetime.date(2026, 3, 21))
