"""The §9 chain through ``financing.services`` (roles.md's table): the full chain, every refused
step, reasons, wrong roles (C17), tranches and payouts (C18), and the submission date (C05).

Amounts are rials (``tests.factories.Figures``). Applications are driven with ``advance_to``.
"""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditRecord, Role
from common.errors import NotAllowed, NotFound, RuleBroken, StaleState, TransitionNotAllowed
from common.templatetags.persian import jdate, jdatetime_fa
from common.testing import minimal_pdf
from financing import services, tracking
from financing.models import (
    ApplicationDocument,
    ApplicationState,
    Call,
    Disbursement,
    InvestmentApplication,
    LoanContract,
    SubsidyPayout,
)
from financing.selectors import application_history
from financing.workflow import WITHDRAWABLE_STATES
from tests.conftest import application_input, contract_input, submit, upload
from tests.factories import CallFactory, Figures

S = ApplicationState
KIND = ApplicationDocument.Kind
TODAY = timezone.localdate


def pdf(name="doc.pdf"):
    """A tiny valid PDF upload."""
    return upload(name, minimal_pdf("سند"))


# Every service action of the chain: (attribute of the world naming the usual actor, the call).
# Each call takes (actor, world, application id) and uses valid figures, so that only the state,
# the actor or the scope can make it fail.
ACTIONS = {
    "start_agency_review": ("agency_officer_a", lambda a, w, pk: services.application_start_agency_review(
        actor=a, application_id=pk)),
    "approve_by_agency": ("agency_officer_a", lambda a, w, pk: services.application_approve_by_agency(
        actor=a, application_id=pk)),
    "reject_by_agency": ("agency_officer_a", lambda a, w, pk: services.application_reject_by_agency(
        actor=a, application_id=pk, reason="ناقص")),
    "return_by_agency": ("agency_officer_a", lambda a, w, pk: services.application_return_by_agency(
        actor=a, application_id=pk, reason="ناقص")),
    "resubmit": ("owner", lambda a, w, pk: services.application_resubmit(actor=a, application_id=pk)),
    "start_working_group_review": ("secretary_a", lambda a, w, pk: services.application_start_working_group_review(
        actor=a, application_id=pk)),
    "refer_to_bank": ("secretary_a", lambda a, w, pk: services.application_refer_to_bank(
        actor=a, application_id=pk, bank=w.bank_1)),
    "reject_by_working_group": ("secretary_a", lambda a, w, pk: services.application_reject_by_working_group(
        actor=a, application_id=pk, reason="ناهمخوان با رسته‌ها")),
    "return_by_working_group": ("secretary_a", lambda a, w, pk: services.application_return_by_working_group(
        actor=a, application_id=pk, reason="ناقص")),
    "start_bank_review": ("bank_officer_1", lambda a, w, pk: services.application_start_bank_review(
        actor=a, application_id=pk)),
    "approve_by_bank": ("bank_officer_1", lambda a, w, pk: services.application_approve_by_bank(
        actor=a, application_id=pk, approved_loan_rials=Figures.PRINCIPAL)),
    "reject_by_bank": ("bank_officer_1", lambda a, w, pk: services.application_reject_by_bank(
        actor=a, application_id=pk, reason="وثیقه ناکافی")),
    "sign_contract": ("bank_officer_1", lambda a, w, pk: services.application_sign_contract(
        actor=a, application_id=pk, contract=contract_input())),
    "record_disbursement": ("bank_officer_1", lambda a, w, pk: services.application_record_disbursement(
        actor=a, application_id=pk, amount_rials=1_000_000, paid_on=TODAY(), bank_reference="BNK-X")),
    "declare_operation": ("owner", lambda a, w, pk: services.application_declare_operation(
        actor=a, application_id=pk, operation_started_on=TODAY(), actual_new_jobs=3, actual_retained_jobs=1)),
    "confirm_operation": ("bank_officer_1", lambda a, w, pk: services.application_confirm_operation(
        actor=a, application_id=pk)),
    "pay_subsidy": ("secretary_a", lambda a, w, pk: services.application_pay_subsidy(
        actor=a, application_id=pk, amount_rials=1_000_000, paid_on=TODAY())),
    "withdraw": ("owner", lambda a, w, pk: services.application_withdraw(actor=a, application_id=pk)),
    "add_feasibility_study": ("owner", lambda a, w, pk: services.document_add(
        actor=a, application_id=pk, kind=KIND.FEASIBILITY_STUDY, uploaded_file=pdf())),
    "add_bank_document": ("owner", lambda a, w, pk: services.document_add(
        actor=a, application_id=pk, kind=KIND.BANK_DOCUMENT, uploaded_file=pdf())),
    "add_operation_evidence": ("owner", lambda a, w, pk: services.document_add(
        actor=a, application_id=pk, kind=KIND.OPERATION_EVIDENCE, uploaded_file=pdf())),
}

# The states each action is allowed from (roles.md).
ALLOWED_FROM = {
    "start_agency_review": {S.SUBMITTED},
    "approve_by_agency": {S.AGENCY_REVIEW},
    "reject_by_agency": {S.AGENCY_REVIEW},
    "return_by_agency": {S.AGENCY_REVIEW},
    "resubmit": {S.RETURNED},
    "start_working_group_review": {S.AGENCY_APPROVED},
    "refer_to_bank": {S.WORKING_GROUP_REVIEW},
    "reject_by_working_group": {S.WORKING_GROUP_REVIEW},
    "return_by_working_group": {S.WORKING_GROUP_REVIEW},
    "start_bank_review": {S.REFERRED_TO_BANK},
    "approve_by_bank": {S.BANK_REVIEW},
    "reject_by_bank": {S.BANK_REVIEW},
    "sign_contract": {S.BANK_APPROVED},
    "record_disbursement": {S.CONTRACTED, S.DISBURSING},
    "declare_operation": {S.FULLY_DISBURSED},
    "confirm_operation": {S.OPERATION_DECLARED},
    "pay_subsidy": {S.OPERATING, S.SUBSIDY_IN_PAYMENT},
    "withdraw": set(WITHDRAWABLE_STATES),
    "add_feasibility_study": {S.SUBMITTED, S.RETURNED},
    "add_bank_document": {S.BANK_APPROVED},
    "add_operation_evidence": {S.FULLY_DISBURSED},
}
# Who else may take a step besides its usual actor (roles.md: the agency may also confirm).
ALSO_ALLOWED = {"confirm_operation": {"agency_officer_a"}}
# The in-scope accounts of province A, by the world's attribute.
IN_SCOPE = ["owner", "agency_officer_a", "secretary_a", "bank_officer_1", "manager_a", "ministry"]
PRE_BANK_STATES = {S.SUBMITTED, S.AGENCY_REVIEW, S.RETURNED, S.AGENCY_APPROVED, S.WORKING_GROUP_REVIEW}


def snapshot(pk):
    """Everything a refused action must leave as it was."""
    app = InvestmentApplication.objects.get(pk=pk)
    return {
        "state": app.state,
        "state_changed_at": app.state_changed_at,
        "tracking_code": app.tracking_code,
        "bank": app.bank_id,
        "approved_loan_rials": app.approved_loan_rials,
        "operation_started_on": app.operation_started_on,
        "audit": AuditRecord.objects.filter(object_id=pk, content_type__model="investmentapplication").count(),
        "documents": app.documents.count(),
        "contract": LoanContract.objects.filter(application=app).count(),
        "disbursements": app.disbursements.count(),
        "payouts": app.subsidy_payouts.count(),
    }


def test_action_grid_covers_every_state_and_action():
    assert set(ALLOWED_FROM) == set(ACTIONS)
    assert set().union(*ALLOWED_FROM.values()) | {S.CLOSED, S.REJECTED, S.WITHDRAWN} == set(S.values)


# --- the full chain ---------------------------------------------------------------------------------

def test_full_chain_from_submission_to_closure(world):
    """Every step of roles.md's table, with a return by the working group on the way."""
    w, today = world, TODAY()
    app = submit(world)
    pk = app.pk
    chain = [
        (lambda: services.application_start_agency_review(actor=w.agency_officer_a, application_id=pk),
         S.AGENCY_REVIEW),
        (lambda: services.application_approve_by_agency(actor=w.agency_officer_a, application_id=pk),
         S.AGENCY_APPROVED),
        (lambda: services.application_start_working_group_review(actor=w.secretary_a, application_id=pk),
         S.WORKING_GROUP_REVIEW),
        (lambda: services.application_return_by_working_group(actor=w.secretary_a, application_id=pk,
                                                              reason="برآورد فروش مستند نیست."), S.RETURNED),
        (lambda: services.document_add(actor=w.owner, application_id=pk, kind=KIND.FEASIBILITY_STUDY,
                                       uploaded_file=pdf("revised.pdf")), S.RETURNED),
        (lambda: services.application_resubmit(actor=w.owner, application_id=pk), S.SUBMITTED),
        (lambda: services.application_start_agency_review(actor=w.agency_officer_a, application_id=pk),
         S.AGENCY_REVIEW),
        (lambda: services.application_approve_by_agency(actor=w.agency_officer_a, application_id=pk),
         S.AGENCY_APPROVED),
        (lambda: services.application_start_working_group_review(actor=w.secretary_a, application_id=pk),
         S.WORKING_GROUP_REVIEW),
        (lambda: services.application_refer_to_bank(actor=w.secretary_a, application_id=pk, bank=w.bank_1),
         S.REFERRED_TO_BANK),
        (lambda: services.application_start_bank_review(actor=w.bank_officer_1, application_id=pk), S.BANK_REVIEW),
        (lambda: services.application_approve_by_bank(actor=w.bank_officer_1, application_id=pk,
                                                      approved_loan_rials=Figures.PRINCIPAL), S.BANK_APPROVED),
        (lambda: services.document_add(actor=w.owner, application_id=pk, kind=KIND.BANK_DOCUMENT,
                                       uploaded_file=pdf("bank.pdf")), S.BANK_APPROVED),
        (lambda: services.application_sign_contract(actor=w.bank_officer_1, application_id=pk,
                                                    contract=contract_input()), S.CONTRACTED),
        (lambda: services.application_record_disbursement(
            actor=w.bank_officer_1, application_id=pk, amount_rials=Figures.FIRST_TRANCHE,
            paid_on=today - datetime.timedelta(days=50), bank_reference="BNK-1"), S.DISBURSING),
        (lambda: services.application_record_disbursement(
            actor=w.bank_officer_1, application_id=pk, amount_rials=Figures.PRINCIPAL - Figures.FIRST_TRANCHE,
            paid_on=today - datetime.timedelta(days=40), bank_reference="BNK-2"), S.FULLY_DISBURSED),
        (lambda: services.application_declare_operation(
            actor=w.owner, application_id=pk, operation_started_on=today - datetime.timedelta(days=10),
            actual_new_jobs=11, actual_retained_jobs=4), S.OPERATION_DECLARED),
        (lambda: services.application_confirm_operation(actor=w.bank_officer_1, application_id=pk), S.OPERATING),
        (lambda: services.application_pay_subsidy(actor=w.secretary_a, application_id=pk,
                                                  amount_rials=Figures.FIRST_PAYOUT, paid_on=today),
         S.SUBSIDY_IN_PAYMENT),
        (lambda: services.application_pay_subsidy(actor=w.secretary_a, application_id=pk,
                                                  amount_rials=Figures.SUBSIDY - Figures.FIRST_PAYOUT, paid_on=today),
         S.CLOSED),
    ]
    states = [InvestmentApplication.objects.get(pk=pk).state]
    for step, _expected in chain:
        step()
        states.append(InvestmentApplication.objects.get(pk=pk).state)
    assert states == [S.SUBMITTED] + [expected for _step, expected in chain]

    history = [(r.action, r.actor.username, r.actor_role, r.from_state, r.to_state)
               for r in application_history(InvestmentApplication.objects.get(pk=pk))]
    A, G, B, O = "agency_a", "secretary_a", "bank_officer_1", "applicant_1"  # noqa: E741
    AO, WG, BO, AP = Role.AGENCY_OFFICER, Role.WORKING_GROUP_SECRETARY, Role.BANK_OFFICER, Role.APPLICANT
    assert history == [
        ("submit", O, AP, "", S.SUBMITTED),
        ("start_agency_review", A, AO, S.SUBMITTED, S.AGENCY_REVIEW),
        ("approve_by_agency", A, AO, S.AGENCY_REVIEW, S.AGENCY_APPROVED),
        ("start_working_group_review", G, WG, S.AGENCY_APPROVED, S.WORKING_GROUP_REVIEW),
        ("return_by_working_group", G, WG, S.WORKING_GROUP_REVIEW, S.RETURNED),
        ("add_document", O, AP, S.RETURNED, S.RETURNED),
        ("resubmit", O, AP, S.RETURNED, S.SUBMITTED),
        ("start_agency_review", A, AO, S.SUBMITTED, S.AGENCY_REVIEW),
        ("approve_by_agency", A, AO, S.AGENCY_REVIEW, S.AGENCY_APPROVED),
        ("start_working_group_review", G, WG, S.AGENCY_APPROVED, S.WORKING_GROUP_REVIEW),
        ("refer_to_bank", G, WG, S.WORKING_GROUP_REVIEW, S.REFERRED_TO_BANK),
        ("start_bank_review", B, BO, S.REFERRED_TO_BANK, S.BANK_REVIEW),
        ("approve_by_bank", B, BO, S.BANK_REVIEW, S.BANK_APPROVED),
        ("add_document", O, AP, S.BANK_APPROVED, S.BANK_APPROVED),
        ("sign_contract", B, BO, S.BANK_APPROVED, S.CONTRACTED),
        ("record_disbursement", B, BO, S.CONTRACTED, S.DISBURSING),
        ("record_disbursement", B, BO, S.DISBURSING, S.FULLY_DISBURSED),
        ("declare_operation", O, AP, S.FULLY_DISBURSED, S.OPERATION_DECLARED),
        ("confirm_operation", B, BO, S.OPERATION_DECLARED, S.OPERATING),
        ("pay_subsidy", G, WG, S.OPERATING, S.SUBSIDY_IN_PAYMENT),
        ("pay_subsidy", G, WG, S.SUBSIDY_IN_PAYMENT, S.CLOSED),
    ]
    reasons = {r.action: r.reason for r in application_history(InvestmentApplication.objects.get(pk=pk)) if r.reason}
    assert reasons == {"return_by_working_group": "برآورد فروش مستند نیست."}


def test_audit_rows_carry_the_figures_of_their_step(advance_to):
    app = advance_to(S.CLOSED)
    data = {r.action: r.data for r in application_history(app) if r.data and r.action != "add_document"}
    assert data["refer_to_bank"] == {"bank": app.bank_id}
    assert data["approve_by_bank"] == {"approved_loan_rials": Figures.PRINCIPAL}
    assert data["sign_contract"] == {"principal_rials": Figures.PRINCIPAL, "subsidy_committed_rials": Figures.SUBSIDY}
    assert data["pay_subsidy"] == {"amount_rials": Figures.SUBSIDY - Figures.FIRST_PAYOUT}


def test_tracking_code_is_issued_once_at_agency_approval_and_kept_after_a_return(world):
    w = world
    pk = submit(world).pk
    services.application_start_agency_review(actor=w.agency_officer_a, application_id=pk)
    assert InvestmentApplication.objects.get(pk=pk).tracking_code is None
    services.application_approve_by_agency(actor=w.agency_officer_a, application_id=pk)
    first = InvestmentApplication.objects.get(pk=pk).tracking_code
    assert len(first) == 16 and tracking.is_valid(first)

    services.application_start_working_group_review(actor=w.secretary_a, application_id=pk)
    services.application_return_by_working_group(actor=w.secretary_a, application_id=pk, reason="ناقص")
    services.application_resubmit(actor=w.owner, application_id=pk)
    services.application_start_agency_review(actor=w.agency_officer_a, application_id=pk)
    services.application_approve_by_agency(actor=w.agency_officer_a, application_id=pk)

    assert InvestmentApplication.objects.get(pk=pk).tracking_code == first
    assert InvestmentApplication.objects.filter(tracking_code=first).count() == 1


@pytest.mark.parametrize("state", [S.SUBMITTED, S.AGENCY_REVIEW, S.RETURNED, S.WITHDRAWN])
def test_no_tracking_code_before_agency_approval(advance_to, state):
    assert advance_to(state).tracking_code is None


def test_rejection_by_the_agency_issues_no_tracking_code(advance_to):
    assert advance_to(S.REJECTED).tracking_code is None


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
        150_000_000, 250_000_000]


def test_payout_above_the_committed_subsidy_is_refused(advance_to, world):
    app = advance_to(S.SUBSIDY_IN_PAYMENT)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken):
        services.application_pay_subsidy(actor=world.secretary_a, application_id=app.pk,
                                         amount_rials=Figures.SUBSIDY - Figures.FIRST_PAYOUT + 1, paid_on=TODAY())
    assert snapshot(app.pk) == before


def test_contract_is_stored_in_rials(advance_to):
    contract = LoanContract.objects.get(application=advance_to(S.CONTRACTED))
    assert (contract.principal_rials, contract.subsidy_committed_rials) == (5_510_000_000, 400_000_000)
    assert (str(contract.interest_rate_percent), str(contract.subsidy_rate_percent)) == ("18.00", "10.00")
    assert (contract.term_months, contract.grace_months, contract.planned_tranches) == (60, 12, 2)


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


@pytest.mark.parametrize("amount", [0, Figures.REQUESTED + 1])
def test_bank_approval_outside_one_rial_to_the_requested_loan_is_refused(advance_to, world, amount):
    app = advance_to(S.BANK_REVIEW)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken):
        services.application_approve_by_bank(actor=world.bank_officer_1, application_id=app.pk,
                                             approved_loan_rials=amount)
    assert snapshot(app.pk) == before


def test_referral_to_a_bank_without_branches_in_the_province_is_refused(advance_to, world):
    world.bank_2.provinces.set([world.province_b])
    app = advance_to(S.WORKING_GROUP_REVIEW)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken) as refused:
        services.application_refer_to_bank(actor=world.secretary_a, application_id=app.pk, bank=world.bank_2)
    assert refused.value.field == "bank"
    assert snapshot(app.pk) == before


def test_operation_date_in_the_future_is_refused(advance_to, world):
    app = advance_to(S.FULLY_DISBURSED)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken):
        services.application_declare_operation(
            actor=world.owner, application_id=app.pk, operation_started_on=TODAY() + datetime.timedelta(days=1),
            actual_new_jobs=3, actual_retained_jobs=0)
    assert snapshot(app.pk) == before


def test_operation_date_before_the_first_tranche_is_refused(advance_to, world):
    app = advance_to(S.FULLY_DISBURSED)
    first_paid_on = app.disbursements.order_by("paid_on").first().paid_on
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken) as refused:
        services.application_declare_operation(
            actor=world.owner, application_id=app.pk, operation_started_on=first_paid_on - datetime.timedelta(days=1),
            actual_new_jobs=3, actual_retained_jobs=0)
    assert refused.value.field == "operation_started_on"
    assert snapshot(app.pk) == before


def test_agency_officer_may_confirm_operation(advance_to, world):
    app = advance_to(S.OPERATION_DECLARED)
    services.application_confirm_operation(actor=world.agency_officer_a, application_id=app.pk)
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.OPERATING


@pytest.mark.parametrize("state", sorted(WITHDRAWABLE_STATES))
def test_applicant_may_withdraw_before_the_bank_decides(advance_to, world, state):
    app = advance_to(state)
    services.application_withdraw(actor=world.owner, application_id=app.pk, reason="انصراف")
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.WITHDRAWN


def test_stale_expected_state_is_refused(advance_to, world):
    """A form loaded while the application was ``submitted`` cannot act once it moved on."""
    app = advance_to(S.AGENCY_REVIEW)
    before = snapshot(app.pk)
    with pytest.raises(StaleState):
        services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk,
                                               expected_state=S.SUBMITTED)
    assert snapshot(app.pk) == before


# --- every refused transition -----------------------------------------------------------------------

GRID = [(state, action) for state in S.values for action in ACTIONS if state not in ALLOWED_FROM[action]]


@pytest.mark.parametrize("state, action", GRID)
def test_action_not_allowed_from_state_is_refused(advance_to, world, state, action):
    """Every action from every state it does not leave: ``TransitionNotAllowed``, nothing changed.

    A bank action on an application not (yet) referred to the bank is out of the bank officer's
    scope, so it is "not found" (404) before the state is looked at.
    """
    app = advance_to(state)
    actor_attr, call = ACTIONS[action]
    expected = NotFound if actor_attr == "bank_officer_1" and app.bank_id is None else TransitionNotAllowed
    before = snapshot(app.pk)
    with pytest.raises(expected):
        call(getattr(world, actor_attr), world, app.pk)
    assert snapshot(app.pk) == before


@pytest.mark.parametrize("state, action", [(s, a) for a, states in ALLOWED_FROM.items() for s in sorted(states)])
def test_action_allowed_from_state_succeeds(advance_to, world, state, action):
    """The other half of the grid: the usual actor's call goes through and writes one audit row."""
    app = advance_to(state)
    if action == "sign_contract":
        ACTIONS["add_bank_document"][1](world.owner, world, app.pk)
    actor_attr, call = ACTIONS[action]
    audit_before = snapshot(app.pk)["audit"]
    call(getattr(world, actor_attr), world, app.pk)
    assert snapshot(app.pk)["audit"] == audit_before + 1


# --- reasons ------------------------------------------------------------------------------------------

REASONED = {
    "reject_by_agency": (S.AGENCY_REVIEW, "agency_officer_a", services.application_reject_by_agency),
    "return_by_agency": (S.AGENCY_REVIEW, "agency_officer_a", services.application_return_by_agency),
    "reject_by_working_group": (S.WORKING_GROUP_REVIEW, "secretary_a", services.application_reject_by_working_group),
    "return_by_working_group": (S.WORKING_GROUP_REVIEW, "secretary_a", services.application_return_by_working_group),
    "reject_by_bank": (S.BANK_REVIEW, "bank_officer_1", services.application_reject_by_bank),
}


@pytest.mark.parametrize("reason", ["", "   ", "\u200c", "\n\t"])
@pytest.mark.parametrize("action", sorted(REASONED))
def test_reject_or_return_without_a_reason_is_refused(advance_to, world, action, reason):
    state, actor_attr, service = REASONED[action]
    app = advance_to(state)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken) as refused:
        service(actor=getattr(world, actor_attr), application_id=app.pk, reason=reason)
    assert refused.value.field == "reason"
    assert snapshot(app.pk) == before


@pytest.mark.parametrize("action", sorted(REASONED))
def test_reason_is_recorded_normalised(advance_to, world, action):
    state, actor_attr, service = REASONED[action]
    app = advance_to(state)
    service(actor=getattr(world, actor_attr), application_id=app.pk, reason="  مدارك ناقص  ")
    assert list(application_history(app).values_list("action", "reason"))[-1] == (action, "مدارک ناقص")


# --- wrong roles in scope (C17) ---------------------------------------------------------------------------

def _wrong_roles():
    for action, (actor_attr, _call) in ACTIONS.items():
        state = sorted(ALLOWED_FROM[action], key=list(S.values).index)[0]
        for role in IN_SCOPE:
            if role == actor_attr or role in ALSO_ALLOWED.get(action, ()):
                continue
            if role == "bank_officer_1" and state in PRE_BANK_STATES:
                continue  # out of the bank's scope: a 404 (tests/test_scoping.py)
            yield state, action, role


WRONG_ROLES = list(_wrong_roles())


@pytest.mark.parametrize("state, action, role", WRONG_ROLES)
def test_wrong_role_in_scope_is_refused(advance_to, world, state, action, role):
    """C17: an account that can see the application but does not take this step gets
    ``NotAllowed``, and nothing changes."""
    app = advance_to(state)
    before = snapshot(app.pk)
    with pytest.raises(NotAllowed):
        ACTIONS[action][1](getattr(world, role), world, app.pk)
    assert snapshot(app.pk) == before


def test_every_step_has_wrong_roles_checked():
    assert {action for _s, action, _r in WRONG_ROLES} == set(ACTIONS)


# The model's transition methods, each with valid arguments (a function of the world), for direct calls.
METHODS = {
    "start_agency_review": lambda w: {},
    "approve_by_agency": lambda w: {"tracking_code": tracking.generate()},
    "reject_by_agency": lambda w: {},
    "return_by_agency": lambda w: {},
    "resubmit": lambda w: {},
    "start_working_group_review": lambda w: {},
    "refer_to_bank": lambda w: {"bank": w.bank_1},
    "reject_by_working_group": lambda w: {},
    "return_by_working_group": lambda w: {},
    "start_bank_review": lambda w: {},
    "approve_by_bank": lambda w: {"approved_loan_rials": 1},
    "reject_by_bank": lambda w: {},
    "sign_contract": lambda w: {},
    "record_disbursement": lambda w: {"fully_disbursed": False},
    "declare_operation": lambda w: {"operation_started_on": datetime.date(2025, 1, 1), "actual_new_jobs": 1,
                                    "actual_retained_jobs": 0},
    "confirm_operation": lambda w: {},
    "pay_subsidy": lambda w: {"fully_paid": False},
    "withdraw": lambda w: {},
}
# Direct calls skip the scope, so the bank officer is a wrong actor before referral too.
DIRECT = [(s, a, r) for s, a, r in WRONG_ROLES if a in METHODS] + [
    (s, a, "bank_officer_1") for a in METHODS for s in [sorted(ALLOWED_FROM[a], key=list(S.values).index)[0]]
    if s in PRE_BANK_STATES]


@pytest.mark.parametrize("state, method, role", DIRECT)
def test_direct_call_of_a_transition_method_checks_the_actor(advance_to, world, state, method, role):
    """C17: ``app.approve_by_bank(by=agency_officer, ...)`` and every other transition method
    refuse the wrong actor themselves; the state stays as it was, in memory and in the DB."""
    app = advance_to(state)
    with pytest.raises(NotAllowed):
        getattr(app, method)(by=getattr(world, role), **METHODS[method](world))
    assert app.state == state
    assert InvestmentApplication.objects.get(pk=app.pk).state == state


def test_agency_officer_cannot_approve_for_the_bank_by_calling_the_model(advance_to, world):
    """C17, the example of the brief, spelled out."""
    app = advance_to(S.BANK_REVIEW)
    with pytest.raises(NotAllowed):
        app.approve_by_bank(by=world.agency_officer_a, approved_loan_rials=1)
    assert (app.state, app.approved_loan_rials) == (S.BANK_REVIEW, None)
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.BANK_REVIEW


@pytest.mark.parametrize("role", ["agency_officer_a", "secretary_a", "bank_officer_1", "manager_a", "ministry",
                                  "admin"])
def test_only_an_applicant_may_submit(world, role):
    with pytest.raises(NotAllowed):
        services.application_submit(actor=getattr(world, role), call=world.call_a, data=application_input(world),
                                    feasibility_files=[pdf()])
    assert InvestmentApplication.objects.count() == 0


@pytest.mark.parametrize("role", ["owner", "secretary_a", "bank_officer_1", "manager_a", "ministry", "admin"])
def test_only_an_agency_officer_may_publish_a_call(world, role):
    before = Call.objects.count()
    with pytest.raises(NotAllowed):
        services.call_publish(actor=getattr(world, role), title="فراخوان", priority_sectors=[world.priority_a],
                              opens_on=TODAY(), closes_on=TODAY())
    assert Call.objects.count() == before


def test_call_with_another_provinces_sector_is_refused(world):
    with pytest.raises(RuleBroken) as refused:
        services.call_publish(actor=world.agency_officer_a, title="فراخوان", priority_sectors=[world.priority_b],
                              opens_on=TODAY(), closes_on=TODAY())
    assert refused.value.field == "priority_sectors"


def test_submission_to_a_closed_call_is_refused(world):
    call = CallFactory(agency=world.agency_a, actor=world.agency_officer_a, priority_sectors=[world.priority_a],
                       opens_on=TODAY() - datetime.timedelta(days=30), closes_on=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(RuleBroken) as refused:
        services.application_submit(actor=world.owner, call=call, data=application_input(world),
                                    feasibility_files=[pdf()])
    assert refused.value.field == "call"
    assert InvestmentApplication.objects.count() == 0


# --- the submission date in Tehran (C05) ----------------------------------------------------------------

@pytest.mark.parametrize("submitted_at, jalali", [
    (datetime.datetime(2025, 3, 20, 20, 45, tzinfo=datetime.UTC), "۱۴۰۴/۰۱/۰۱"),
    (datetime.datetime(2025, 3, 20, 20, 30, tzinfo=datetime.UTC), "۱۴۰۴/۰۱/۰۱"),
    (datetime.datetime(2025, 3, 20, 20, 29, 59, tzinfo=datetime.UTC), "۱۴۰۳/۱۲/۳۰"),
])
def test_submission_date_is_the_tehran_date_in_jalali(world, submitted_at, jalali):
    """C05: 2025-03-20T20:45Z is 00:15 on 1404/01/01 in Tehran (+03:30), not 1403/12/30."""
    call = CallFactory(agency=world.agency_a, actor=world.agency_officer_a, priority_sectors=[world.priority_a],
                       opens_on=datetime.date(2025, 3, 1), closes_on=datetime.date(2025, 4, 30))
    app = services.application_submit(actor=world.owner, call=call, data=application_input(world),
                                      feasibility_files=[pdf()], now=submitted_at)
    stored = InvestmentApplication.objects.get(pk=app.pk).submitted_at
    assert stored == submitted_at
    assert jdate(stored) == jalali


def test_submission_time_is_shown_in_tehran_time(world):
    call = CallFactory(agency=world.agency_a, actor=world.agency_officer_a, priority_sectors=[world.priority_a],
                       opens_on=datetime.date(2025, 3, 1), closes_on=datetime.date(2025, 4, 30))
    app = services.application_submit(actor=world.owner, call=call, data=application_input(world),
                                      feasibility_files=[pdf()],
                                      now=datetime.datetime(2025, 3, 20, 20, 45, tzinfo=datetime.UTC))
    assert jdatetime_fa(InvestmentApplication.objects.get(pk=app.pk).submitted_at) == "۱۴۰۴/۰۱/۰۱ ۰۰:۱۵"
