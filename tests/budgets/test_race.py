"""C23: a cap holds when commitments race. Threads, each on its own PostgreSQL connection, are
released together by a ``threading.Barrier``; the lines' row locks make them queue, and the
remaining amount is summed under the lock. PostgreSQL only (SQLite serialises writers and has no
``SELECT … FOR UPDATE``)."""

import pytest
from django.db import transaction

from budgets.models import Fund, LedgerEntry
from budgets.services import Claim, budget_commit
from common.errors import RuleBroken
from financing import services
from financing.models import ApplicationState, InvestmentApplication
from tests.factories import Figures
from tests.races import outcomes, race
from tests.world import advance

from .helpers import figures, province_line, sector_line, set_allocation

S = ApplicationState

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_commitments_racing_for_the_last_room_commit_one(postgres_only, world):
    """A line of 1,000,000,000 rials with 900,000,000 committed; two commitments of 80,000,000."""
    set_allocation(world.province_a, Fund.GRANTS, 1_000_000_000)
    first, second, third = (advance(world, S.SUBMITTED) for _ in range(3))
    claim = Claim(world.province_a.pk, world.sector.pk)
    budget_commit(actor=world.ministry, source=first, claim=claim, fund=Fund.GRANTS, amount_rials=900_000_000)

    def commit(source):
        def call():
            with transaction.atomic():
                return budget_commit(actor=world.ministry, source=source, claim=claim, fund=Fund.GRANTS,
                                     amount_rials=80_000_000)
        return call

    successes, errors = outcomes(race(commit(second), commit(third)))
    assert successes == 1
    assert len(errors) == 1 and isinstance(errors[0], RuleBroken) and errors[0].field == "budget"
    assert "مانده ۲۰٬۰۰۰٬۰۰۰ ریال است و ۸۰٬۰۰۰٬۰۰۰ ریال درخواست شده است" in str(errors[0].message)
    assert figures(province_line(world.province_a, Fund.GRANTS)) == (1_000_000_000, 980_000_000, 0, 20_000_000)
    # The loser wrote nothing: two entries per successful commitment (province + sector).
    assert LedgerEntry.objects.count() == 4


def test_fifty_approvals_against_room_for_ten_commit_exactly_ten(postgres_only, world):
    room = 10 * Figures.PRINCIPAL + Figures.PRINCIPAL // 2
    set_allocation(world.province_a, Fund.LOANS, room)
    apps = [advance(world, S.BANK_REVIEW) for _ in range(50)]

    def approve(app):
        return lambda: services.application_approve_by_bank(actor=world.bank_officer_1, application_id=app.pk,
                                                            approved_loan_rials=Figures.PRINCIPAL)

    successes, errors = outcomes(race(*(approve(app) for app in apps), timeout=120))
    assert successes == 10
    assert len(errors) == 40 and all(isinstance(e, RuleBroken) and e.field == "budget" for e in errors)
    assert InvestmentApplication.objects.filter(state=S.BANK_APPROVED).count() == 10
    assert InvestmentApplication.objects.filter(state=S.BANK_REVIEW).count() == 40
    assert figures(province_line(world.province_a)) == (room, 10 * Figures.PRINCIPAL, 0, Figures.PRINCIPAL // 2)
    assert figures(sector_line(world.sector))[1] == 10 * Figures.PRINCIPAL
    assert LedgerEntry.objects.filter(kind="commit").count() == 20
