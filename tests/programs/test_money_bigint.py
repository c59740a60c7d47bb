"""C10: a province's allocation above 2³¹ rials round-trips on PostgreSQL (SQLite hides the overflow)."""

import pytest

from programs.models import ProvinceAllocation
from tests.factories import BudgetYearFactory, ProvinceAllocationFactory

PROVINCIAL_LOANS = 32_626_000_000_000  # rials: Table 6's total, 32,626 billion


@pytest.mark.postgres
def test_provincial_total_of_32626_billion_rials_round_trips(postgres_only, world):
    allocation = ProvinceAllocationFactory(province=world.province_a, budget_year=BudgetYearFactory(year=1398),
                                           loans_rials=PROVINCIAL_LOANS)
    assert ProvinceAllocation.objects.values_list("loans_rials", flat=True).get(pk=allocation.pk) == PROVINCIAL_LOANS
