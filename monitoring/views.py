"""Public pages of monitoring."""

from django.shortcuts import render

from sectors.permissions import can_create_priority_sector

from .selectors import programme_overview


def program_page(request):
    """The public programme page (no login): goals, Table 6, priority sectors, Table 8 (§3–§12)."""
    return render(request, "monitoring/program.html", {
        "overview": programme_overview(),
        # Officers of a province get a link to add its priority sectors (§6; Lorestan has none).
        "editable_province_id": request.user.province_id if can_create_priority_sector(request.user) else None,
    })
