"""What officers record against the timetable (§13, §14) in a province: a stage's progress, the
meetings the stages ask for, and evidence files.

Each service reads top to bottom: check the actor's role and scope, check the input, lock the
province × stage (its ``StageProgress`` row, created if missing, is the lock: two requests at once
leave one row and run one after the other), write, and record an ``AuditRecord``, all in one
transaction. Who may: the province's working-group secretary and ministry staff
(``monitoring.timetable.can_record``); a reader of the province who may not record gets
``NotAllowed``, a province outside the actor's scope ``NotFound`` (C17: checked here, whoever calls).
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.services import audit_record_create
from common.errors import Conflict, NotAllowed, NotFound, RuleBroken, StaleState
from common.files import stored_file_fields
from common.normalization import normalize_multiline, normalize_text
from programs import calendar
from programs.models import MeetingKind, Province, Stage

from .models import Meeting, StageEvidence, StageProgress
from .timetable import can_read_timetable, can_record, progress_version, provinces_visible_to

Status = StageProgress.Status

STALE = _("پیشرفت این مرحله در این فاصله تغییر کرده است. صفحه را دوباره بارگذاری کنید.")
TEXT_LIMITS = {"responsible_body": 300, "title": 300, "notes": 4000, "attendees": 4000, "minutes": 20000}


def _scope(actor, province_id, stage_id) -> tuple[Province, Stage]:
    """The province (in the actor's scope) and the stage, once the actor may record there."""
    if not can_read_timetable(actor):
        raise NotAllowed()
    province = provinces_visible_to(actor).filter(pk=province_id).first()
    if province is None:
        raise NotFound()
    if not can_record(actor, province):
        raise NotAllowed()
    stage = Stage.objects.filter(pk=stage_id).first()
    if stage is None:
        raise NotFound()
    return province, stage


def _locked_progress(province: Province, stage: Stage) -> tuple[StageProgress, bool]:
    """The province × stage progress row, locked until the transaction ends; ``True`` if this call
    created it. A concurrent creator waits on the unique index and then finds the row."""
    progress, created = StageProgress.objects.get_or_create(province=province, stage=stage)
    if not created:
        progress = StageProgress.objects.select_for_update().get(pk=progress.pk)
    return progress, created


MULTILINE = ("notes", "attendees", "minutes")


def _text(value, field: str, *, required: bool) -> str:
    text = normalize_multiline(value) if field in MULTILINE else normalize_text(value or "")
    if required and not text:
        raise RuleBroken(_("این بخش را پر کنید."), field=field)
    if len(text) > TEXT_LIMITS[field]:
        raise RuleBroken(_("متن بیش از حد بلند است."), field=field)
    return text


def _check_progress_dates(status: str, started_on, finished_on) -> None:
    """A stage not started has no dates; one in progress has a start and no finish; a done one
    has both; the finish is not before the start."""
    if status == Status.NOT_STARTED and (started_on or finished_on):
        raise RuleBroken(_("برای مرحله آغازنشده تاریخ آغاز یا پایان ثبت نمی‌شود."),
                         field="started_on" if started_on else "finished_on")
    if status in (Status.IN_PROGRESS, Status.DONE) and started_on is None:
        raise RuleBroken(_("تاریخ آغاز مرحله را وارد کنید."), field="started_on")
    if status == Status.IN_PROGRESS and finished_on is not None:
        raise RuleBroken(_("مرحله در حال انجام تاریخ پایان ندارد؛ وضعیت را «انجام‌شده» کنید."),
                         field="finished_on")
    if status == Status.DONE and finished_on is None:
        raise RuleBroken(_("تاریخ پایان مرحله را وارد کنید."), field="finished_on")
    if started_on and finished_on and finished_on < started_on:
        raise RuleBroken(_("تاریخ پایان نباید پیش از تاریخ آغاز باشد."), field="finished_on")
    calendar.check_recorded_day(started_on, field="started_on")
    calendar.check_recorded_day(finished_on, field="finished_on")


def stage_progress_update(*, actor, province_id: int, stage_id: int, status: str,
                          started_on: datetime.date | None = None, finished_on: datetime.date | None = None,
                          responsible_body: str = "", notes: str = "",
                          expected_version: str | None = None) -> StageProgress:
    """Record where ``province_id`` stands in ``stage_id`` (§13): status, start and finish dates
    (Gregorian), the responsible body, notes. Creates the row on first use; returns it.

    ``expected_version`` is the ``progress_version`` the actor saw (``""`` for no record yet);
    ``None`` skips the check. Raises ``NotAllowed``/``NotFound`` (role, scope), ``RuleBroken``
    (field named) for a bad status, dates out of order, after today, before the programme's start
    or not fitting the status, ``StaleState`` when the row changed since the actor saw it.
    """
    if status not in Status.values:
        raise RuleBroken(_("وضعیت انتخاب‌شده معتبر نیست."), field="status")
    responsible_body = _text(responsible_body, "responsible_body", required=False)
    notes = _text(notes, "notes", required=False)
    with transaction.atomic():
        province, stage = _scope(actor, province_id, stage_id)
        _check_progress_dates(status, started_on, finished_on)
        progress, created = _locked_progress(province, stage)
        if expected_version is not None and progress_version(progress) != expected_version:
            raise StaleState(STALE)
        from_state = "" if progress.updated_by_id is None else progress.status
        progress.status, progress.started_on, progress.finished_on = status, started_on, finished_on
        progress.responsible_body, progress.notes, progress.updated_by = responsible_body, notes, actor
        progress.save()
        audit_record_create(actor=actor, target=progress, action="stage_progress_update", from_state=from_state,
                            to_state=status, data={
                                "province": province.code, "stage": stage.number,
                                "started_on": started_on.isoformat() if started_on else None,
                                "finished_on": finished_on.isoformat() if finished_on else None,
                                "responsible_body": responsible_body, "created": created})
    return progress


def meeting_record(*, actor, province_id: int, stage_id: int, kind: str, held_on: datetime.date, title: str,
                   attendees: str, minutes: str) -> Meeting:
    """Record a meeting held for ``stage_id`` in ``province_id`` (§13: two meetings with provincial
    officials in stage 1, a public meeting in stages 4 and 6, monthly meetings in stage 8). Returns
    the ``Meeting``.

    Raises ``NotAllowed``/``NotFound`` (role, scope), ``RuleBroken`` (field named) for an unknown
    kind, a date after today or before the programme's start, an empty title, attendees or
    minutes; ``Conflict`` when the same meeting (kind, day and title) is already recorded, so a
    form sent twice records it once.
    """
    if kind not in MeetingKind.values:
        raise RuleBroken(_("نوع جلسه معتبر نیست."), field="kind")
    if not isinstance(held_on, datetime.date):
        raise RuleBroken(_("تاریخ برگزاری را وارد کنید."), field="held_on")
    title = _text(title, "title", required=True)
    attendees = _text(attendees, "attendees", required=True)
    minutes = _text(minutes, "minutes", required=True)
    with transaction.atomic():
        province, stage = _scope(actor, province_id, stage_id)
        calendar.check_recorded_day(held_on, field="held_on")
        _locked_progress(province, stage)
        if Meeting.objects.filter(province=province, stage=stage, kind=kind, held_on=held_on, title=title).exists():
            raise Conflict(_("این جلسه با همین نوع، تاریخ و موضوع پیش‌تر ثبت شده است."))
        meeting = Meeting.objects.create(province=province, stage=stage, kind=kind, held_on=held_on, title=title,
                                         attendees=attendees, minutes=minutes, recorded_by=actor)
        audit_record_create(actor=actor, target=meeting, action="meeting_record", data={
            "province": province.code, "stage": stage.number, "kind": kind, "held_on": held_on.isoformat()})
    return meeting


def stage_evidence_add(*, actor, province_id: int, stage_id: int, title: str, uploaded_file,
                       meeting_id: int | None = None) -> StageEvidence:
    """Attach a file that shows a stage's work in a province (minutes, documents), optionally of
    one of its meetings. The file is checked by content and size (``common.files``). Returns the
    ``StageEvidence``.

    Raises ``NotAllowed``/``NotFound`` (role, scope), ``RuleBroken`` for an empty title (``title``),
    a file that is not PDF/XLSX/DOCX/JPEG/PNG or is over 10 MB (``file``), or a meeting of another
    stage or province (``meeting``).
    """
    title = _text(title, "title", required=True)
    with transaction.atomic():
        province, stage = _scope(actor, province_id, stage_id)
        meeting = None
        if meeting_id is not None:
            meeting = Meeting.objects.filter(pk=meeting_id, province=province, stage=stage).first()
            if meeting is None:
                raise RuleBroken(_("این جلسه از همین مرحله و استان نیست."), field="meeting")
        _locked_progress(province, stage)
        evidence = StageEvidence.objects.create(province=province, stage=stage, meeting=meeting, title=title,
                                                uploaded_by=actor, **stored_file_fields(uploaded_file))
        audit_record_create(actor=actor, target=evidence, action="stage_evidence_add", data={
            "province": province.code, "stage": stage.number, "meeting": meeting.pk if meeting else None,
            "file": evidence.original_name, "sha256": evidence.sha256})
    return evidence
