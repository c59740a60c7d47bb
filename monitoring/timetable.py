"""Who reads and records the programme's timetable (§13, §14), and the scoped reads of it: the
provinces a user may open, a province's stages with their progress, meetings and evidence, and
what each stage's required meetings come to.

The Gantt chart's rows and cells are built in ``monitoring.gantt``. Periods are the programme's
two-month periods (``programs.calendar``); dates are Gregorian ``date``s, shown in Jalali.
"""

import datetime
from dataclasses import dataclass, field

import jdatetime
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Role
from common.errors import NotAllowed, NotFound
from common.jalali import MONTH_NAMES
from common.normalization import to_persian_digits
from programs import calendar
from programs.models import Province, Stage

from .models import Meeting, StageEvidence, StageProgress
from .selectors import KALEH_ORDER

# Staff who follow the programme read its timetable (roles.md): ministry staff every province,
# provincial staff their own. Applicants, bank officers and system administrators (no business
# role) do not.
TIMETABLE_READERS = (Role.MINISTRY_STAFF, Role.AGENCY_OFFICER, Role.WORKING_GROUP_SECRETARY,
                     Role.PROVINCIAL_MANAGER)
# Who records a province's progress, meetings and evidence: its working-group secretary (roles.md:
# "record progress reports") and ministry staff.
TIMETABLE_WRITERS = (Role.MINISTRY_STAFF, Role.WORKING_GROUP_SECRETARY)


def can_read_timetable(user) -> bool:
    """Whether ``user`` may open the timetable pages at all (which provinces: ``provinces_visible_to``)."""
    return user.has_role(*TIMETABLE_READERS)


def can_record(user, province: Province) -> bool:
    """Whether ``user`` may record progress, meetings and evidence of ``province``."""
    if user.has_role(Role.MINISTRY_STAFF):
        return True
    return user.has_role(Role.WORKING_GROUP_SECRETARY) and user.province_id == province.pk


def provinces_visible_to(user) -> QuerySet:
    """The provinces whose timetable ``user`` may open: all for ministry staff, their own for
    provincial staff, none for anyone else."""
    if user.has_role(Role.MINISTRY_STAFF):
        return Province.objects.all()
    if user.has_role(*TIMETABLE_READERS) and user.province_id:
        return Province.objects.filter(pk=user.province_id)
    return Province.objects.none()


def province_get(user, code: str) -> Province:
    """The province of ISO code ``code`` (``IR-05``) if ``user`` may read its timetable.

    Raises ``NotAllowed`` for a user who reads no timetable, ``NotFound`` for a code that does not
    exist or a province outside the user's scope (the two answer the same).
    """
    if not can_read_timetable(user):
        raise NotAllowed()
    province = provinces_visible_to(user).filter(code=str(code).strip().upper()).first()
    if province is None:
        raise NotFound()
    return province


def kaleh_sorted(provinces) -> list[Province]:
    """Provinces in the order of the acronym KALEH, others after them by code."""
    def key(province):
        code = province.code
        return (KALEH_ORDER.index(code) if code in KALEH_ORDER else len(KALEH_ORDER), code)
    return sorted(provinces, key=key)


def stages_in_order() -> list[Stage]:
    """Every stage with its phase, by phase and then stage number (one query)."""
    return list(Stage.objects.select_related("phase").order_by("phase__number", "number"))


# --- one province's stages ---------------------------------------------------------------------

@dataclass(frozen=True)
class MonthCheck:
    """One Jalali month of a monthly-meetings stage and whether a meeting of its kind was held."""

    year: int
    month: int
    held: bool

    @property
    def label(self) -> str:
        return to_persian_digits(f"{MONTH_NAMES[self.month - 1]} {self.year}")


@dataclass
class StageRecord:
    """A stage as one province stands in it: its progress (``None`` if nothing was recorded),
    meetings (newest first), evidence files, and its required meetings."""

    stage: Stage
    progress: StageProgress | None
    meetings: list[Meeting] = field(default_factory=list)
    evidence: list[StageEvidence] = field(default_factory=list)
    months: list[MonthCheck] = field(default_factory=list)  # monthly stages only

    @property
    def status(self) -> str:
        return self.progress.status if self.progress else StageProgress.Status.NOT_STARTED

    @property
    def status_label(self) -> str:
        return StageProgress.Status(self.status).label

    @property
    def version(self) -> str:
        """What the progress form carries to detect a change made since the page was loaded."""
        return progress_version(self.progress)

    @property
    def required_held(self) -> int:
        """Meetings held of the kind the stage asks for."""
        return sum(1 for meeting in self.meetings if meeting.kind == self.stage.meeting_kind)

    @property
    def required_met(self) -> bool | None:
        """Whether the stage's counted meetings are held (``None`` when it asks for none)."""
        if self.stage.monthly_meetings:
            return bool(self.months) and all(month.held for month in self.months)
        if not self.stage.meetings_required:
            return None
        return self.required_held >= self.stage.meetings_required

    @property
    def months_held(self) -> int:
        return sum(1 for month in self.months if month.held)

    @property
    def months_missed(self) -> list[MonthCheck]:
        return [month for month in self.months if not month.held]


def progress_version(progress: StageProgress | None) -> str:
    """A progress row's version: ``""`` while nothing was recorded, else its last change's time
    (ISO). ``monitoring.services.stage_progress_update`` refuses a stale one (``StaleState``)."""
    if progress is None or progress.updated_by_id is None:
        return ""
    return progress.updated_at.isoformat()


def jalali_months(first: datetime.date, last: datetime.date) -> list[tuple[int, int]]:
    """The Jalali ``(year, month)`` pairs from ``first``'s month to ``last``'s, both included
    (empty when ``last`` is before ``first``)."""
    if last < first:
        return []
    start, end = jdatetime.date.fromgregorian(date=first), jdatetime.date.fromgregorian(date=last)
    months, index = [], start.year * 12 + start.month - 1
    while index <= end.year * 12 + end.month - 1:
        months.append(divmod(index, 12))
        index += 1
    return [(year, month + 1) for year, month in months]


def monthly_checks(stage: Stage, progress: StageProgress | None, meetings: list[Meeting], *,
                   start: datetime.date, today: datetime.date) -> list[MonthCheck]:
    """The months a monthly-meetings stage (§13 stage 8: monthly meetings of provincial officials)
    has run so far in a province, each with whether a meeting of the stage's kind was held in it.

    The stage runs from its recorded start (else its planned first period's first day, ``start``
    being the programme's start) to its recorded finish (else today).
    """
    first = (progress.started_on if progress and progress.started_on
             else calendar.period_start(stage.planned_first_period, start))
    last = progress.finished_on if progress and progress.finished_on else today
    held = set()
    for meeting in meetings:
        if meeting.kind == stage.meeting_kind:
            day = jdatetime.date.fromgregorian(date=meeting.held_on)
            held.add((day.year, day.month))
    return [MonthCheck(year, month, (year, month) in held) for year, month in jalali_months(first, last)]


def province_records(province: Province, *, stages: list[Stage] | None = None,
                     start: datetime.date | None = None, today: datetime.date | None = None) -> list[StageRecord]:
    """Each stage (``stages``, default ``stages_in_order()``) with ``province``'s progress, meetings
    and evidence, in four queries however many rows there are. Call it only for a province the
    user may read (``province_get``)."""
    stages = stages_in_order() if stages is None else stages
    start = calendar.programme_start() if start is None else start
    today = timezone.localdate() if today is None else today
    progress = {row.stage_id: row for row in
                StageProgress.objects.filter(province=province).select_related("updated_by")}
    meetings: dict[int, list[Meeting]] = {}
    for meeting in Meeting.objects.filter(province=province).select_related("recorded_by"):
        meetings.setdefault(meeting.stage_id, []).append(meeting)
    evidence: dict[int, list[StageEvidence]] = {}
    for item in StageEvidence.objects.filter(province=province).select_related("uploaded_by", "meeting"):
        evidence.setdefault(item.stage_id, []).append(item)
    records = []
    for stage in stages:
        record = StageRecord(stage, progress.get(stage.pk), meetings.get(stage.pk, []), evidence.get(stage.pk, []))
        if stage.monthly_meetings:
            record.months = monthly_checks(stage, record.progress, record.meetings, start=start, today=today)
        records.append(record)
    return records


def evidence_get(user, province: Province, evidence_id: int) -> StageEvidence:
    """One evidence file of ``province`` (already checked against ``user``'s scope by
    ``province_get``). Raises ``NotFound`` for another province's file or none."""
    if not can_read_timetable(user):
        raise NotAllowed()
    item = StageEvidence.objects.filter(pk=evidence_id, province=province).first()
    if item is None:
        raise NotFound()
    return item


# --- the region ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProvinceStanding:
    """One province's stages on the region page: how many are done, in progress and late."""

    province: Province
    done: int
    in_progress: int
    late: int
    readable: bool


def province_standings(user, *, stages: list[Stage], current: int) -> list[ProvinceStanding]:
    """Each province with its counts of stages done, in progress and late (planned last period
    before ``current`` and not done), and whether ``user`` may open its page. Two queries."""
    provinces = kaleh_sorted(Province.objects.all())
    readable = set(provinces_visible_to(user).values_list("pk", flat=True))
    status = {(row.province_id, row.stage_id): row.status
              for row in StageProgress.objects.only("province_id", "stage_id", "status")}
    done_label, ongoing_label = StageProgress.Status.DONE, StageProgress.Status.IN_PROGRESS
    standings = []
    for province in provinces:
        states = [status.get((province.pk, stage.pk)) for stage in stages]
        late = sum(1 for stage, state in zip(stages, states, strict=True)
                   if stage.planned_last_period < current and state != done_label)
        standings.append(ProvinceStanding(province, states.count(done_label), states.count(ongoing_label), late,
                                          province.pk in readable))
    return standings

