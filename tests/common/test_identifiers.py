"""National IDs and company IDs (C08, C09): one canonical form (ASCII digits, leading zeros kept),
check digits verified. (The same person recognised whatever digits they type, in the database:
``tests/financing/test_applicants.py``.)

The reference check-digit functions below are written from the published rules, independently of
``common.identifiers``, so that a slip in either shows.
"""

import pytest
from django.core.exceptions import ValidationError

from common.identifiers import canonical_identifier, is_valid_company_id, is_valid_national_id
from tests.factories import company_id, national_id


def reference_national_check(first_nine: str) -> str:
    """Check digit of a national ID: Σ dᵢ·(10−i) for i = 0…8, r = Σ mod 11; r if r < 2 else 11 − r."""
    r = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True)) % 11
    return str(r if r < 2 else 11 - r)


def reference_company_check(first_ten: str) -> str:
    """Check digit of a company ID: with t = 10th digit + 2, Σ (dᵢ + t)·w for w = 29, 27, 23, 19,
    17, 29, 27, 23, 19, 17; r = Σ mod 11, and 10 counts as 0."""
    t = int(first_ten[9]) + 2
    r = sum((int(d) + t) * w for d, w in zip(first_ten, [29, 27, 23, 19, 17] * 2, strict=True)) % 11
    return str(0 if r == 10 else r)


@pytest.mark.parametrize("typed", ["0042158737", "۰۰۴۲۱۵۸۷۳۷", "٠٠٤٢١٥٨٧٣٧", "004-215873-7", " ۰۰۴۲ ۱۵۸ ۷۳۷ "])
def test_national_id_in_any_digits_canonicalises_to_ascii(typed):
    assert canonical_identifier(typed, legal_person=False) == "0042158737"


@pytest.mark.parametrize("value", ["0042158737", "0019876548"])
def test_field_case_national_ids_are_valid(value):
    assert reference_national_check(value[:9]) == value[9]
    assert is_valid_national_id(value)
    assert canonical_identifier(value, legal_person=False) == value


@pytest.mark.parametrize("value", ["0042158738", "0019876547", "0024158737"])
def test_wrong_check_digit_is_refused_in_persian(value):
    with pytest.raises(ValidationError) as refused:
        canonical_identifier(value, legal_person=False)
    assert refused.value.code == "check_digit"
    assert refused.value.messages == ["کد ملی معتبر نیست (رقم کنترل نادرست است)."]


def test_one_repeated_digit_is_refused_though_its_sum_checks():
    assert reference_national_check("111111111") == "1"
    assert not is_valid_national_id("1111111111")


@pytest.mark.parametrize("value", ["042158737", "00421587370", "", "۰۰۴۲۱۵۸۷۳", "00421587ab"])
def test_wrong_length_or_letters_are_refused_in_persian(value):
    with pytest.raises(ValidationError) as refused:
        canonical_identifier(value, legal_person=False)
    assert refused.value.code == "length"
    assert refused.value.messages == ["کد ملی باید ۱۰ رقم باشد."]


def test_factory_national_ids_agree_with_the_reference_rule():
    for n in range(500):
        value = national_id(n)
        assert len(value) == 10 and reference_national_check(value[:9]) == value[9]


def test_company_id_with_a_valid_check_digit_is_accepted():
    value = "1010" + "420537" + reference_company_check("1010420537")
    assert canonical_identifier(value, legal_person=True) == value
    assert canonical_identifier("۱۰۱۰۴۲۰۵۳۷" + "۰۱۲۳۴۵۶۷۸۹"[int(value[10])], legal_person=True) == value


def test_company_id_with_a_wrong_check_digit_is_refused():
    good = "1010420537" + reference_company_check("1010420537")
    bad = good[:10] + str((int(good[10]) + 1) % 10)
    with pytest.raises(ValidationError) as refused:
        canonical_identifier(bad, legal_person=True)
    assert refused.value.code == "check_digit"
    assert refused.value.messages == ["شناسه ملی معتبر نیست (رقم کنترل نادرست است)."]


def test_company_id_check_digits_agree_with_the_reference_rule():
    for n in range(500):
        value = company_id(n)
        assert is_valid_company_id(value)
        assert reference_company_check(value[:10]) == value[10]
        for wrong in "0123456789":
            if wrong != value[10]:
                assert not is_valid_company_id(value[:10] + wrong)


@pytest.mark.parametrize("value, legal", [("0042158737", True), ("10104205370", False)])
def test_length_follows_the_kind_of_person(value, legal):
    with pytest.raises(ValidationError) as refused:
        canonical_identifier(value, legal_person=legal)
    assert refused.value.code == "length"
    assert refused.value.messages == ["شناسه ملی باید ۱۱ رقم باشد." if legal else "کد ملی باید ۱۰ رقم باشد."]
