"""The institution coverage page ``/coverage/`` (§11): the whole region's grid of priority sectors
and their institutions, for programme staff."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.models import Role
from common.errors import NotAllowed

from .coverage import coverage_grid

# Aggregate programme data, the whole region for each of them; applicants, bank officers and
# system administrators (no business role, roles.md) do not read it.
COVERAGE_READERS = (Role.AGENCY_OFFICER, Role.WORKING_GROUP_SECRETARY, Role.PROVINCIAL_MANAGER, Role.MINISTRY_STAFF)


def can_read_coverage(user) -> bool:
    return user.has_role(*COVERAGE_READERS)


@login_required
def coverage_page(request):
    """The grid (economic sectors × provinces), the gaps and the count against the target of 24.
    403 for roles that do not read it; a fixed number of queries."""
    if not can_read_coverage(request.user):
        raise NotAllowed()
    return render(request, "monitoring/coverage.html", {"grid": coverage_grid(request.user)})
