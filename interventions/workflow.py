"""The §8 chain of a development intervention in one place: its states in the seed's order, who
acts next, what each role's inbox holds, and one decorated django-fsm-2 method per transition
with its permission and Persian labels (roles.md, "The intervention chain").

As for applications (``financing.workflow``), each transition takes the acting user as ``by`` and
checks the role itself (C17); the state field is protected (C25). Rules that depend on input (the
execution documents complete, a grant within what was requested and what the budget has left,
every milestone reported before evaluation) are the services' (``interventions.services``);
views and the admin call those, never these methods.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.models import Role
from accounts.workflow import WorkflowModel, actor_transition

from . import permissions


class InterventionState(models.TextChoices):
    """The §8 chain in the seed's order (steps 1–7)."""

    ANALYSIS = "analysis", _("تحلیل نظام کسب‌وکار")
    PROPOSED = "proposed", _("پیشنهادشده")
    DOCUMENTS_SUBMITTED = "documents_submitted", _("مستندات اجرایی ارسال‌شده")
    RETURNED = "returned", _("بازگشت برای اصلاح")
    APPROVED = "approved", _("مصوب و ابلاغ‌شده به استان")
    REFERRED = "referred", _("معرفی‌شده برای تخصیص منابع")
    FUNDED = "funded", _("کمک بلاعوض تخصیص‌یافته")
    IN_EXECUTION = "in_execution", _("در حال اجرا")
    EVALUATED = "evaluated", _("ارزیابی‌شده")
    CLOSED = "closed", _("مختومه")
    REJECTED = "rejected", _("ردشده")


S = InterventionState

# Who takes the next step from each state.
NEXT_ACTOR = {
    S.ANALYSIS: Role.AGENCY_OFFICER,
    S.PROPOSED: Role.AGENCY_OFFICER,
    S.DOCUMENTS_SUBMITTED: Role.MINISTRY_STAFF,
    S.RETURNED: Role.AGENCY_OFFICER,
    S.APPROVED: Role.MINISTRY_STAFF,
    S.REFERRED: Role.MINISTRY_STAFF,
    S.FUNDED: Role.AGENCY_OFFICER,
    S.IN_EXECUTION: Role.AGENCY_OFFICER,
    S.EVALUATED: Role.PROVINCIAL_MANAGER,
}
FINAL_STATES = (S.CLOSED, S.REJECTED)

# What each role's inbox holds. In execution the officer reports milestones, ministry staff pay
# instalments against them, and the provincial manager or ministry staff evaluate once all are done.
INBOX_STATES = {
    Role.AGENCY_OFFICER: [S.ANALYSIS, S.PROPOSED, S.RETURNED, S.FUNDED, S.IN_EXECUTION],
    Role.MINISTRY_STAFF: [S.DOCUMENTS_SUBMITTED, S.APPROVED, S.REFERRED, S.IN_EXECUTION, S.EVALUATED],
    Role.PROVINCIAL_MANAGER: [S.IN_EXECUTION, S.EVALUATED],
}

# The states in which the agency officer may edit the intervention's content (analysis, execution
# documents, milestones, resources).
EDITABLE_STATES = (S.ANALYSIS, S.PROPOSED, S.RETURNED)
# Counted as an institution formed or developed (§11): execution over and evaluated.
COUNTED_STATES = (S.EVALUATED, S.CLOSED)
# Approved and not rejected: the pipeline of institutions in the coverage grid.
PIPELINE_STATES = (S.APPROVED, S.REFERRED, S.FUNDED, S.IN_EXECUTION)

# The audit actions of an intervention that are not transitions.
OTHER_ACTION_LABELS = {
    "create": _("ثبت اقدام توسعه‌ای"),
    "edit": _("ویرایش اقدام توسعه‌ای"),
    "add_file": _("بارگذاری مستند"),
    "report_milestone": _("گزارش انجام گام"),
    "pay_instalment": _("پرداخت قسط کمک بلاعوض"),
}


class InterventionWorkflow(WorkflowModel):
    """The §8 workflow of ``Intervention``: the protected state and the transitions."""

    state = FSMField(_("وضعیت"), max_length=30, choices=InterventionState.choices, default=S.ANALYSIS,
                     protected=True, db_index=True)
    state_changed_at = models.DateTimeField(_("زمان آخرین تغییر وضعیت"), db_index=True)

    other_action_labels = OTHER_ACTION_LABELS

    class Meta:
        abstract = True

    @property
    def next_actor(self):
        return NEXT_ACTOR.get(self.state)

    # --- the agency (§8 steps 1–3) ----------------------------------------------------------
    @actor_transition(source=S.ANALYSIS, target=S.PROPOSED, permission=permissions.is_agency_officer,
                      custom={"button": _("ارائه پیشنهاد مداخله"), "history": _("ارائه پیشنهاد مداخله")})
    def propose(self, *, by):
        """The sector's business system is analysed; the intervention is proposed (§8 steps 1–2)."""

    @actor_transition(source=S.PROPOSED, target=S.DOCUMENTS_SUBMITTED, permission=permissions.is_agency_officer,
                      custom={"button": _("ارسال مستندات اجرایی"), "history": _("ارسال مستندات اجرایی")})
    def submit_documents(self, *, by):
        """The execution documents go to the ministry (§8 step 3)."""

    @actor_transition(source=S.RETURNED, target=S.DOCUMENTS_SUBMITTED, permission=permissions.is_agency_officer,
                      custom={"button": _("ارسال دوباره مستندات"), "history": _("ارسال دوباره مستندات اجرایی")})
    def resubmit(self, *, by):
        """The revised execution documents go back to the ministry."""

    # --- the ministry (§8 steps 4–5) --------------------------------------------------------
    @actor_transition(source=S.DOCUMENTS_SUBMITTED, target=S.APPROVED, permission=permissions.is_ministry_staff,
                      custom={"button": _("تصویب و ابلاغ به استان"), "history": _("تصویب و ابلاغ به استان")})
    def approve(self, *, by):
        """The intervention plan is approved and announced to the province (§8 step 4)."""

    @actor_transition(source=S.DOCUMENTS_SUBMITTED, target=S.RETURNED, permission=permissions.is_ministry_staff,
                      custom={"button": _("بازگشت برای اصلاح"), "history": _("بازگشت توسط وزارت")})
    def return_for_revision(self, *, by):
        """Sent back to the agency to revise its documents."""

    @actor_transition(source=S.DOCUMENTS_SUBMITTED, target=S.REJECTED, permission=permissions.is_ministry_staff,
                      custom={"button": _("رد"), "history": _("رد توسط وزارت")})
    def reject(self, *, by):
        """Rejected."""

    @actor_transition(source=S.APPROVED, target=S.REFERRED, permission=permissions.is_ministry_staff,
                      custom={"button": _("معرفی برای تخصیص منابع"), "history": _("معرفی برای تخصیص منابع")})
    def refer_for_funding(self, *, by, funding_body):
        """Introduced with its documents to the allocating body or an agent institution (§8 step 5)."""
        self.funding_body = funding_body

    @actor_transition(source=S.REFERRED, target=S.FUNDED, permission=permissions.is_ministry_staff,
                      custom={"button": _("ثبت کمک بلاعوض"), "history": _("ثبت کمک بلاعوض")})
    def record_grant(self, *, by, grant_rials):
        """The grant is recorded (rials), committed against the grants lines (§8 step 5, §10)."""
        self.grant_rials = grant_rials

    # --- execution, evaluation, closure (§8 steps 6–7) --------------------------------------
    @actor_transition(source=S.FUNDED, target=S.IN_EXECUTION, permission=permissions.is_agency_officer,
                      custom={"button": _("شروع اجرا"), "history": _("شروع اجرا")})
    def start_execution(self, *, by):
        """The action or the institution is being set up on the approved timetable (§8 step 6)."""

    @actor_transition(source=S.IN_EXECUTION, target=S.EVALUATED, permission=permissions.can_evaluate,
                      custom={"button": _("ثبت ارزیابی"), "history": _("ثبت ارزیابی")})
    def evaluate(self, *, by, evaluation):
        """Monitored and evaluated (§8 step 7)."""
        self.evaluation = evaluation

    @actor_transition(source=S.EVALUATED, target=S.CLOSED, permission=permissions.can_evaluate,
                      custom={"button": _("مختومه کردن"), "history": _("مختومه شد")})
    def close(self, *, by):
        """Closed (§8 step 7); what is left of the grant is released."""
