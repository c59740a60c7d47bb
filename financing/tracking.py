"""Tracking codes (کد رهگیری, §9 step 4): 15 random digits and a Verhoeff check digit.

- 15 random digits from ``secrets`` (about 50 bits), so codes are neither consecutive nor guessable.
- The Verhoeff check digit catches every single mistyped digit and every swap of two neighbours.
- Digits only, so it can be typed on a Persian phone keypad; shown as four groups of four.
"""

import re
import secrets

from stdnum import verhoeff

from common.normalization import normalize_digits_only, to_persian_digits

RANDOM_DIGITS = 15
LENGTH = RANDOM_DIGITS + 1


class TrackingCodeError(ValueError):
    """The input is not a tracking code. ``kind`` is ``"format"`` or ``"check_digit"``."""

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


def generate() -> str:
    """A new 16-digit tracking code as ASCII digits (uniqueness is checked by the caller)."""
    body = f"{secrets.randbelow(10**RANDOM_DIGITS):0{RANDOM_DIGITS}d}"
    return body + verhoeff.calc_check_digit(body)


def is_valid(code: str) -> bool:
    return len(code) == LENGTH and code.isascii() and code.isdigit() and verhoeff.is_valid(code)


def parse(raw: str) -> str:
    """Return the canonical code from what a person typed: any digits, spaces or dashes.

    Raises ``TrackingCodeError("format")`` for junk or the wrong length and
    ``TrackingCodeError("check_digit")`` for a mistyped code.
    """
    value = normalize_digits_only(raw)
    if not re.fullmatch(r"[0-9]+", value) or len(value) != LENGTH:
        raise TrackingCodeError("format")
    if not verhoeff.is_valid(value):
        raise TrackingCodeError("check_digit")
    return value


def grouped(code: str, *, persian: bool = True) -> str:
    """``1234567890123456`` as ``1234 5678 9012 3456`` (Persian digits unless told)."""
    text = " ".join(code[i : i + 4] for i in range(0, len(code), 4))
    return to_persian_digits(text) if persian else text
