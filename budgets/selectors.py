"""Reads of the budget: each line's allocated, committed, paid and remaining amounts, summed in the
database from the ledger (a fixed number of queries, however many entries), scoped to the user.

All amounts are rials. For a line:
- ``allocated`` = the allocation's figure for the fund (0 without one) + re-allocated in − out;
- ``committed`` = commitments − releases − payments: promised and not yet paid;
- ``paid`` = payments;
- ``remaining`` = allocated − committed − paid (negative only if an allocation was lowered below
  what is already used: shown, never hidden);
- ``used_percent`` = (committed + paid) / allocated × 100, ``None`` for a line with nothing allocated.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum

from accounts.models import Role
from programs.models import ProvinceAllocation
from sectors.models import SectorAllocation

from .models import FUND_COLUMNS, BudgetLine, Fund, LedgerEntry

K = LedgerEntry.Kind


@dataclass(frozen=True)
class LineAmounts:
    """A line's figures in rials (see the module docstring)."""

    allocated: int
    committed: int
    paid: int

    @property
    def used(self) -> int:
        return self.committed + self.paid

    @property
    def remaining(self) -> int:
        return self.allocated - self.used

    @property
    def used_percent(self):
        if self.allocated <= 0:
            return None
        return (Decimal(self.used) * 100 / self.allocated).quantize(Decimal("0.1"), ROUND_HALF_UP)


_SUMS = {
    "committed_in": Sum("amount_rials", filter=Q(kind=K.COMMIT), default=0),
    "released": Sum("amount_rials", filter=Q(kind=K.RELEASE), default=0),
    "paid": Sum("amount_rials", filter=Q(kind=K.PAY), default=0),
    "moved_in": Sum("amount_rials", filter=Q(kind=K.REALLOCATE_IN), default=0),
    "moved_out": Sum("amount_rials", filter=Q(kind=K.REALLOCATE_OUT), default=0),
}


def _amounts(allocation: int, sums: dict) -> LineAmounts:
    return LineAmounts(
        allocated=allocation + sums.get("moved_in", 0) - sums.get("moved_out", 0),
        committed=sums.get("committed_in", 0) - sums.get("released", 0) - sums.get("paid", 0),
        paid=sums.get("paid", 0),
    )


def line_allocated(line: BudgetLine) -> int:
    """What the allocation row gives ``line`` (rials; 0 without an allocation), before re-allocations."""
    if line.province_id:
        allocation = ProvinceAllocation.objects.filter(province_id=line.province_id,
                                                       budget_year_id=line.budget_year_id)
    else:
        allocation = SectorAllocation.objects.filter(economic_sector_id=line.economic_sector_id,
                                                     budget_year_id=line.budget_year_id)
    return allocation.values_list(FUND_COLUMNS[line.fund], flat=True).first() or 0


def line_amounts(line: BudgetLine) -> LineAmounts:
    """One line's figures (two queries)."""
    sums = LedgerEntry.objects.filter(line=line).aggregate(**_SUMS)
    return _amounts(line_allocated(line), sums)


@dataclass(frozen=True)
class LineRow:
    """A budget line with its figures, for the budget page."""

    line: BudgetLine
    amounts: LineAmounts


def _allocations_by_key():
    """``{("province"|"sector", owner_id, year_id, fund): rials}`` for every allocation (2 queries)."""
    figures = {}
    for kind, model, owner in (("province", ProvinceAllocation, "province_id"),
                               ("sector", SectorAllocation, "economic_sector_id")):
        for row in model.objects.values(owner, "budget_year_id", *FUND_COLUMNS.values()):
            for fund, column in FUND_COLUMNS.items():
                figures[(kind, row[owner], row["budget_year_id"], fund)] = row[column]
    return figures


def lines_with_amounts(lines) -> list[LineRow]:
    """``lines`` (a queryset of ``BudgetLine``) with their figures, in four queries whatever the
    number of lines or ledger entries: the lines, the two allocation tables, one grouped sum."""
    lines = list(lines.select_related("province", "economic_sector", "budget_year"))
    sums = {row["line_id"]: row for row in
            LedgerEntry.objects.filter(line__in=[line.pk for line in lines]).values("line_id").annotate(**_SUMS)
            .order_by()} if lines else {}
    allocations = _allocations_by_key() if lines else {}
    rows = []
    for line in lines:
        key = ("province", line.province_id) if line.province_id else ("sector", line.economic_sector_id)
        allocation = allocations.get((*key, line.budget_year_id, line.fund), 0)
        rows.append(LineRow(line, _amounts(allocation, sums.get(line.pk, {}))))
    return rows


def budget_lines_visible_to(user):
    """The lines ``user`` may read: all for ministry staff and the system's admins of the budget;
    their own province's lines for provincial staff (agency officers, working-group secretaries,
    provincial managers); none for anyone else (applicants, banks)."""
    lines = BudgetLine.objects.order_by("budget_year__year", "province__code", "economic_sector__row", "fund", "id")
    if not user.is_authenticated or not user.is_active:
        return lines.none()
    if user.has_role(Role.MINISTRY_STAFF):
        return lines
    if user.has_role(Role.AGENCY_OFFICER, Role.WORKING_GROUP_SECRETARY, Role.PROVINCIAL_MANAGER):
        # An agency officer's province is the agency's (accounts.User.save).
        return lines.filter(province_id=user.province_id) if user.province_id else lines.none()
    return lines.none()


@dataclass(frozen=True)
class FundTotals:
    """The sum of one fund's province lines for a budget year (rials), for ``/program/``."""

    year: int
    fund: str
    amounts: LineAmounts

    @property
    def fund_label(self):
        return Fund(self.fund).label


def fund_totals(rows) -> list[FundTotals]:
    """The sums of ``rows`` (``LineRow``s) per budget year and fund, in year then ``Fund`` order.
    Pass one kind of line at a time: a commitment counts against both its province's and its
    sector's line, so a sum over both would count it twice. No query."""
    sums = {}
    for row in rows:
        key = (row.line.budget_year.year, row.line.fund)
        allocated, committed, paid = sums.get(key, (0, 0, 0))
        sums[key] = (allocated + row.amounts.allocated, committed + row.amounts.committed, paid + row.amounts.paid)
    funds = list(Fund.values)
    return [FundTotals(year, fund, LineAmounts(*sums[(year, fund)]))
            for year, fund in sorted(sums, key=lambda key: (key[0], funds.index(key[1])))]


def province_line_rows():
    """Every province line with its figures: the public ``/program/`` page's aggregate (no
    application's data). Four queries."""
    return lines_with_amounts(BudgetLine.objects.filter(province__isnull=False)
                              .order_by("budget_year__year", "province__code", "fund", "id"))


def source_amounts(source, fund) -> LineAmounts | None:
    """What ``source`` (an application) has committed and paid in ``fund`` on its province line
    (rials; ``allocated`` is 0), or ``None`` when it has no entry. One query."""
    from django.contrib.contenttypes.models import ContentType

    sums = (LedgerEntry.objects.filter(source_type=ContentType.objects.get_for_model(source), source_id=source.pk,
                                       line__fund=fund, line__province__isnull=False).aggregate(**_SUMS))
    if not sums["committed_in"]:
        return None
    return _amounts(0, sums)
