"""The shapes the bank API's actions share (issue 8, "Formats"): Persian-tolerant input fields,
the pair of fields every date takes (``…_date`` ISO, ``…_date_jalali`` Jalali), the short
application block every action answers with, and the error shape for the schema.

Money is integer rials (``RialField``: ``5510000000``, ``"۵٬۵۱۰٬۰۰۰٬۰۰۰"``); rates are decimals in
percent (``18``, ``"18.5"``, ``"۱۸٫۵"``; never ``"1e1"``); month counts whole numbers in any digits.
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers

from common import serializer_fields
from common.normalization import to_ascii_digits

from ..models import ApplicationState
from .errors import ENGLISH

_PLAIN_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
# A Gregorian year outside these is almost surely a Jalali date sent in an ISO field (C02).
ISO_YEARS = (2000, 2100)


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1, "example": 5510000000,
                      "description": "Rials: an integer, or a string of digits (Persian digits and ٬ , separators "
                                     "accepted)."})
class RialField(serializer_fields.RialField):
    """``common.serializer_fields.RialField`` with its schema."""


@extend_schema_field({"type": "string", "example": "1403-12-30",
                      "description": "A Jalali date YYYY-MM-DD (or YYYY/MM/DD, any digits)."})
class JalaliDateField(serializer_fields.JalaliDateField):
    """``common.serializer_fields.JalaliDateField`` with its schema."""


class PercentField(serializers.DecimalField):
    """A rate in percent, 0–100 with at most 2 decimals: a JSON number, or a string in any digits
    with ``.`` or ``٫``. Exponent notation (``"1e1"``), ``NaN`` and ``Infinity`` are refused, as
    ``common.fields.DecimalPercentField`` refuses them."""

    def __init__(self, **kwargs):
        kwargs.update(max_digits=5, decimal_places=2, min_value=0, max_value=100)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        if isinstance(data, str):
            data = to_ascii_digits(data).replace("\u066b", ".").strip()
            if len(data) > 100 or not _PLAIN_DECIMAL.fullmatch(data):
                self.fail("invalid")
        return super().to_internal_value(data)


class WholeNumberField(serializers.IntegerField):
    """A whole number (months, tranches) as a JSON integer or a string in any digits."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        if isinstance(data, str):
            data = to_ascii_digits(data).strip()
        return super().to_internal_value(data)


class IsoDateField(serializers.DateField):
    """An ISO 8601 Gregorian date (``2025-03-20``, any digits). A year outside 2000–2100 is refused
    with a hint: ``1403-12-30`` in an ISO field is a Jalali date sent in the wrong field (C02)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["iso-8601"])
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str):
            value = to_ascii_digits(value).strip()
        day = super().to_internal_value(value)
        if not ISO_YEARS[0] <= day.year <= ISO_YEARS[1]:
            raise serializers.ValidationError(_("سال تاریخ میلادی باید بین ۲۰۰۰ و ۲۱۰۰ باشد؛ تاریخ شمسی را در "
                                                "فیلد ‎…_date_jalali‎ بفرستید."), code="year_range")
        return day


class ReferenceField(serializer_fields.ReferenceField):
    """A bank reference (ASCII digits, no spaces or invisible marks); empty after that is refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 60)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value:
            self.fail("blank")
        return value


def reason_field(*, required):
    """The free-text reason (Persian, at most 2,000 characters); ``required`` for a rejection or
    a cancellation (roles.md)."""
    if required:
        return serializer_fields.PersianCharField(max_length=2000, help_text="Why (required).")
    return serializer_fields.PersianCharField(max_length=2000, required=False, allow_blank=True, default="",
                                              help_text="An optional note for the history.")


def expected_state_field():
    return serializers.ChoiceField(
        choices=ApplicationState.choices, required=False,
        help_text="The state you last read. If the application is in another state now, nothing changes and "
                  "the answer is 409 stale_state.")


def take_date(attrs, name, *, required=True, not_future=True) -> datetime.date | None:
    """Pop ``{name}_date`` and ``{name}_date_jalali`` from ``attrs`` and return their one date.
    Either may be sent; both must then name the same day. Raises ``ValidationError`` on the field
    concerned for neither (when ``required``), a disagreement, or (``not_future``) a day after today
    in Tehran."""
    iso, jalali = attrs.pop(f"{name}_date", None), attrs.pop(f"{name}_date_jalali", None)
    if iso and jalali and iso != jalali:
        raise serializers.ValidationError({f"{name}_date_jalali": [
            _("تاریخ شمسی و تاریخ میلادی فرستاده‌شده یک روز نیستند.")]})
    day = iso or jalali
    if day is None and required:
        raise serializers.ValidationError({f"{name}_date": [
            _("تاریخ را به صورت میلادی (…_date) یا شمسی (…_date_jalali) بفرستید.")]})
    if day is not None and not_future and day > timezone.localdate():
        raise serializers.ValidationError({f"{name}_date" if iso else f"{name}_date_jalali": [
            _("این تاریخ نباید بعد از امروز باشد.")]})
    return day


# --- output ---------------------------------------------------------------------------------------

@extend_schema_field({"type": "string", "example": "1403-12-30", "description": "Jalali date YYYY-MM-DD."})
class JalaliOutField(serializers.Field):
    """A date read back in the Jalali calendar, ``YYYY-MM-DD`` (``None`` stays ``null``)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return serializer_fields.JalaliDateField().to_representation(value)


def rate_out(**kwargs):
    """A rate in percent in a response: a JSON number (``18.0``)."""
    return serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False, **kwargs)



class ContractSerializer(serializers.Serializer):
    """A signed loan contract: the bank's rate, the subsidy in points, the applicant's rate (their
    difference) and the interest subsidy computed from the terms and committed (rials)."""

    id = serializers.IntegerField()
    contract_number = serializers.CharField(source="bank_reference")
    principal_rials = serializers.IntegerField()
    interest_rate_percent = rate_out(help_text="The bank's annual rate.")
    subsidy_rate_percent = rate_out(help_text="The subsidy, in percentage points of the bank's rate.")
    applicant_rate_percent = serializers.SerializerMethodField(help_text="What the applicant pays: bank rate "
                                                                         "minus subsidy points.")
    term_months = serializers.IntegerField()
    grace_months = serializers.IntegerField()
    planned_tranches = serializers.IntegerField()
    signed_date = serializers.DateField(source="signed_on")
    signed_date_jalali = JalaliOutField(source="signed_on")
    subsidy_committed_rials = serializers.IntegerField(help_text="The interest subsidy computed from the terms.")

    class Meta:
        ref_name = "SignedContract"

    @extend_schema_field({"type": "number", "example": 8.0})
    def get_applicant_rate_percent(self, contract):
        return float(contract.interest_rate_percent - contract.subsidy_rate_percent)


class TrancheSerializer(serializers.Serializer):
    """One disbursement (tranche) of the loan."""

    id = serializers.IntegerField()
    amount_rials = serializers.IntegerField()
    paid_date = serializers.DateField(source="paid_on")
    paid_date_jalali = JalaliOutField(source="paid_on")
    bank_reference = serializers.CharField()

    class Meta:
        ref_name = "Tranche"


class ErrorSerializer(serializers.Serializer):
    """The one error shape (``financing.api.errors.error_body``)."""

    code = serializers.CharField(help_text="Machine code, e.g. invalid, not_found, transition_not_allowed.")
    message = serializers.CharField(help_text="Persian message, for the user.")
    message_en = serializers.CharField(help_text="English message, for the bank's developers.")
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="Field errors: {field: [Persian messages]}.")

    class Meta:
        ref_name = "ApiError"


# --- the schema of an action (drf-spectacular) ----------------------------------------------------

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description="A key of your choice (at most 255 characters, e.g. a UUID) naming this request. The same key "
                "with the same body returns the first answer again and changes nothing; with another body, 422. "
                "Keys are scoped to your API key and kept at least 24 hours.")
RETRY_AFTER = OpenApiParameter("Retry-After", OpenApiTypes.INT, OpenApiParameter.HEADER, response=[429],
                               description="Seconds to wait before the next request.")


def _error(code, message, fields=None):
    return {"code": code, "message": message, "message_en": ENGLISH[code], "fields": fields or {}}


ERRORS = {
    400: ("Invalid input, or a programme rule refused it (see fields); or the Idempotency-Key header is missing.",
          _error("invalid", "ورودی نامعتبر است.", {"reason": ["این فیلد لازم است."]})),
    401: ("No API key, or a wrong, revoked or expired one.",
          _error("not_authenticated", "کلید API فرستاده نشده است.")),
    403: ("Your role may not take this action.", _error("permission_denied", "شما اجازه این اقدام را ندارید.")),
    404: ("No such application, or not referred to your bank: the two answer the same.",
          _error("not_found", "پیدا نشد.")),
    409: ("The application's state does not allow this action, it changed since expected_state, or a request "
          "with this Idempotency-Key is still running.",
          _error("transition_not_allowed", "این اقدام در وضعیت فعلی طرح امکان‌پذیر نیست.")),
    422: ("This Idempotency-Key was used with another request body.",
          _error("idempotency_key_reused", "این کلید تکرار پیش‌تر با درخواست دیگری به کار رفته است.")),
    429: ("Rate limited (per API key); retry after Retry-After seconds.",
          _error("throttled", "درخواست‌ها بیش از حد مجاز است؛ کمی بعد دوباره تلاش کنید.")),
}


def action_schema(name, request, response, *, status=200, example=None):
    """``extend_schema`` of action ``name``: its input and output, the required ``Idempotency-Key``,
    the error answers 400–429 in the one error shape, and a request example."""
    responses = {status: response}
    for code, (description, body) in ERRORS.items():
        responses[code] = OpenApiResponse(ErrorSerializer, description=description,
                                          examples=[OpenApiExample(body["code"], value=body, status_codes=[code],
                                                                   response_only=True)])
    examples = [OpenApiExample(f"{name} request", value=example, request_only=True)] if example else []
    return extend_schema(operation_id=f"applications_{name}", tags=["bank actions"], request=request,
                         responses=responses, parameters=[IDEMPOTENCY_PARAMETER, RETRY_AFTER], examples=examples)
