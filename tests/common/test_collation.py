"""Names sort in Persian alphabetical order on PostgreSQL (ICU fa-IR), not by code point."""

import pytest

from common.collation import order_persian
from tests.factories import CountyFactory, ProvinceFactory

# Persian order: آ ا ب پ ... ز ژ س ... ک گ ل ... ی
PERSIAN_ORDER = ["آبدانان", "ایوان", "بدره", "پاوه", "چرداول", "زرین", "ژاوه", "کنگاور", "گیلانغرب", "یاسوکند"]


@pytest.mark.postgres
def test_counties_sort_in_persian_order(postgres_only):
    province = ProvinceFactory(code="IR-99", name="آزمایشی", name_en="Test")
    for code, name in enumerate(reversed(PERSIAN_ORDER)):
        CountyFactory(province=province, code=str(9000 + code), name=name)
    assert list(order_persian(province.counties.all(), "name").values_list("name", flat=True)) == PERSIAN_ORDER
    # Code-point order puts پ چ ژ ک گ after ی: the collation is what fixes it.
    assert sorted(PERSIAN_ORDER) != PERSIAN_ORDER
