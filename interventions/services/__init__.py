"""Writes for development interventions (§8): the agency's content, every transition of the chain,
the milestones' reports and the grant's instalments.

Each transition service reads top to bottom:
- look the intervention up within the actor's scope and lock its row (``NotFound`` outside it);
- refuse a stale attempt (``expected_state`` differs: ``StaleState``), a step the state does not
  allow (``TransitionNotAllowed``) or the actor may not take (``NotAllowed``, C17), then input that
  breaks a rule (``RuleBroken``, its ``field`` naming the input);
- fire the django-fsm transition of ``interventions.workflow`` and save;
- write the step's own rows (a grant committed, an instalment paid, the rest released);
- record the audit row with the step's figures and tell the holders of the next step
  (``interventions.notifications``).
All of it in one transaction: a refusal writes nothing. Amounts are rials, dates
``datetime.date`` (Gregorian; "today" is Tehran's), periods the programme's two-month periods.
The errors are ``common.errors``'.

The modules: ``content`` (create, edit, milestones, resources, files), ``review`` (propose …
refer for funding), ``execution`` (start, milestones reported, evaluation), ``money`` (grant,
instalments, close), ``steps`` (the helpers they share). This package exports them all.
"""

from .content import (
    InterventionInput,
    intervention_create,
    intervention_file_add,
    intervention_update,
    milestone_add,
    milestone_remove,
    resource_add,
    resource_remove,
)
from .execution import intervention_evaluate, intervention_start_execution, milestone_report
from .money import grant_claim, instalment_pay, intervention_close, intervention_record_grant
from .review import (
    intervention_approve,
    intervention_propose,
    intervention_refer_for_funding,
    intervention_reject,
    intervention_resubmit,
    intervention_return_for_revision,
    intervention_submit_documents,
)

__all__ = [
    "InterventionInput",
    "grant_claim",
    "instalment_pay",
    "intervention_approve",
    "intervention_close",
    "intervention_create",
    "intervention_evaluate",
    "intervention_file_add",
    "intervention_propose",
    "intervention_record_grant",
    "intervention_refer_for_funding",
    "intervention_reject",
    "intervention_resubmit",
    "intervention_return_for_revision",
    "intervention_start_execution",
    "intervention_submit_documents",
    "intervention_update",
    "milestone_add",
    "milestone_remove",
    "milestone_report",
    "resource_add",
    "resource_remove",
]
