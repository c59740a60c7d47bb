"""Refusals (issue 7): a commitment that would pass the province's or the sector's cap, or that
falls in a year with no allocation, is refused in Persian, naming the line, what is left and what
was asked; nothing is written."""

import datetime

import pytest

from budgets.models import BudgetLine, Fund, LedgerEntry
from budgets.services import budget_year_of
from common.errors import RuleBroken
from financing import services
from financing.models import ApplicationDocument, ApplicationState, InvestmentApplication
from tests.factories import Figures
from tests.financing.actions import snapshot
from tests.uploads import pdf
from tests.web import act, as_user
from tests.world import advance, allocate_world_budget, contract_input

from .helpers import figures, province_line, sector_line, set_allocation, tehran

S = ApplicationState


def approve(world, app, rials=Figures.PRINCIPAL, **kwargs):
    return services.application_approve_by_bank(actor=world.bank_officer_1, application_id=app.pk,
                                                approved_loan_rials=rials, **kwargs)


def test_the_province_cap_refuses_and_names_the_line(advance_to, world):
    set_allocation(world.province_a, Fund.LOANS, 6_000_000_000)
    approve(world, advance_to(S.BANK_REVIEW))
    second = advance_to(S.BANK_REVIEW)
    before = snapshot(second.pk)
    with pytest.raises(RuleBroken) as refused:
        approve(world, second)
    assert refused.value.field == "budget"
    year = "".join("۰۱۲۳۴۵۶۷۸۹"[int(d)] for d in str(budget_year_of(datetime.datetime.now(datetime.UTC))))
    assert str(refused.value.message) == (
        f"اعتبار «تسهیلات بانکی استان استان الف، سال {year}» کافی نیست: "
        "مانده ۴۹۰٬۰۰۰٬۰۰۰ ریال است و ۵٬۵۱۰٬۰۰۰٬۰۰۰ ریال درخواست شده است.")
    assert snapshot(second.pk) == before
    assert figures(province_line(world.province_a)) == (6_000_000_000, 5_510_000_000, 0, 490_000_000)


def test_the_sector_cap_holds_across_provinces(advance_to, world):
    """Province B has room, but the economic sector's line is shared by both provinces."""
    set_allocation(world.sector, Fund.LOANS, 7_000_000_000)
    approve(world, advance_to(S.BANK_REVIEW, province="a"))
    second = advance_to(S.BANK_REVIEW, province="b")
    with pytest.raises(RuleBroken) as refused:
        approve(world, second)
    assert "بخش کشاورزی آزمایشی" in str(refused.value.message)
    assert "۱٬۴۹۰٬۰۰۰٬۰۰۰" in str(refused.value.message)
    assert InvestmentApplication.objects.get(pk=second.pk).state == S.BANK_REVIEW
    assert figures(province_line(world.province_b)) == (Figures.WORLD_BUDGET, 0, 0, Figures.WORLD_BUDGET)
    assert figures(sector_line(world.sector))[1] == 5_510_000_000


def test_exactly_what_is_left_is_accepted(advance_to, world):
    set_allocation(world.province_a, Fund.LOANS, Figures.PRINCIPAL)
    approve(world, advance_to(S.BANK_REVIEW))
    assert figures(province_line(world.province_a)) == (Figures.PRINCIPAL, Figures.PRINCIPAL, 0, 0)


def test_a_year_without_allocation_is_refused_with_its_own_message(advance_to, world):
    app = advance_to(S.BANK_REVIEW)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken) as refused:
        approve(world, app, now=tehran(2031, 6, 1, 10, 0))  # 1410/03/11
    assert refused.value.field == "budget"
    assert str(refused.value.message) == (
        "برای سال ۱۴۱۰ هیچ اعتباری از «تسهیلات بانکی» به استان استان الف و بخش کشاورزی آزمایشی تخصیص نیافته است.")
    assert snapshot(app.pk) == before


def test_the_budget_year_is_the_jalali_year_in_tehran(advance_to, world):
    """1404/12/29 23:30 Tehran is 2026-03-20 20:00 UTC; 1405/01/01 00:30 Tehran is 21:00 UTC."""
    for year in (1404, 1405):
        if not BudgetLine.objects.filter(province=world.province_a, budget_year__year=year).exists():
            allocate_world_budget(world.province_a, world.province_b, world.sector, year=year)
    last_evening = datetime.datetime(2026, 3, 20, 20, 0, tzinfo=datetime.UTC)
    new_year = datetime.datetime(2026, 3, 20, 21, 0, tzinfo=datetime.UTC)
    assert (budget_year_of(last_evening), budget_year_of(new_year)) == (1404, 1405)
    before_1405 = figures(province_line(world.province_a, year=1405))[1]
    approve(world, advance_to(S.BANK_REVIEW), now=last_evening)
    approve(world, advance_to(S.BANK_REVIEW), now=new_year)
    assert figures(province_line(world.province_a, year=1404))[1] == Figures.PRINCIPAL
    assert figures(province_line(world.province_a, year=1405))[1] == before_1405 + Figures.PRINCIPAL


def test_the_subsidy_cap_refuses_the_contract(advance_to, world):
    set_allocation(world.province_a, Fund.INTEREST_SUBSIDY, 1_000_000_000)
    app = advance_to(S.BANK_APPROVED)
    services.document_add(actor=world.owner, application_id=app.pk, kind=ApplicationDocument.Kind.BANK_DOCUMENT,
                          uploaded_file=pdf())
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken) as refused:
        services.application_sign_contract(actor=world.bank_officer_1, application_id=app.pk,
                                           contract=contract_input(principal_rials=5_000_000_000))
    assert "یارانه سود تسهیلات استان استان الف" in str(refused.value.message)
    assert "مانده ۱٬۰۰۰٬۰۰۰٬۰۰۰ ریال" in str(refused.value.message)
    # Nothing written: not the contract, not the subsidy, not the loan's release.
    assert snapshot(app.pk) == before


def test_the_bank_sees_the_refusal_on_its_form_with_its_input_kept(client, advance_to, world):
    set_allocation(world.province_a, Fund.LOANS, 1_000_000_000)
    app = advance_to(S.BANK_REVIEW)
    as_user(client, world.bank_officer_1)
    response = act(client, app, "approve_by_bank", approved_loan_rials="۲٬۰۰۰٬۰۰۰٬۰۰۰")
    assert response.status_code == 400
    page = response.content.decode()
    assert "کافی نیست: مانده ۱٬۰۰۰٬۰۰۰٬۰۰۰ ریال است و ۲٬۰۰۰٬۰۰۰٬۰۰۰ ریال درخواست شده است." in page
    assert 'value="۲٬۰۰۰٬۰۰۰٬۰۰۰"' in page
    assert LedgerEntry.objects.count() == 0


def test_a_zero_or_negative_commitment_is_refused(world):
    from budgets.services import Claim, budget_commit

    app = advance(world, S.SUBMITTED)
    for amount in (0, -5):
        with pytest.raises(RuleBroken):
            budget_commit(actor=world.ministry, source=app, fund=Fund.GRANTS, amount_rials=amount,
                          claim=Claim(world.province_a.pk, world.sector.pk))
    assert LedgerEntry.objects.count() == 0
