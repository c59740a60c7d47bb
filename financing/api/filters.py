"""The bank API list's filters (issue 8): validated query parameters and the scoped query they give.

Every value may be typed with Persian or Arabic-Indic digits. A malformed value is a 400 in the
one error shape; a well-formed one that matches nothing (an unknown province code) gives an empty
list. ``updated_since`` takes an ISO 8601 or a Jalali date-time; without an offset it is Tehran
time (C05), so ``1404-01-01`` and ``2025-03-21`` are the same instant, 00:00 in Tehran.
"""

import datetime
import re
import zoneinfo

import jdatetime
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.fields import INT64_MAX, fits_int64
from common.normalization import to_ascii_digits

from ..selectors import applications_visible_to
from ..workflow import ApplicationState

# Date, optional time, optional offset. A "+" sent unencoded in a query string arrives as a space,
# so a space before the offset reads as "+".
_MOMENT = re.compile(
    r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6}))?)?"
    r"(?P<tz>Z|[+\- ]\d{2}:?\d{2})?)?"
)
JALALI_YEARS = range(1300, 1700)
GREGORIAN_YEARS = range(1900, 3000)
BAD_MOMENT = _("زمان را به شکل ISO 8601 (مانند 2025-03-21T10:00:00+03:30) یا شمسی (مانند 1404-01-01T10:00) بفرستید.")


def parse_moment(text) -> datetime.datetime:
    """An aware datetime from ISO 8601 (``2025-03-21T10:00:00Z``, ``2025-03-21``) or a Jalali
    date-time (``1404/01/01 10:00``, ``۱۴۰۴-۰۱-۰۱``), in any digits. A year from 1300 to 1699 is
    Jalali, 1900 to 2999 Gregorian. Without an offset the time is Tehran's; without a time, the
    day's start. Raises ``ValueError`` for anything else."""
    match = _MOMENT.fullmatch(to_ascii_digits(str(text)).strip())
    if not match:
        raise ValueError(text)
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    if year in JALALI_YEARS:
        date = jdatetime.date(year, month, day).togregorian()
    elif year in GREGORIAN_YEARS:
        date = datetime.date(year, month, day)
    else:
        raise ValueError(year)
    time = datetime.time(int(match["H"] or 0), int(match["M"] or 0), int(match["S"] or 0),
                         int((match["f"] or "0").ljust(6, "0")))
    tz = match["tz"]
    if not tz:
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    elif tz == "Z":
        zone = datetime.UTC
    else:
        digits = tz[1:].replace(":", "")
        offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        zone = datetime.timezone(-offset if tz[0] == "-" else offset)
    return datetime.datetime.combine(date, time, tzinfo=zone)


class CommaListField(serializers.ListField):
    """A repeated query parameter, or one with comma-separated values: ``?state=a&state=b`` or
    ``?state=a,b``."""

    def to_internal_value(self, data):
        values = [data] if isinstance(data, str) else list(data) if isinstance(data, list | tuple) else data
        if isinstance(values, list):
            values = [part.strip() for value in values for part in str(value).split(",") if part.strip()]
        return super().to_internal_value(values)


@extend_schema_field({"type": "string", "example": "7",
                      "description": "An id (digits) or a code; a code is matched ignoring case."})
class IdOrCodeField(serializers.CharField):
    """An id (``42``, ``۴۲``) or a code (``IR-07``): ``("id", 42)`` or ``("code", "IR-07")``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 60)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = to_ascii_digits(super().to_internal_value(data)).strip()
        if text.isascii() and text.isdigit():
            if not fits_int64(text) or int(text) == 0:
                raise serializers.ValidationError(_("شناسه نامعتبر است."))
            return ("id", int(text))
        if not re.fullmatch(r"[A-Za-z0-9_\-]+", text):
            raise serializers.ValidationError(_("شناسه یا کد نامعتبر است."))
        return ("code", text)


@extend_schema_field({"type": "string", "example": "2025-03-21T10:00:00+03:30",
                      "description": "Rows changed at or after this instant. ISO 8601 (with or without an "
                                     "offset; without one, Tehran time) or a Jalali date-time such as "
                                     "1404-01-01T10:00 or 1404/01/01; any digits."})
class MomentField(serializers.Field):
    """``parse_moment``'s datetime; a bad value is a 400."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 64:
            raise serializers.ValidationError(BAD_MOMENT)
        try:
            return parse_moment(data)
        except (ValueError, OverflowError):
            raise serializers.ValidationError(BAD_MOMENT) from None

    def to_representation(self, value):  # pragma: no cover - input only
        return value.isoformat()


class ApplicationFilterSerializer(serializers.Serializer):
    """The list's query parameters."""

    state = CommaListField(child=serializers.ChoiceField(choices=ApplicationState.choices), required=False,
                           help_text="One or several state codes (repeat the parameter or separate by commas).")
    province = IdOrCodeField(required=False, help_text="The province's id or its ISO code (e.g. IR-07).")
    priority_sector = serializers.IntegerField(required=False, min_value=1, max_value=INT64_MAX,
                                               help_text="The priority sector's id.")
    economic_sector = IdOrCodeField(required=False, help_text="The economic sector's id or code.")
    updated_since = MomentField(required=False)


def _by_id_or_code(field, value):
    kind, key = value
    return {f"{field}_id": key} if kind == "id" else {f"{field}__code__iexact": key}


def bank_applications(user, filters=None):
    """The applications referred to ``user``'s bank (within the officer's provinces, if narrowed),
    through ``financing.selectors``, narrowed by the validated ``filters`` of
    ``ApplicationFilterSerializer``, with what a list row shows joined. Unordered: the paging
    orders it."""
    queryset = applications_visible_to(user).select_related("county", "economic_sector").order_by()
    filters = filters or {}
    if filters.get("state"):
        queryset = queryset.filter(state__in=filters["state"])
    if "province" in filters:
        queryset = queryset.filter(**_by_id_or_code("province", filters["province"]))
    if "priority_sector" in filters:
        queryset = queryset.filter(priority_sector_id=filters["priority_sector"])
    if "economic_sector" in filters:
        queryset = queryset.filter(**_by_id_or_code("economic_sector", filters["economic_sector"]))
    if "updated_since" in filters:
        queryset = queryset.filter(updated_at__gte=filters["updated_since"])
    return queryset
