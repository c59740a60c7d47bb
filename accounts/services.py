"""Writes for accounts: the audit record and notifications to users."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .models import AuditRecord, Notification
from .sms import SmsError, get_sms_backend


class NotificationNotSent(Exception):
    """One try to send a notification failed; the row records why (``last_error``)."""


def audit_record_create(*, actor, target, action, from_state="", to_state="", reason="", data=None):
    """Record one state change of ``target`` by ``actor``. Call inside the change's transaction."""
    return AuditRecord.objects.create(
        actor=actor,
        actor_role=actor.role,
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
    )


def notification_queue(*, user, target, event, subject, body, sms_body=None):
    """Queue a message to ``user`` about ``target``: an email if the user has an address, an SMS
    (``sms_body``, or ``body``) if the user has a mobile number. Returns the new rows (0–2).

    Call inside the transaction of the change it reports. The rows are written in that transaction
    and the Celery task is scheduled with ``transaction.on_commit``: if the change rolls back, the
    rows go with it and nothing is sent; a send that fails later never undoes the change.
    ``event`` is the action code (``approve_by_agency``); texts are plain (already translated).
    """
    content_type = ContentType.objects.get_for_model(target)
    channels = []
    if user.email:
        channels.append((Notification.Channel.EMAIL, user.email, body))
    if user.mobile:
        channels.append((Notification.Channel.SMS, user.mobile, body if sms_body is None else sms_body))
    rows = [
        Notification.objects.create(user=user, channel=channel, recipient=recipient, subject=subject[:300],
                                    body=text, content_type=content_type, object_id=target.pk, event=event)
        for channel, recipient, text in channels
    ]
    for row in rows:
        # robust: a broker that cannot be reached is logged; the committed change stands.
        transaction.on_commit(_sender(row.pk), robust=True)
    return rows


def _sender(notification_id):
    from .tasks import notification_send  # the task module imports this one

    def send_notification():
        notification_send.delay(notification_id)

    return send_notification


def notification_deliver(*, notification_id, last_attempt=False):
    """Try once to send notification ``notification_id``: email through Django's email backend,
    SMS through ``settings.SMS_BACKEND``. A notification already sent is left alone.

    On success the row becomes ``sent`` with ``sent_at``. On failure the row keeps the error and
    the count of attempts, becomes ``failed`` if ``last_attempt`` (``queued`` otherwise, a retry
    being due), and ``NotificationNotSent`` is raised.
    """
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.status == Notification.Status.SENT:
        return notification
    notification.attempts += 1
    try:
        if notification.channel == Notification.Channel.EMAIL:
            EmailMessage(subject=notification.subject, body=notification.body,
                         from_email=settings.DEFAULT_FROM_EMAIL, to=[notification.recipient]).send()
            provider_message_id = ""
        else:
            provider_message_id = get_sms_backend().send(notification.recipient, notification.body)
    except (SmsError, OSError) as error:  # smtplib's errors are OSErrors
        notification.status = Notification.Status.FAILED if last_attempt else Notification.Status.QUEUED
        notification.last_error = f"{type(error).__name__}: {error}"[:2000]
        notification.save(update_fields=["attempts", "status", "last_error"])
        raise NotificationNotSent(notification.last_error) from error
    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    notification.provider_message_id = str(provider_message_id or "")[:100]
    notification.save(update_fields=["attempts", "status", "sent_at", "provider_message_id"])
    return notification
