"""Scoped reads for development interventions (§8). Every query takes the user and returns only
what the user's role and scope allow (roles.md): an agency officer their agency's interventions, a
working-group secretary or provincial manager their province's, ministry staff all of them, anyone
else none. An object outside the scope is "not found" (404), never "forbidden".
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet, Sum

from accounts.models import Role
from accounts.selectors import audit_records_for
from common.errors import NotFound

from .models import Intervention, ResourceLine
from .workflow import INBOX_STATES, InterventionState

# What a row of a list shows besides the intervention's own columns; the detail page adds the rest.
LIST_RELATED = ("province", "agency", "priority_sector")
DETAIL_RELATED = ("province", "agency", "priority_sector", "priority_sector__economic_sector", "catalogue_entry",
                  "funding_body", "created_by")


def _scope_filter(user) -> Q | None:
    """The ``Q`` that limits interventions to the user's scope, or ``None`` for no access."""
    if not user.is_authenticated or not user.is_active:
        return None
    role = user.role
    if role == Role.AGENCY_OFFICER and user.agency_id:
        return Q(agency_id=user.agency_id)
    if role in (Role.WORKING_GROUP_SECRETARY, Role.PROVINCIAL_MANAGER) and user.province_id:
        return Q(province_id=user.province_id)
    if role == Role.MINISTRY_STAFF:
        return Q()
    return None


def interventions_visible_to(user) -> QuerySet:
    """Every intervention ``user`` may read, newest first (ending in the id), with what a list row
    shows (``LIST_RELATED``); none for a role without access (applicants, bank officers, system
    administrators, inactive accounts)."""
    scope = _scope_filter(user)
    if scope is None:
        return Intervention.objects.none()
    return Intervention.objects.filter(scope).select_related(*LIST_RELATED).order_by("-created_at", "-id")


def intervention_get(user, pk) -> Intervention:
    """The intervention ``pk`` if ``user`` may read it; raises ``NotFound`` otherwise (also for a
    ``pk`` that is not a number)."""
    try:
        return interventions_visible_to(user).select_related(*DETAIL_RELATED).get(pk=pk)
    except (Intervention.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def intervention_get_for_update(user, pk) -> Intervention:
    """As ``intervention_get`` but locks the row (``SELECT … FOR UPDATE``); call inside a
    transaction. Only the intervention's own row is locked (no joins in the FOR UPDATE)."""
    scope = _scope_filter(user)
    if scope is None:
        raise NotFound()
    try:
        ids = Intervention.objects.filter(scope).filter(pk=pk).values("pk")
        return Intervention.objects.select_for_update().get(pk__in=ids)
    except (Intervention.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def intervention_inbox(user) -> QuerySet:
    """What awaits ``user``'s action in their scope: the visible interventions in the states of
    ``workflow.INBOX_STATES[user.role]``, oldest state change first (first in, first out). None for
    a role without an inbox (the working-group secretary reads only)."""
    states = INBOX_STATES.get(user.role) if user.is_authenticated else None
    if not states:
        return Intervention.objects.none()
    return interventions_visible_to(user).filter(state__in=states).order_by("state_changed_at", "id")


def intervention_history(intervention):
    """The intervention's audit records, oldest first, with their actors."""
    return audit_records_for(intervention)


def requested_grant_rials(intervention) -> int:
    """The programme grant the intervention asks for (rials): the sum of its resource lines of
    source ``programme_grant`` (§8 step 3); 0 without any."""
    total = intervention.resources.filter(source=ResourceLine.Source.PROGRAMME_GRANT).aggregate(
        total=Sum("amount_rials"))["total"]
    return total or 0


@dataclass(frozen=True)
class GrantAmounts:
    """An intervention's grant in rials: ``granted`` (recorded by the ministry, §8 step 5), ``paid``
    (instalments against milestones, step 6), ``remaining`` (granted − paid, still committed on
    the budget lines; 0 once closed) and ``released`` (what closing gave back to the lines)."""

    granted: int
    paid: int
    remaining: int
    released: int = 0


def grant_amounts(intervention) -> GrantAmounts:
    """``GrantAmounts`` of ``intervention``; all 0 before the grant is recorded."""
    granted = intervention.grant_rials or 0
    paid = (intervention.instalments.aggregate(total=Sum("amount_rials"))["total"] or 0) if granted else 0
    if intervention.state == InterventionState.CLOSED:
        return GrantAmounts(granted=granted, paid=paid, remaining=0, released=granted - paid)
    return GrantAmounts(granted=granted, paid=paid, remaining=granted - paid)


def holders(intervention, role) -> QuerySet:
    """The active accounts of ``role`` in ``intervention``'s scope, in id order: the agency officers
    of its agency, the provincial managers or working-group secretaries of its province, or every
    ministry staff member. None for another role (roles.md, "Who is told")."""
    users = get_user_model().objects.filter(is_active=True, role=role).order_by("id")
    if role == Role.AGENCY_OFFICER:
        return users.filter(agency_id=intervention.agency_id)
    if role in (Role.PROVINCIAL_MANAGER, Role.WORKING_GROUP_SECRETARY):
        return users.filter(province_id=intervention.province_id)
    if role == Role.MINISTRY_STAFF:
        return users
    return users.none()
