"""C10: amounts above 2³¹ rials. A 32-bit ``IntegerField`` overflows at 2,147,483,647 on
PostgreSQL (SQLite hides it), so the round trips run on PostgreSQL; the field check runs anywhere.
"""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from financing import services
from financing.models import ApplicationDocument, ApplicationState, InvestmentApplication, LoanContract
from programs.models import ProvinceAllocation
from tests.conftest import drive, submit, upload
from tests.factories import BudgetYearFactory, ProvinceAllocationFactory

S = ApplicationState
LOAN = 30_000_000_000  # rials: 14 × 2³¹
PROVINCIAL_LOANS = 32_626_000_000_000  # rials: Table 6's total, 32,626 billion


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite stores any integer; the overflow shows only on PostgreSQL")


def test_every_money_field_is_64_bit():
    """Every ``*_rials`` field of every model is a ``BigIntegerField``."""
    money = [f for m in apps.get_models() for f in m._meta.concrete_fields if f.name.endswith("_rials")]
    assert len(money) >= 10
    assert [f"{f.model._meta.label}.{f.name}" for f in money if not isinstance(f, models.BigIntegerField)] == []


@pytest.mark.postgres
def test_loan_of_30_billion_rials_round_trips(postgres_only, world):
    app = submit(world, requested_loan_rials=LOAN)
    assert InvestmentApplication.objects.values_list("requested_loan_rials", flat=True).get(pk=app.pk) == LOAN


@pytest.mark.postgres
def test_30_billion_rials_through_approval_contract_and_tranche(postgres_only, world):
    app = submit(world, requested_loan_rials=LOAN)
    drive(world, app.pk, S.BANK_REVIEW)
    services.application_approve_by_bank(actor=world.bank_officer_1, application_id=app.pk, approved_loan_rials=LOAN)
    services.document_add(actor=world.owner, application_id=app.pk, kind=ApplicationDocument.Kind.BANK_DOCUMENT,
                          uploaded_file=upload("bank.pdf", b"%PDF-1.4\n%%EOF\n"))
    signed_on = timezone.localdate() - datetime.timedelta(days=1)
    contract = services.ContractInput(
        principal_rials=LOAN, interest_rate_percent=Decimal("18.00"), subsidy_rate_percent=Decimal("10.00"),
        term_months=60, grace_months=12, planned_tranches=1, subsidy_committed_rials=7_500_000_000,
        signed_on=signed_on, bank_reference="BNK-30")
    services.application_sign_contract(actor=world.bank_officer_1, application_id=app.pk, contract=contract)
    tranche = services.application_record_disbursement(actor=world.bank_officer_1, application_id=app.pk,
                                                       amount_rials=LOAN, paid_on=signed_on, bank_reference="BNK-T")
    fresh = InvestmentApplication.objects.get(pk=app.pk)
    assert (fresh.state, fresh.approved_loan_rials) == (S.FULLY_DISBURSED, LOAN)
    assert LoanContract.objects.get(application=app).principal_rials == LOAN
    assert type(tranche).objects.get(pk=tranche.pk).amount_rials == LOAN


@pytest.mark.postgres
def test_provincial_total_of_32626_billion_rials_round_trips(postgres_only, world):
    allocation = ProvinceAllocationFactory(province=world.province_a, budget_year=BudgetYearFactory(year=1398),
                                           loans_rials=PROVINCIAL_LOANS)
    assert ProvinceAllocation.objects.values_list("loans_rials", flat=True).get(pk=allocation.pk) == PROVINCIAL_LOANS
