"""``/program/``'s budget section: per budget year, province and fund, the allocated, committed,
paid and remaining rials and the percentage used, summed from the ledger; aggregates only (no
application's data), in a number of queries that does not grow with the ledger."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common import jalali
from financing.models import ApplicationState as S
from monitoring.selectors import budget_overview
from tests.budgets.pages import commit_many, figures, row_of
from tests.factories import Figures
from tests.world import allocate_world_budget

BUDGET = Figures.WORLD_BUDGET


@pytest.fixture
def ledger(world, advance_to):
    """Province A: a loan of 5,510,000,000 committed, 2,000,000,000 of it paid, its subsidy of
    1,863,370,197 committed; province B: a loan of 5,510,000,000 committed."""
    return advance_to(S.DISBURSING), advance_to(S.BANK_APPROVED, province="b")


def budget_section(client):
    response = client.get("/program/")
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="budget"'):]


def cells(html, province, fund):
    return figures(row_of(html, f'data-budget-province="{province}" data-fund="{fund}"'))


def test_each_province_and_fund_shows_its_figures(client, world, ledger):
    html = budget_section(client)
    assert f'data-budget-year="{jalali.current_year()}"' in html
    assert cells(html, "TSTA", "loans") == {"allocated": BUDGET, "committed": 3_510_000_000, "paid": 2_000_000_000,
                                           "remaining": BUDGET - 5_510_000_000}
    assert cells(html, "TSTA", "interest_subsidy") == {"allocated": BUDGET, "committed": Figures.SUBSIDY, "paid": 0,
                                                      "remaining": BUDGET - Figures.SUBSIDY}
    assert cells(html, "TSTB", "loans") == {"allocated": BUDGET, "committed": 5_510_000_000, "paid": 0,
                                           "remaining": BUDGET - 5_510_000_000}
    assert cells(html, "TSTB", "grants") == {"allocated": BUDGET, "committed": 0, "paid": 0, "remaining": BUDGET}
    assert figures(row_of(html, 'data-total="loans"')) == {
        "allocated": 2 * BUDGET, "committed": 9_020_000_000, "paid": 2_000_000_000,
        "remaining": 2 * BUDGET - 11_020_000_000}
    # Amounts in billion rials, the exact rials in the cell's title.
    assert 'data-rials="3510000000" title="۳٬۵۱۰٬۰۰۰٬۰۰۰ ریال">۳٫۵۱</td>' in html


def test_the_percentage_used_is_shown(client, world, ledger):
    from programs.models import ProvinceAllocation

    ProvinceAllocation.objects.filter(province=world.province_b).update(loans_rials=11_020_000_000)
    row = row_of(budget_section(client), 'data-budget-province="TSTB" data-fund="loans"')
    assert 'data-field="used_percent">۵۰٪' in row


def test_only_aggregates_are_shown(client, world, ledger):
    application = ledger[0]
    html = client.get("/program/").content.decode()
    for private in (application.title, world.applicant_1.name, world.applicant_1.national_id,
                    application.tracking_code, "/applications/"):
        assert private not in html
    # Nor the sector's lines: the public page sums the provinces' lines only.
    assert "کشاورزی آزمایشی" not in budget_section(client)


def test_years_come_newest_first_and_provinces_in_order(client, world, ledger):
    this_year = jalali.current_year()
    allocate_world_budget(world.province_a, world.province_b, world.sector, year=this_year - 1)
    html = budget_section(client)
    assert html.index(f'data-budget-year="{this_year}"') < html.index(f'data-budget-year="{this_year - 1}"')
    overview = budget_overview()
    assert [year.year for year in overview] == [this_year, this_year - 1]
    assert [item.province.code for item in overview[0].provinces] == ["TSTA", "TSTB"]
    assert [row.line.fund for row in overview[0].provinces[0].rows] == ["grants", "loans", "interest_subsidy"]
    last_year = html[html.index(f'data-budget-year="{this_year - 1}"'):]
    assert cells(last_year, "TSTA", "loans") == {"allocated": BUDGET, "committed": 0, "paid": 0, "remaining": BUDGET}


def test_without_budget_lines_the_section_is_left_out(client, db):
    assert 'id="budget"' not in client.get("/program/").content.decode()


def test_query_count_does_not_grow_with_the_ledger(client, world, advance_to):
    application = advance_to(S.BANK_APPROVED)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/program/").status_code == 200
        return len(captured)

    small = queries()
    commit_many(world, application, 149)  # 300 entries in all
    assert queries() == small
    # Six for the seed's tables, four for the budget (lines, ledger sums, two allocation tables),
    # one for the institutions counted (§11); the timetable needs the programme row, absent here.
    assert small == 11
