"""The programme's calendar: two-month periods counted from its start (§14, roles.md "Dates and the
programme's calendar").

Period 1 begins on the programme's start date (1 Tir 1398 = 2019-06-22, ``Programme.start_date``)
and each period is two Jalali months long, so period 1 is Tir–Mordad 1398 and period 18, the plan's
last, ends on 31 Khordad 1401 (2022-06-21). Periods keep counting after the 18th ("beyond the
plan"): 1 Azar 1405 falls in period 45. A day before the start is in period 0.

Months are Jalali months (C04) with the official leap years (C01), through ``jdatetime``. Every
function takes ``start`` (a Gregorian ``date``); ``None`` reads the programme row
(``programme_start``), which costs a query: callers that compute many periods pass it once.
"""

import datetime

import jdatetime
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import RuleBroken
from common.jalali import MONTH_NAMES
from common.normalization import to_persian_digits
from common.templatetags.persian import jdate

PLAN_PERIODS = 18  # §14: 18 two-month periods (36 months)
# The last period a plan or a milestone may name: 20 years, far beyond any real timetable, while a
# typo (60000) cannot reach the calendar's year range and crash every page that draws the plan.
LAST_PERIOD = 120
MONTHS_PER_PERIOD = 2
# The seed's date, used when no programme row is loaded yet (fixtures/programme.json has the same).
DEFAULT_START = datetime.date(2019, 6, 22)


def programme_start() -> datetime.date:
    """The loaded programme's start date, or ``DEFAULT_START`` (1 Tir 1398) if none is loaded."""
    from .models import Programme

    start = Programme.objects.order_by("pk").values_list("start_date", flat=True).first()
    return start or DEFAULT_START


def _start(start):
    return programme_start() if start is None else start


def _add_months(day: jdatetime.date, months: int) -> jdatetime.date:
    """``day`` moved by ``months`` Jalali months; a day past the target month's end is clamped to it."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    for day_of_month in range(day.day, 28, -1):  # 31, 30, 29: every Jalali month has a 29th
        try:
            return jdatetime.date(year, month + 1, day_of_month)
        except ValueError:
            continue
    return jdatetime.date(year, month + 1, min(day.day, 29))


def period_start(n: int, start: datetime.date | None = None) -> datetime.date:
    """The first day (Gregorian) of period ``n`` (1, 2, …): the start plus 2 × (n − 1) Jalali months.

    ``period_start(1)`` is 2019-06-22 (1 Tir 1398), ``period_start(5)`` 2020-02-20 (1 Esfand 1398).
    Raises ``ValueError`` for ``n`` < 1.
    """
    if n < 1:
        raise ValueError("period")
    first = jdatetime.date.fromgregorian(date=_start(start))
    return _add_months(first, MONTHS_PER_PERIOD * (n - 1)).togregorian()


def period_end(n: int, start: datetime.date | None = None) -> datetime.date:
    """The last day (Gregorian, inclusive) of period ``n``: the day before period ``n + 1`` begins.
    ``period_end(18)`` is 2022-06-21 (31 Khordad 1401)."""
    start = _start(start)
    return period_start(n + 1, start) - datetime.timedelta(days=1)


def period_of(day: datetime.date, start: datetime.date | None = None) -> int:
    """The period ``day`` (a Gregorian ``date``) falls in: 1 from the start, 0 before it, and past
    ``PLAN_PERIODS`` for days beyond the plan (1405-09-11 → 45)."""
    start = _start(start)
    if day < start:
        return 0
    first, jday = jdatetime.date.fromgregorian(date=start), jdatetime.date.fromgregorian(date=day)
    months = (jday.year - first.year) * 12 + (jday.month - first.month)
    n = max(1, months // MONTHS_PER_PERIOD + 1)
    # The estimate is exact when the start is the 1st of a month; otherwise step to the right one.
    while n > 1 and period_start(n, start) > day:
        n -= 1
    while period_start(n + 1, start) <= day:
        n += 1
    return n


def _month_year(day: datetime.date) -> tuple[int, int]:
    jday = jdatetime.date.fromgregorian(date=day)
    return jday.month, jday.year


def period_label(n: int, start: datetime.date | None = None) -> str:
    """Period ``n`` as its Jalali months in Persian: «تیر–مرداد ۱۳۹۸»; across a year end
    «اسفند ۱۳۹۸–فروردین ۱۳۹۹». Raises ``ValueError`` for ``n`` < 1."""
    start = _start(start)
    first_month, first_year = _month_year(period_start(n, start))
    last_month, last_year = _month_year(period_end(n, start))
    first, last = MONTH_NAMES[first_month - 1], MONTH_NAMES[last_month - 1]
    if first_year == last_year:
        text = f"{first}–{last} {first_year}"
    else:
        text = f"{first} {first_year}–{last} {last_year}"
    return to_persian_digits(text)


def current_period(start: datetime.date | None = None) -> int:
    """The period of today in Tehran (``timezone.localdate``, C05)."""
    return period_of(timezone.localdate(), start)


def is_beyond_plan(n: int) -> bool:
    """Whether period ``n`` lies after the plan's 18 periods (roles.md: the portal runs past its plan)."""
    return n > PLAN_PERIODS


def check_recorded_day(day, *, field: str, required: bool = False) -> None:
    """Refuse a recorded day (a meeting, a milestone done, an instalment paid) that is not a
    ``datetime.date``, is after Tehran's today (C05) or is before the programme's start:
    ``RuleBroken`` on ``field``, in Persian. ``None`` (no date given) passes unless ``required``."""
    if day is None:
        if required:
            raise RuleBroken(_("تاریخ را وارد کنید."), field=field)
        return
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise RuleBroken(_("تاریخ معتبر نیست."), field=field)
    if day > timezone.localdate():
        raise RuleBroken(_("این تاریخ نباید بعد از امروز باشد."), field=field)
    start = programme_start()
    if day < start:
        raise RuleBroken(_("این تاریخ پیش از آغاز برنامه (%(start)s) است.") % {"start": jdate(start)}, field=field)
