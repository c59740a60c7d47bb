"""The bank's steps of the §9 chain: a referral only to a bank with branches in the province, an
approved loan of one rial up to the requested loan, and a contract only with the bank's documents
and within the rules, stored in rials.

Amounts are rials (``tests.factories.Figures``). Applications are driven with ``advance_to``.
"""

import pytest

from common.errors import RuleBroken
from financing import services
from financing.models import ApplicationDocument, ApplicationState, LoanContract
from tests.factories import Figures
from tests.financing.actions import snapshot
from tests.uploads import pdf
from tests.world import contract_input

S = ApplicationState
KIND = ApplicationDocument.Kind


def test_referral_to_a_bank_without_branches_in_the_province_is_refused(advance_to, world):
    world.bank_2.provinces.set([world.province_b])
    app = advance_to(S.WORKING_GROUP_REVIEW)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken) as refused:
        services.application_refer_to_bank(actor=world.secretary_a, application_id=app.pk, bank=world.bank_2)
    assert refused.value.field == "bank"
    assert snapshot(app.pk) == before


@pytest.mark.parametrize("amount", [0, Figures.REQUESTED + 1])
def test_bank_approval_outside_one_rial_to_the_requested_loan_is_refused(advance_to, world, amount):
    app = advance_to(S.BANK_REVIEW)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken):
        services.application_approve_by_bank(actor=world.bank_officer_1, application_id=app.pk,
                                             approved_loan_rials=amount)
    assert snapshot(app.pk) == before


def test_contract_without_the_bank_documents_is_refused(advance_to, world):
    app = advance_to(S.BANK_REVIEW)
    services.application_approve_by_bank(actor=world.bank_officer_1, application_id=app.pk,
                                         approved_loan_rials=Figures.PRINCIPAL)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken) as refused:
        services.application_sign_contract(actor=world.bank_officer_1, application_id=app.pk,
                                           contract=contract_input())
    assert refused.value.field == "documents"
    assert snapshot(app.pk) == before


@pytest.mark.parametrize("changes, field", [
    ({"principal_rials": Figures.PRINCIPAL + 1}, "principal_rials"),
    ({"subsidy_rate_percent": contract_input().interest_rate_percent + 1}, "subsidy_rate_percent"),
    ({"grace_months": 61}, "grace_months"),
])
def test_contract_breaking_a_rule_is_refused(advance_to, world, changes, field):
    app = advance_to(S.BANK_APPROVED)
    services.document_add(actor=world.owner, application_id=app.pk, kind=KIND.BANK_DOCUMENT, uploaded_file=pdf())
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken) as refused:
        services.application_sign_contract(actor=world.bank_officer_1, application_id=app.pk,
                                           contract=contract_input(**changes))
    assert refused.value.field == field
    assert snapshot(app.pk) == before


def test_contract_is_stored_in_rials(advance_to):
    contract = LoanContract.objects.get(application=advance_to(S.CONTRACTED))
    # The subsidy is computed from the terms, never typed (tests/financing/test_schedule.py checks it).
    assert (contract.principal_rials, contract.subsidy_committed_rials) == (5_510_000_000, 1_863_370_197)
    assert (str(contract.interest_rate_percent), str(contract.subsidy_rate_percent)) == ("18.00", "10.00")
    assert (contract.term_months, contract.grace_months, contract.planned_tranches) == (60, 12, 2)
