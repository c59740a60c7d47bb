"""The grant of an intervention and the budget (§8 steps 5–7, §10): recording it commits it on
the province's and the economic sector's grants lines, under the same caps and Persian refusals as
a loan; each instalment against a milestone moves its amount from committed to paid; closing
releases what was never paid."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditRecord
from budgets.models import Fund, LedgerEntry
from budgets.selectors import source_amounts
from common.errors import Conflict, NotAllowed, RuleBroken, TransitionNotAllowed
from common.normalization import to_persian_digits
from interventions import services
from interventions.models import GrantInstalment, Intervention
from interventions.selectors import GrantAmounts, grant_amounts
from interventions.workflow import InterventionState
from tests.budgets.helpers import figures, province_line, sector_line, set_allocation, tehran
from tests.factories import (
    BudgetYearFactory,
    EconomicSectorFactory,
    PrioritySectorFactory,
    ProvinceAllocationFactory,
    SectorAllocationFactory,
)
from tests.interventions.helpers import InterventionFigures, advance_intervention, report_milestones
from tests.uploads import pdf

S = InterventionState
F = InterventionFigures
WORLD = 10**15
pytestmark = pytest.mark.django_db


def entries(intervention):
    rows = LedgerEntry.objects.filter(source_type__model="intervention", source_id=intervention.pk)
    return [("province" if e.line.province_id else "sector", e.line.fund, e.kind, e.amount_rials)
            for e in rows.select_related("line").order_by("id")]


def record_grant(world, intervention, grant=F.GRANT, **kwargs):
    return services.intervention_record_grant(actor=world.ministry, intervention_id=intervention.pk,
                                              grant_rials=grant, **kwargs)


# --- recording the grant (step 5) ---------------------------------------------------------------

def test_the_grant_is_committed_on_the_province_and_the_sector_grants_lines(world):
    intervention = advance_intervention(world, S.REFERRED)

    record_grant(world, intervention, reason="مصوبه شماره ۱۲")

    fresh = Intervention.objects.get(pk=intervention.pk)
    assert (fresh.state, fresh.grant_rials) == (S.FUNDED, F.GRANT)
    assert entries(fresh) == [("province", "grants", "commit", F.GRANT), ("sector", "grants", "commit", F.GRANT)]
    assert figures(province_line(world.province_a, Fund.GRANTS)) == (WORLD, F.GRANT, 0, WORLD - F.GRANT)
    assert figures(sector_line(world.sector, Fund.GRANTS)) == (WORLD, F.GRANT, 0, WORLD - F.GRANT)
    assert figures(province_line(world.province_b, Fund.GRANTS)) == (WORLD, 0, 0, WORLD)
    assert figures(province_line(world.province_a, Fund.LOANS))[1] == 0
    record = AuditRecord.objects.get(object_id=fresh.pk, action="record_grant")
    assert record.data == {"grant_rials": F.GRANT, "requested_rials": F.GRANT_REQUESTED,
                           "funding_body": fresh.funding_body_id}
    assert record.reason == "مصوبه شماره ۱۲"
    assert grant_amounts(fresh) == GrantAmounts(granted=F.GRANT, paid=0, remaining=F.GRANT)


def test_the_whole_requested_grant_may_be_recorded(world):
    intervention = advance_intervention(world, S.REFERRED)
    record_grant(world, intervention, F.GRANT_REQUESTED)
    assert Intervention.objects.get(pk=intervention.pk).grant_rials == F.GRANT_REQUESTED


@pytest.mark.parametrize("grant", [F.GRANT_REQUESTED + 1, 0, -1, 2**63, "6000000000", 6e9, None, True])
def test_a_grant_outside_what_was_requested_is_refused(world, grant):
    intervention = advance_intervention(world, S.REFERRED)
    with pytest.raises(RuleBroken) as error:
        record_grant(world, intervention, grant)
    assert error.value.field == "grant_rials"
    assert "۸٬۰۰۰٬۰۰۰٬۰۰۰" in str(error.value.message)  # the requested grant, in Persian digits
    fresh = Intervention.objects.get(pk=intervention.pk)
    assert (fresh.state, fresh.grant_rials) == (S.REFERRED, None)
    assert entries(fresh) == []


@pytest.mark.parametrize("owner", ["province", "sector"])
def test_a_grant_above_what_a_line_has_left_is_refused_and_nothing_is_written(world, owner):
    """The same caps as for loans (C23's lines): the province's or the sector's grants line."""
    intervention = advance_intervention(world, S.REFERRED)
    set_allocation(world.province_a if owner == "province" else world.sector, Fund.GRANTS, F.GRANT - 1)

    with pytest.raises(RuleBroken) as error:
        record_grant(world, intervention)

    assert error.value.field == "budget"
    message = str(error.value.message)
    assert "کافی نیست" in message
    assert ("استان الف" if owner == "province" else "کشاورزی آزمایشی") in message
    assert to_persian_digits("5\u066c999\u066c999\u066c999") in message
    fresh = Intervention.objects.get(pk=intervention.pk)
    assert (fresh.state, fresh.grant_rials) == (S.REFERRED, None)
    assert entries(fresh) == [] and not AuditRecord.objects.filter(action="record_grant").exists()


def test_exactly_what_a_line_has_left_is_accepted(world):
    intervention = advance_intervention(world, S.REFERRED)
    set_allocation(world.province_a, Fund.GRANTS, F.GRANT)
    record_grant(world, intervention)
    assert figures(province_line(world.province_a, Fund.GRANTS)) == (F.GRANT, F.GRANT, 0, 0)


def test_two_grants_share_the_line_and_the_second_is_refused_when_it_is_spent(world):
    first = advance_intervention(world, S.REFERRED)
    second = advance_intervention(world, S.REFERRED)
    set_allocation(world.province_a, Fund.GRANTS, F.GRANT + F.GRANT // 2)
    record_grant(world, first)
    with pytest.raises(RuleBroken) as error:
        record_grant(world, second)
    assert error.value.field == "budget"
    assert Intervention.objects.get(pk=second.pk).state == S.REFERRED


def test_loans_committed_do_not_count_against_grants(world, advance_to):
    advance_to("bank_approved")  # 5,510,000,000 rials committed on the loans lines
    set_allocation(world.province_a, Fund.LOANS, 5_510_000_000)
    intervention = advance_intervention(world, S.REFERRED)
    set_allocation(world.province_a, Fund.GRANTS, F.GRANT)
    record_grant(world, intervention)
    assert Intervention.objects.get(pk=intervention.pk).state == S.FUNDED


def test_a_year_without_allocation_is_refused(world):
    intervention = advance_intervention(world, S.REFERRED)
    with pytest.raises(RuleBroken) as error:
        record_grant(world, intervention, now=tehran(2021, 6, 1, 12))  # 1400: nothing allocated
    assert error.value.field == "budget"
    assert "۱۴۰۰" in str(error.value.message) and "تخصیص نیافته" in str(error.value.message)
    assert Intervention.objects.get(pk=intervention.pk).state == S.REFERRED


def test_the_grant_draws_on_the_lines_of_the_year_it_is_recorded(world):
    year = BudgetYearFactory(year=1400)
    ProvinceAllocationFactory(province=world.province_a, budget_year=year, grants_rials=F.GRANT)
    SectorAllocationFactory(economic_sector=world.sector, budget_year=year, grants_rials=F.GRANT)
    intervention = advance_intervention(world, S.REFERRED)
    record_grant(world, intervention, now=tehran(2021, 6, 1, 12))
    assert figures(province_line(world.province_a, Fund.GRANTS, year=1400)) == (F.GRANT, F.GRANT, 0, 0)
    assert figures(province_line(world.province_a, Fund.GRANTS))[1] == 0


def test_the_sector_line_is_the_priority_sectors_economic_sector(world):
    """An intervention for a priority sector of another economic sector draws on that sector's line."""
    other = EconomicSectorFactory(code="test-tourism", name="گردشگری آزمایشی")
    year = BudgetYearFactory(year=province_line(world.province_a, Fund.GRANTS).budget_year.year)
    SectorAllocationFactory(economic_sector=other, budget_year=year, grants_rials=F.GRANT)
    tourism = PrioritySectorFactory(province=world.province_a, economic_sector=other, rank=2, name="گردشگری")
    intervention = advance_intervention(world, S.REFERRED, priority_sector=tourism)
    record_grant(world, intervention)
    assert figures(sector_line(other, Fund.GRANTS)) == (F.GRANT, F.GRANT, 0, 0)
    assert figures(sector_line(world.sector, Fund.GRANTS))[1] == 0


# --- instalments (step 6) -----------------------------------------------------------------------

def pay(world, intervention, milestone, amount=F.FIRST_INSTALMENT, paid_on=None, actor=None, **kwargs):
    return services.instalment_pay(actor=actor or world.ministry, intervention_id=intervention.pk,
                                   milestone_id=milestone.pk, amount_rials=amount,
                                   paid_on=paid_on or timezone.localdate(), **kwargs)


@pytest.fixture
def executing(world):
    """An intervention in execution with its first milestone reported done 20 days ago."""
    intervention = advance_intervention(world, S.IN_EXECUTION)
    first = intervention.milestones.get(order=1)
    services.milestone_report(actor=world.agency_officer_a, intervention_id=intervention.pk, milestone_id=first.pk,
                              done_on=timezone.localdate() - datetime.timedelta(days=20), report="انجام شد",
                              uploaded_files=[pdf()])
    return intervention


def test_an_instalment_moves_its_amount_from_committed_to_paid(world, executing):
    first = executing.milestones.get(order=1)
    paid_on = timezone.localdate() - datetime.timedelta(days=2)

    instalment = pay(world, executing, first, paid_on=paid_on)

    assert (instalment.amount_rials, instalment.paid_on, instalment.recorded_by) == (
        F.FIRST_INSTALMENT, paid_on, world.ministry)
    assert entries(executing)[-2:] == [("province", "grants", "pay", F.FIRST_INSTALMENT),
                                       ("sector", "grants", "pay", F.FIRST_INSTALMENT)]
    assert figures(province_line(world.province_a, Fund.GRANTS)) == (
        WORLD, F.GRANT - F.FIRST_INSTALMENT, F.FIRST_INSTALMENT, WORLD - F.GRANT)
    assert grant_amounts(executing) == GrantAmounts(granted=F.GRANT, paid=F.FIRST_INSTALMENT,
                                                    remaining=F.GRANT - F.FIRST_INSTALMENT)
    record = AuditRecord.objects.get(object_id=executing.pk, action="pay_instalment")
    assert record.data == {"milestone": first.pk, "amount_rials": F.FIRST_INSTALMENT, "paid_on": paid_on.isoformat()}
    assert (record.from_state, record.to_state) == (S.IN_EXECUTION, S.IN_EXECUTION)
    assert Intervention.objects.get(pk=executing.pk).state == S.IN_EXECUTION


def test_one_instalment_per_milestone(world, executing):
    first = executing.milestones.get(order=1)
    pay(world, executing, first, amount=1_000)
    with pytest.raises(Conflict):
        pay(world, executing, first, amount=1_000)
    assert GrantInstalment.objects.count() == 1
    assert source_amounts(executing, Fund.GRANTS).paid == 1_000


def test_a_milestone_not_reported_is_not_paid(world, executing):
    second = executing.milestones.get(order=2)
    with pytest.raises(RuleBroken) as error:
        pay(world, executing, second)
    assert error.value.field == "milestone"
    assert not GrantInstalment.objects.exists()


def test_instalments_never_exceed_the_grant(world, executing):
    report_milestones(world, executing.pk)
    first, second = executing.milestones.order_by("order")
    pay(world, executing, first, amount=F.GRANT - 100)
    with pytest.raises(RuleBroken) as error:
        pay(world, executing, second, amount=101)
    assert error.value.field == "amount_rials"
    assert "۱۰۰" in str(error.value.message)
    pay(world, executing, second, amount=100)
    assert grant_amounts(executing) == GrantAmounts(granted=F.GRANT, paid=F.GRANT, remaining=0)


@pytest.mark.parametrize("amount", [0, -1, "1000", 2**63, None])
def test_an_instalment_amount_must_be_positive_whole_rials(world, executing, amount):
    with pytest.raises(RuleBroken) as error:
        pay(world, executing, executing.milestones.get(order=1), amount=amount)
    assert error.value.field == "amount_rials"


@pytest.mark.parametrize("days", [1, -21])  # tomorrow; the day before the milestone was done (20 days ago)
def test_an_instalment_date_in_the_future_or_before_the_milestone_is_refused(world, executing, days):
    paid_on = timezone.localdate() + datetime.timedelta(days=days)
    with pytest.raises(RuleBroken) as error:
        pay(world, executing, executing.milestones.get(order=1), paid_on=paid_on)
    assert error.value.field == "paid_on"
    assert not GrantInstalment.objects.exists() and entries(executing)[-1][2] == "commit"


def test_an_instalment_on_the_day_the_milestone_was_done(world, executing):
    first = executing.milestones.get(order=1)
    pay(world, executing, first, paid_on=first.done_on)
    assert GrantInstalment.objects.get().paid_on == first.done_on


@pytest.mark.parametrize("role", ["agency_officer_a", "manager_a", "secretary_a"])
def test_only_ministry_staff_pay_instalments(world, executing, role):
    with pytest.raises(NotAllowed):
        pay(world, executing, executing.milestones.get(order=1), actor=getattr(world, role))
    assert not GrantInstalment.objects.exists()


def test_instalments_may_be_paid_after_the_evaluation_but_not_after_closing(world):
    intervention = advance_intervention(world, S.EVALUATED)
    first, second = intervention.milestones.order_by("order")
    pay(world, intervention, first, expected_state=S.EVALUATED)
    services.intervention_close(actor=world.manager_a, intervention_id=intervention.pk)
    with pytest.raises(TransitionNotAllowed):
        pay(world, intervention, second)
    assert GrantInstalment.objects.count() == 1


def test_no_instalment_before_execution(world):
    intervention = advance_intervention(world, S.FUNDED)
    with pytest.raises(TransitionNotAllowed):
        pay(world, intervention, intervention.milestones.get(order=1))


# --- closing (step 7) ---------------------------------------------------------------------------

def test_closing_releases_what_was_never_paid(world):
    intervention = advance_intervention(world, S.EVALUATED)
    first = intervention.milestones.get(order=1)
    pay(world, intervention, first)

    services.intervention_close(actor=world.manager_a, intervention_id=intervention.pk, reason="پایان اجرا")

    rest = F.GRANT - F.FIRST_INSTALMENT
    assert entries(intervention)[-2:] == [("province", "grants", "release", rest),
                                          ("sector", "grants", "release", rest)]
    assert figures(province_line(world.province_a, Fund.GRANTS)) == (
        WORLD, 0, F.FIRST_INSTALMENT, WORLD - F.FIRST_INSTALMENT)
    assert figures(sector_line(world.sector, Fund.GRANTS)) == (WORLD, 0, F.FIRST_INSTALMENT, WORLD - F.FIRST_INSTALMENT)
    fresh = Intervention.objects.get(pk=intervention.pk)
    assert grant_amounts(fresh) == GrantAmounts(granted=F.GRANT, paid=F.FIRST_INSTALMENT, remaining=0, released=rest)
    assert AuditRecord.objects.get(object_id=fresh.pk, action="close").data == {
        "grant_rials": F.GRANT, "paid_rials": F.FIRST_INSTALMENT, "released_rials": rest}


def test_closing_a_fully_paid_grant_releases_nothing(world):
    intervention = advance_intervention(world, S.EVALUATED)
    first, second = intervention.milestones.order_by("order")
    pay(world, intervention, first, amount=F.GRANT - 1)
    pay(world, intervention, second, amount=1)
    services.intervention_close(actor=world.ministry, intervention_id=intervention.pk)
    assert [e[2] for e in entries(intervention)] == ["commit", "commit", "pay", "pay", "pay", "pay"]
    assert figures(province_line(world.province_a, Fund.GRANTS)) == (WORLD, 0, F.GRANT, WORLD - F.GRANT)


def test_grant_amounts_are_zero_before_funding(world):
    intervention = advance_intervention(world, S.REFERRED)
    assert grant_amounts(intervention) == GrantAmounts(granted=0, paid=0, remaining=0)
