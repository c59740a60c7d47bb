"""Execution and evaluation of the §8 chain: the agency starts executing the funded intervention
(step 6) and reports each milestone of its timetable done with its evidence; the province's
provincial manager or ministry staff evaluate it once every milestone is done (step 7).
Instalments and closing are ``money``'s."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from common.errors import RuleBroken
from common.files import stored_file_fields
from common.normalization import normalize_multiline, normalize_text
from programs.calendar import check_recorded_day

from .. import permissions
from ..models import InterventionFile
from ..notifications import all_milestones_done
from ..workflow import InterventionState
from .content import milestone_of
from .steps import lock_for_action, record_step, simple_step

S = InterventionState
MAX_EVIDENCE_FILES = 10


def intervention_start_execution(*, actor, intervention_id, expected_state=None, reason=""):
    """The agency's officer starts executing the funded intervention on its approved timetable
    (§8 step 6). Returns it (``in_execution``). Raises as every step."""
    return simple_step("start_execution", actor=actor, intervention_id=intervention_id,
                       expected_state=expected_state, reason=normalize_text(reason))


def _checked_files(uploaded_files):
    """Every file checked before any is stored (a rollback removes rows, not files written):
    their ``StoredFile`` field values. ``RuleBroken`` on field ``files``."""
    uploaded_files = list(uploaded_files or [])
    if not uploaded_files:
        raise RuleBroken(_("دست‌کم یک مستند انجام گام را پیوست کنید."), field="files")
    if len(uploaded_files) > MAX_EVIDENCE_FILES:
        raise RuleBroken(_("حداکثر ۱۰ فایل برای هر گام پذیرفته می‌شود."), field="files")
    checked = []
    for uploaded in uploaded_files:
        try:
            checked.append(stored_file_fields(uploaded))
        except RuleBroken as error:
            raise RuleBroken(error.message, field="files") from None
    return checked


def milestone_report(*, actor, intervention_id, milestone_id, done_on, report, uploaded_files, expected_state=None):
    """The agency's officer reports milestone ``milestone_id`` done on ``done_on`` (a
    ``datetime.date``) with ``report`` and its evidence ``uploaded_files`` (§8 step 6). Returns the
    milestone. Ministry staff are told (an instalment may be paid), and the provincial managers too
    once every milestone is done (it may be evaluated).

    Raises ``NotFound`` outside the actor's scope or for another intervention's milestone,
    ``StaleState``, ``NotAllowed`` for anyone but the agency's officers, ``TransitionNotAllowed``
    unless in execution; ``RuleBroken`` for a milestone already reported (field ``milestone``), a
    day after Tehran's today or before the programme's start (field ``done_on``), an empty report
    (field ``report``), no evidence, more than 10 files or a bad file (field ``files``). Audit
    action ``report_milestone``.
    """
    report = normalize_multiline(report)
    with transaction.atomic():
        intervention = lock_for_action(actor, intervention_id, permission=permissions.is_agency_officer,
                                       states=(S.IN_EXECUTION,), expected_state=expected_state,
                                       message=_("انجام گام‌ها فقط در مرحله اجرا گزارش می‌شود."))
        milestone = milestone_of(intervention, milestone_id, lock=True)
        if milestone.is_done:
            raise RuleBroken(_("انجام این گام پیش‌تر گزارش شده است."), field="milestone")
        check_recorded_day(done_on, field="done_on", required=True)
        if not report:
            raise RuleBroken(_("گزارش انجام گام را بنویسید."), field="report")
        files = _checked_files(uploaded_files)
        milestone.done_on, milestone.report, milestone.reported_by = done_on, report, actor
        milestone.save(update_fields=["done_on", "report", "reported_by"])
        for fields in files:
            InterventionFile.objects.create(intervention=intervention, milestone=milestone,
                                            kind=InterventionFile.Kind.MILESTONE_EVIDENCE, uploaded_by=actor, **fields)
        record_step(intervention, actor=actor, action="report_milestone", from_state=intervention.state,
                    data={"milestone": milestone.pk, "done_on": done_on.isoformat(), "files": len(files)},
                    milestone=milestone)
    return milestone


def intervention_evaluate(*, actor, intervention_id, evaluation, expected_state=None, reason=""):
    """The province's provincial manager or ministry staff record the evaluation of the executed
    intervention (§8 step 7). Returns it (``evaluated``; counted as an institution formed, §11).

    Raises ``RuleBroken`` (field ``evaluation``) while a milestone is not reported done or for an
    empty evaluation; otherwise as every step.
    """
    evaluation = normalize_multiline(evaluation)

    def check(intervention):
        if not all_milestones_done(intervention):
            raise RuleBroken(_("ارزیابی پس از گزارش انجام همه گام‌های زمان‌بندی ممکن است."), field="evaluation")
        if not evaluation:
            raise RuleBroken(_("نتیجه ارزیابی را بنویسید."), field="evaluation")

    return simple_step("evaluate", actor=actor, intervention_id=intervention_id, expected_state=expected_state,
                       reason=normalize_text(reason), check=check, evaluation=evaluation,
                       data=lambda i: {"milestones": i.milestones.count()})
