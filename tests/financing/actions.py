"""Every service action of the §9 chain, who usually takes it and the states it is allowed from
(roles.md's table), for the tests that try each action from each state and by each role; and
``snapshot``, what a refused action must leave as it was."""

from django.utils import timezone

from accounts.models import AuditRecord
from budgets.models import LedgerEntry
from financing import services
from financing.models import ApplicationDocument, ApplicationState, InvestmentApplication, LoanContract
from financing.workflow import WITHDRAWABLE_STATES
from tests.factories import Figures
from tests.uploads import pdf
from tests.world import contract_input

S = ApplicationState
KIND = ApplicationDocument.Kind
TODAY = timezone.localdate

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
    "cancel_by_bank": ("bank_officer_1", lambda a, w, pk: services.application_cancel_by_bank(
        actor=a, application_id=pk, reason="متقاضی مدارک را کامل نکرد")),
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
        actor=a, application_id=pk, kind=KIND.FEASIBILITY_STUDY, uploaded_file=pdf("doc.pdf"))),
    "add_bank_document": ("owner", lambda a, w, pk: services.document_add(
        actor=a, application_id=pk, kind=KIND.BANK_DOCUMENT, uploaded_file=pdf("doc.pdf"))),
    "add_operation_evidence": ("owner", lambda a, w, pk: services.document_add(
        actor=a, application_id=pk, kind=KIND.OPERATION_EVIDENCE, uploaded_file=pdf("doc.pdf"))),
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
    "cancel_by_bank": {S.BANK_APPROVED},
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
        "ledger": LedgerEntry.objects.filter(source_type__model="investmentapplication", source_id=pk).count(),
    }
