"""Display filters for the Persian UI: Persian digits, Jalali dates in Tehran time, rials.

Loaded as a template builtin, so every template can use them without ``{% load %}``.
"""

import datetime
from decimal import Decimal

import jdatetime
from django import template
from django.utils import timezone
from django.utils.html import format_html

from common.normalization import to_persian_digits

register = template.Library()

_THOUSANDS = "\u066c"


@register.filter
def fa(value):
    """Any value as text with Persian digits; decimals with the Persian decimal sign and no
    trailing zeros (``Decimal("10.50")`` → ``۱۰٫۵``). ``None`` shows as an empty string."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal | float):
        text = f"{Decimal(str(value)).normalize():f}"
        return to_persian_digits(text).replace(".", "\u066b")
    return to_persian_digits(value)


@register.filter
def fa_number(value):
    """An integer with Persian digits and the Persian thousands separator: ``۵۵۱٬۰۰۰``."""
    if value is None or value == "":
        return ""
    return to_persian_digits(f"{int(value):,}".replace(",", _THOUSANDS))


@register.filter
def billion_rials(value):
    """Rials shown in billion rials (the seed's unit), Persian digits; up to three decimals (a
    million rials), only when needed."""
    if value is None:
        return ""
    billions = Decimal(int(value)) / 10**9
    text = f"{billions:,.3f}".rstrip("0").rstrip(".")
    return to_persian_digits(text.replace(",", _THOUSANDS).replace(".", "\u066b"))


def to_jalali(value):
    """A ``date`` or aware ``datetime`` as a jdatetime object; datetimes in Tehran time."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return jdatetime.datetime.fromgregorian(datetime=value)
    return jdatetime.date.fromgregorian(date=value)


@register.filter
def jdate(value, fmt="%Y/%m/%d"):
    """A Gregorian date or datetime as a Jalali date, Tehran time, Persian digits."""
    if not value:
        return ""
    return to_persian_digits(to_jalali(value).strftime(fmt))


@register.filter
def jdatetime_fa(value):
    """An aware datetime as ``۱۴۰۴/۰۱/۰۱ ۰۰:۱۵`` in Tehran time."""
    return jdate(value, "%Y/%m/%d %H:%M")


@register.filter
def ltr(value):
    """Wrap a code (tracking code, national ID, reference) in a left-to-right isolate (C13)."""
    if value in (None, ""):
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter
def tracking_code(value):
    """A tracking code in groups of four, Persian digits, inside a left-to-right isolate (C13)."""
    if not value:
        return ""
    text = str(value)
    return ltr(to_persian_digits(" ".join(text[i : i + 4] for i in range(0, len(text), 4))))
