"""DRF fields for Persian input, sharing the form fields' cleaners (``programs.fields``), so the
bank API accepts and refuses exactly what the UI does.

- ``RialField``: rials as an integer; accepts ``"۵۵۱٬۰۰۰٬۰۰۰"`` or ``551000000``; returns an int.
- ``JalaliDateField``: ``"1380-12-07"`` (or ``/``, any digits) in, Gregorian date stored, the
  Jalali date back out as ``"1380-12-07"`` (C02); ``1404-12-30`` is a 400.
- ``PersianCharField``: text with Arabic ي/ك folded and half-spaces tidied.
- ``ReferenceField``: ``" BNK-۷۷۸۲ "`` stored as ``"BNK-7782"``.
Errors are Persian, in DRF's usual ``{"field": ["message"]}`` shape.
"""

import datetime

import jdatetime
from django.utils.translation import gettext as _
from rest_framework import serializers

from .fields import clean_jalali_date, clean_rials
from .normalization import normalize_reference, normalize_text


def _as_drf_error(error):
    return serializers.ValidationError([str(m) for m in error.messages], code=getattr(error, "code", None))


class RialField(serializers.Field):
    def __init__(self, *, min_value=1, **kwargs):
        self.min_value = min_value
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError

        try:
            return clean_rials(data, min_value=self.min_value)
        except ValidationError as error:
            raise _as_drf_error(error) from None

    def to_representation(self, value):
        return int(value)


class JalaliDateField(serializers.Field):
    def __init__(self, *, min_year=1390, max_year=1450, not_future=False, **kwargs):
        self.limits = {"min_year": min_year, "max_year": max_year, "not_future": not_future}
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError

        if not isinstance(data, str):
            raise serializers.ValidationError([_("تاریخ را به صورت متن شمسی مانند 1403-12-30 بفرستید.")],
                                              code="invalid")
        try:
            return clean_jalali_date(data, **self.limits)
        except ValidationError as error:
            raise _as_drf_error(error) from None

    def to_representation(self, value: datetime.date):
        return jdatetime.date.fromgregorian(date=value).strftime("%Y-%m-%d")


class ReferenceField(serializers.CharField):
    """A bank or contract reference, stored as ASCII without spaces or invisible marks (C08)."""

    def to_internal_value(self, data):
        return normalize_reference(super().to_internal_value(data))


class PersianCharField(serializers.CharField):
    def to_internal_value(self, data):
        return normalize_text(super().to_internal_value(data))
