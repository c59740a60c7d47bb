"""The demo's budget (issue 7; roles.md, "Dates and the programme's calendar"): both loaders add
allocations marked as demo data for each Jalali year their timeline spans, large enough for
their volume, leave the seed's 1398 rows as they are, and write the ledger the money services
write, so that it sums to what the applications hold."""

from decimal import Decimal

import jdatetime
import pytest
from django.core.management import call_command
from django.utils import timezone

from budgets.models import BudgetLine, Fund, LedgerEntry
from demo import budget, builder, bulk, figures
from financing.models import ApplicationState, InvestmentApplication, LoanContract
from financing.schedule import subsidy_total
from programs.models import BudgetYear, Province, ProvinceAllocation
from sectors.models import EconomicSector, SectorAllocation
from tests.demo.helpers import application_entries, check_ledger_against_applications, load_reference_data

SEED = 27
M = 40  # applications: every state occurs, cancelled included
LOADERS = {"builder": builder.seed_demo, "bulk": bulk.seed_demo_bulk}
# 25 days into 1405: the timeline starts in 1404, so the demo crosses a Jalali new year.
NOW = timezone.make_aware(jdatetime.datetime(1405, 1, 25, 15, 0).togregorian())
K = LedgerEntry.Kind


def allocation_rows(**filters) -> list:
    """Every province and sector allocation matching ``filters``, as plain values."""
    fields = ("budget_year__year", "new_jobs", "grants_rials", "loans_rials", "interest_subsidy_rials", "is_demo")
    return [*ProvinceAllocation.objects.filter(**filters).order_by("pk").values_list("province_id", *fields),
            *SectorAllocation.objects.filter(**filters).order_by("pk").values_list("economic_sector_id", *fields)]


@pytest.fixture(scope="module", params=list(LOADERS))
def built(request, django_db_setup, django_db_blocker):
    """The demo of ``SEED`` built by one loader, with the seed's 1398 rows as they were before it;
    built once for this module's tests (and removed after them)."""
    with django_db_blocker.unblock():
        load_reference_data()
        seed_rows = allocation_rows(budget_year__year=1398)
        report = LOADERS[request.param](applications=M, seed=SEED, now=NOW)
        yield seed_rows, report
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(built, db):
    return built


def test_the_ledger_sums_to_the_applications(demo):
    """Per province and per sector: the approved loans committed, the cancelled ones released, the
    tranches paid, the contracts' computed subsidies committed and the payouts paid; each entry
    at its step's time, in its step's year, and no line over-committed."""
    check_ledger_against_applications()
    states = set(InvestmentApplication.objects.values_list("state", flat=True))
    assert states == set(ApplicationState.values)
    cancelled = InvestmentApplication.objects.filter(state=ApplicationState.CANCELLED)
    for app in cancelled:
        entries = application_entries().filter(source_id=app.pk).order_by("id")
        assert [(e.kind, e.amount_rials) for e in entries] == [(K.COMMIT, app.approved_loan_rials)] * 2 + [
            (K.RELEASE, app.approved_loan_rials)] * 2
        assert entries.last().reason != ""


def test_loans_committed_less_released_are_the_loans_past_approval(demo):
    """Per province: commit − release on the loan line = the approved loan of each application
    approved and not cancelled (the principal once contracted); paid = the tranches."""
    for province in Province.objects.all():
        apps = InvestmentApplication.objects.filter(province=province, approved_loan_rials__isnull=False)
        expected = sum(app.approved_loan_rials for app in apps.exclude(state=ApplicationState.CANCELLED))
        entries = LedgerEntry.objects.filter(line__province=province, line__fund=Fund.LOANS)
        net = sum(e.amount_rials if e.kind == K.COMMIT else -e.amount_rials
                  for e in entries.filter(kind__in=[K.COMMIT, K.RELEASE]))
        assert net == expected, province.code
        paid = sum(e.amount_rials for e in entries.filter(kind=K.PAY))
        assert paid == sum(t for app in apps for t in app.disbursements.values_list("amount_rials", flat=True))


def test_commitments_fall_in_both_years_of_the_timeline(demo):
    years = set(LedgerEntry.objects.filter(kind=K.COMMIT).values_list("line__budget_year__year", flat=True))
    assert years == {1404, 1405}


def test_demo_allocations_cover_each_year_for_every_province_and_sector(demo):
    seed_rows, report = demo
    assert allocation_rows(budget_year__year=1398) == seed_rows != []
    assert all(not row[-1] for row in seed_rows)
    demo_rows = allocation_rows(is_demo=True)
    assert set(BudgetYear.objects.values_list("year", flat=True)) == {1398, 1404, 1405}
    assert allocation_rows(budget_year__year__in=[1404, 1405]) == demo_rows
    owners = Province.objects.count() + EconomicSector.objects.count()
    assert len(demo_rows) == 2 * owners
    assert BudgetLine.objects.filter(budget_year__year__in=[1404, 1405]).count() == 3 * 2 * owners
    assert "Demo budget allocations (is_demo) for 1404, 1405" in " ".join(report.notes)
    assert any(note.startswith("Budget 1405, loans: ") for note in report.notes)


def test_contracts_commit_the_subsidy_the_schedule_gives(demo):
    contracts = list(LoanContract.objects.all())
    assert contracts
    for c in contracts:
        computed = subsidy_total(c.principal_rials, c.interest_rate_percent, c.subsidy_rate_percent, c.term_months,
                                 c.grace_months)
        assert c.subsidy_committed_rials == computed > 0
        assert c.grace_months < c.term_months


def test_allocation_figures_count_each_approval_at_the_largest_loan_and_subsidy():
    assert figures.MAX_REQUESTED_RIALS == 30_000_000_000
    largest = subsidy_total(30_000_000_000, Decimal("23.00"), Decimal(12), 84, 12)
    assert figures.max_subsidy_rials() == largest == 18_048_305_703
    assert budget.allocation_figures(3, 2) == {"new_jobs": 120, "grants_rials": 10 * 10**9,
                                               "loans_rials": 90 * 10**9, "interest_subsidy_rials": 40 * 10**9}
    assert budget.allocation_figures(0, 0) == {"new_jobs": 40, "grants_rials": 10 * 10**9,
                                               "loans_rials": 10 * 10**9, "interest_subsidy_rials": 10 * 10**9}
