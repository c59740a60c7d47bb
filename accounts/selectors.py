"""Reads for accounts: audit records, the notifications of an object, and a user's staff notices."""

from django.contrib.contenttypes.models import ContentType

from common.errors import NotFound

from .models import AuditRecord, Notification, Role


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


def receives_notices(user) -> bool:
    """Staff notices are for staff (every role but applicants, who are told by SMS and email;
    roles.md, "Who is told"). False for an anonymous user."""
    return user.is_authenticated and user.role != Role.APPLICANT


def _portal_notices(user):
    return Notification.objects.filter(user=user, channel=Notification.Channel.PORTAL)


def unread_notice_count(user) -> int:
    """How many of ``user``'s staff notices (portal channel) are still unread: one ``COUNT``
    query; 0 without a query for an anonymous user (roles.md, "Who is told")."""
    if not user.is_authenticated:
        return 0
    return _portal_notices(user).filter(read_at__isnull=True).count()


def notices_for(user):
    """``user``'s staff notices (portal channel only; never anybody else's), newest first, the
    id last so pages are stable (``common.paging``). Empty for an anonymous user."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return _portal_notices(user).order_by("-created_at", "-id")


def notice_get(user, notice_id):
    """One of ``user``'s staff notices. Raises ``common.errors.NotFound`` for another user's notice,
    an email or SMS row, or one that does not exist: the three answer the same."""
    notice = notices_for(user).filter(pk=notice_id).first()
    if notice is None:
        raise NotFound()
    return notice
