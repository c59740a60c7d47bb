"""Input normalisation for Persian users: digits, Arabic letters, separators, half-spaces.

Every form, filter and serializer calls these before validating. They never raise; validation of
the normalised text is the caller's job.
"""

import re

from persiantools import characters, digits

ZWNJ = "\u200c"
_SEPARATORS = str.maketrans({"\u066c": "", ",": "", "\u060c": ""})
_EXTRA_ARABIC = str.maketrans({"\u0649": "\u06cc", "\u0643": "\u06a9", "\u064a": "\u06cc"})
_SPACES = re.compile(r"\s+")


def to_ascii_digits(text: str) -> str:
    """Return ``text`` with Persian (۰–۹) and Arabic-Indic (٠–٩) digits as ASCII 0–9."""
    return digits.fa_to_en(digits.ar_to_fa(text))


def normalize_text(text: str) -> str:
    """Fold Arabic ي/ى/ك to Persian ی/ک, collapse white space, strip ZWNJ at the ends of words.

    The half-space inside a word is kept (``طرح‌های`` stays as typed).
    """
    if text is None:
        return ""
    text = characters.ar_to_fa(str(text)).translate(_EXTRA_ARABIC)
    text = _SPACES.sub(" ", text).strip()
    # A ZWNJ next to a space or at either end joins nothing.
    text = re.sub(f"{ZWNJ}+(?= |$)|(?<= ){ZWNJ}+|^{ZWNJ}+", "", text)
    return text.strip()


_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_multiline(text) -> str:
    """Text of several lines (an analysis, minutes, a list of attendees) with each line folded by
    ``normalize_text`` (Arabic ي/ك, spaces, half-spaces at word ends; C11, C12), its line breaks
    kept, at most one empty line in a row and none at either end."""
    if text is None:
        return ""
    lines = [normalize_text(line) for line in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def normalize_digits_only(text: str) -> str:
    """Return the ASCII digits of an identifier typed with any digits, spaces or dashes.

    ``"۰۰۴۲-۱۵۸ ۷۳۷"`` gives ``"0042158737"``. Other characters are kept, so that a validator
    can refuse them.
    """
    text = to_ascii_digits(str(text or ""))
    return re.sub(r"[\s\-\u200c\u200f\u200e_]", "", text)


def normalize_amount(text: str) -> str:
    """Return an amount typed as ``۵۵۱٬۰۰۰٬۰۰۰`` or ``551,000,000`` as ``551000000`` (text)."""
    return to_ascii_digits(str(text or "")).translate(_SEPARATORS).replace(" ", "").strip()


def to_persian_digits(value) -> str:
    """Return ``value`` as text with Persian digits (for display only)."""
    return digits.en_to_fa(str(value))


def search_key(text: str) -> str:
    """The form of ``text`` that searches compare: Persian letters, ASCII digits, the half-space
    read as a space, one space between words, lower case. ``"طرح‌های اشتغال‌زا"`` and
    ``"طرح های اشتغال زا"`` give the same key (C11, C12)."""
    text = to_ascii_digits(normalize_text(text)).replace(ZWNJ, " ")
    return _SPACES.sub(" ", text).strip().lower()


_INVISIBLE = re.compile("[\\s\u200c\u200d\u200e\u200f\u2066-\u2069\u202a-\u202e]")


def normalize_reference(text: str) -> str:
    """A reference code as ASCII: ``" BNK-۷۷۸۲\u200c "`` gives ``"BNK-7782"``. Letters and dashes
    are kept; spaces, half-spaces and direction marks anywhere are removed."""
    return _INVISIBLE.sub("", to_ascii_digits(str(text or "")))
