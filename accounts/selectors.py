"""Reads for accounts."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditRecord


def audit_records_for(target):
    """The audit records of ``target``, oldest first, with their actors."""
    return (
        AuditRecord.objects.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)
        .select_related("actor")
        .order_by("at", "id")
    )
