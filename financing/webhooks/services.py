"""Writes of the webhooks: queue an application's event for its bank, re-send a failed delivery,
rotate an endpoint's secret.

An event is queued inside the transaction of the step that causes it and its task is scheduled
with ``transaction.on_commit``: a step that rolls back leaves no delivery and sends nothing, and a
delivery that fails later never undoes the step (like the applicant's notifications).
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.services import audit_record_create
from common.errors import Conflict, NotAllowed, NotFound

from ..workflow import ApplicationState
from .models import WebhookDelivery, WebhookEndpoint, new_secret
from .signing import event_body
from .tasks import webhook_deliver

REFERRED = "application.referred"
STATE_CHANGED = "application.state_changed"
UPDATED = "application.updated"
DOCUMENT_ADDED = "application.document_added"


def new_event_id() -> str:
    """A new event id: ``evt_`` and 32 hex digits of a random UUID."""
    return f"evt_{uuid.uuid4().hex}"


def event_type_for(action: str, from_state: str | None, to_state: str) -> str:
    """The event type of step ``action``: ``application.referred`` for the referral,
    ``application.state_changed`` when the state changed, ``application.updated`` for a step that
    kept it (a tranche that is not the last, a subsidy payment that is not the last)."""
    if action == "refer_to_bank":
        return REFERRED
    if from_state is not None and from_state == to_state:
        return UPDATED
    return STATE_CHANGED


def utc_iso(at: datetime.datetime) -> str:
    """``at`` as ISO 8601 in UTC with a ``Z``: ``2026-03-01T08:30:00.123456Z``."""
    return at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def application_event(application, *, event_id, event_type, action, from_state, at, extra=None) -> dict:
    """The event sent to the bank about ``application``: its ids, the new state (code and Persian
    label), the previous state, the action code and the time. No personal data beyond the tracking
    code; the bank reads the rest through the API. ``extra`` adds fields (a document's id and kind)."""
    with translation.override("fa"):
        state_label = str(ApplicationState(application.state).label)
    event = {
        "event_id": event_id,
        "type": event_type,
        "action": action,
        "application_id": application.pk,
        "tracking_code": application.tracking_code,
        "state": application.state,
        "state_label": state_label,
        "previous_state": from_state,
        "occurred_at": utc_iso(at),
    }
    event.update(extra or {})
    return event


def webhook_events_queue(application, *, action, from_state=None, event_type=None, at=None, extra=None):
    """Queue one event about ``application`` (its step ``action``, from ``from_state`` to its current
    state) for every active endpoint of its bank, each with its own event id; returns the new
    ``WebhookDelivery`` rows (none while the application is not with a bank).

    Call inside the step's transaction, after its audit record (``financing.services.steps.record_step``
    does for every §9 step). ``event_type`` defaults to ``event_type_for``; ``at`` (default now) is
    the event's time. The body is serialised here, once; those bytes are stored and later signed
    and sent as they are (C22). The delivery task is scheduled after commit.
    """
    if application.bank_id is None:
        return []
    endpoints = list(WebhookEndpoint.objects.filter(bank_id=application.bank_id, is_active=True).order_by("pk"))
    event_type = event_type or event_type_for(action, from_state, application.state)
    at = at or timezone.now()
    deliveries = []
    for endpoint in endpoints:
        event_id = new_event_id()
        body = event_body(application_event(application, event_id=event_id, event_type=event_type, action=action,
                                             from_state=from_state, at=at, extra=extra))
        delivery = WebhookDelivery.objects.create(endpoint=endpoint, event_id=event_id, event_type=event_type,
                                                  application=application, body=body, created_at=at)
        _schedule_on_commit(delivery.pk)
        deliveries.append(delivery)
    return deliveries


def _schedule_on_commit(delivery_id):
    # robust: a broker that cannot be reached is logged; the committed step stands and the
    # delivery stays pending, to be re-sent.
    transaction.on_commit(lambda: webhook_deliver.delay(delivery_id), robust=True)


def webhook_redeliver(*, actor, delivery_id):
    """Send failed delivery ``delivery_id`` again, with the same event id and body: it becomes
    ``pending`` with its count of attempts reset (so it gets the endpoint's ``max_attempts`` again;
    the earlier attempts stay in the log), and its task is scheduled after commit. Audited.

    Raises ``NotAllowed`` unless ``actor`` is ministry staff, ``NotFound`` for an unknown delivery,
    ``Conflict`` unless it is ``failed`` or when its endpoint is inactive.
    """
    if not actor.has_role(Role.MINISTRY_STAFF):
        raise NotAllowed()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().select_related("endpoint").filter(pk=delivery_id).first()
        if delivery is None:
            raise NotFound()
        if delivery.state != WebhookDelivery.State.FAILED:
            raise Conflict(_("فقط ارسالی که ناموفق شده است دوباره فرستاده می‌شود."))
        if not delivery.endpoint.is_active:
            raise Conflict(_("وب‌هوک این بانک غیرفعال است؛ نخست آن را فعال کنید."))
        delivery.state = WebhookDelivery.State.PENDING
        delivery.attempts = 0
        delivery.save(update_fields=["state", "attempts"])
        audit_record_create(actor=actor, target=delivery, action="webhook_redeliver",
                            from_state=WebhookDelivery.State.FAILED, to_state=WebhookDelivery.State.PENDING,
                            data={"event_id": delivery.event_id})
        _schedule_on_commit(delivery.pk)
    return delivery


def webhook_endpoint_rotate_secret(*, actor, endpoint_id):
    """Give endpoint ``endpoint_id`` a new signing secret (returned on the row); attempts from now
    on are signed with it. Audited, without the secret. Raises ``NotAllowed`` unless ``actor`` is
    ministry staff, ``NotFound`` for an unknown endpoint."""
    if not actor.has_role(Role.MINISTRY_STAFF):
        raise NotAllowed()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id).first()
        if endpoint is None:
            raise NotFound()
        endpoint.secret = new_secret()
        endpoint.save(update_fields=["secret"])
        audit_record_create(actor=actor, target=endpoint, action="webhook_rotate_secret")
    return endpoint
