"""Writes for accounts: the audit record."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditRecord


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
