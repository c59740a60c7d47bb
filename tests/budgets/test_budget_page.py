"""The budget page ``/budgets/``: each line's allocated, committed, paid and remaining rials, from
the ledger the chain writes; scoped by role and province; a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import Fund
from common import jalali
from financing.models import ApplicationState as S
from programs.models import ProvinceAllocation
from tests.factories import Figures, ProvinceAllocationFactory, ProvinceFactory
from tests.web import as_user
from tests.world import allocate_world_budget

from .pages import commit_many, figures, line_figures, row_of, world_line

URL = "/budgets/"
BUDGET = Figures.WORLD_BUDGET  # 10**15 rials in every fund of every line


@pytest.fixture
def ledger(world, advance_to):
    """One application of province A driven to its first tranche (loan committed 5,510,000,000,
    2,000,000,000 of it paid; subsidy 1,863,370,197 committed at signing), one of province B
    approved by the bank (loan 5,510,000,000 committed)."""
    return advance_to(S.DISBURSING), advance_to(S.BANK_APPROVED, province="b")


def page(client, user, query=""):
    response = as_user(client, user).get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def test_ministry_sees_each_line_with_the_ledger_figures(client, world, ledger):
    html = page(client, world.ministry)
    assert line_figures(html, world_line(world.province_a)) == {
        "allocated": BUDGET, "committed": 3_510_000_000, "paid": 2_000_000_000, "remaining": BUDGET - 5_510_000_000}
    assert line_figures(html, world_line(world.province_a, Fund.INTEREST_SUBSIDY)) == {
        "allocated": BUDGET, "committed": Figures.SUBSIDY, "paid": 0, "remaining": BUDGET - Figures.SUBSIDY}
    assert line_figures(html, world_line(world.province_a, Fund.GRANTS)) == {
        "allocated": BUDGET, "committed": 0, "paid": 0, "remaining": BUDGET}
    assert line_figures(html, world_line(world.province_b)) == {
        "allocated": BUDGET, "committed": 5_510_000_000, "paid": 0, "remaining": BUDGET - 5_510_000_000}
    # The sector's line carries both applications' commitments.
    assert line_figures(html, world_line(world.sector)) == {
        "allocated": BUDGET, "committed": 9_020_000_000, "paid": 2_000_000_000, "remaining": BUDGET - 11_020_000_000}
    assert html.count("data-line=") == 9  # 2 provinces and 1 sector × 3 funds


def test_totals_per_fund_sum_each_kind_of_line_apart(client, world, ledger):
    html = page(client, world.ministry)
    provinces = html[html.index('data-table="province-lines"'):html.index('data-table="sector-lines"')]
    assert figures(row_of(provinces, 'data-total="loans"')) == {
        "allocated": 2 * BUDGET, "committed": 9_020_000_000, "paid": 2_000_000_000,
        "remaining": 2 * BUDGET - 11_020_000_000}
    assert figures(row_of(provinces, 'data-total="interest_subsidy"'))["committed"] == Figures.SUBSIDY
    sectors = html[html.index('data-table="sector-lines"'):]
    assert figures(row_of(sectors, 'data-total="loans"')) == {
        "allocated": BUDGET, "committed": 9_020_000_000, "paid": 2_000_000_000, "remaining": BUDGET - 11_020_000_000}


def test_amounts_show_in_billion_rials_with_the_exact_rials_at_hand(client, world, ledger):
    row = row_of(page(client, world.ministry), f'data-line="{world_line(world.province_a).pk}"')
    assert 'data-field="committed" data-rials="3510000000" title="۳٬۵۱۰٬۰۰۰٬۰۰۰ ریال">۳٫۵۱</td>' in row
    assert ('data-field="allocated" data-rials="1000000000000000" title="۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال">۱٬۰۰۰٬۰۰۰</td>'
            in row)
    assert 'data-field="paid" data-rials="2000000000" title="۲٬۰۰۰٬۰۰۰٬۰۰۰ ریال">۲</td>' in row


def test_a_line_used_beyond_its_allocation_shows_a_negative_remainder(client, world, ledger):
    # The allocation was lowered after the commitments: 5,000,000,000 allocated, 5,510,000,000 used.
    ProvinceAllocation.objects.filter(province=world.province_a).update(loans_rials=5_000_000_000)
    row = row_of(page(client, world.ministry), f'data-line="{world_line(world.province_a).pk}"')
    assert figures(row)["remaining"] == -510_000_000
    assert 'title="-۵۱۰٬۰۰۰٬۰۰۰ ریال"' in row
    assert '<bdi dir="ltr">-۰٫۵۱</bdi>' in row and 'data-marker="over-committed"' in row
    assert 'data-field="used_percent">۱۱۰٫۲٪' in row


@pytest.mark.parametrize("officer", ["agency_officer_a", "secretary_a", "manager_a"])
def test_provincial_staff_see_their_own_province_only(client, world, ledger, officer):
    html = page(client, getattr(world, officer))
    shown = {world_line(world.province_a, fund).pk for fund in Fund.values}
    assert html.count("data-line=") == 3
    assert all(f'data-line="{pk}"' in html for pk in shown)
    assert f'data-line="{world_line(world.province_b).pk}"' not in html
    assert 'data-table="sector-lines"' not in html
    assert line_figures(html, world_line(world.province_a))["committed"] == 3_510_000_000
    assert 'data-testid="reallocate-link"' not in html
    assert 'data-testid="nav-budget"' in html


@pytest.mark.parametrize("who", ["owner", "bank_officer_1", "admin"])
def test_applicants_banks_and_system_admins_are_refused(client, world, who):
    response = as_user(client, getattr(world, who)).get(URL)
    assert response.status_code == 403
    assert 'data-testid="nav-budget"' not in client.get("/program/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_page_shows_this_year_by_default_and_others_on_request(client, world, ledger):
    this_year = jalali.current_year()
    allocate_world_budget(world.province_a, world.province_b, world.sector, year=this_year - 1)
    last_year_line = world_line(world.province_a, year=this_year - 1)
    default = page(client, world.ministry)
    assert f'data-year="{this_year}"' in default and f'data-year="{this_year - 1}"' not in default
    last_year = page(client, world.ministry, f"?year={this_year - 1}")
    assert f'data-year="{this_year}"' not in last_year
    assert line_figures(last_year, last_year_line) == {"allocated": BUDGET, "committed": 0, "paid": 0,
                                                       "remaining": BUDGET}
    # Persian digits, as a user would type the year in the address.
    typed = str(this_year - 1).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert f'data-line="{last_year_line.pk}"' in page(client, world.ministry, f"?year={typed}")
    both = page(client, world.ministry, "?year=all")
    assert both.index(f'data-year="{this_year}"') < both.index(f'data-year="{this_year - 1}"')
    assert both.count("data-line=") == 18
    # A year without lines, or junk, shows the default.
    assert f'data-year="{this_year}"' in page(client, world.ministry, "?year=1300")
    assert f'data-year="{this_year}"' in page(client, world.ministry, "?year=abc")


def test_a_user_without_lines_sees_a_note(client, world):
    lone = ProvinceFactory(code="TSTC", name="استان ج")
    from tests.factories import WorkingGroupSecretaryFactory

    html = page(client, WorkingGroupSecretaryFactory(username="secretary_c", province=lone))
    assert 'data-testid="no-lines"' in html and "data-line=" not in html


def _queries(client, user):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_ledger_entries_or_lines(client, world, advance_to):
    application = advance_to(S.BANK_APPROVED)  # 2 entries
    as_user(client, world.ministry)
    small = _queries(client, world.ministry)
    commit_many(world, application, 149)  # 300 entries in all
    assert _queries(client, world.ministry) == small
    # A third province with its allocation: three more lines, the same queries.
    ProvinceAllocationFactory(province=ProvinceFactory(code="TSTC", name="استان ج"),
                              budget_year=world_line(world.province_a).budget_year)
    html = client.get(URL).content.decode()
    assert html.count("data-line=") == 12
    assert _queries(client, world.ministry) == small
    # Session, user, years, then lines_with_amounts: lines, ledger sums, two allocation tables.
    assert small == 8  # 7 + the header's unread-notice count
