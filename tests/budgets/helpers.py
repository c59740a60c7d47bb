"""Helpers of the budget tests: the world's lines and their figures (rials)."""

import datetime
import zoneinfo

from budgets.models import BudgetLine, Fund, LedgerEntry
from budgets.selectors import line_amounts
from common import jalali
from programs.models import ProvinceAllocation
from sectors.models import SectorAllocation

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def province_line(province, fund=Fund.LOANS, year=None):
    """The ``BudgetLine`` of ``province`` × ``fund`` × ``year`` (default this Jalali year)."""
    return BudgetLine.objects.get(province=province, fund=fund, budget_year__year=year or jalali.current_year())


def sector_line(sector, fund=Fund.LOANS, year=None):
    return BudgetLine.objects.get(economic_sector=sector, fund=fund, budget_year__year=year or jalali.current_year())


def figures(line):
    """``(allocated, committed, paid, remaining)`` of ``line`` in rials."""
    amounts = line_amounts(line)
    return amounts.allocated, amounts.committed, amounts.paid, amounts.remaining


def set_allocation(owner, fund, rials, year=None):
    """Change the allocation row (not the ledger) of a province or sector for ``fund``."""
    year = year or jalali.current_year()
    column = {Fund.GRANTS: "grants_rials", Fund.LOANS: "loans_rials", Fund.INTEREST_SUBSIDY: "interest_subsidy_rials"}
    if hasattr(owner, "code") and owner.__class__.__name__ == "Province":
        rows = ProvinceAllocation.objects.filter(province=owner, budget_year__year=year)
    else:
        rows = SectorAllocation.objects.filter(economic_sector=owner, budget_year__year=year)
    assert rows.update(**{column[fund]: rials}) == 1


def entries_of(application):
    """The ledger entries of ``application``: ``(owner kind, fund, entry kind, rials)``, in order."""
    rows = LedgerEntry.objects.filter(source_type__model="investmentapplication", source_id=application.pk)
    return [("province" if e.line.province_id else "sector", e.line.fund, e.kind, e.amount_rials)
            for e in rows.select_related("line").order_by("id")]


def tehran(*args):
    """An aware datetime in Tehran time."""
    return datetime.datetime(*args, tzinfo=TEHRAN)
