"""Submission and the review steps of the §9 chain: agency (steps 2–4), working group (step 5), the
bank's decision (step 6), and the applicant's resubmission and withdrawal."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.services import audit_record_create
from accounts.workflow import required_reason, transition_fire
from budgets.models import Fund
from budgets.services import budget_commit, budget_release
from common.errors import NotAllowed, RuleBroken
from common.normalization import normalize_text, search_key
from common.templatetags.persian import fa, fa_number
from common.uploads import detect_document_type
from programs.models import Programme

from .. import tracking
from ..models import Applicant, ApplicationDocument, ApplicationState, InvestmentApplication
from ..notifications import application_notify
from ..priority import COST_PER_JOB_RIALS, application_priority, sector_effective_rank
from .budget import budget_claim
from .documents import store_document
from .steps import lock_for_step, record_step

S = ApplicationState


def application_search_text(title, applicant_name):
    """What an application search compares: its title and its applicant's name (``search_key``)."""
    return search_key(f"{title} {applicant_name}")[:520]


# --- submission (§9 step 2) -----------------------------------------------------------------

@dataclass(frozen=True)
class ApplicationInput:
    """The applicant's figures: rials, persons, percent (§9 step 2)."""

    title: str
    county: object
    priority_sector: object
    project_kind: str
    is_existing_unit: bool
    requested_loan_rials: int
    own_contribution_rials: int
    planned_new_jobs: int
    planned_retained_jobs: int
    physical_progress_percent: int


def _check_application_input(call, data: ApplicationInput):
    if data.county.province_id != call.province_id:
        raise RuleBroken(_("شهرستان باید در استان فراخوان باشد."), field="county")
    if not call.priority_sectors.filter(pk=data.priority_sector.pk).exists():
        raise RuleBroken(_("این رسته در این فراخوان نیست."), field="priority_sector")
    if data.requested_loan_rials <= 0:
        raise RuleBroken(_("مبلغ تسهیلات درخواستی باید بیشتر از صفر باشد."), field="requested_loan_rials")
    if not 0 <= data.physical_progress_percent <= 100:
        raise RuleBroken(_("پیشرفت فیزیکی باید بین ۰ و ۱۰۰ درصد باشد."), field="physical_progress_percent")
    if (data.project_kind == InvestmentApplication.ProjectKind.COMPLETION
            and data.physical_progress_percent <= 60):
        raise RuleBroken(_("طرح تکمیلی باید بیش از ۶۰ درصد پیشرفت فیزیکی داشته باشد."),
                         field="physical_progress_percent")
    if data.planned_new_jobs + data.planned_retained_jobs <= 0:
        raise RuleBroken(_("طرح باید دست‌کم یک شغل ایجاد یا حفظ کند."), field="planned_new_jobs")
    _check_cost_per_job(data)


def programme_cost_per_job_rials() -> int:
    """The programme's rials per job: ``Programme.cost_per_job_rials`` when the programme's row
    exists, else §10's 551,000,000."""
    stored = Programme.objects.values_list("cost_per_job_rials", flat=True).first()
    return stored or COST_PER_JOB_RIALS


def _check_cost_per_job(data: ApplicationInput):
    """The loan asked per planned job (new + retained) is at most ``KALEH_MAX_COST_PER_JOB_MULTIPLE``
    times the programme's rials per job (§10); ``RuleBroken`` on ``requested_loan_rials`` else."""
    jobs = data.planned_new_jobs + data.planned_retained_jobs
    multiple = Decimal(str(settings.KALEH_MAX_COST_PER_JOB_MULTIPLE))
    base = programme_cost_per_job_rials()
    if data.requested_loan_rials <= multiple * base * jobs:
        return
    raise RuleBroken(
        _("تسهیلات درخواستی برای هر شغل پیش‌بینی‌شده %(per_job)s ریال است و از سقف %(limit)s ریال بیشتر است "
          "(%(multiple)s برابر سرانه %(base)s ریال هر شغل در برنامه). مبلغ را کم یا تعداد شغل‌ها را درست کنید.")
        % {"per_job": fa_number(-(-data.requested_loan_rials // jobs)), "limit": fa_number(int(multiple * base)),
           "multiple": fa(multiple.normalize()), "base": fa_number(base)},
        field="requested_loan_rials")


def application_build(*, applicant, call, data: ApplicationInput, submitted_at,
                      sector_rank: int | None = None) -> InvestmentApplication:
    """The row ``application_submit`` saves, unsaved: ``data`` (already checked) for ``call`` by
    ``applicant``, in state ``submitted`` at ``submitted_at`` (aware datetime), with its priority
    score and parts (``financing.priority``). The bulk demo loader builds its rows with it too.

    ``sector_rank`` is the priority sector's effective rank when the caller has it
    (``priority.sector_effective_ranks``: one query for many rows); otherwise it is looked up,
    which takes one query for an officer-entered sector and none for a seed table's.
    """
    if sector_rank is None:
        sector_rank = sector_effective_rank(data.priority_sector)
    application = InvestmentApplication(
        applicant=applicant, call=call, agency_id=call.agency_id, province_id=call.province_id,
        county=data.county, priority_sector=data.priority_sector,
        economic_sector_id=data.priority_sector.economic_sector_id, title=normalize_text(data.title),
        project_kind=data.project_kind, is_existing_unit=data.is_existing_unit,
        requested_loan_rials=data.requested_loan_rials, own_contribution_rials=data.own_contribution_rials,
        planned_new_jobs=data.planned_new_jobs, planned_retained_jobs=data.planned_retained_jobs,
        physical_progress_percent=data.physical_progress_percent, submitted_at=submitted_at,
        state_changed_at=submitted_at, updated_at=submitted_at,
        search_text=application_search_text(data.title, applicant.name),
    )
    priority = application_priority(application, sector_rank)
    application.priority_score, application.priority_parts = priority.score, priority.parts()
    return application


def application_submit(*, actor, call, data: ApplicationInput, feasibility_files, now=None):
    """Submit an application to an open call with its feasibility-study files (§9 step 2).

    Returns the application in state ``submitted``. Raises ``NotAllowed`` unless the actor is a
    registered applicant, ``RuleBroken`` for a closed call, a county or sector outside the call,
    figures out of range, missing or bad files. Nothing is saved when it raises.
    """
    now = now or timezone.now()
    applicant = Applicant.objects.filter(user=actor).first() if actor.has_role(Role.APPLICANT) else None
    if applicant is None:
        raise NotAllowed()
    if not call.is_open_on(timezone.localdate(now)):
        raise RuleBroken(_("این فراخوان باز نیست."), field="call")
    _check_application_input(call, data)
    if not feasibility_files:
        raise RuleBroken(_("فایل طرح توجیهی را پیوست کنید."), field="feasibility_files")
    # Check every file before storing any: a rollback removes rows, not files already written.
    for uploaded in feasibility_files:
        detect_document_type(uploaded)
    with transaction.atomic():
        application = application_build(applicant=applicant, call=call, data=data, submitted_at=now)
        application.save()
        for uploaded in feasibility_files:
            store_document(application=application, actor=actor, kind=ApplicationDocument.Kind.FEASIBILITY_STUDY,
                           uploaded_file=uploaded)
        audit_record_create(actor=actor, target=application, action="submit", to_state=S.SUBMITTED)
        application_notify(application, event="submit")
    return application


# --- the agency (§9 steps 3–4) ------------------------------------------------------------------

def application_start_agency_review(*, actor, application_id, expected_state=None):
    """The agency officer opens the review (§9 step 3). Returns the application."""
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "start_agency_review", expected_state=expected_state)
        from_state = transition_fire(application, "start_agency_review", actor=actor)
        record_step(application, actor=actor, action="start_agency_review", from_state=from_state)
    return application


def _new_tracking_code():
    for _attempt in range(10):
        code = tracking.generate()
        if not InvestmentApplication.objects.filter(tracking_code=code).exists():
            return code
    raise RuntimeError("could not draw an unused tracking code")  # 10 collisions in 10^15: never


def application_approve_by_agency(*, actor, application_id, reason="", expected_state=None):
    """Initial approval (§9 steps 3–4); issues the tracking code the first time."""
    reason = normalize_text(reason)
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "approve_by_agency", expected_state=expected_state)
        from_state = transition_fire(application, "approve_by_agency", actor=actor,
                                     tracking_code=_new_tracking_code())
        record_step(application, actor=actor, action="approve_by_agency", from_state=from_state, reason=reason)
    return application


def application_reject_by_agency(*, actor, application_id, reason, expected_state=None):
    """Rejection by the agency on eligibility or justification (§9 step 3); ``reason`` is required
    (``RuleBroken`` on field ``reason`` without one)."""
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "reject_by_agency", expected_state=expected_state)
        reason = required_reason(reason)
        from_state = transition_fire(application, "reject_by_agency", actor=actor)
        record_step(application, actor=actor, action="reject_by_agency", from_state=from_state, reason=reason)
    return application


def application_return_by_agency(*, actor, application_id, reason, expected_state=None):
    """Return to the applicant for revision; ``reason`` is required."""
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "return_by_agency", expected_state=expected_state)
        reason = required_reason(reason)
        from_state = transition_fire(application, "return_by_agency", actor=actor)
        record_step(application, actor=actor, action="return_by_agency", from_state=from_state, reason=reason)
    return application


def application_resubmit(*, actor, application_id, reason="", expected_state=None):
    """The applicant sends the revised application back to the agency."""
    reason = normalize_text(reason)
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "resubmit", expected_state=expected_state)
        from_state = transition_fire(application, "resubmit", actor=actor)
        record_step(application, actor=actor, action="resubmit", from_state=from_state, reason=reason)
    return application


# --- the working group (§9 step 5) --------------------------------------------------------------

def application_start_working_group_review(*, actor, application_id, expected_state=None):
    """The working-group secretary opens the alignment review (§9 step 5)."""
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "start_working_group_review",
                                    expected_state=expected_state)
        from_state = transition_fire(application, "start_working_group_review", actor=actor)
        record_step(application, actor=actor, action="start_working_group_review", from_state=from_state)
    return application


def application_refer_to_bank(*, actor, application_id, bank, reason="", expected_state=None):
    """Refer to the agent bank of the secretary's choice. Raises ``RuleBroken`` (field ``bank``)
    when the bank does not act in the application's province."""
    reason = normalize_text(reason)
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "refer_to_bank", expected_state=expected_state)
        if not bank.provinces.filter(pk=application.province_id).exists():
            raise RuleBroken(_("این بانک عامل در این استان فعال نیست."), field="bank")
        from_state = transition_fire(application, "refer_to_bank", actor=actor, bank=bank)
        record_step(application, actor=actor, action="refer_to_bank", from_state=from_state, reason=reason,
                    data={"bank": bank.pk})
    return application


def application_reject_by_working_group(*, actor, application_id, reason, expected_state=None):
    """Rejection by the working group: not aligned with the priority sectors; ``reason`` is required."""
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "reject_by_working_group", expected_state=expected_state)
        reason = required_reason(reason)
        from_state = transition_fire(application, "reject_by_working_group", actor=actor)
        record_step(application, actor=actor, action="reject_by_working_group", from_state=from_state,
                    reason=reason)
    return application


def application_return_by_working_group(*, actor, application_id, reason, expected_state=None):
    """Return to the applicant; ``reason`` is required."""
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "return_by_working_group", expected_state=expected_state)
        reason = required_reason(reason)
        from_state = transition_fire(application, "return_by_working_group", actor=actor)
        record_step(application, actor=actor, action="return_by_working_group", from_state=from_state,
                    reason=reason)
    return application


# --- the bank's decision (§9 step 6) -------------------------------------------------------------

def application_start_bank_review(*, actor, application_id, expected_state=None):
    """The bank officer opens the feasibility review (§9 step 6)."""
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "start_bank_review", expected_state=expected_state)
        from_state = transition_fire(application, "start_bank_review", actor=actor)
        record_step(application, actor=actor, action="start_bank_review", from_state=from_state)
    return application


def application_approve_by_bank(*, actor, application_id, approved_loan_rials, reason="", expected_state=None,
                                now=None):
    """The bank approves a loan of ``approved_loan_rials`` rials (§9 step 6) and commits it against
    the province's and the economic sector's loan lines of the Jalali year of ``now`` (default
    now; ``budgets.services.budget_commit``).

    Raises ``RuleBroken`` on ``approved_loan_rials`` outside 1 … the requested amount, and on
    ``budget`` when either line has no allocation that year or too little left (the message
    names the line, what is left and what was asked). Nothing is written when it raises.
    """
    reason = normalize_text(reason)
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "approve_by_bank", expected_state=expected_state)
        if not 0 < approved_loan_rials <= application.requested_loan_rials:
            raise RuleBroken(_("مبلغ مصوب باید بیشتر از صفر و حداکثر برابر تسهیلات درخواستی باشد."),
                             field="approved_loan_rials")
        budget_commit(actor=actor, source=application, claim=budget_claim(application), fund=Fund.LOANS,
                      amount_rials=approved_loan_rials, at=now, reason=reason)
        from_state = transition_fire(application, "approve_by_bank", actor=actor,
                                     approved_loan_rials=approved_loan_rials)
        record_step(application, actor=actor, action="approve_by_bank", from_state=from_state, reason=reason,
                    data={"approved_loan_rials": approved_loan_rials})
    return application


def application_reject_by_bank(*, actor, application_id, reason, expected_state=None):
    """The bank refuses; ``reason`` is required."""
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "reject_by_bank", expected_state=expected_state)
        reason = required_reason(reason)
        from_state = transition_fire(application, "reject_by_bank", actor=actor)
        record_step(application, actor=actor, action="reject_by_bank", from_state=from_state, reason=reason)
    return application


def application_cancel_by_bank(*, actor, application_id, reason, expected_state=None, now=None):
    """The bank cancels an approved loan that never reached a contract (roles.md): the applicant
    never completed the documents, or the bank withdrew. ``reason`` is required. What the approval
    committed is released on its budget lines."""
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "cancel_by_bank", expected_state=expected_state)
        reason = required_reason(reason)
        released = budget_release(actor=actor, source=application, fund=Fund.LOANS, at=now, reason=reason)
        from_state = transition_fire(application, "cancel_by_bank", actor=actor)
        record_step(application, actor=actor, action="cancel_by_bank", from_state=from_state, reason=reason,
                    data={"released_rials": released[0].amount_rials if released else 0})
    return application


# --- the applicant ------------------------------------------------------------------------------

def application_withdraw(*, actor, application_id, reason="", expected_state=None):
    """The applicant withdraws before the bank decides (``workflow.WITHDRAWABLE_STATES``)."""
    reason = normalize_text(reason)
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "withdraw", expected_state=expected_state)
        from_state = transition_fire(application, "withdraw", actor=actor)
        record_step(application, actor=actor, action="withdraw", from_state=from_state, reason=reason)
    return application
