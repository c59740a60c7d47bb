"""The §9 chain in one place: its states in the programme's order, who acts next, what each role's
inbox holds, when the applicant may upload which document or withdraw, and one decorated
django-fsm-2 method per transition, with its permission and its Persian labels (roles.md).

Each transition takes the acting user as ``by`` and checks the role itself, so calling it directly
cannot skip the check (C17). Its ``custom`` holds the Persian ``button`` label (the action form)
and ``history`` label (the audit trail, the notifications, the admin). Rules that depend on input
(an amount within what remains, a date not in the future, the bank's documents uploaded) are the
services' (``financing.services``); views, the API and the admin call those, never these methods.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField

from accounts.models import Role
from accounts.workflow import WorkflowModel, actor_transition

from . import permissions


class ApplicationState(models.TextChoices):
    """The §9 chain in the programme's order (roles.md)."""

    SUBMITTED = "submitted", _("ثبت‌شده")
    AGENCY_REVIEW = "agency_review", _("در بررسی دستگاه اجرایی")
    RETURNED = "returned", _("بازگشت برای اصلاح")
    AGENCY_APPROVED = "agency_approved", _("تأییدشده توسط دستگاه اجرایی")
    WORKING_GROUP_REVIEW = "working_group_review", _("در بررسی کارگروه اشتغال")
    REFERRED_TO_BANK = "referred_to_bank", _("ارجاع‌شده به بانک عامل")
    BANK_REVIEW = "bank_review", _("در بررسی بانک عامل")
    BANK_APPROVED = "bank_approved", _("تأییدشده توسط بانک عامل")
    CONTRACTED = "contracted", _("قرارداد منعقدشده")
    DISBURSING = "disbursing", _("در حال پرداخت تسهیلات")
    FULLY_DISBURSED = "fully_disbursed", _("تسهیلات کامل پرداخت‌شده")
    OPERATION_DECLARED = "operation_declared", _("بهره‌برداری اعلام‌شده")
    OPERATING = "operating", _("در حال بهره‌برداری")
    SUBSIDY_IN_PAYMENT = "subsidy_in_payment", _("در حال پرداخت یارانه سود")
    CLOSED = "closed", _("مختومه")
    REJECTED = "rejected", _("ردشده")
    CANCELLED = "cancelled", _("لغوشده توسط بانک عامل")
    WITHDRAWN = "withdrawn", _("انصراف‌داده")


S = ApplicationState


class DocumentKind(models.TextChoices):
    """What the applicant uploads, and when (``UPLOAD_WINDOWS``)."""

    FEASIBILITY_STUDY = "feasibility_study", _("طرح توجیهی")
    BANK_DOCUMENT = "bank_document", _("مدارک بانک عامل")
    OPERATION_EVIDENCE = "operation_evidence", _("مستندات بهره‌برداری")


# Who takes the next step from each state (inboxes and the public tracking page).
NEXT_ACTOR = {
    S.SUBMITTED: Role.AGENCY_OFFICER,
    S.AGENCY_REVIEW: Role.AGENCY_OFFICER,
    S.RETURNED: Role.APPLICANT,
    S.AGENCY_APPROVED: Role.WORKING_GROUP_SECRETARY,
    S.WORKING_GROUP_REVIEW: Role.WORKING_GROUP_SECRETARY,
    S.REFERRED_TO_BANK: Role.BANK_OFFICER,
    S.BANK_REVIEW: Role.BANK_OFFICER,
    S.BANK_APPROVED: Role.BANK_OFFICER,
    S.CONTRACTED: Role.BANK_OFFICER,
    S.DISBURSING: Role.BANK_OFFICER,
    S.FULLY_DISBURSED: Role.APPLICANT,
    S.OPERATION_DECLARED: Role.BANK_OFFICER,
    S.OPERATING: Role.WORKING_GROUP_SECRETARY,
    S.SUBSIDY_IN_PAYMENT: Role.WORKING_GROUP_SECRETARY,
}
FINAL_STATES = (S.CLOSED, S.REJECTED, S.CANCELLED, S.WITHDRAWN)

# What each role's inbox holds: the states whose next step is theirs (roles.md). The applicant's
# holds the states in which they upload a document or act; the agency also confirms operation.
INBOX_STATES = {
    Role.APPLICANT: [S.RETURNED, S.BANK_APPROVED, S.FULLY_DISBURSED],
    Role.AGENCY_OFFICER: [S.SUBMITTED, S.AGENCY_REVIEW, S.OPERATION_DECLARED],
    Role.WORKING_GROUP_SECRETARY: [S.AGENCY_APPROVED, S.WORKING_GROUP_REVIEW, S.OPERATING, S.SUBSIDY_IN_PAYMENT],
    Role.BANK_OFFICER: [S.REFERRED_TO_BANK, S.BANK_REVIEW, S.BANK_APPROVED, S.CONTRACTED, S.DISBURSING,
                        S.OPERATION_DECLARED],
}

# Which document the owner may add in which state.
UPLOAD_WINDOWS = {
    DocumentKind.FEASIBILITY_STUDY: (S.SUBMITTED, S.RETURNED),
    DocumentKind.BANK_DOCUMENT: (S.BANK_APPROVED,),
    DocumentKind.OPERATION_EVIDENCE: (S.FULLY_DISBURSED,),
}

# "Any state before the bank's decision" (roles.md): the applicant may withdraw.
WITHDRAWABLE_STATES = (
    S.SUBMITTED, S.AGENCY_REVIEW, S.RETURNED, S.AGENCY_APPROVED,
    S.WORKING_GROUP_REVIEW, S.REFERRED_TO_BANK, S.BANK_REVIEW,
)

# The audit actions of an application that are not transitions.
OTHER_ACTION_LABELS = {
    "submit": _("ثبت طرح"),
    "add_document": _("بارگذاری مستند"),
}


class ApplicationWorkflow(WorkflowModel):
    """The §9 workflow of ``InvestmentApplication``: the protected state and the transitions."""

    state = FSMField(_("وضعیت"), max_length=30, choices=ApplicationState.choices, default=S.SUBMITTED,
                     protected=True, db_index=True)
    state_changed_at = models.DateTimeField(_("زمان آخرین تغییر وضعیت"), db_index=True)

    other_action_labels = OTHER_ACTION_LABELS

    class Meta:
        abstract = True

    @property
    def next_actor(self):
        return NEXT_ACTOR.get(self.state)

    # --- agency (§9 steps 2–4) -------------------------------------------------------------
    @actor_transition(source=S.SUBMITTED, target=S.AGENCY_REVIEW, permission=permissions.is_agency_officer,
                      custom={"button": _("شروع بررسی"), "history": _("شروع بررسی دستگاه اجرایی")})
    def start_agency_review(self, *, by):
        """The agency opens its review of the feasibility study."""

    @actor_transition(source=S.AGENCY_REVIEW, target=S.AGENCY_APPROVED, permission=permissions.is_agency_officer,
                      custom={"button": _("تأیید و صدور کد رهگیری"),
                              "history": _("تأیید دستگاه اجرایی و صدور کد رهگیری")})
    def approve_by_agency(self, *, by, tracking_code):
        """Initial approval; the tracking code is issued once, at the first approval (§9 step 4)."""
        if not self.tracking_code:
            self.tracking_code = tracking_code

    @actor_transition(source=S.AGENCY_REVIEW, target=S.RETURNED, permission=permissions.is_agency_officer,
                      custom={"button": _("بازگشت برای اصلاح"), "history": _("بازگشت توسط دستگاه اجرایی")})
    def return_by_agency(self, *, by):
        """Sent back to the applicant for revision."""

    @actor_transition(source=S.AGENCY_REVIEW, target=S.REJECTED, permission=permissions.is_agency_officer,
                      custom={"button": _("رد"), "history": _("رد توسط دستگاه اجرایی")})
    def reject_by_agency(self, *, by):
        """Rejected on eligibility or justification (§9 step 3)."""

    @actor_transition(source=S.RETURNED, target=S.SUBMITTED, permission=permissions.is_owner,
                      custom={"button": _("ارسال دوباره"), "history": _("ارسال دوباره")})
    def resubmit(self, *, by):
        """The applicant sends the revised application back to the agency."""

    # --- working group (§9 step 5) --------------------------------------------------------
    @actor_transition(source=S.AGENCY_APPROVED, target=S.WORKING_GROUP_REVIEW,
                      permission=permissions.is_working_group_secretary,
                      custom={"button": _("شروع بررسی همسویی"), "history": _("شروع بررسی کارگروه")})
    def start_working_group_review(self, *, by):
        """The working group checks alignment with the priority sectors."""

    @actor_transition(source=S.WORKING_GROUP_REVIEW, target=S.REFERRED_TO_BANK,
                      permission=permissions.is_working_group_secretary,
                      custom={"button": _("ارجاع به بانک عامل"), "history": _("ارجاع به بانک عامل")})
    def refer_to_bank(self, *, by, bank):
        """Referred to the agent bank the secretary chooses."""
        self.bank = bank

    @actor_transition(source=S.WORKING_GROUP_REVIEW, target=S.RETURNED,
                      permission=permissions.is_working_group_secretary,
                      custom={"button": _("بازگشت برای اصلاح"), "history": _("بازگشت توسط کارگروه")})
    def return_by_working_group(self, *, by):
        """Sent back to the applicant for revision."""

    @actor_transition(source=S.WORKING_GROUP_REVIEW, target=S.REJECTED,
                      permission=permissions.is_working_group_secretary,
                      custom={"button": _("رد"), "history": _("رد توسط کارگروه")})
    def reject_by_working_group(self, *, by):
        """Not aligned with the province's priority sectors."""

    # --- agent bank (§9 steps 6–8) --------------------------------------------------------
    @actor_transition(source=S.REFERRED_TO_BANK, target=S.BANK_REVIEW, permission=permissions.is_bank_officer,
                      custom={"button": _("شروع بررسی بانک"), "history": _("شروع بررسی بانک")})
    def start_bank_review(self, *, by):
        """The bank reviews technical, economic and financial feasibility."""

    @actor_transition(source=S.BANK_REVIEW, target=S.BANK_APPROVED, permission=permissions.is_bank_officer,
                      custom={"button": _("تأیید تسهیلات"), "history": _("تأیید بانک عامل")})
    def approve_by_bank(self, *, by, approved_loan_rials):
        """The bank approves a loan of ``approved_loan_rials``."""
        self.approved_loan_rials = approved_loan_rials

    @actor_transition(source=S.BANK_REVIEW, target=S.REJECTED, permission=permissions.is_bank_officer,
                      custom={"button": _("رد"), "history": _("رد توسط بانک عامل")})
    def reject_by_bank(self, *, by):
        """The bank refuses the loan."""

    @actor_transition(source=S.BANK_APPROVED, target=S.CANCELLED, permission=permissions.is_bank_officer,
                      custom={"button": _("لغو تسهیلات مصوب"), "history": _("لغو توسط بانک عامل")})
    def cancel_by_bank(self, *, by):
        """The approved loan never reaches a contract: the applicant never completed the documents,
        or the bank withdrew (roles.md). The loan's commitment is released."""

    @actor_transition(source=S.BANK_APPROVED, target=S.CONTRACTED, permission=permissions.is_bank_officer,
                      custom={"button": _("ثبت انعقاد قرارداد"), "history": _("انعقاد قرارداد")})
    def sign_contract(self, *, by):
        """The applicant's documents are complete and the loan contract is signed (§9 step 7)."""

    @actor_transition(source=[S.CONTRACTED, S.DISBURSING], target=RETURN_VALUE(S.DISBURSING, S.FULLY_DISBURSED),
                      permission=permissions.is_bank_officer,
                      custom={"button": _("ثبت پرداخت قسط"), "history": _("پرداخت قسط تسهیلات")})
    def record_disbursement(self, *, by, fully_disbursed):
        """A tranche is paid (§9 step 8); the last one makes the loan fully disbursed."""
        return S.FULLY_DISBURSED if fully_disbursed else S.DISBURSING

    # --- operation and subsidy (§9 step 9) ------------------------------------------------
    @actor_transition(source=S.FULLY_DISBURSED, target=S.OPERATION_DECLARED, permission=permissions.is_owner,
                      custom={"button": _("اعلام بهره‌برداری"), "history": _("اعلام بهره‌برداری")})
    def declare_operation(self, *, by, operation_started_on, actual_new_jobs, actual_retained_jobs):
        """The applicant declares the project operating, with the jobs actually created and kept."""
        self.operation_started_on = operation_started_on
        self.actual_new_jobs = actual_new_jobs
        self.actual_retained_jobs = actual_retained_jobs

    @actor_transition(source=S.OPERATION_DECLARED, target=RETURN_VALUE(S.OPERATING, S.CLOSED),
                      permission=permissions.can_confirm_operation,
                      custom={"button": _("تأیید بهره‌برداری"), "history": _("تأیید بهره‌برداری")})
    def confirm_operation(self, *, by, subsidy_owed):
        """The bank (or the agency) confirms that the project operates. A contract without subsidy
        (0 points) owes nothing more: the application closes (issue 7)."""
        return S.OPERATING if subsidy_owed else S.CLOSED

    @actor_transition(source=[S.OPERATING, S.SUBSIDY_IN_PAYMENT], target=RETURN_VALUE(S.SUBSIDY_IN_PAYMENT, S.CLOSED),
                      permission=permissions.is_working_group_secretary,
                      custom={"button": _("ثبت پرداخت یارانه سود"), "history": _("پرداخت یارانه سود")})
    def pay_subsidy(self, *, by, fully_paid):
        """The working group pays (part of) the interest subsidy; full payment closes the file."""
        return S.CLOSED if fully_paid else S.SUBSIDY_IN_PAYMENT

    @actor_transition(source=list(WITHDRAWABLE_STATES), target=S.WITHDRAWN, permission=permissions.is_owner,
                      custom={"button": _("انصراف از طرح"), "history": _("انصراف متقاضی")})
    def withdraw(self, *, by):
        """The applicant withdraws before the bank decides."""
