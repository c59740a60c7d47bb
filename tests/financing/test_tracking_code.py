"""Tracking codes (§9 step 4, C20): 16 digits, the last a Verhoeff check digit over 15 random ones,
issued once, when the agency approves.

The Verhoeff digit must catch every single mistyped digit and every swap of two different
neighbouring digits; these tests try all of them on 2,000 codes.
"""

import pytest

from financing import services, tracking
from financing.models import ApplicationState, InvestmentApplication
from financing.tracking import TrackingCodeError
from tests.world import submit

S = ApplicationState
SAMPLE = 2_000


@pytest.fixture(scope="module")
def codes():
    return [tracking.generate() for _ in range(SAMPLE)]


def substitutions(code):
    """Every code that differs from ``code`` in exactly one digit (16 × 9 of them)."""
    for i, digit in enumerate(code):
        for other in "0123456789":
            if other != digit:
                yield code[:i] + other + code[i + 1:]


def adjacent_swaps(code):
    """Every code made by swapping two different neighbouring digits of ``code``."""
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            yield code[:i] + code[i + 1] + code[i] + code[i + 2:]


def test_code_is_16_ascii_digits_and_verhoeff_valid(codes):
    from stdnum import verhoeff

    for code in codes:
        assert len(code) == 16 and code.isascii() and code.isdigit()
        assert tracking.is_valid(code)
        verhoeff.validate(code)  # raises on a bad check digit (an independent implementation)


def test_codes_are_distinct(codes):
    assert len(set(codes)) == SAMPLE


def test_codes_use_the_whole_range(codes):
    """15 random digits: the first digit takes all ten values over 2,000 codes (no fixed prefix)."""
    assert {code[0] for code in codes} == set("0123456789")


def test_every_single_digit_substitution_is_caught(codes):
    missed = [wrong for code in codes for wrong in substitutions(code) if tracking.is_valid(wrong)]
    assert missed == []


def test_every_adjacent_swap_is_caught(codes):
    missed = [wrong for code in codes for wrong in adjacent_swaps(code) if tracking.is_valid(wrong)]
    assert missed == []


def test_parse_reports_a_mistyped_code_as_a_check_digit_error(codes):
    kinds = set()
    for code in codes[:200]:
        for wrong in [*substitutions(code), *adjacent_swaps(code)]:
            with pytest.raises(TrackingCodeError) as refused:
                tracking.parse(wrong)
            kinds.add(refused.value.kind)
    assert kinds == {"check_digit"}


CODE = "1234567890123455"  # 15 digits and their Verhoeff check digit, 5


@pytest.mark.parametrize("typed", [
    "1234567890123455",
    "1234 5678 9012 3455",
    "1234-5678-9012-3455",
    " 1234567890123455\n",
    "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۵",
    "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٥",
    "۱۲۳۴ ۵۶۷۸-۹۰۱۲ ۳۴۵۵",
    "1234\u200c5678 ٩٠١٢ 3455",
])
def test_parse_accepts_any_digits_spaces_and_dashes(typed):
    assert tracking.is_valid(CODE)
    assert tracking.parse(typed) == CODE


@pytest.mark.parametrize("junk", ["", "abc", "1234", "12345678901234550", "123456789012345x", "1234.5678.9012.3455",
                                  "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵", "<script>", None])
def test_parse_refuses_junk_as_a_format_error(junk):
    with pytest.raises(TrackingCodeError) as refused:
        tracking.parse(junk)
    assert refused.value.kind == "format"


@pytest.mark.parametrize("text", ["۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۵", "1234 5678 9012 3455", "123456789012345"])
def test_is_valid_takes_only_the_canonical_form(text):
    assert tracking.is_valid(text) is False


def test_grouped_shows_four_groups_in_persian_digits():
    assert tracking.grouped(CODE) == "۱۲۳۴ ۵۶۷۸ ۹۰۱۲ ۳۴۵۵"
    assert tracking.grouped(CODE, persian=False) == "1234 5678 9012 3455"


# --- codes issued by the chain -------------------------------------------------------------------

def test_applications_approved_one_after_the_other_get_unrelated_codes(advance_to, world):
    """C20: the next code cannot be guessed from the previous one."""
    first = advance_to(S.AGENCY_REVIEW)
    second = advance_to(S.AGENCY_REVIEW)
    a = services.application_approve_by_agency(actor=world.agency_officer_a, application_id=first.pk).tracking_code
    b = services.application_approve_by_agency(actor=world.agency_officer_a, application_id=second.pk).tracking_code
    assert a != b
    assert abs(int(a) - int(b)) > 1
    assert abs(int(a[:15]) - int(b[:15])) > 1  # the random parts are not neighbours either


def test_tracking_code_is_issued_once_at_agency_approval_and_kept_after_a_return(world):
    w = world
    pk = submit(world).pk
    services.application_start_agency_review(actor=w.agency_officer_a, application_id=pk)
    assert InvestmentApplication.objects.get(pk=pk).tracking_code is None
    services.application_approve_by_agency(actor=w.agency_officer_a, application_id=pk)
    first = InvestmentApplication.objects.get(pk=pk).tracking_code
    assert len(first) == 16 and tracking.is_valid(first)

    services.application_start_working_group_review(actor=w.secretary_a, application_id=pk)
    services.application_return_by_working_group(actor=w.secretary_a, application_id=pk, reason="ناقص")
    services.application_resubmit(actor=w.owner, application_id=pk)
    services.application_start_agency_review(actor=w.agency_officer_a, application_id=pk)
    services.application_approve_by_agency(actor=w.agency_officer_a, application_id=pk)

    assert InvestmentApplication.objects.get(pk=pk).tracking_code == first
    assert InvestmentApplication.objects.filter(tracking_code=first).count() == 1


@pytest.mark.parametrize("state", [S.SUBMITTED, S.AGENCY_REVIEW, S.RETURNED, S.WITHDRAWN])
def test_no_tracking_code_before_agency_approval(advance_to, state):
    assert advance_to(state).tracking_code is None


def test_rejection_by_the_agency_issues_no_tracking_code(advance_to):
    assert advance_to(S.REJECTED).tracking_code is None
