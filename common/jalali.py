"""Jalali calendar ranges for filters and reports.

A Jalali month or year is turned into a range of Gregorian instants in Tehran time, so filters
never use the database's Gregorian ``__month``/``__year`` (C04) and a date is taken in Tehran, not
in UTC (C05).
"""

import datetime
import zoneinfo

import jdatetime
from django.conf import settings

MONTH_NAMES = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن",
               "اسفند"]


def month_dates(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The Gregorian first day of Jalali ``year``/``month`` and the first day after it.

    ``month_dates(1404, 5)`` is ``(2025-07-23, 2025-08-23)``. Raises ``ValueError`` for a month
    outside 1–12.
    """
    if not 1 <= month <= 12:
        raise ValueError("month")
    start = jdatetime.date(year, month, 1)
    after = jdatetime.date(year + 1, 1, 1) if month == 12 else jdatetime.date(year, month + 1, 1)
    return start.togregorian(), after.togregorian()


def year_dates(year: int) -> tuple[datetime.date, datetime.date]:
    """The Gregorian first day of Jalali ``year`` and of the next one (1404 → 2025-03-21, 2026-03-21)."""
    return jdatetime.date(year, 1, 1).togregorian(), jdatetime.date(year + 1, 1, 1).togregorian()


def instants(dates: tuple[datetime.date, datetime.date]) -> tuple[datetime.datetime, datetime.datetime]:
    """Midnight in Tehran at each of the two dates, as aware datetimes (for ``__gte``/``__lt``)."""
    tehran = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return tuple(datetime.datetime.combine(day, datetime.time.min, tzinfo=tehran) for day in dates)


def current_year() -> int:
    """The Jalali year today in Tehran."""
    from django.utils import timezone

    return jdatetime.date.fromgregorian(date=timezone.localdate()).year
