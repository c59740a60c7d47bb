"""The timetable pages (§13, §14) for staff: the region (``/timetable/``) and one province
(``/timetable/<ISO code>/``), each with its Gantt chart; and the province's forms to record a
stage's progress, a meeting and an evidence file.

Views are thin: ``monitoring.timetable`` scopes the reads, ``monitoring.services`` checks the rules
and writes. Applicants, bank officers and system administrators get 403; another province's page
answers 404, like one that does not exist. A refused form comes back with what was typed and a
Persian message: 400 for bad input, 409 for a stale or repeated one.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from common.errors import NotAllowed, NotFound, ServiceError, error_to_form
from programs import calendar
from programs.models import Stage

from . import services
from .gantt import province_gantt, region_gantt
from .timetable import (
    StageRecord,
    can_read_timetable,
    can_record,
    evidence_get,
    province_get,
    province_records,
    province_standings,
    stages_in_order,
)
from .timetable_forms import EvidenceForm, MeetingForm, ProgressForm

SMALLINT_MAX = 32767  # a stage number beyond a small integer column is simply not found
BIGINT_MAX = 2**63 - 1


@dataclass
class StageSection:
    """One stage on the province page: its record and, for those who may record, its three forms
    (``open`` when one of them came back with an error)."""

    record: StageRecord
    planned: tuple[str, str]  # the Jalali months of the planned first and last periods
    forms: dict | None = None
    open: str = ""


@login_required
def timetable_region(request):
    """The region's timetable: the Gantt chart across the four provinces and each province's
    stages done, in progress and late, with a link to the provinces the user may open."""
    if not can_read_timetable(request.user):
        raise NotAllowed()
    start = calendar.programme_start()
    current = calendar.current_period(start)
    gantt = region_gantt(start=start, current=current)
    stages = [row.stage for group in gantt.groups for row in group.rows]
    return render(request, "monitoring/timetable.html", {
        "gantt": gantt,
        "standings": province_standings(request.user, stages=stages, current=current),
        "current_label": calendar.period_label(current, start) if current else "",
    })


def _province_page(request, province, *, bound=None, status=200):
    """Render the province page; ``bound`` is ``(stage pk, form name, form)`` of a refused form."""
    start = calendar.programme_start()
    current = calendar.current_period(start)
    stages = stages_in_order()
    records = province_records(province, stages=stages, start=start)
    gantt = province_gantt(province, stages=stages, start=start, current=current,
                           progress={r.stage.pk: r.progress for r in records if r.progress})
    may_record = can_record(request.user, province)
    sections = []
    for record in records:
        stage = record.stage
        section = StageSection(record, (calendar.period_label(stage.planned_first_period, start),
                                        calendar.period_label(stage.planned_last_period, start)))
        if may_record:
            section.forms = {"progress": ProgressForm(stage=stage, record=record),
                             "meeting": MeetingForm(stage=stage),
                             "evidence": EvidenceForm(stage=stage, meetings=record.meetings)}
            if bound and bound[0] == stage.pk:
                section.forms[bound[1]] = bound[2]
                section.open = bound[1]
        sections.append(section)
    return render(request, "monitoring/timetable_province.html", {
        "province": province,
        "gantt": gantt,
        "sections": sections,
        "may_record": may_record,
        "current_label": calendar.period_label(current, start) if current else "",
    }, status=status)


@login_required
def timetable_province(request, code):
    """One province's stages: status, dates, responsible body, meetings, required meetings met,
    evidence files, and the forms for those who may record (its secretary, ministry staff)."""
    return _province_page(request, province_get(request.user, code))


def _target(request, code, number):
    """The province (in scope) and stage of a form's URL, once the user may record there."""
    province = province_get(request.user, code)
    if not can_record(request.user, province):
        raise NotAllowed()
    stage = Stage.objects.filter(number=number).first() if 0 < number <= SMALLINT_MAX else None
    if stage is None:
        raise NotFound()
    return province, stage


def _submit(request, province, stage, name, form, service, done_message):
    """Run ``service`` with ``form``'s input; back to the page on success, or the page with the
    form and its error (400, or the refusal's status: 409 for a stale or repeated form)."""
    if form.is_valid():
        try:
            service(actor=request.user, province_id=province.pk, stage_id=stage.pk, **form.service_kwargs())
        except (NotFound, NotAllowed):
            raise
        except ServiceError as error:
            error_to_form(form, error, aliases={"uploaded_file": "file"})
            return _province_page(request, province, bound=(stage.pk, name, form), status=error.status)
        messages.success(request, done_message)
        return redirect(f"{reverse('monitoring:timetable_province', args=[province.code])}#stage-{stage.number}")
    return _province_page(request, province, bound=(stage.pk, name, form), status=400)


@login_required
@require_POST
def progress_update(request, code, number):
    """Record a stage's status, dates, responsible body and notes in the province."""
    province, stage = _target(request, code, number)
    return _submit(request, province, stage, "progress", ProgressForm(request.POST, stage=stage),
                   services.stage_progress_update, _("پیشرفت مرحله ثبت شد."))


@login_required
@require_POST
def meeting_record(request, code, number):
    """Record a meeting held for the stage in the province."""
    province, stage = _target(request, code, number)
    return _submit(request, province, stage, "meeting", MeetingForm(request.POST, stage=stage),
                   services.meeting_record, _("جلسه ثبت شد."))


@login_required
@require_POST
def evidence_add(request, code, number):
    """Upload an evidence file of the stage in the province (optionally of one of its meetings)."""
    province, stage = _target(request, code, number)
    meetings = list(stage.meetings.filter(province=province))
    form = EvidenceForm(request.POST, request.FILES, stage=stage, meetings=meetings)
    return _submit(request, province, stage, "evidence", form, services.stage_evidence_add,
                   _("مستند بارگذاری شد."))


@login_required
def evidence_download(request, code, pk):
    """An evidence file, only to those who may read its province's timetable (404 otherwise)."""
    province = province_get(request.user, code)
    if pk > BIGINT_MAX:
        raise NotFound()
    item = evidence_get(request.user, province, pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name,
                        content_type=item.content_type)
