"""Writing .xlsx cells (openpyxl) so that what is read back is what was written.

- Rials (C27): Excel keeps 15 significant digits, and openpyxl writes a larger int as a float
  (12,345,678,901,234,567 becomes ``1.234567890123457e+16``). An amount of at most
  999,999,999,999,999 rials is a number cell shown ``#,##0``; a larger one is a text cell holding
  its exact digits.
- Datetimes (C28): Excel has no time zones and openpyxl refuses an aware datetime. An aware
  datetime is written as Tehran's wall-clock time, naive, shown ``yyyy-mm-dd hh:mm``; the Jalali
  date goes beside it as text.
"""

import datetime
import zoneinfo

import jdatetime
from django.conf import settings

EXACT_RIALS_LIMIT = 999_999_999_999_999  # 15 digits: the most Excel stores exactly
RIALS_FORMAT = "#,##0"
TEXT_FORMAT = "@"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def set_rials(cell, amount):
    """Write ``amount`` (an int, rials; ``None`` for an empty cell) into the openpyxl ``cell``: a
    number cell formatted ``#,##0`` when its absolute value is at most ``EXACT_RIALS_LIMIT``,
    otherwise a text cell of its exact digits (C27). Returns the cell."""
    if amount is None:
        cell.value = None
        return cell
    amount = int(amount)
    if abs(amount) <= EXACT_RIALS_LIMIT:
        cell.value = amount
        cell.number_format = RIALS_FORMAT
    else:
        cell.value = str(amount)
        cell.number_format = TEXT_FORMAT
    return cell


def tehran_naive(value: datetime.datetime) -> datetime.datetime:
    """An aware datetime as Tehran's naive wall-clock time (2025-03-21T06:30Z → 2025-03-21 10:00).
    Raises ``ValueError`` for a naive datetime: its zone is unknown."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime: the time zone is unknown")
    return value.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None)


def set_datetime(cell, value):
    """Write the aware datetime ``value`` (``None`` for an empty cell) into ``cell`` as Tehran's
    naive time, formatted ``yyyy-mm-dd hh:mm`` (C28). Raises ``ValueError`` for a naive datetime.
    Returns the cell."""
    cell.value = None if value is None else tehran_naive(value)
    cell.number_format = DATETIME_FORMAT
    return cell


def jalali_text(value) -> str:
    """A date as ``1404/01/01`` or an aware datetime as ``1404/01/01 10:00`` (Tehran time), Latin
    digits, for a text column beside the Gregorian one (C28); ``""`` for ``None``."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return jdatetime.datetime.fromgregorian(datetime=tehran_naive(value)).strftime("%Y/%m/%d %H:%M")
    return jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d")
