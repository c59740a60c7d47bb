"""Agencies publish calls for proposals (§9 step 1)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.services import audit_record_create
from common.errors import NotAllowed, RuleBroken
from common.normalization import normalize_text

from ..models import Call
from ..selectors import callable_sectors


def call_publish(*, actor, title, priority_sectors, opens_on, closes_on, description=""):
    """Publish a call (§9 step 1) for some of the agency's province's priority sectors, open from
    ``opens_on`` to ``closes_on`` (dates, inclusive). Returns the ``Call``.

    Raises ``NotAllowed`` unless ``actor`` is an agency officer, ``RuleBroken`` for no sector, a
    sector of another province or outside the agency's economic sectors, or dates out of order.
    """
    if not actor.has_role(Role.AGENCY_OFFICER) or actor.agency_id is None:
        raise NotAllowed()
    agency = actor.agency
    sectors = list(priority_sectors)
    if not sectors:
        raise RuleBroken(_("دست‌کم یک رسته را انتخاب کنید."), field="priority_sectors")
    allowed = set(callable_sectors(agency).values_list("pk", flat=True))
    if any(s.pk not in allowed for s in sectors):
        raise RuleBroken(_("رسته‌ها باید از رسته‌های اولویت‌دار همین استان و در حوزه این دستگاه باشند."),
                         field="priority_sectors")
    if closes_on < opens_on:
        raise RuleBroken(_("تاریخ پایان نباید پیش از تاریخ شروع باشد."), field="closes_on")
    with transaction.atomic():
        call = Call.objects.create(agency=agency, province_id=agency.province_id, title=normalize_text(title),
                                   description=normalize_text(description), opens_on=opens_on, closes_on=closes_on,
                                   published_by=actor)
        call.priority_sectors.set(sectors)
        audit_record_create(actor=actor, target=call, action="publish_call", to_state="published")
    return call
