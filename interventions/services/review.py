"""The agency's proposal and documents and the ministry's review of the §8 chain: propose (steps
1–2), submit or resubmit the execution documents (step 3), approve and announce to the province,
return, reject (step 4) and refer for funding (step 5).

Each service locks the intervention within the actor's scope, refuses a stale, impossible or
forbidden step (``steps.lock_for_step``), checks its input, fires the transition of
``interventions.workflow`` and records the audit row and the notices, in one transaction.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.workflow import required_reason, transition_fire
from common.errors import RuleBroken
from common.normalization import normalize_text

from ..models import FundingBody, Intervention, ResourceLine
from .content import ANALYSIS_FIELDS, DOCUMENT_FIELDS
from .steps import lock_for_step, record_step, simple_step


def _require_filled(intervention, names):
    """``RuleBroken`` on the first of the fields ``names`` that is empty, naming it."""
    for name in names:
        if not str(getattr(intervention, name) or "").strip():
            label = Intervention._meta.get_field(name).verbose_name
            raise RuleBroken(_("«%(label)s» را پیش از این اقدام تکمیل کنید.") % {"label": label}, field=name)


def _require_documents(intervention):
    """The execution documents complete (§8 step 3): the analysis and document fields filled, a
    timetable of at least one milestone and at least one resource line of the programme's grant."""
    _require_filled(intervention, ANALYSIS_FIELDS + DOCUMENT_FIELDS)
    if not intervention.milestones.exists():
        raise RuleBroken(_("زمان‌بندی اقدام دست‌کم یک گام لازم دارد."), field="milestones")
    if not intervention.resources.filter(source=ResourceLine.Source.PROGRAMME_GRANT).exists():
        raise RuleBroken(_("منابع اقدام باید دست‌کم یک ردیف «کمک بلاعوض برنامه» داشته باشد."), field="resources")


def intervention_propose(*, actor, intervention_id, expected_state=None, reason=""):
    """The agency's officer proposes the intervention once its sector's business system is
    analysed, zoned and its intervention points found (§8 steps 1–2). Returns it (``proposed``).

    Raises ``NotFound``, ``StaleState``, ``TransitionNotAllowed``, ``NotAllowed`` as every step;
    ``RuleBroken`` on the first empty field of ``business_system``, ``zoning``,
    ``intervention_points``.
    """
    return simple_step("propose", actor=actor, intervention_id=intervention_id, expected_state=expected_state,
                       reason=normalize_text(reason), check=lambda i: _require_filled(i, ANALYSIS_FIELDS))


def intervention_submit_documents(*, actor, intervention_id, expected_state=None, reason=""):
    """The agency's officer sends the execution documents to the ministry (§8 step 3). Returns the
    intervention (``documents_submitted``); ministry staff are told.

    Raises ``RuleBroken`` on the first empty field of the analysis and of the documents
    (``institution_structure``, ``ownership``, ``management``, ``expected_outputs``,
    ``indicators``), with no milestone (field ``milestones``) or no resource line of source
    ``programme_grant`` (field ``resources``); otherwise as every step.
    """
    return simple_step("submit_documents", actor=actor, intervention_id=intervention_id,
                       expected_state=expected_state, reason=normalize_text(reason), check=_require_documents)


def intervention_resubmit(*, actor, intervention_id, expected_state=None, reason=""):
    """The agency's officer sends the revised documents back to the ministry; checked as
    ``intervention_submit_documents``."""
    return simple_step("resubmit", actor=actor, intervention_id=intervention_id, expected_state=expected_state,
                       reason=normalize_text(reason), check=_require_documents)


def intervention_approve(*, actor, intervention_id, expected_state=None, reason=""):
    """Ministry staff approve the intervention plan and announce it to the province (§8 step 4).
    Returns it (``approved``); the agency, the province's managers and working-group secretary and
    the other ministry staff (who refer it) are told."""
    return simple_step("approve", actor=actor, intervention_id=intervention_id, expected_state=expected_state,
                       reason=normalize_text(reason))


def intervention_return_for_revision(*, actor, intervention_id, reason, expected_state=None):
    """Ministry staff send the documents back to the agency for revision; ``reason`` is required
    (``RuleBroken`` on field ``reason``). Returns the intervention (``returned``)."""
    with transaction.atomic():
        intervention = lock_for_step(actor, intervention_id, "return_for_revision", expected_state=expected_state)
        reason = required_reason(reason)
        from_state = transition_fire(intervention, "return_for_revision", actor=actor)
        record_step(intervention, actor=actor, action="return_for_revision", from_state=from_state, reason=reason)
    return intervention


def intervention_reject(*, actor, intervention_id, reason, expected_state=None):
    """Ministry staff reject the intervention; ``reason`` is required (``RuleBroken`` on field
    ``reason``). Returns it (``rejected``); the agency is told."""
    with transaction.atomic():
        intervention = lock_for_step(actor, intervention_id, "reject", expected_state=expected_state)
        reason = required_reason(reason)
        from_state = transition_fire(intervention, "reject", actor=actor)
        record_step(intervention, actor=actor, action="reject", from_state=from_state, reason=reason)
    return intervention


def intervention_refer_for_funding(*, actor, intervention_id, funding_body, expected_state=None, reason=""):
    """Ministry staff introduce the approved intervention with its documents to ``funding_body`` (a
    ``FundingBody``: the Deputy or an agent institution) for its resources (§8 step 5). Returns it
    (``referred``). Raises ``RuleBroken`` (field ``funding_body``) without a funding body."""

    def check(_intervention):
        if not isinstance(funding_body, FundingBody) or not funding_body.pk:
            raise RuleBroken(_("مرجع تأمین منابع را انتخاب کنید."), field="funding_body")

    return simple_step("refer_for_funding", actor=actor, intervention_id=intervention_id,
                       expected_state=expected_state, reason=normalize_text(reason), check=check,
                       data={"funding_body": getattr(funding_body, "pk", None)}, funding_body=funding_body)
