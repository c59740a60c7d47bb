"""Money of the §9 chain (C18): the loan paid in tranches, each at most what remains and dated from
the contract; a retried tranche with the same idempotency key recorded once; the interest subsidy
paid in payouts up to the committed amount, then the file closes.

Amounts are rials (``tests.factories.Figures``). Applications are driven with ``advance_to``.
"""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditRecord
from common.errors import RuleBroken
from financing import services
from financing.models import ApplicationState, Disbursement, InvestmentApplication, SubsidyPayout
from tests.factories import Figures
from tests.financing.actions import snapshot

S = ApplicationState
TODAY = timezone.localdate


def test_loan_is_disbursed_in_two_tranches(advance_to, world):
    app = advance_to(S.CONTRACTED)
    first = services.application_record_disbursement(
        actor=world.bank_officer_1, application_id=app.pk, amount_rials=Figures.FIRST_TRANCHE,
        paid_on=TODAY(), bank_reference="BNK-1")
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.DISBURSING
    second = services.application_record_disbursement(
        actor=world.bank_officer_1, application_id=app.pk, amount_rials=Figures.PRINCIPAL - Figures.FIRST_TRANCHE,
        paid_on=TODAY(), bank_reference="BNK-2")
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.FULLY_DISBURSED
    assert list(Disbursement.objects.filter(application=app).values_list("pk", "amount_rials")) == [
        (first.pk, 2_000_000_000), (second.pk, 3_510_000_000)]


def test_tranche_above_the_remaining_principal_is_refused(advance_to, world):
    app = advance_to(S.DISBURSING)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken) as refused:
        services.application_record_disbursement(
            actor=world.bank_officer_1, application_id=app.pk,
            amount_rials=Figures.PRINCIPAL - Figures.FIRST_TRANCHE + 1, paid_on=TODAY(), bank_reference="BNK-3")
    assert refused.value.field == "amount_rials"
    assert snapshot(app.pk) == before


def test_tranche_dated_before_the_contract_is_refused(advance_to, world):
    app = advance_to(S.CONTRACTED)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken) as refused:
        services.application_record_disbursement(
            actor=world.bank_officer_1, application_id=app.pk, amount_rials=1_000_000,
            paid_on=app.contract.signed_on - datetime.timedelta(days=1), bank_reference="BNK-0")
    assert refused.value.field == "paid_on"
    assert snapshot(app.pk) == before


def test_retried_tranche_with_the_same_idempotency_key_is_recorded_once(advance_to, world):
    """C18: the same request twice gives one tranche and the same id."""
    app = advance_to(S.CONTRACTED)
    kwargs = dict(actor=world.bank_officer_1, application_id=app.pk, amount_rials=Figures.PRINCIPAL,
                  paid_on=TODAY(), bank_reference="BNK-7781", idempotency_key="key-1")
    first = services.application_record_disbursement(**kwargs)
    again = services.application_record_disbursement(**kwargs)
    assert again.pk == first.pk
    assert Disbursement.objects.filter(application=app).count() == 1
    assert AuditRecord.objects.filter(object_id=app.pk, action="record_disbursement").count() == 1
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.FULLY_DISBURSED


def test_same_idempotency_key_with_another_amount_is_refused(advance_to, world):
    """C18: the key already used for 5,510,000,000 rials cannot carry 5,510,000,001."""
    app = advance_to(S.CONTRACTED)
    kwargs = dict(actor=world.bank_officer_1, application_id=app.pk, paid_on=TODAY(), bank_reference="BNK-7781",
                  idempotency_key="key-1")
    services.application_record_disbursement(amount_rials=Figures.FIRST_TRANCHE, **kwargs)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken) as refused:
        services.application_record_disbursement(amount_rials=Figures.FIRST_TRANCHE + 1, **kwargs)
    assert refused.value.field == "idempotency_key"
    assert snapshot(app.pk) == before


def test_subsidy_is_paid_in_two_payouts_then_the_file_closes(advance_to, world):
    app = advance_to(S.OPERATING)
    services.application_pay_subsidy(actor=world.secretary_a, application_id=app.pk,
                                     amount_rials=Figures.FIRST_PAYOUT, paid_on=TODAY())
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.SUBSIDY_IN_PAYMENT
    services.application_pay_subsidy(actor=world.secretary_a, application_id=app.pk,
                                     amount_rials=Figures.SUBSIDY - Figures.FIRST_PAYOUT, paid_on=TODAY())
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.CLOSED
    assert list(SubsidyPayout.objects.filter(application=app).values_list("amount_rials", flat=True)) == [
        150_000_000, 1_713_370_197]


def test_payout_above_the_committed_subsidy_is_refused(advance_to, world):
    app = advance_to(S.SUBSIDY_IN_PAYMENT)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken):
        services.application_pay_subsidy(actor=world.secretary_a, application_id=app.pk,
                                         amount_rials=Figures.SUBSIDY - Figures.FIRST_PAYOUT + 1, paid_on=TODAY())
    assert snapshot(app.pk) == before
