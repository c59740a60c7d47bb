"""Reads for the public programme page (``/program/``): goals, Table 6, Tables 1–4, Table 8, and the
budget used so far per province and fund.

``programme_overview`` runs a fixed number of queries (ten), whatever the number of rows or ledger
entries. Jobs are persons, money integer rials. Each stated total of the seed is shown beside the
sum computed from its rows, with the difference (computed − stated): the seed's Table 8 does not add up.
"""

from dataclasses import dataclass, field

from budgets.models import Fund
from budgets.selectors import FundTotals, LineRow, fund_totals, province_line_rows
from programs.models import Programme, Province, ProvinceAllocation, StatedTotal
from sectors.models import PrioritySector, SectorAllocation

# The budget year of Tables 6 and 8 (§10, §12).
SEED_BUDGET_YEAR = 1398
# Provinces in the order of the acronym KALEH: Kermanshah, Ilam, Lorestan, Hamadan.
KALEH_ORDER = ("IR-05", "IR-16", "IR-15", "IR-13")
FIGURES = ("new_jobs", "grants_rials", "loans_rials", "interest_subsidy_rials")


@dataclass(frozen=True)
class Figures:
    """Jobs (persons) and money (rials) of one table row; ``None`` for a blank cell."""

    new_jobs: int | None = None
    grants_rials: int | None = None
    loans_rials: int | None = None
    interest_subsidy_rials: int | None = None

    @classmethod
    def of(cls, row) -> "Figures":
        return cls(**{name: getattr(row, name) for name in FIGURES})

    @classmethod
    def sum_of(cls, rows) -> "Figures":
        rows = [cls.of(row) for row in rows]
        return cls(**{
            name: sum(getattr(r, name) for r in rows) if rows and all(getattr(r, name) is not None for r in rows)
            else None
            for name in FIGURES
        })

    def minus(self, other: "Figures") -> "Figures":
        def diff(a, b):
            return None if a is None or b is None else a - b
        return Figures(**{name: diff(getattr(self, name), getattr(other, name)) for name in FIGURES})


@dataclass(frozen=True)
class Totals:
    """A seed table's stated total row, the sum of its rows, and computed − stated."""

    stated: StatedTotal | None
    computed: Figures

    @property
    def difference(self) -> Figures | None:
        return None if self.stated is None else self.computed.minus(Figures.of(self.stated))


@dataclass
class PriorityGroup:
    """One province's rows of one source (a seed table, or the officers' entries)."""

    source: str
    rows: list[PrioritySector]
    totals: Totals | None = None  # only where the seed states a total (Table 3)

    @property
    def inferred(self) -> bool:
        return any(row.province_inferred for row in self.rows)


@dataclass
class ProvinceOverview:
    """A province with its Table 6 allocation and its priority sectors grouped by source."""

    province: Province
    allocation: ProvinceAllocation | None
    groups: list[PriorityGroup] = field(default_factory=list)

    @property
    def has_seed_table(self) -> bool:
        return any(group.source != PrioritySector.Source.OFFICER for group in self.groups)


@dataclass(frozen=True)
class ProvinceBudget:
    """One province's budget lines of one year (``LineRow``s, one per fund in ``Fund`` order)."""

    province: Province
    rows: list[LineRow]


@dataclass(frozen=True)
class BudgetYearOverview:
    """A budget year's province lines, province by province, and their sums per fund: aggregates
    of the ledger only (issue 7, "Who sees the money"), no application's data."""

    year: int
    provinces: list[ProvinceBudget]
    totals: list[FundTotals]


@dataclass
class ProgrammeOverview:
    programme: Programme | None
    budget_year: int
    provinces: list[ProvinceOverview]
    table6: Totals
    sector_allocations: list[SectorAllocation]
    table8: Totals
    budget: list[BudgetYearOverview] = field(default_factory=list)

    @property
    def table6_stated_jobs(self) -> int | None:
        return self.table6.stated.new_jobs if self.table6.stated else None


def _province_key(province: Province):
    code = province.code
    return (KALEH_ORDER.index(code) if code in KALEH_ORDER else len(KALEH_ORDER), code)


def budget_overview() -> list[BudgetYearOverview]:
    """Every budget year with province lines, newest first: each province (KALEH order) with its
    allocated, committed, paid and remaining rials per fund, and the year's totals per fund. Four
    queries (``budgets.selectors.province_line_rows``), however long the ledger."""
    funds = list(Fund.values)
    by_year: dict[int, dict[int, list[LineRow]]] = {}
    for row in province_line_rows():
        by_year.setdefault(row.line.budget_year.year, {}).setdefault(row.line.province_id, []).append(row)
    years = []
    for year in sorted(by_year, reverse=True):
        provinces = [ProvinceBudget(rows[0].line.province, sorted(rows, key=lambda r: funds.index(r.line.fund)))
                     for rows in by_year[year].values()]
        provinces.sort(key=lambda item: _province_key(item.province))
        years.append(BudgetYearOverview(year, provinces,
                                        fund_totals([row for item in provinces for row in item.rows])))
    return years


def programme_overview(*, budget_year: int = SEED_BUDGET_YEAR) -> ProgrammeOverview:
    """Everything ``/program/`` shows, for ``budget_year`` (default 1398, Tables 6 and 8), with the
    budget used in every year (``budget_overview``), in ten queries.

    Provinces come in KALEH order; priority sectors by source (Tables 1–4, then officers') and rank.
    Public data: no user scope.
    """
    programme = Programme.objects.order_by("pk").first()
    stated = {row.table: row for row in StatedTotal.objects.filter(table__in=("3", "6", "8"))}
    provinces = sorted(Province.objects.all(), key=_province_key)
    allocations = list(
        ProvinceAllocation.objects.filter(budget_year__year=budget_year).select_related("province"))
    by_province = {a.province_id: a for a in allocations}
    sectors = list(
        PrioritySector.objects.select_related("economic_sector", "county").order_by("province_id", "source", "rank"))
    sector_allocations = list(
        SectorAllocation.objects.filter(budget_year__year=budget_year).select_related("economic_sector")
        .order_by("economic_sector__row"))

    overviews = []
    for province in provinces:
        overview = ProvinceOverview(province=province, allocation=by_province.get(province.pk))
        groups: dict[str, PriorityGroup] = {}
        for row in sectors:
            if row.province_id == province.pk:
                groups.setdefault(row.source, PriorityGroup(source=row.source, rows=[])).rows.append(row)
        for group in groups.values():
            # A table's stated total (Table 3 ``مجموع``) belongs to the group of that table.
            table = group.source.removeprefix("table_")
            if group.source != PrioritySector.Source.OFFICER and table in stated:
                group.totals = Totals(stated=stated[table],
                                      computed=Figures(new_jobs=sum(r.new_jobs or 0 for r in group.rows)))
        # The seed's tables first, then the rows officers entered.
        overview.groups = sorted(groups.values(), key=lambda g: (g.source == PrioritySector.Source.OFFICER, g.source))
        overviews.append(overview)

    return ProgrammeOverview(
        programme=programme,
        budget_year=budget_year,
        provinces=overviews,
        table6=Totals(stated=stated.get("6"), computed=Figures.sum_of(allocations)),
        sector_allocations=sector_allocations,
        table8=Totals(stated=stated.get("8"), computed=Figures.sum_of(sector_allocations)),
        budget=budget_overview(),
    )
