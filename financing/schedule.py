"""The loan's repayment schedule and the interest subsidy it earns (§9, §10; roles.md, "The
contract's rates"; field case C24).

The rule, per schedule:
- the monthly rate is the annual rate (percent) / 12 / 100;
- the term in months includes the grace period; each grace month is interest only;
- after grace a level annuity runs over the remaining months: its instalment is rounded once;
- each month's interest is the balance × the monthly rate, rounded; the principal is the
  instalment minus the interest; the last month repays exactly what remains, so the principal
  sums to the loan and the balance ends at 0.

Every amount is a whole number of rials rounded half-up (never banker's rounding). The arithmetic
is exact (``fractions.Fraction``), so no half-rial is lost to a binary float.

The subsidy compares two schedules on the same principal and term: one at the bank's rate and one
at the applicant's (the bank's rate minus the subsidy's points). Each month's subsidy is the
bank-rate instalment minus the applicant-rate instalment; the totals are sums of the rounded months.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

from django.utils.translation import gettext_lazy as _

from common.errors import RuleBroken

MAX_TERM_MONTHS = 360  # 30 years, as the contract form: longer terms are typing mistakes, not loans


def round_half_up(value: Fraction) -> int:
    """``value`` (≥ 0) to the nearest whole rial, halves up: 2.5 → 3, 3.5 → 4."""
    return floor(value + Fraction(1, 2))


@dataclass(frozen=True)
class LoanMonth:
    """One month of a schedule, in rials: ``number`` counts from 1; ``balance`` is what is owed
    after the month's payment."""

    number: int
    instalment: int
    interest: int
    principal: int
    balance: int


@dataclass(frozen=True)
class LoanSchedule:
    """A loan's months and totals (rials)."""

    months: tuple
    instalment_total: int
    interest_total: int
    principal_total: int


def _monthly_rate(annual_rate_percent) -> Fraction:
    return Fraction(Decimal(annual_rate_percent)) / 1200


def check_terms(principal_rials, interest_rate_percent, subsidy_rate_percent, term_months, grace_months):
    """Refuse terms no schedule can be drawn for: ``RuleBroken`` (with the field) for a principal
    below 1 rial, a negative rate, a subsidy above the bank's rate, a term of 0 or above
    ``MAX_TERM_MONTHS`` months, or a grace period not shorter than the term."""
    if principal_rials < 1:
        raise RuleBroken(_("اصل تسهیلات باید بیشتر از صفر باشد."), field="principal_rials")
    if Decimal(interest_rate_percent) < 0:
        raise RuleBroken(_("نرخ سود نباید منفی باشد."), field="interest_rate_percent")
    if Decimal(subsidy_rate_percent) < 0:
        raise RuleBroken(_("نرخ یارانه سود نباید منفی باشد."), field="subsidy_rate_percent")
    if Decimal(subsidy_rate_percent) > Decimal(interest_rate_percent):
        raise RuleBroken(_("نرخ یارانه سود نباید از نرخ سود بیشتر باشد."), field="subsidy_rate_percent")
    if not 1 <= term_months <= MAX_TERM_MONTHS:
        raise RuleBroken(_("مدت بازپرداخت باید بین ۱ و ۳۶۰ ماه باشد."), field="term_months")
    if not 0 <= grace_months < term_months:
        raise RuleBroken(_("دوره تنفس باید کوتاه‌تر از مدت بازپرداخت باشد."), field="grace_months")


def loan_schedule(principal_rials: int, annual_rate_percent, term_months: int, grace_months: int) -> LoanSchedule:
    """The monthly schedule of a loan of ``principal_rials`` at ``annual_rate_percent`` (a
    ``Decimal`` or int, percent per year) over ``term_months`` months, the first ``grace_months`` of
    them interest only. The caller checks the terms (``check_terms``): here ``0 ≤ grace < term``."""
    rate = _monthly_rate(annual_rate_percent)
    repaying = term_months - grace_months
    if rate:
        level = round_half_up(principal_rials * rate / (1 - (1 + rate) ** -repaying))
    else:
        level = round_half_up(Fraction(principal_rials, repaying))
    balance = principal_rials
    months = []
    # The month's interest round_half_up(balance × n / d) in whole numbers: a Fraction a month was
    # ten times slower and the demo computes tens of thousands of schedules.
    n, d = rate.numerator, rate.denominator
    for number in range(1, term_months + 1):
        interest = (2 * balance * n + d) // (2 * d)
        if number <= grace_months:
            principal = 0
        elif number == term_months:
            principal = balance
        else:
            principal = level - interest
        balance -= principal
        months.append(LoanMonth(number, interest + principal, interest, principal, balance))
    return LoanSchedule(
        months=tuple(months),
        instalment_total=sum(m.instalment for m in months),
        interest_total=sum(m.interest for m in months),
        principal_total=sum(m.principal for m in months),
    )


@dataclass(frozen=True)
class SubsidyMonth:
    """One month of the subsidy: the instalment and interest at the bank's rate and at the
    applicant's, and the subsidy (the difference of the instalments). Rials."""

    number: int
    bank_instalment: int
    bank_interest: int
    applicant_instalment: int
    applicant_interest: int
    subsidy: int


@dataclass(frozen=True)
class SubsidySchedule:
    """The subsidy's months and totals (rials); ``applicant_rate_percent`` is the bank's rate
    minus the subsidy's points."""

    applicant_rate_percent: Decimal
    months: tuple
    bank_instalment_total: int
    bank_interest_total: int
    applicant_instalment_total: int
    applicant_interest_total: int
    subsidy_total: int


def subsidy_schedule(principal_rials: int, interest_rate_percent, subsidy_rate_percent, term_months: int,
                     grace_months: int) -> SubsidySchedule:
    """The interest subsidy of a contract (roles.md, "The contract's rates"): ``interest_rate_percent``
    is the bank's annual rate, ``subsidy_rate_percent`` the points the programme pays. Raises
    ``RuleBroken`` for terms ``check_terms`` refuses.

    Worked example (issue 7): 10,000,000,000 rials, 18 %, 12 points, 60 months with 12 of grace:
    month 1's subsidy is 100,000,000, month 60's 58,899,684, the total 4,027,185,866.
    """
    check_terms(principal_rials, interest_rate_percent, subsidy_rate_percent, term_months, grace_months)
    applicant_rate = Decimal(interest_rate_percent) - Decimal(subsidy_rate_percent)
    bank = loan_schedule(principal_rials, interest_rate_percent, term_months, grace_months)
    applicant = loan_schedule(principal_rials, applicant_rate, term_months, grace_months)
    months = tuple(
        SubsidyMonth(b.number, b.instalment, b.interest, a.instalment, a.interest, b.instalment - a.instalment)
        for b, a in zip(bank.months, applicant.months, strict=True)
    )
    return SubsidySchedule(
        applicant_rate_percent=applicant_rate,
        months=months,
        bank_instalment_total=bank.instalment_total,
        bank_interest_total=bank.interest_total,
        applicant_instalment_total=applicant.instalment_total,
        applicant_interest_total=applicant.interest_total,
        subsidy_total=sum(m.subsidy for m in months),
    )


def subsidy_total(principal_rials, interest_rate_percent, subsidy_rate_percent, term_months, grace_months) -> int:
    """The subsidy a contract commits, in rials: ``subsidy_schedule(...).subsidy_total``."""
    return subsidy_schedule(principal_rials, interest_rate_percent, subsidy_rate_percent, term_months,
                            grace_months).subsidy_total


def subsidy_due(schedule: SubsidySchedule, paid_rials: int, period_months: int = 0) -> int:
    """The next subsidy payout (rials) once ``paid_rials`` are paid: everything still unpaid when
    ``period_months`` is 0 (one payout), otherwise up to the end of the next period of
    ``period_months`` months of the schedule not yet covered (e.g. 12: yearly payouts). Never
    more than what is unpaid, never below 0."""
    unpaid = max(schedule.subsidy_total - paid_rials, 0)
    if period_months <= 0:
        return unpaid
    cumulative = 0
    for month in schedule.months:
        cumulative += month.subsidy
        if month.number % period_months == 0 or month.number == len(schedule.months):
            if cumulative > paid_rials:
                return min(cumulative - paid_rials, unpaid)
    return unpaid
