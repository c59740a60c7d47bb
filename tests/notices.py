"""Reading the notifications queued about an application, and the audit rows they answer to."""

from accounts.models import AuditRecord, Notification
from financing import tracking
from financing.notifications import LRI, PDI

EMAIL = Notification.Channel.EMAIL
SMS = Notification.Channel.SMS


def notifications(application, channel=None):
    """The application's notification rows (of one ``channel`` if given), oldest first."""
    rows = Notification.objects.filter(object_id=application.pk, content_type__model="investmentapplication")
    return list((rows.filter(channel=channel) if channel else rows).order_by("id"))


def events(application, channel):
    """The events of the application's notifications on ``channel``, oldest first."""
    return [n.event for n in notifications(application, channel)]


def audit_actions(application):
    """The actions of the application's audit rows, oldest first, without added documents (which
    notify nobody)."""
    return list(AuditRecord.objects.filter(object_id=application.pk, content_type__model="investmentapplication")
                .exclude(action="add_document").order_by("id").values_list("action", flat=True))


def isolated_code(application):
    """The tracking code as the notices show it: ASCII digits in groups of four inside U+2066 … U+2069."""
    return LRI + tracking.grouped(application.tracking_code, persian=False) + PDI
