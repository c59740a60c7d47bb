"""The demo's budget (issue 7; roles.md, "Dates and the programme's calendar"): allocations for
each Jalali year the invented timeline spans, marked ``is_demo``, large enough for its volume.

The money services commit on the lines of the Jalali year of each step and refuse a year without
an allocation or a line without room (``budgets.services.budget_commit``); the demo's approvals
and contracts are dated over its timeline, which may cross a Jalali new year. So before any
application is built, ``allocate_demo_budget`` gives each of those years an allocation for every
province and every economic sector, sized from the planned routes: each bank approval counts at
the largest loan the demo invents and each contract at the largest subsidy its terms give, so no
line can run out (and a province's lines end about half used). A sector's share of the
applications is only drawn while they are built, so each sector gets the year's whole need.

The seed's own rows (1398, Tables 6 and 8) and any allocation that is not demo data are never
changed; an earlier demo's row is only raised.

Amounts are rials, jobs persons, years Jalali.
"""

import math
from collections import Counter, defaultdict

from django.contrib.contenttypes.models import ContentType

from budgets.models import BudgetLine, Fund, LedgerEntry
from budgets.selectors import lines_with_amounts
from budgets.services import budget_year_ensure, budget_year_of
from common.normalization import normalize_text
from financing.models import InvestmentApplication
from programs.models import ProvinceAllocation
from sectors.models import EconomicSector, SectorAllocation

from . import figures

UNIT = 10 * 10**9  # allocations are whole multiples of 10 billion rials, at least one
# The grants column is a tenth of the loans (at least 10 billion rials): the demo's development
# interventions draw on it, each grant within a quarter of what its lines have left
# (``demo.interventions``), so a small demo gets smaller grants rather than more budget.
GRANTS_SHARE = 10
JOBS_PER_APPROVAL = 40  # the job target: each approval at the largest plan the demo invents
BILLION = 10**9


def years_spanned(routes: list, now) -> list:
    """The Jalali years from the first submission of ``routes`` (``routes.PlannedRoute``) to ``now``
    (aware datetime), ascending."""
    first = min((planned.times[0] for planned in routes), default=now)
    return list(range(budget_year_of(first), budget_year_of(now) + 1))


def planned_commitments(routes: list, province_of) -> tuple:
    """``(approvals, contracts)``: two ``Counter`` of ``(province id, year)``, the bank approvals and
    contract signings the routes plan, ``province_of(index)`` giving each application's province."""
    approvals, contracts = Counter(), Counter()
    for index, planned in enumerate(routes):
        province = province_of(index)
        for step, at in zip(planned.steps, planned.times, strict=True):
            if step.action == "approve_by_bank":
                approvals[(province, budget_year_of(at))] += 1
            elif step.action == "sign_contract":
                contracts[(province, budget_year_of(at))] += 1
    return approvals, contracts


def _round_up(rials: int) -> int:
    return max(1, math.ceil(rials / UNIT)) * UNIT


def allocation_figures(approvals: int, contracts: int) -> dict:
    """The columns of a demo allocation with room for ``approvals`` loans and ``contracts`` subsidies."""
    loans = _round_up(approvals * figures.MAX_REQUESTED_RIALS)
    return {"new_jobs": max(1, approvals) * JOBS_PER_APPROVAL, "grants_rials": _round_up(loans // GRANTS_SHARE),
            "loans_rials": loans, "interest_subsidy_rials": _round_up(contracts * figures.max_subsidy_rials())}


def _allocate(model, owner: dict, budget_year, columns: dict) -> bool:
    """Create ``model``'s demo row for ``owner`` in ``budget_year`` (its ``post_save`` makes the
    three budget lines), or raise an earlier demo's row to ``columns``. Returns False when the row
    there is not demo data (left as it is)."""
    existing = model.objects.filter(budget_year=budget_year, **owner).first()
    if existing is None:
        model.objects.create(budget_year=budget_year, is_demo=True, **owner, **columns)
        return True
    if not existing.is_demo:
        return False
    raised = [name for name, value in columns.items() if getattr(existing, name) < value]
    for name in raised:
        setattr(existing, name, columns[name])
    if raised:
        existing.save(update_fields=raised)
    return True


def allocate_demo_budget(routes: list, provinces: list, province_of, now) -> list:
    """Demo allocations (``is_demo``) for every province in ``provinces`` and every economic sector,
    for each year of ``years_spanned``; ``province_of(index)`` is the province id of the
    ``index``-th route. Returns notes for the person seeding. Call inside the seeding transaction."""
    years = years_spanned(routes, now)
    approvals, contracts = planned_commitments(routes, province_of)
    sectors = list(EconomicSector.objects.order_by("row"))
    kept = []
    for year in years:
        budget_year = budget_year_ensure(year)
        for province in provinces:
            columns = allocation_figures(approvals[(province.pk, year)], contracts[(province.pk, year)])
            if not _allocate(ProvinceAllocation, {"province": province}, budget_year, columns):
                kept.append(f"{province.name_en} {year}")
        columns = allocation_figures(sum(n for (_p, y), n in approvals.items() if y == year),
                                     sum(n for (_p, y), n in contracts.items() if y == year))
        for sector in sectors:
            if not _allocate(SectorAllocation, {"economic_sector": sector}, budget_year, columns):
                kept.append(f"{sector.name_en} {year}")
    notes = [f"Demo budget allocations (is_demo) for {', '.join(map(str, years))}: {len(provinces)} provinces "
             f"and {len(sectors)} economic sectors."]
    if kept:
        notes.append(f"Allocations that are not demo data were kept as they are: {', '.join(kept)}.")
    return notes


def budget_line_ids(years) -> dict:
    """``{(province id, economic sector id, fund, year): line id}`` (one of the two ids ``None``) for
    every allocation of ``years``; a missing line is created, once per owner, fund and year."""
    ids = {}
    for model, owner in ((ProvinceAllocation, "province_id"), (SectorAllocation, "economic_sector_id")):
        for owner_id, year_id, year in (model.objects.filter(budget_year__year__in=years)
                                        .values_list(owner, "budget_year_id", "budget_year__year")):
            for fund in Fund.values:
                line, _created = BudgetLine.objects.get_or_create(fund=fund, budget_year_id=year_id,
                                                                  **{owner: owner_id})
                key = (owner_id, None) if owner == "province_id" else (None, owner_id)
                ids[(*key, fund, year)] = line.pk
    return ids


class BulkLedger:
    """For the bulk loader (``demo.bulk``): the budget lines of the demo's ``years``, and the
    unsaved ledger entries of an application's money steps as ``budgets.services`` writes them: a
    commitment on the province's and the economic sector's lines of the step's Jalali year, a
    release or payment on the lines of its commitment."""

    def __init__(self, years):
        self.line_ids = budget_line_ids(years)
        self.source_type = ContentType.objects.get_for_model(InvestmentApplication)

    def lines(self, application, fund, at) -> tuple:
        """The ids of ``application``'s province line and sector line of ``fund`` in the year of ``at``.
        Raises ``AssertionError`` without an allocation there (the service would refuse: a demo bug)."""
        year = budget_year_of(at)
        try:
            return (self.line_ids[(application.province_id, None, fund, year)],
                    self.line_ids[(None, application.economic_sector_id, fund, year)])
        except KeyError:
            raise AssertionError(f"demo application without a {fund} allocation in {year}") from None

    def entries(self, line_ids, kind, amount_rials, *, actor, at, reason="") -> list:
        """One unsaved ``LedgerEntry`` per line; the source's id is set once the application has one."""
        return [LedgerEntry(line_id=line_id, kind=kind, amount_rials=amount_rials, source_type=self.source_type,
                            actor=actor, at=at, reason=normalize_text(reason)) for line_id in line_ids]


def over_committed(years) -> list:
    """The labels of the budget lines of ``years`` with less than nothing left (a demo bug)."""
    rows = lines_with_amounts(BudgetLine.objects.filter(budget_year__year__in=years))
    return [str(row.line.label) for row in rows if row.amounts.remaining < 0]


def budget_use_notes() -> list:
    """One line per demo year and fund the applications (loans, interest subsidy) and the development
    interventions (grants) draw on: what the provinces' lines were allocated and what is used
    (committed or paid), in billion rials."""
    years = set(ProvinceAllocation.objects.filter(is_demo=True).values_list("budget_year__year", flat=True))
    totals = defaultdict(lambda: [0, 0])
    lines = BudgetLine.objects.filter(province__isnull=False, budget_year__year__in=years,
                                      fund__in=[Fund.GRANTS, Fund.LOANS, Fund.INTEREST_SUBSIDY])
    for row in lines_with_amounts(lines):
        total = totals[(row.line.budget_year.year, row.line.fund)]
        total[0] += row.amounts.allocated
        total[1] += row.amounts.used
    return [f"Budget {year}, {fund}: {used // BILLION:,} of {allocated // BILLION:,} billion rials used "
            f"({used * 100 / allocated:.1f} %)." for (year, fund), (allocated, used) in sorted(totals.items())
            if allocated]
