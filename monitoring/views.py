"""Public pages of monitoring."""

from django.shortcuts import render

from programs import calendar
from sectors.permissions import can_create_priority_sector

from .coverage import institution_summary
from .gantt import region_gantt
from .selectors import programme_overview


def program_page(request):
    """The public programme page (no login): goals, Table 6, priority sectors, Table 8 (§3–§12),
    the institutions counted against their target (§11) and the region's timetable (§13, §14)."""
    overview = programme_overview()
    gantt = None
    if overview.programme:
        # The programme row and the provinces are already read: the chart costs one more query.
        start = overview.programme.start_date
        gantt = region_gantt(start=start, current=calendar.current_period(start),
                             province_count=len(overview.provinces))
    return render(request, "monitoring/program.html", {
        "overview": overview,
        "institutions": institution_summary(programme=overview.programme),
        "gantt": gantt,
        "current_label": calendar.period_label(gantt.current_period, gantt.start) if gantt and gantt.current_period
        else "",
        # Officers of a province get a link to add its priority sectors (§6; Lorestan has none).
        "editable_province_id": request.user.province_id if can_create_priority_sector(request.user) else None,
    })
