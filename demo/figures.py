"""Invented figures of a demo application: the project, the bank's approval, the contract, the
tranches, the subsidy payouts and the jobs declared. Both loaders use these, so a step has the
same figures whichever loader takes it.

Amounts are rials, jobs persons, rates percent per year, terms months.
"""

import datetime
import functools
import random
from decimal import Decimal

from django.conf import settings

from financing.models import InvestmentApplication
from financing.schedule import subsidy_total
from financing.services import ApplicationInput, ContractInput
from financing.services.applications import programme_cost_per_job_rials

ProjectKind = InvestmentApplication.ProjectKind
PROJECT_KIND_TITLES = {
    ProjectKind.NEW: "ایجاد واحد",
    ProjectKind.EXPANSION: "توسعه واحد",
    ProjectKind.WORKING_CAPITAL: "سرمایه در گردش واحد",
    ProjectKind.COMPLETION: "تکمیل واحد",
}
MILLION = 1_000_000  # the bank rounds approved loans, commitments and tranches down to a million rials
REQUESTED_STEPS = range(5, 301)  # requests are 0.5–30 billion rials, in steps of 100,000,000
REQUESTED_STEP = 100_000_000
MAX_REQUESTED_RIALS = REQUESTED_STEPS[-1] * REQUESTED_STEP
# The contracts' terms: the bank's rate, the subsidy's points (never 0, so every contract owes a
# subsidy), the term and the grace period (always shorter than the term).
INTEREST_RATES = ("18.00", "21.00", "23.00")
SUBSIDY_POINTS = (8, 10, 12)
TERMS = (36, 48, 60, 84)
GRACES = (6, 12)


def max_rials_per_job() -> int:
    """The most a submission may ask per planned job (rials): the eligibility rule's multiple
    (``KALEH_MAX_COST_PER_JOB_MULTIPLE``) of the programme's rials per job (§10; one query)."""
    multiple = Decimal(str(settings.KALEH_MAX_COST_PER_JOB_MULTIPLE))
    return int(multiple * programme_cost_per_job_rials())


def application_input(rng: random.Random, sectors: list, counties: list, *, rials_per_job: int) -> ApplicationInput:
    """Invented figures for an application in one of a call's priority ``sectors`` (a sector's
    own county, or one of ``counties``): 0.5–30 billion rials requested (C10: above 2³¹), at most
    ``rials_per_job`` (``max_rials_per_job``) per planned job, so that it is eligible."""
    sector = rng.choice(sectors)
    county = sector.county or rng.choice(counties)
    kind = rng.choice(list(ProjectKind))
    completion = kind == ProjectKind.COMPLETION
    new_jobs = rng.randrange(2, 40)
    retained_jobs = 0 if kind == ProjectKind.NEW else rng.randrange(0, 20)
    most = min(REQUESTED_STEPS.stop, (new_jobs + retained_jobs) * rials_per_job // REQUESTED_STEP + 1)
    requested = rng.randrange(REQUESTED_STEPS.start, max(most, REQUESTED_STEPS.start + 1)) * REQUESTED_STEP
    return ApplicationInput(
        title=f"{PROJECT_KIND_TITLES[kind]} {sector.name} در {county.name}"[:300],
        county=county,
        priority_sector=sector,
        project_kind=kind,
        is_existing_unit=kind != ProjectKind.NEW,
        requested_loan_rials=requested,
        own_contribution_rials=requested * rng.randrange(20, 45) // 100,
        planned_new_jobs=new_jobs,
        planned_retained_jobs=retained_jobs,
        physical_progress_percent=rng.randrange(61, 96) if completion else rng.randrange(0, 61),
    )


def approved_loan(requested_rials: int, rng: random.Random) -> int:
    """The loan the bank approves: all or 70–90 % of ``requested_rials``, in whole millions of rials."""
    share = rng.choice([100, 100, 90, 80, 70])
    return requested_rials * share // 100 // MILLION * MILLION


def contract_input(approved_rials: int, tranches: int, rng: random.Random, *, signed_on: datetime.date,
                   bank_reference: str) -> ContractInput:
    """The contract terms for a loan of ``approved_rials`` paid in ``tranches`` (the subsidy is
    the service's to compute: ``contract_subsidy``)."""
    subsidy_rate = rng.choice(SUBSIDY_POINTS)
    term = rng.choice(TERMS)
    return ContractInput(
        principal_rials=approved_rials, interest_rate_percent=Decimal(rng.choice(INTEREST_RATES)),
        subsidy_rate_percent=Decimal(subsidy_rate), term_months=term, grace_months=rng.choice(GRACES),
        planned_tranches=tranches, signed_on=signed_on,
        bank_reference=bank_reference)


@functools.lru_cache(maxsize=50_000)
def _subsidy(principal_rials, interest_rate_percent, subsidy_rate_percent, term_months, grace_months) -> int:
    return subsidy_total(principal_rials, interest_rate_percent, subsidy_rate_percent, term_months, grace_months)


def contract_subsidy(terms: ContractInput) -> int:
    """The interest subsidy (rials) the contract ``terms`` commit: ``financing.schedule.subsidy_total``,
    as ``application_sign_contract`` computes it. Cached: the bulk loader asks for thousands, and
    many share their terms."""
    return _subsidy(terms.principal_rials, terms.interest_rate_percent, terms.subsidy_rate_percent,
                    terms.term_months, terms.grace_months)


@functools.cache
def max_subsidy_rials() -> int:
    """The largest subsidy (rials) a demo contract can commit: the largest loan on the most
    generous of the demo's terms."""
    return max(subsidy_total(MAX_REQUESTED_RIALS, Decimal(rate), Decimal(points), term, grace)
               for rate in INTEREST_RATES for points in SUBSIDY_POINTS for term in TERMS for grace in GRACES)


def actual_new_jobs(planned_new_jobs: int, rng: random.Random) -> int:
    """The new jobs (persons) declared at operation: the plan's, or up to three fewer."""
    return max(0, planned_new_jobs - rng.randrange(0, 4))


def split_amount(total: int, parts: int, unit: int = MILLION) -> list:
    """``total`` rials in ``parts`` amounts rounded down to ``unit``; the last one takes the rest,
    so they add up to ``total``."""
    share = total // parts // unit * unit
    amounts = [share] * (parts - 1)
    return amounts + [total - sum(amounts)]


def contract_reference(bank_code: str, application_id: int) -> str:
    """The bank's reference of the demo contract of application ``application_id``."""
    return f"DEMO-{bank_code}-{application_id:05d}"


def tranche_reference(application_id: int, number: int) -> str:
    """The bank's reference of tranche ``number`` (from 1) of application ``application_id``."""
    return f"DEMO-{application_id:05d}-T{number}"


def tranche_key(application_id: int, number: int) -> str:
    """The idempotency key (C18) of tranche ``number`` (from 1) of application ``application_id``."""
    return f"demo-{application_id}-{number}"
