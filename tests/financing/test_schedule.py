"""The loan schedule and the interest subsidy (``financing.schedule``; issue 7, field case C24),
checked against hand-worked figures and against ``reference_schedule`` below: the rule written
again, independently, with ``Decimal`` at 60 digits and ``ROUND_HALF_UP``."""

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest

from common.errors import RuleBroken
from financing.schedule import check_terms, loan_schedule, round_half_up, subsidy_schedule, subsidy_total
from tests.factories import Figures

ONE = Decimal(1)


def half_up(value: Decimal) -> int:
    return int(value.quantize(ONE, rounding=ROUND_HALF_UP))


def reference_schedule(principal, annual_percent, term, grace):
    """Rows ``(instalment, interest, principal, balance)``: interest-only grace months, then a level
    instalment rounded once; each interest rounded; the last month repays what remains."""
    with localcontext() as ctx:
        ctx.prec = 60
        rate = Decimal(annual_percent) / 12 / 100
        repaying = term - grace
        level = half_up(principal * rate / (1 - (1 + rate) ** -repaying)) if rate else half_up(
            Decimal(principal) / repaying)
        balance, rows = principal, []
        for month in range(1, term + 1):
            interest = half_up(balance * rate)
            repaid = 0 if month <= grace else balance if month == term else level - interest
            balance -= repaid
            rows.append((interest + repaid, interest, repaid, balance))
    return rows


def reference_subsidy(principal, bank_percent, points, term, grace):
    """Each month's subsidy: the bank-rate instalment minus the applicant-rate instalment."""
    bank = reference_schedule(principal, bank_percent, term, grace)
    applicant = reference_schedule(principal, Decimal(bank_percent) - Decimal(points), term, grace)
    return [b[0] - a[0] for b, a in zip(bank, applicant, strict=True)]


def assert_matches_reference(principal, bank_percent, points, term, grace):
    """The code's schedule equals the reference month by month, and its totals are the sums."""
    schedule = subsidy_schedule(principal, Decimal(bank_percent), Decimal(points), term, grace)
    bank = reference_schedule(principal, bank_percent, term, grace)
    applicant = reference_schedule(principal, Decimal(bank_percent) - Decimal(points), term, grace)
    got = [(m.bank_instalment, m.bank_interest, m.applicant_instalment, m.applicant_interest, m.subsidy)
           for m in schedule.months]
    want = [(b[0], b[1], a[0], a[1], b[0] - a[0]) for b, a in zip(bank, applicant, strict=True)]
    assert got == want
    assert schedule.subsidy_total == sum(row[4] for row in want)
    assert schedule.bank_instalment_total == sum(b[0] for b in bank)
    assert schedule.applicant_interest_total == sum(a[1] for a in applicant)
    for rows in (bank, applicant):
        assert sum(r[2] for r in rows) == principal
        assert rows[-1][3] == 0
    return schedule


# --- the issue's worked example and the test world's contract --------------------------------------

def test_worked_example_of_the_issue():
    schedule = assert_matches_reference(10_000_000_000, 18, 12, 60, 12)
    assert schedule.subsidy_total == 4_027_185_866
    first, last = schedule.months[0], schedule.months[-1]
    assert (first.bank_instalment, first.applicant_instalment, first.subsidy) == (150_000_000, 50_000_000,
                                                                                  100_000_000)
    assert (last.bank_instalment, last.applicant_instalment, last.subsidy) == (293_750_003, 234_850_319,
                                                                               58_899_684)
    assert schedule.applicant_rate_percent == Decimal(6)


def test_world_contract_subsidy_figure_is_the_independent_one():
    # tests.world.contract_input: 5,510,000,000 rials, 18 %, 10 points, 60 months with 12 of grace.
    assert sum(reference_subsidy(5_510_000_000, 18, 10, 60, 12)) == Figures.SUBSIDY == 1_863_370_197
    assert subsidy_total(5_510_000_000, Decimal("18.00"), Decimal("10.00"), 60, 12) == Figures.SUBSIDY


# --- C24: a schedule that reconciles to the rial ----------------------------------------------------

def test_c24_schedule_reconciles_to_the_rial():
    schedule = loan_schedule(100_000_000, 12, 12, 0)
    months = schedule.months
    assert (months[0].instalment, months[0].interest, months[0].principal) == (8_884_879, 1_000_000, 7_884_879)
    assert all(m.instalment == 8_884_879 for m in months[:11])
    assert (months[11].instalment, months[11].interest, months[11].principal) == (8_884_876, 87_969, 8_796_907)
    assert schedule.interest_total == 6_618_545
    assert schedule.principal_total == 100_000_000
    assert months[-1].balance == 0
    assert all(m.interest + m.principal == m.instalment for m in months)
    assert [(m.instalment, m.interest, m.principal, m.balance) for m in months] == reference_schedule(
        100_000_000, 12, 12, 0)


def test_c24_rounding_the_parts_of_an_unrounded_schedule_is_two_rials_off():
    """The wrong approach (exact schedule, each part rounded afterwards) sums the principal to
    100,000,002; the code's does not."""
    with localcontext() as ctx:
        ctx.prec = 60
        rate = Decimal("0.01")
        level = 100_000_000 * rate / (1 - (1 + rate) ** -12)
        balance, principals = Decimal(100_000_000), []
        for _month in range(12):
            part = level - balance * rate
            balance -= part
            principals.append(half_up(part))
    assert sum(principals) == 100_000_002
    assert loan_schedule(100_000_000, 12, 12, 0).principal_total == 100_000_000


# --- shapes of contract ------------------------------------------------------------------------------

def test_no_grace():
    schedule = assert_matches_reference(5_510_000_000, 18, 10, 60, 0)
    bank = loan_schedule(5_510_000_000, 18, 60, 0)
    # From month 1 the level instalment runs: interest 82,650,000 (1.5 % of the principal).
    assert bank.months[0].interest == 82_650_000
    assert bank.months[0].principal > 0
    assert len({m.bank_instalment for m in schedule.months[:-1]}) == 1


def test_long_grace_119_of_120_months():
    schedule = assert_matches_reference(10_000_000_000, 18, 12, 120, 119)
    # 119 months of interest only (150,000,000 at 18 %, 50,000,000 at 6 %), then the whole
    # principal with the last month's interest: every month's subsidy is 100,000,000.
    assert all(m.subsidy == 100_000_000 for m in schedule.months)
    assert schedule.months[-1].bank_instalment == 10_150_000_000
    assert schedule.months[-1].applicant_instalment == 10_050_000_000
    assert schedule.subsidy_total == 12_000_000_000


def test_applicant_rate_of_zero_makes_the_subsidy_the_whole_bank_interest():
    schedule = assert_matches_reference(1_200_000_000, 18, 18, 36, 6)
    assert schedule.applicant_rate_percent == 0
    assert schedule.applicant_interest_total == 0
    # 30 repaying months at 0 %: 40,000,000 each, exactly the principal.
    assert schedule.applicant_instalment_total == 1_200_000_000
    assert {m.applicant_instalment for m in schedule.months[6:]} == {40_000_000}
    assert schedule.subsidy_total == schedule.bank_interest_total > 0


def test_zero_subsidy_points_owe_nothing():
    schedule = assert_matches_reference(5_510_000_000, 18, 0, 60, 12)
    assert schedule.subsidy_total == 0
    assert all(m.subsidy == 0 for m in schedule.months)


def test_one_month_term():
    schedule = assert_matches_reference(10_000_000_000, 18, 12, 1, 0)
    (month,) = schedule.months
    assert (month.bank_instalment, month.bank_interest) == (10_150_000_000, 150_000_000)
    assert (month.applicant_instalment, month.applicant_interest) == (10_050_000_000, 50_000_000)
    assert schedule.subsidy_total == 100_000_000


def test_120_month_term():
    schedule = assert_matches_reference(10_000_000_000, 18, 12, 120, 0)
    assert len(schedule.months) == 120
    assert schedule.subsidy_total == 8_299_763_673


@pytest.mark.parametrize("principal, bank, points, term, grace", [
    (1, 18, 12, 60, 12),
    (999_999_999_999, Decimal("23.50"), Decimal("7.25"), 84, 18),
    (90_000_000_000_000_000, 18, 12, 120, 12),  # past 2**53: no float anywhere (C10)
    (7_777_777_777, Decimal("0.01"), Decimal("0.01"), 360, 359),
])
def test_other_contracts_match_the_reference(principal, bank, points, term, grace):
    assert_matches_reference(principal, bank, points, term, grace)


# --- half-up, never banker's rounding -----------------------------------------------------------------

def test_round_half_up_rounds_halves_up():
    assert [round_half_up(Fraction(n, 2)) for n in (1, 3, 5, 7)] == [1, 2, 3, 4]  # banker's: 0, 2, 2, 4
    assert round_half_up(Fraction(2_499_999, 1_000_000)) == 2


def test_a_half_rial_of_interest_rounds_up_in_the_schedule():
    # 10,000,050 rials at 1 % a month: 100,000.5 of interest is 100,001 (banker's gives 100,000).
    schedule = loan_schedule(10_000_050, 12, 2, 1)
    assert schedule.months[0].interest == 100_001
    assert round(Decimal("100000.5")) == 100_000  # what Python's round would have said


# --- refusals --------------------------------------------------------------------------------------

@pytest.mark.parametrize("terms, field", [
    (dict(term_months=60, grace_months=60), "grace_months"),
    (dict(term_months=60, grace_months=61), "grace_months"),
    (dict(interest_rate_percent=Decimal(10), subsidy_rate_percent=Decimal("10.01")), "subsidy_rate_percent"),
    (dict(interest_rate_percent=Decimal(-1), subsidy_rate_percent=Decimal(0)), "interest_rate_percent"),
    (dict(subsidy_rate_percent=Decimal(-1)), "subsidy_rate_percent"),
    (dict(term_months=0, grace_months=0), "term_months"),
    (dict(term_months=361, grace_months=0), "term_months"),
    (dict(principal_rials=0), "principal_rials"),
])
def test_check_terms_refuses(terms, field):
    values = dict(principal_rials=10_000_000_000, interest_rate_percent=Decimal(18),
                  subsidy_rate_percent=Decimal(12), term_months=60, grace_months=12)
    values.update(terms)
    with pytest.raises(RuleBroken) as refused:
        check_terms(**values)
    assert refused.value.field == field
    with pytest.raises(RuleBroken):
        subsidy_schedule(*values.values())


def test_check_terms_accepts_the_edges():
    check_terms(1, Decimal(0), Decimal(0), 1, 0)
    check_terms(10_000_000_000, Decimal(18), Decimal(18), 360, 359)
