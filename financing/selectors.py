"""Scoped reads for financing. Every query takes the user and returns only what the user's role
and scope allow (roles.md); an object outside the scope is "not found" (404), never "forbidden".
"""

from django.db.models import Q, QuerySet

from accounts.models import Role
from accounts.selectors import audit_records_for
from common import jalali
from common.errors import NotFound
from common.normalization import normalize_digits_only, search_key
from sectors.models import PrioritySector

from .models import Call, InvestmentApplication
from .permissions import bank_province_ids
from .workflow import INBOX_STATES


def _scope_filter(user) -> Q | None:
    """The ``Q`` that limits applications to the user's scope, or ``None`` for no access."""
    if not user.is_authenticated or not user.is_active:
        return None
    role = user.role
    if role == Role.APPLICANT:
        return Q(applicant__user=user)
    if role == Role.AGENCY_OFFICER and user.agency_id:
        return Q(agency_id=user.agency_id)
    if role in (Role.WORKING_GROUP_SECRETARY, Role.PROVINCIAL_MANAGER) and user.province_id:
        return Q(province_id=user.province_id)
    if role == Role.BANK_OFFICER and user.bank_id:
        scope = Q(bank_id=user.bank_id)
        provinces = bank_province_ids(user)
        return scope & Q(province_id__in=provinces) if provinces else scope
    if role == Role.MINISTRY_STAFF:
        return Q()
    return None


# What a row of an application list shows besides the application's own columns
# (templates/financing/application_list.html). Joining only these keeps a page cheap to plan and
# to read at 100,000 rows; the detail page joins the rest (DETAIL_RELATED).
LIST_RELATED = ("province", "priority_sector")
DETAIL_RELATED = ("applicant", "province", "county", "agency", "priority_sector", "economic_sector", "bank")


def applications_visible_to(user) -> QuerySet:
    """All applications the user may read, newest first, ending in a unique key, with what a list
    row shows (``LIST_RELATED``)."""
    scope = _scope_filter(user)
    if scope is None:
        return InvestmentApplication.objects.none()
    return (
        InvestmentApplication.objects.filter(scope)
        .select_related(*LIST_RELATED)
        .order_by("-submitted_at", "-id")
    )


# The orders an inbox offers: first in, first out (the default), or the priority score (§9,
# ``financing.priority``), highest first. Both end in the id, so a page is stable (common.paging),
# and both have an index per scope (InvestmentApplication.Meta.indexes).
INBOX_ORDERS = {
    "fifo": ("state_changed_at", "id"),
    "priority": ("-priority_score", "state_changed_at", "id"),
}


def application_inbox(user, order="fifo") -> QuerySet:
    """What awaits the user's action in their scope, in ``order``: ``"fifo"``, oldest state change
    first (first in, first out), or ``"priority"``, highest priority score first, then by id.
    An unknown ``order`` is ``"fifo"``."""
    states = INBOX_STATES.get(user.role)
    if not states:
        return applications_visible_to(user)
    ordering = INBOX_ORDERS.get(order, INBOX_ORDERS["fifo"])
    return applications_visible_to(user).filter(state__in=states).order_by(*ordering)


def application_get(user, pk) -> InvestmentApplication:
    """The application ``pk`` if the user may read it; raises ``NotFound`` otherwise (also for a
    ``pk`` that is not a number)."""
    try:
        return applications_visible_to(user).select_related(*DETAIL_RELATED).get(pk=pk)
    except (InvestmentApplication.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def application_get_for_update(user, pk) -> InvestmentApplication:
    """As ``application_get`` but locks the row (``SELECT … FOR UPDATE``); call inside a transaction."""
    scope = _scope_filter(user)
    if scope is None:
        raise NotFound()
    # Lock only the application's own row; joins in a FOR UPDATE would lock the reference rows too.
    try:
        ids = InvestmentApplication.objects.filter(scope).filter(pk=pk).values("pk")
        return InvestmentApplication.objects.select_for_update().get(pk__in=ids)
    except (InvestmentApplication.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def application_history(application):
    """The application's audit records, oldest first."""
    return audit_records_for(application)


def application_by_tracking_code(code):
    """The application with the canonical tracking ``code``, or ``None`` (public page: no scope,
    and the caller shows no personal data)."""
    return InvestmentApplication.objects.filter(tracking_code=code).first()


def calls_open_for_applicants(today):
    """Calls open on ``today``, with their agency and province."""
    return (
        Call.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .select_related("agency", "province")
        .prefetch_related("priority_sectors")
        .order_by("closes_on", "id")
    )


def calls_visible_to(user):
    """Calls an officer may manage: their agency's; all for ministry staff."""
    qs = Call.objects.select_related("agency", "province").order_by("-opens_on", "-id")
    if user.has_role(Role.MINISTRY_STAFF):
        return qs
    if user.has_role(Role.AGENCY_OFFICER):
        return qs.filter(agency_id=user.agency_id)
    if user.has_role(Role.WORKING_GROUP_SECRETARY, Role.PROVINCIAL_MANAGER):
        return qs.filter(province_id=user.province_id)
    return qs.none()


def callable_sectors(agency):
    """The priority sectors an agency may open calls for: its province's, in the economic sectors it
    covers (``EconomicSector.agencies``)."""
    return (PrioritySector.objects.filter(province_id=agency.province_id, economic_sector__agencies=agency)
            .order_by("source", "rank", "id"))


def applications_matching(queryset, query):
    """Narrow ``queryset`` to applications whose title or applicant's name contains ``query`` in any
    spelling (Arabic ي/ك, half-space or space, any digits; C11, C12), or whose tracking code
    contains its digits."""
    key = search_key(query)
    if not key:
        return queryset
    digits = normalize_digits_only(query)
    if digits.isdigit():
        return queryset.filter(Q(search_text__contains=key) | Q(tracking_code__contains=digits))
    return queryset.filter(search_text__contains=key)


def applications_submitted_in(queryset, year, month=None):
    """Applications submitted in Jalali ``year`` (and ``month``, 1–12), Tehran time (C04, C05)."""
    dates = jalali.month_dates(year, month) if month else jalali.year_dates(year)
    start, after = jalali.instants(dates)
    return queryset.filter(submitted_at__gte=start, submitted_at__lt=after)
