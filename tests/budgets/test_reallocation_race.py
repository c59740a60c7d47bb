"""Re-allocations racing on PostgreSQL (C23): the source line's remainder is checked under its
lock, and one form submitted twice at the same moment moves the money once."""

import uuid

import pytest
from django.db import connection

from budgets.models import LedgerEntry
from budgets.selectors import line_amounts
from budgets.services import budget_reallocate
from common.errors import Conflict, RuleBroken
from tests.factories import Figures
from tests.races import outcomes, race

from .pages import world_line

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("race tests need PostgreSQL (row locks)")


def move(world, source, target, amount, transfer=None):
    return lambda: budget_reallocate(actor=world.ministry, from_line_id=source.pk, to_line_id=target.pk,
                                     amount_rials=amount, reason="آزمون هم‌زمانی", transfer=transfer)


def test_two_moves_that_together_exceed_the_source_leave_it_whole(world):
    source, target = world_line(world.province_a), world_line(world.province_b)
    six_tenths = Figures.WORLD_BUDGET * 6 // 10
    successes, errors = outcomes(race(move(world, source, target, six_tenths),
                                      move(world, source, target, six_tenths)))
    assert successes == 1 and [type(e) for e in errors] == [RuleBroken]
    assert line_amounts(source).remaining == Figures.WORLD_BUDGET - six_tenths
    assert line_amounts(target).allocated == Figures.WORLD_BUDGET + six_tenths


def test_one_form_posted_twice_at_once_moves_the_money_once(world):
    source, target = world_line(world.province_a), world_line(world.province_b)
    transfer = uuid.uuid4()
    successes, errors = outcomes(race(move(world, source, target, 1_000_000, transfer),
                                      move(world, source, target, 1_000_000, transfer)))
    assert successes == 1 and [type(e) for e in errors] == [Conflict]
    assert LedgerEntry.objects.filter(transfer=transfer).count() == 2
