"""Iranian identifiers: the national ID (کد ملی, 10 digits) and the national company ID
(شناسه ملی, 11 digits), both with check digits. Stored canonical: ASCII digits, leading zeros kept.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .normalization import normalize_digits_only

_COMPANY_WEIGHTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)


def is_valid_national_id(value: str) -> bool:
    """True for a 10-digit national ID whose last digit is its check digit (mod 11 rule)."""
    if len(value) != 10 or not value.isascii() or not value.isdigit() or len(set(value)) == 1:
        return False
    total = sum(int(value[i]) * (10 - i) for i in range(9))
    remainder = total % 11
    check = remainder if remainder < 2 else 11 - remainder
    return int(value[9]) == check


def is_valid_company_id(value: str) -> bool:
    """True for an 11-digit national company ID whose last digit is its check digit."""
    if len(value) != 11 or not value.isascii() or not value.isdigit() or len(set(value)) == 1:
        return False
    tens = int(value[9]) + 2
    total = sum((int(value[i]) + tens) * _COMPANY_WEIGHTS[i] for i in range(10))
    remainder = total % 11
    return int(value[10]) == (0 if remainder == 10 else remainder)


def canonical_identifier(raw: str, *, legal_person: bool) -> str:
    """Return the canonical form of a typed national ID or company ID.

    Accepts Persian or Arabic-Indic digits, spaces and dashes. Raises ``ValidationError`` (in
    Persian) when the length or the check digit is wrong.
    """
    value = normalize_digits_only(raw)
    if legal_person:
        if len(value) != 11 or not value.isdigit():
            raise ValidationError(_("شناسه ملی باید ۱۱ رقم باشد."), code="length")
        if not is_valid_company_id(value):
            raise ValidationError(_("شناسه ملی معتبر نیست (رقم کنترل نادرست است)."), code="check_digit")
    else:
        if len(value) != 10 or not value.isdigit():
            raise ValidationError(_("کد ملی باید ۱۰ رقم باشد."), code="length")
        if not is_valid_national_id(value):
            raise ValidationError(_("کد ملی معتبر نیست (رقم کنترل نادرست است)."), code="check_digit")
    return value
