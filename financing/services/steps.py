"""The helpers every §9 step uses: lock and check, record the step (the reason check is
``accounts.workflow.required_reason``, shared with §8)."""

from django.utils import timezone

from accounts.services import audit_record_create
from accounts.workflow import transition_check

from ..notifications import application_notify
from ..selectors import application_get_for_update
from ..webhooks.services import webhook_events_queue


def lock_for_step(actor, application_id, action, *, expected_state=None):
    """The application ``application_id``, its row locked, once ``actor`` may take transition
    ``action`` from its current state. Raises ``NotFound`` outside the actor's scope, then
    ``StaleState``, ``TransitionNotAllowed`` or ``NotAllowed`` (``accounts.workflow.transition_check``).
    Call inside the service's transaction."""
    application = application_get_for_update(actor, application_id)
    transition_check(application, action, actor=actor, expected_state=expected_state)
    return application


def application_touch(application, at=None):
    """Set ``updated_at`` of ``application`` (and of the row in the database) to ``at`` (default
    now): every change of it or of its rows does, for the bank API's ``updated_since``."""
    application.updated_at = at or timezone.now()
    type(application).objects.filter(pk=application.pk).update(updated_at=application.updated_at)


def record_step(application, *, actor, action, from_state, reason="", data=None):
    """Record step ``action`` of ``application`` (now in its new state): the time of the change
    (``updated_at``), the audit row with the step's figures (``data``: rials, ISO dates), then the
    applicant's email and SMS, queued in the same transaction and sent only after it commits."""
    application_touch(application)
    audit_record_create(actor=actor, target=application, action=action, from_state=from_state,
                        to_state=application.state, reason=reason, data=data or {})
    webhook_events_queue(application, action=action, from_state=from_state)  # with its bank only
    application_notify(application, event=action, from_state=from_state, reason=reason)
