"""The §9 chain through ``financing.services`` (roles.md's table): every step from submission to
closure, each recorded in the audit trail with its actor, role, states and figures.

Amounts are rials (``tests.factories.Figures``).
"""

import datetime

from django.utils import timezone

from accounts.models import Role
from financing import services
from financing.models import ApplicationDocument, ApplicationState, InvestmentApplication
from financing.selectors import application_history
from tests.factories import Figures
from tests.uploads import pdf
from tests.world import contract_input, submit

S = ApplicationState
KIND = ApplicationDocument.Kind
TODAY = timezone.localdate


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
