"""Re-allocation (issue 7): ministry staff move money between lines with a reason; the source's
remaining amount is checked under the lock; a move is a pair of ledger entries."""

import pytest

from budgets.models import Fund, LedgerEntry
from budgets.services import budget_reallocate
from common.errors import NotAllowed, RuleBroken
from financing.models import ApplicationState
from tests.factories import Figures

from .helpers import figures, province_line, sector_line, set_allocation

S = ApplicationState
BUDGET = Figures.WORLD_BUDGET


def test_a_move_is_a_pair_of_entries_and_changes_both_lines(advance_to, world):
    set_allocation(world.province_a, Fund.LOANS, 20_000_000_000)
    advance_to(S.BANK_APPROVED)  # 5,510,000,000 committed in A
    source, target = province_line(world.province_a), province_line(world.province_b)
    out, into = budget_reallocate(actor=world.ministry, from_line_id=source.pk, to_line_id=target.pk,
                                  amount_rials=14_490_000_000, reason="جذب کم در استان الف")
    assert (out.kind, into.kind, out.transfer == into.transfer) == ("reallocate_out", "reallocate_in", True)
    assert (out.actor, out.reason) == (world.ministry, "جذب کم در استان الف")
    assert figures(source) == (5_510_000_000, 5_510_000_000, 0, 0)
    assert figures(target) == (BUDGET + 14_490_000_000, 0, 0, BUDGET + 14_490_000_000)


def test_more_than_the_source_has_left_is_refused(advance_to, world):
    set_allocation(world.province_a, Fund.LOANS, 6_000_000_000)
    advance_to(S.BANK_APPROVED)
    with pytest.raises(RuleBroken) as refused:
        budget_reallocate(actor=world.ministry, from_line_id=province_line(world.province_a).pk,
                          to_line_id=province_line(world.province_b).pk, amount_rials=490_000_001, reason="انتقال")
    assert refused.value.field == "amount_rials"
    assert "مانده ۴۹۰٬۰۰۰٬۰۰۰ ریال" in str(refused.value.message)
    assert not LedgerEntry.objects.filter(kind__startswith="reallocate").exists()


@pytest.mark.parametrize("case", ["same line", "province to sector", "no reason", "zero"])
def test_moves_that_make_no_sense_are_refused(world, case):
    a, b, sector = province_line(world.province_a), province_line(world.province_b), sector_line(world.sector)
    kwargs = {"same line": dict(from_line_id=a.pk, to_line_id=a.pk, amount_rials=1, reason="x"),
              "province to sector": dict(from_line_id=a.pk, to_line_id=sector.pk, amount_rials=1, reason="x"),
              "no reason": dict(from_line_id=a.pk, to_line_id=b.pk, amount_rials=1, reason=" "),
              "zero": dict(from_line_id=a.pk, to_line_id=b.pk, amount_rials=0, reason="x")}[case]
    with pytest.raises(RuleBroken):
        budget_reallocate(actor=world.ministry, **kwargs)
    assert LedgerEntry.objects.count() == 0


@pytest.mark.parametrize("role", ["agency_officer_a", "secretary_a", "manager_a", "bank_officer_1", "owner", "admin"])
def test_only_ministry_staff_move_money(world, role):
    with pytest.raises(NotAllowed):
        budget_reallocate(actor=getattr(world, role), from_line_id=province_line(world.province_a).pk,
                          to_line_id=province_line(world.province_b).pk, amount_rials=1, reason="انتقال")
    assert LedgerEntry.objects.count() == 0


def test_moving_between_funds_is_refused(world):
    """Loans are the banks' and the National Development Fund's money; grants and the subsidy are
    the public budget's: a move stays within one fund."""
    with pytest.raises(RuleBroken):
        budget_reallocate(actor=world.ministry, from_line_id=province_line(world.province_a, Fund.GRANTS).pk,
                          to_line_id=province_line(world.province_a, Fund.INTEREST_SUBSIDY).pk,
                          amount_rials=1_000_000_000, reason="نیاز بیشتر به یارانه")
    assert LedgerEntry.objects.count() == 0
