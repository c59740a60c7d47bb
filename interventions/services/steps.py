"""The helpers every §8 step uses: lock and check, check rials, record the step.

The interventions' version of ``financing.services.steps`` (no webhooks: the banks' API knows
nothing of interventions)."""


from django.db import transaction
from django.utils import timezone

from accounts.services import audit_record_create
from accounts.workflow import transition_check, transition_fire
from common.errors import NotAllowed, RuleBroken, StaleState, TransitionNotAllowed

from ..notifications import intervention_notify
from ..selectors import intervention_get_for_update

# The largest amount a 64-bit rial column holds; more is refused before the database sees it.
MAX_RIALS = 2**63 - 1


def lock_for_step(actor, intervention_id, action, *, expected_state=None):
    """The intervention ``intervention_id``, its row locked, once ``actor`` may take transition
    ``action`` from its current state. Raises ``NotFound`` outside the actor's scope, then
    ``StaleState``, ``TransitionNotAllowed`` or ``NotAllowed`` (``accounts.workflow.transition_check``).
    Call inside the service's transaction."""
    intervention = intervention_get_for_update(actor, intervention_id)
    transition_check(intervention, action, actor=actor, expected_state=expected_state)
    return intervention


def lock_for_action(actor, intervention_id, *, permission, states, expected_state=None, message=None):
    """The intervention, its row locked, for a step that changes no state (an edit, a file, a
    milestone's report, an instalment): ``NotFound`` outside the actor's scope, ``StaleState`` when
    ``expected_state`` differs, ``NotAllowed`` unless ``permission(intervention, actor)``,
    ``TransitionNotAllowed`` (with ``message``) outside ``states``. Call inside the transaction."""
    intervention = intervention_get_for_update(actor, intervention_id)
    if expected_state is not None and intervention.state != expected_state:
        raise StaleState()
    if not permission(intervention, actor):
        raise NotAllowed()
    if intervention.state not in states:
        raise TransitionNotAllowed(message)
    return intervention


def check_rials(amount, *, field, message) -> int:
    """``amount`` as a positive whole number of rials that fits a 64-bit column; ``RuleBroken``
    with ``message`` on ``field`` otherwise (also for a non-integer or a boolean)."""
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_RIALS:
        raise RuleBroken(message, field=field)
    return amount


def intervention_touch(intervention, at=None):
    """Set ``updated_at`` of ``intervention`` (and of its row) to ``at`` (default now): every change
    of it or of its rows (milestones, resources, files, instalments) does."""
    intervention.updated_at = at or timezone.now()
    type(intervention).objects.filter(pk=intervention.pk).update(updated_at=intervention.updated_at)


def record_step(intervention, *, actor, action, from_state, reason="", data=None, notify=True, milestone=None,
                amount_rials=None):
    """Record step ``action`` of ``intervention`` (now in its new state; the same one for a step
    that changes none): the time of the change (``updated_at``), the audit row with the step's
    figures (``data``: rials, ISO dates, ids), then, if ``notify``, the notices to the holders of
    the next step (``interventions.notifications``), stored in the same transaction."""
    intervention_touch(intervention)
    record = audit_record_create(actor=actor, target=intervention, action=action, from_state=from_state,
                                 to_state=intervention.state, reason=reason, data=data or {})
    if notify:
        intervention_notify(intervention, event=action, from_state=from_state, reason=reason, actor=actor,
                            milestone=milestone, amount_rials=amount_rials)
    return record


def simple_step(action, *, actor, intervention_id, expected_state=None, reason="", check=None, data=None,
                **params):
    """Take transition ``action`` in one transaction: lock (``lock_for_step``), check the step's
    input rules (``check(intervention)``, which raises ``RuleBroken``), fire it with ``params``,
    record it with ``data`` (``record_step``). The shape of every step without rows of its own.
    Returns the intervention in its new state."""
    with transaction.atomic():
        intervention = lock_for_step(actor, intervention_id, action, expected_state=expected_state)
        if check is not None:
            check(intervention)
        from_state = transition_fire(intervention, action, actor=actor, **params)
        record_step(intervention, actor=actor, action=action, from_state=from_state, reason=reason,
                    data=data(intervention) if callable(data) else data)
    return intervention
