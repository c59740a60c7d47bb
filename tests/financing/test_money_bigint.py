"""C10: a loan above 2³¹ rials goes through the chain. A 32-bit ``IntegerField`` overflows at
2,147,483,647 on PostgreSQL (SQLite hides it), so these run on PostgreSQL only."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from financing import services
from financing.models import ApplicationDocument, ApplicationState, InvestmentApplication, LoanContract
from tests.uploads import upload
from tests.world import drive, submit

S = ApplicationState
LOAN = 30_000_000_000  # rials: 14 × 2³¹, for 44 planned jobs (within the cost per job)

pytestmark = pytest.mark.postgres


def test_loan_of_30_billion_rials_round_trips(postgres_only, world):
    app = submit(world, requested_loan_rials=LOAN, planned_new_jobs=40)
    assert InvestmentApplication.objects.values_list("requested_loan_rials", flat=True).get(pk=app.pk) == LOAN


def test_30_billion_rials_through_approval_contract_and_tranche(postgres_only, world):
    app = submit(world, requested_loan_rials=LOAN, planned_new_jobs=40)
    drive(world, app.pk, S.BANK_REVIEW)
    services.application_approve_by_bank(actor=world.bank_officer_1, application_id=app.pk, approved_loan_rials=LOAN)
    services.document_add(actor=world.owner, application_id=app.pk, kind=ApplicationDocument.Kind.BANK_DOCUMENT,
                          uploaded_file=upload("bank.pdf", b"%PDF-1.4\n%%EOF\n"))
    signed_on = timezone.localdate() - datetime.timedelta(days=1)
    contract = services.ContractInput(
        principal_rials=LOAN, interest_rate_percent=Decimal("18.00"), subsidy_rate_percent=Decimal("10.00"),
        term_months=60, grace_months=12, planned_tranches=1,
        signed_on=signed_on, bank_reference="BNK-30")
    services.application_sign_contract(actor=world.bank_officer_1, application_id=app.pk, contract=contract)
    tranche = services.application_record_disbursement(actor=world.bank_officer_1, application_id=app.pk,
                                                       amount_rials=LOAN, paid_on=signed_on, bank_reference="BNK-T")
    fresh = InvestmentApplication.objects.get(pk=app.pk)
    assert (fresh.state, fresh.approved_loan_rials) == (S.FULLY_DISBURSED, LOAN)
    assert LoanContract.objects.get(application=app).principal_rials == LOAN
    assert type(tranche).objects.get(pk=tranche.pk).amount_rials == LOAN
