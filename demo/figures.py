"""Invented figures of a demo application: the project, the bank's approval, the contract, the
tranches, the subsidy payouts and the jobs declared. Both loaders use these, so a step has the
same figures whichever loader takes it.

Amounts are rials, jobs persons, rates percent per year, terms months.
"""

import datetime
import random
from decimal import Decimal

from financing.models import InvestmentApplication
from financing.services import ApplicationInput, ContractInput

ProjectKind = InvestmentApplication.ProjectKind
PROJECT_KIND_TITLES = {
    ProjectKind.NEW: "ایجاد واحد",
    ProjectKind.EXPANSION: "توسعه واحد",
    ProjectKind.WORKING_CAPITAL: "سرمایه در گردش واحد",
    ProjectKind.COMPLETION: "تکمیل واحد",
}
MILLION = 1_000_000  # the bank rounds approved loans, commitments and tranches down to a million rials


def application_input(rng: random.Random, sectors: list, counties: list) -> ApplicationInput:
    """Invented figures for an application in one of a call's priority ``sectors`` (a sector's
    own county, or one of ``counties``): 0.5–30 billion rials requested (C10: above 2³¹)."""
    sector = rng.choice(sectors)
    county = sector.county or rng.choice(counties)
    kind = rng.choice(list(ProjectKind))
    completion = kind == ProjectKind.COMPLETION
    requested = rng.randrange(5, 301) * 100_000_000
    return ApplicationInput(
        title=f"{PROJECT_KIND_TITLES[kind]} {sector.name} در {county.name}"[:300],
        county=county,
        priority_sector=sector,
        project_kind=kind,
        is_existing_unit=kind != ProjectKind.NEW,
        requested_loan_rials=requested,
        own_contribution_rials=requested * rng.randrange(20, 45) // 100,
        planned_new_jobs=rng.randrange(2, 40),
        planned_retained_jobs=0 if kind == ProjectKind.NEW else rng.randrange(0, 20),
        physical_progress_percent=rng.randrange(61, 96) if completion else rng.randrange(0, 61),
    )


def approved_loan(requested_rials: int, rng: random.Random) -> int:
    """The loan the bank approves: all or 70–90 % of ``requested_rials``, in whole millions of rials."""
    share = rng.choice([100, 100, 90, 80, 70])
    return requested_rials * share // 100 // MILLION * MILLION


def contract_input(approved_rials: int, tranches: int, rng: random.Random, *, signed_on: datetime.date,
                   bank_reference: str) -> ContractInput:
    """The contract terms for a loan of ``approved_rials`` paid in ``tranches``."""
    subsidy_rate = rng.choice([8, 10, 12])
    term = rng.choice([36, 48, 60, 84])
    # An estimate of the interest the subsidy covers on a declining balance: about half the
    # principal's subsidised interest over the term (the budget rule comes later).
    committed = approved_rials * subsidy_rate * term // (12 * 100 * 2) // MILLION * MILLION
    return ContractInput(
        principal_rials=approved_rials, interest_rate_percent=Decimal(rng.choice(["18.00", "21.00", "23.00"])),
        subsidy_rate_percent=Decimal(subsidy_rate), term_months=term, grace_months=rng.choice([6, 12]),
        planned_tranches=tranches, subsidy_committed_rials=max(MILLION, committed), signed_on=signed_on,
        bank_reference=bank_reference)


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
