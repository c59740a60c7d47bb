"""Display filters of the Persian UI: digits, separators, decimals, codes in LTR isolates (C13)."""

from decimal import Decimal

from common.templatetags.persian import billion_rials, fa, fa_number, tracking_code


def test_decimals_use_the_persian_decimal_sign_without_trailing_zeros():
    assert fa(Decimal("10.50")) == "۱۰٫۵"
    assert fa(Decimal("23.00")) == "۲۳"
    assert fa(Decimal("100")) == "۱۰۰"


def test_integers_use_the_persian_thousands_separator():
    assert fa_number(551_000_000) == "۵۵۱٬۰۰۰٬۰۰۰"
    assert fa_number(32_626_000_000_000) == "۳۲٬۶۲۶٬۰۰۰٬۰۰۰٬۰۰۰"


def test_billion_rials():
    assert billion_rials(32_626 * 10**9) == "۳۲٬۶۲۶"
    assert billion_rials(551 * 10**6) == "۰٫۵۵۱"
    assert billion_rials(1_500_000_000) == "۱٫۵"


def test_tracking_code_in_groups_inside_an_ltr_isolate():
    assert tracking_code("0624333501216600") == '<bdi dir="ltr">۰۶۲۴ ۳۳۳۵ ۰۱۲۱ ۶۶۰۰</bdi>'
    assert tracking_code(None) == ""
