"""Form fields for Persian input: amounts in rials, whole numbers, Jalali dates, Persian text.

They accept Persian (۰–۹) and Arabic-Indic (٠–٩) digits and the separators ``٬`` and ``,``, fold
Arabic ي/ك to ی/ک, and give their errors in Persian.
"""

import datetime
import re

import jdatetime
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .normalization import (
    normalize_amount,
    normalize_multiline,
    normalize_reference,
    normalize_text,
    to_ascii_digits,
    to_persian_digits,
)

INT64_MAX = 2**63 - 1
# 2⁶³ − 1 has 19 digits. Anything longer is refused by its length, before ``int()``: Python refuses to
# convert more than 4,300 digits (``ValueError``), which would otherwise surface as a 500.
INT64_DIGITS = len(str(INT64_MAX))


def fits_int64(digits: str) -> bool:
    """True when the ASCII ``digits`` are a whole number from 0 to 2⁶³ − 1 (any length of input)."""
    digits = digits.lstrip("0") or "0"
    return len(digits) <= INT64_DIGITS and int(digits) <= INT64_MAX


class PersianCharField(forms.CharField):
    """Text with Arabic letters folded to Persian and half-spaces tidied."""

    def to_python(self, value):
        return normalize_text(super().to_python(value))


class PersianTextField(forms.CharField):
    """Several lines of Persian text in a text area (``normalize_multiline``: each line folded like
    ``PersianCharField``, the breaks kept); ``rows`` is the text area's height."""

    def __init__(self, *, rows=3, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_multiline(super().to_python(value))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files (a list of uploads, empty when none is optional); the service checks each
    one's content and size (``common.files``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.xlsx,.docx,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            if not data and self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


RIAL_ERRORS = {
    "invalid": _("مبلغ را به ریال و به صورت عدد صحیح وارد کنید."),
    "min_value": _("مبلغ باید دست‌کم %(limit)s ریال باشد."),
    "too_large": _("مبلغ بیش از حد بزرگ است."),
}


def clean_rials(value, *, min_value=1) -> int:
    """A whole number of rials from ``۵۵۱٬۰۰۰٬۰۰۰``, ``551,000,000``, ``۵۵۱۰۰۰۰۰۰`` or an ``int``.

    Raises ``ValidationError`` (Persian) for decimals (``۵۵۱٫۵``), letters, amounts below
    ``min_value`` or beyond a 64-bit column (C07, C10). Shared by forms and API serializers.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise forms.ValidationError(RIAL_ERRORS["invalid"], code="invalid")
    text = normalize_amount(value)
    if not re.fullmatch(r"[0-9]+", text):
        raise forms.ValidationError(RIAL_ERRORS["invalid"], code="invalid")
    if not fits_int64(text):
        raise forms.ValidationError(RIAL_ERRORS["too_large"], code="too_large")
    amount = int(text)
    if min_value is not None and amount < min_value:
        raise forms.ValidationError(RIAL_ERRORS["min_value"], code="min_value",
                                    params={"limit": to_persian_digits(f"{min_value:,}")})
    return amount


class RialField(forms.Field):
    """A whole number of rials typed the way Iranians type it (``clean_rials``); cleans to ``int``."""

    def __init__(self, *, min_value=1, **kwargs):
        self.min_value = min_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return clean_rials(value, min_value=self.min_value)


class ReferenceField(forms.CharField):
    """A bank's or a contract's reference (``BNK-7781``): ASCII digits, no spaces, half-spaces or
    direction marks, so the same reference typed on a Persian keyboard is the same text (C08)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_reference(super().to_python(value))


class WholeNumberField(forms.IntegerField):
    """A whole number (persons, percent, months) typed in any digits. More digits than a 64-bit
    column holds are refused as too large, before ``int()`` sees them."""

    default_error_messages = {
        "invalid": _("یک عدد صحیح وارد کنید، مثلاً ۲۵۰۰."),
        "too_large": _("عدد بیش از حد بزرگ است."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_amount(value)
            digits = value.lstrip("+-")
            if digits.isascii() and digits.isdigit() and not fits_int64(digits):
                raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return super().to_python(value)


class DecimalPercentField(forms.DecimalField):
    """A rate in percent typed in any digits, with ``.`` or the Persian decimal sign ``٫``.

    A text input, not ``type=number``: browsers empty a number input that holds Persian digits.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = to_ascii_digits(value).replace("\u066b", ".").replace("/", ".").strip()
            # Plain decimals only: Python's Decimal would also read "1e1" as 10 and "Infinity".
            if value and not _PLAIN_DECIMAL.fullmatch(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


_PLAIN_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def parse_jalali_date(value) -> datetime.date:
    """``1403/12/30``, ``۱۴۰۳-۱۲-۳۰`` or ``١٤٠٣/١٢/٣٠`` → the Gregorian ``date`` (2025-03-20).

    Month lengths follow the official calendar (jdatetime), so ``1404/12/30`` is refused.
    Raises ``ValueError``.
    """
    text = to_ascii_digits(str(value)).strip()
    match = re.fullmatch(r"(\d{4})[/\-](\d{1,2})[/\-](\d{1,2})", text)
    if not match:
        raise ValueError("format")
    year, month, day = (int(part) for part in match.groups())
    return jdatetime.date(year, month, day).togregorian()


JALALI_DATE_ERRORS = {
    "invalid": _("تاریخ را به صورت شمسی و به شکل ۱۴۰۳/۱۲/۳۰ وارد کنید."),
    "no_such_day": _("این تاریخ در تقویم شمسی وجود ندارد."),
    "year_range": _("سال باید شمسی و بین %(min)s و %(max)s باشد."),
    "future": _("این تاریخ نباید بعد از امروز باشد."),
}


def clean_jalali_date(value, *, min_year=1390, max_year=1450, not_future=False) -> datetime.date:
    """The Gregorian date of a Jalali date typed as ``YYYY/MM/DD`` or ``YYYY-MM-DD`` in any digits.

    Raises ``ValidationError`` (Persian) for another shape, a day the Jalali calendar lacks
    (``1404/12/30``), a year outside ``min_year``–``max_year`` — so a Gregorian date typed by
    mistake (``2025-03-20``) is never read as the Jalali year 2025 (C02) — or, with ``not_future``,
    a day after today in Tehran. Shared by forms and API serializers.
    """
    text = to_ascii_digits(str(value)).strip()
    year = re.match(r"\d{4}", text)
    if year and not min_year <= int(year.group()) <= max_year:
        raise forms.ValidationError(JALALI_DATE_ERRORS["year_range"], code="year_range",
                                    params={"min": to_persian_digits(min_year), "max": to_persian_digits(max_year)})
    try:
        day = parse_jalali_date(text)
    except ValueError as error:
        code = "invalid" if str(error) == "format" else "no_such_day"
        raise forms.ValidationError(JALALI_DATE_ERRORS[code], code=code) from None
    if not_future and day > timezone.localdate():
        raise forms.ValidationError(JALALI_DATE_ERRORS["future"], code="future")
    return day


class JalaliDateField(forms.Field):
    """A date typed in the Jalali calendar (``clean_jalali_date``); cleans to a Gregorian ``date``
    and shows the Jalali date back."""

    def __init__(self, *, min_year=1390, max_year=1450, not_future=False, **kwargs):
        self.limits = {"min_year": min_year, "max_year": max_year, "not_future": not_future}
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "۱۴۰۴/۰۱/۰۱", "dir": "ltr",
                                                           "data-jdp": "", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d")
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        return clean_jalali_date(value, **self.limits)


NOT_A_CHOICE = _("گزینه انتخاب‌شده معتبر نیست.")


def _checked_ids(values, message=NOT_A_CHOICE):
    """Refuse primary keys that are not whole numbers a 64-bit column can hold, before any query:
    a 20-digit id would overflow the database driver, a 5,000-digit one ``int()``."""
    for value in values:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or not fits_int64(text) or int(text) == 0:
            raise forms.ValidationError(message, code="invalid_choice")


class IdModelChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` that refuses junk ids (letters, ``-1``, 2⁶³, 5,000 digits) with its
    Persian ``invalid_choice`` message (by default ``NOT_A_CHOICE``)."""

    default_error_messages = {"invalid_choice": NOT_A_CHOICE}

    def to_python(self, value):
        if value not in self.empty_values:
            _checked_ids([value], self.error_messages["invalid_choice"])
        return super().to_python(value)


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ``ModelMultipleChoiceField`` that refuses junk ids with a Persian message."""

    def _check_values(self, value):
        _checked_ids(value)
        return super()._check_values(value)


def fits_int64_digits_in(text) -> bool:
    """False when ``text`` (a query parameter) holds a run of digits too long for a 64-bit column,
    e.g. ``99999999999999999999`` or ``1,99999999999999999999``."""
    return all(fits_int64(run) for run in re.findall(r"[0-9]+", to_ascii_digits(str(text))))


class BootstrapFormMixin:
    """Give every widget Bootstrap's class (``form-control``, ``form-select`` or ``form-check-input``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
