"""Helpers for the budget tests: the world's budget lines, and the figures a page shows for them."""

import re

from budgets.models import BudgetLine, Fund
from budgets.services import Claim, budget_commit
from common import jalali

FIELDS = ("allocated", "committed", "paid", "remaining")


def world_line(owner, fund=Fund.LOANS, year=None):
    """The world's line of ``owner`` (a province or the economic sector) for ``fund`` this year."""
    owner_field = "province" if owner._meta.model_name == "province" else "economic_sector"
    return BudgetLine.objects.get(fund=fund, budget_year__year=year or jalali.current_year(), **{owner_field: owner})


def row_of(html: str, marker: str) -> str:
    """The table row (``<tr …>…</tr>``) of ``html`` that carries ``marker`` (e.g. ``data-line="5"``)."""
    start = html.index(marker)
    return html[html.rindex("<tr", 0, start):html.index("</tr>", start)]


def figures(row: str) -> dict:
    """``{"allocated": rials, "committed": …, "paid": …, "remaining": …}`` of a row's amount cells."""
    return {name: int(value) for name, value in re.findall(r'data-field="(\w+)" data-rials="(-?\d+)"', row)}


def line_figures(html: str, line) -> dict:
    return figures(row_of(html, f'data-line="{line.pk}"'))


def commit_many(world, application, count, *, amount_rials=1_000, province=None):
    """``count`` commitments of ``amount_rials`` for ``application`` against the loan lines of its
    province (A unless told) and the world's sector, through the service: 2 × ``count`` entries."""
    claim = Claim(province_id=(province or world.province_a).pk, economic_sector_id=world.sector.pk)
    for _ in range(count):
        budget_commit(actor=world.bank_officer_1, source=application, claim=claim, fund=Fund.LOANS,
                      amount_rials=amount_rials, reason="آزمون حجم دفتر")
