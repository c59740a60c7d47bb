"""Writes for accounts: the admin group of a role, the audit record, and notifications to users."""

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from common.errors import NotFound

from .models import ROLE_GROUPS, ROLE_PERMISSIONS, AuditRecord, Notification
from .selectors import notice_get
from .sms import SmsError, get_sms_backend


class NotificationNotSent(Exception):
    """One try to send a notification failed; the row records why (``last_error``)."""


def _app_models(apps, label):
    """The models of app ``label`` in ``apps``; none when a migration's registry lacks the app."""
    try:
        return apps.get_app_config(label).get_models()
    except LookupError:
        return []


def role_groups_sync(*, apps=global_apps, using="default"):
    """Create the admin group of each role (``ROLE_GROUPS``) and give it exactly the model
    permissions of ``ROLE_PERMISSIONS``; put the accounts of each role in its group. Idempotent.

    ``apps`` is a model registry: the project's, or a migration's historical one (models it does
    not have yet are skipped). Called by a data migration and after every ``migrate``, so a
    database flushed by a test run gets its groups back.
    """
    for app_config in apps.get_app_configs():
        # Django creates permissions after migrating; make sure they exist now.
        if app_config.label in {app for grants in ROLE_PERMISSIONS.values() for app, _model, _actions in grants}:
            # A migration's app configs have no models module; create_permissions skips those.
            models_module = getattr(app_config, "models_module", None)
            app_config.models_module = models_module or True
            create_permissions(app_config, verbosity=0, using=using, apps=apps)
            app_config.models_module = models_module
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    user_model = apps.get_model("accounts", "User")
    for role, name in ROLE_GROUPS.items():
        codenames = {
            (app, f"{action}_{model._meta.model_name}")
            for app, model_name, actions in ROLE_PERMISSIONS[name]
            for model in _app_models(apps, app)
            if model_name in (None, model._meta.model_name)
            for action in actions
        }
        permissions = [p for p in permission_model.objects.using(using).select_related("content_type")
                       if (p.content_type.app_label, p.codename) in codenames]
        group, _created = group_model.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)
        for user in user_model.objects.using(using).filter(role=role).exclude(groups=group):
            user.groups.add(group)


def user_role_group_sync(*, user):
    """Put ``user`` in the admin group of their role (``ROLE_GROUPS``: ministry staff, system
    administrators) and take them out of the other roles' groups. Their model permissions, and so
    what the admin shows them, come from that group. Other groups are left alone."""
    wanted = ROLE_GROUPS.get(user.role)
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLE_GROUPS.values())}
    user.groups.remove(*[group for name, group in groups.items() if name != wanted])
    if wanted in groups:
        user.groups.add(groups[wanted])


def audit_record_build(*, actor, target, action, from_state="", to_state="", reason="", data=None, at=None):
    """The audit record of one state change of ``target`` by ``actor``, not yet saved: who (and in
    which role), when (``at``, default now), the action code, the states, why, and the step's
    figures (``data``: rials, ISO dates). ``target`` may be unsaved (``object_id`` is then set by
    the caller once it has a key: the bulk demo loader)."""
    return AuditRecord(
        actor=actor,
        actor_role=actor.role,
        at=at or timezone.now(),
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
    )


def audit_record_create(*, actor, target, action, from_state="", to_state="", reason="", data=None):
    """Record one state change of ``target`` by ``actor``. Call inside the change's transaction.
    Returns the saved ``AuditRecord`` (see ``audit_record_build``)."""
    record = audit_record_build(actor=actor, target=target, action=action, from_state=from_state,
                                to_state=to_state, reason=reason, data=data)
    record.save()
    return record


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


def staff_notify(*, users, target, event, subject, body):
    """Tell staff ``users`` about ``target`` (roles.md, "Who is told"): a portal notice each, shown
    in the header's unread count until opened, plus an email where the account has an address
    (sent after commit, as ``notification_queue`` does). SMS is for applicants only. Inactive
    accounts are skipped. Returns the new rows.

    Call inside the transaction of the change it reports; ``event`` is the action code.
    """
    content_type = ContentType.objects.get_for_model(target)
    now = timezone.now()
    rows = []
    for user in users:
        if not user.is_active:
            continue
        rows.append(Notification.objects.create(
            user=user, channel=Notification.Channel.PORTAL, recipient=user.username, subject=subject[:300],
            body=body, content_type=content_type, object_id=target.pk, event=event,
            status=Notification.Status.SENT, sent_at=now))
        if user.email:
            email = Notification.objects.create(
                user=user, channel=Notification.Channel.EMAIL, recipient=user.email, subject=subject[:300],
                body=body, content_type=content_type, object_id=target.pk, event=event)
            rows.append(email)
            transaction.on_commit(_sender(email.pk), robust=True)
    return rows


def notice_mark_read(*, user, notice_id):
    """Mark ``user``'s staff notice ``notice_id`` read (now) and return it. Idempotent: a notice
    already read keeps its first ``read_at``. Only the owner's portal notices: another user's
    notice, an email or SMS row, or a missing one raises ``common.errors.NotFound``.

    One conditional ``UPDATE`` (so two opens at once set the time once) and one read.
    """
    if not user.is_authenticated:
        raise NotFound()
    Notification.objects.filter(pk=notice_id, user=user, channel=Notification.Channel.PORTAL,
                                read_at__isnull=True).update(read_at=timezone.now())
    return notice_get(user, notice_id)


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
