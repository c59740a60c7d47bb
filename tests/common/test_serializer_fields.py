"""The API's fields accept and refuse what the UI does (C02, C03, C07, C11): one normalisation layer."""

import datetime

import pytest
from rest_framework import serializers

from common import serializer_fields as f


class Sample(serializers.Serializer):
    signed_on = f.JalaliDateField(min_year=1300)
    amount_rials = f.RialField()
    name = f.PersianCharField()


def valid(**data):
    serializer = Sample(data={"signed_on": "1403-12-30", "amount_rials": 1, "name": "x", **data})
    assert serializer.is_valid(), serializer.errors
    return serializer.validated_data


def errors(**data):
    serializer = Sample(data={"signed_on": "1403-12-30", "amount_rials": 1, "name": "x", **data})
    assert not serializer.is_valid()
    return serializer.errors


def test_c02_a_jalali_date_is_stored_gregorian_and_returned_jalali():
    data = valid(signed_on="1380-12-07")
    assert data["signed_on"] == datetime.date(2002, 2, 26)
    assert Sample(data).data["signed_on"] == "1380-12-07"


def test_c02_a_day_the_calendar_lacks_is_a_400_with_a_persian_message():
    assert errors(signed_on="1404-12-30") == {"signed_on": ["این تاریخ در تقویم شمسی وجود ندارد."]}
    assert "سال باید شمسی" in errors(signed_on="2025-03-20")["signed_on"][0]
    assert "signed_on" in errors(signed_on=20250320)


@pytest.mark.parametrize("typed", ["1403/12/30", "۱۴۰۳/۱۲/۳۰", "١٤٠٣/١٢/٣٠", "1403-12-30"])
def test_c03_any_digits_and_separators(typed):
    assert valid(signed_on=typed)["signed_on"] == datetime.date(2025, 3, 20)


@pytest.mark.parametrize("typed", ["۵۵۱٬۰۰۰٬۰۰۰", "٥٥١٬٠٠٠٬٠٠٠", "551,000,000", "۵۵۱,۰۰۰,۰۰۰", "۵۵۱۰۰۰۰۰۰", 551000000])
def test_c07_amounts_typed_every_way(typed):
    assert valid(amount_rials=typed)["amount_rials"] == 551_000_000


@pytest.mark.parametrize("typed", ["۵۵۱٫۵", "abc", 551.5, True, "-5", "", "99999999999999999999"])
def test_c07_bad_amounts_are_refused_in_persian(typed):
    message = errors(amount_rials=typed)["amount_rials"][0]
    assert any(word in message for word in ("ریال", "بزرگ", "خالی", "لازم")), message


def test_c10_thirty_billion_rials():
    assert valid(amount_rials="30,000,000,000")["amount_rials"] == 30_000_000_000


def test_c11_c12_text_is_folded():
    assert valid(name="علي كريمي‌")["name"] == "علی کریمی"


def test_references_are_stored_as_ascii_without_invisible_marks():
    class Reference(serializers.Serializer):
        bank_reference = f.ReferenceField()

    serializer = Reference(data={"bank_reference": " BNK-۷۷۸۲\u200c "})
    assert serializer.is_valid()
    assert serializer.validated_data["bank_reference"] == "BNK-7782"
