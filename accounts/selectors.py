"""Reads for accounts."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditRecord, Notification


def audit_records_for(target):
    """The audit records of ``target``, oldest first, with their actors."""
    return (
        AuditRecord.objects.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)
        .select_related("actor")
        .order_by("at", "id")
    )


def notifications_for(user, target):
    """The notifications sent to ``user`` about ``target``, oldest first (one query; none of
    anybody else's)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
    ).order_by("created_at", "id")
