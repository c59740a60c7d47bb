"""The timetable's Gantt chart (§14) as data: columns (the two-month periods), rows (the stages,
grouped by phase) and cells (planned, actual, today, beyond the plan), which
``templates/monitoring/_gantt.html`` draws as an HTML table (no script, no picture), so the pages
and the PDF reports show the same chart.

- Columns are the periods 1 … max(18, today's period, the last planned period); past the 18th they
  are "beyond the plan" (roles.md).
- The planned bar is the stage's ``planned_first_period`` … ``planned_last_period``.
- The actual bar, for a province, runs from the period of its ``started_on`` to that of its
  ``finished_on``, or to today's period while the stage is in progress; for the region, from the
  earliest start in any province to the latest finish, or to today's period while any province is
  still in it.
- A stage is late when its planned last period is before today's and it is not done (in the
  region: not done in every province).
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

import jdatetime
from django.db.models import Count, Max, Min, Q

from common.jalali import MONTH_NAMES
from programs import calendar
from programs.models import Phase, Province, Stage

from .models import StageProgress

DONE, IN_PROGRESS = StageProgress.Status.DONE, StageProgress.Status.IN_PROGRESS


@dataclass(frozen=True)
class Column:
    """One two-month period: its number, the Jalali year it starts in, its months (Persian)."""

    period: int
    year: int
    months: tuple[str, str]
    label: str
    is_current: bool
    beyond_plan: bool

    @property
    def css(self) -> str:
        return _classes("gantt-period", now=self.is_current, beyond=self.beyond_plan)


@dataclass(frozen=True)
class Span:
    """A header cell over ``span`` columns (a Jalali year; the plan or beyond it)."""

    value: int | str
    span: int


@dataclass(frozen=True)
class Cell:
    """One stage in one period: inside its planned bar, its actual bar, today's period, beyond the plan."""

    period: int
    planned: bool
    actual: bool
    is_current: bool
    beyond_plan: bool

    @property
    def css(self) -> str:
        return _classes("gantt-cell", planned=self.planned, actual=self.actual, now=self.is_current,
                        beyond=self.beyond_plan)


def _classes(base: str, **flags) -> str:
    return " ".join([base, *(f"gantt-{name}" for name, on in flags.items() if on)])


@dataclass
class Row:
    """One stage's row. ``status`` is the province's (province view); ``done`` of ``provinces`` is the
    region's count of provinces that finished it (region view)."""

    stage: Stage
    cells: list[Cell]
    actual_first: int | None
    actual_last: int | None
    running: bool  # the actual bar reaches today's period because the stage is still in progress
    late: bool
    status: str | None = None
    done: int = 0
    provinces: int = 0

    @property
    def status_label(self) -> str:
        return StageProgress.Status(self.status).label if self.status else ""


@dataclass
class PhaseGroup:
    phase: Phase
    rows: list[Row] = field(default_factory=list)

    @property
    def uncertain(self) -> bool:
        """Whether the seed's copy leaves the phase of any of its stages unsure (stages 6–9)."""
        return any(row.stage.phase_is_uncertain for row in self.rows)


@dataclass
class Gantt:
    """The whole chart: ``province`` is ``None`` for the region (then ``province_count`` counts them)."""

    columns: list[Column]
    years: list[Span]
    plan: list[Span]  # «the plan» over periods 1–18, «beyond the plan» over the rest
    groups: list[PhaseGroup]
    current_period: int
    start: datetime.date
    province: Province | None = None
    province_count: int = 0

    @property
    def width(self) -> int:
        """Columns of the table: the stage column and one per period."""
        return len(self.columns) + 1

    @property
    def is_region(self) -> bool:
        return self.province is None

    @property
    def plan_end(self) -> datetime.date:
        """The last day of the plan's 18th period (31 Khordad 1401 from the seed's start)."""
        return calendar.period_end(calendar.PLAN_PERIODS, self.start)

    @property
    def current_beyond_plan(self) -> bool:
        return calendar.is_beyond_plan(self.current_period)

    @property
    def phase_uncertain(self) -> bool:
        return any(group.uncertain for group in self.groups)

    @property
    def plan_assumed(self) -> bool:
        """Whether any stage's planned periods are still our assumption (the seed's bars are lost)."""
        return any(row.stage.plan_is_assumption for group in self.groups for row in group.rows)


def _columns(count: int, current: int, start: datetime.date) -> list[Column]:
    columns = []
    for n in range(1, count + 1):
        first, last = calendar.period_start(n, start), calendar.period_end(n, start)
        first_j, last_j = jdatetime.date.fromgregorian(date=first), jdatetime.date.fromgregorian(date=last)
        columns.append(Column(n, first_j.year, (MONTH_NAMES[first_j.month - 1], MONTH_NAMES[last_j.month - 1]),
                              calendar.period_label(n, start), n == current, calendar.is_beyond_plan(n)))
    return columns


def _header(columns: list[Column]) -> tuple[list[Span], list[Span]]:
    years = [Span(year, len(list(group))) for year, group in groupby(columns, key=lambda c: c.year)]
    plan = [Span("plan", sum(1 for c in columns if not c.beyond_plan))]
    beyond = sum(1 for c in columns if c.beyond_plan)
    if beyond:
        plan.append(Span("beyond", beyond))
    return years, plan


def _build(stages, actuals, *, start, current, province=None, province_count=0) -> Gantt:
    """``actuals`` maps a stage's pk to ``(first, last, running, done, status, late)``."""
    last_needed = max([calendar.PLAN_PERIODS, current]
                      + [stage.planned_last_period for stage in stages]
                      + [a[1] for a in actuals.values() if a[1]])
    columns = _columns(last_needed, current, start)
    years, plan = _header(columns)
    groups: list[PhaseGroup] = []
    for stage in stages:
        first, last, running, done, status, late = actuals[stage.pk]
        cells = [Cell(c.period, stage.planned_first_period <= c.period <= stage.planned_last_period,
                      first is not None and last is not None and first <= c.period <= last,
                      c.is_current, c.beyond_plan) for c in columns]
        if not groups or groups[-1].phase.pk != stage.phase_id:
            groups.append(PhaseGroup(stage.phase))
        groups[-1].rows.append(Row(stage, cells, first, last, running, late, status=status, done=done,
                                   provinces=province_count))
    return Gantt(columns, years, plan, groups, current, start, province, province_count)


def _period(day, start) -> int | None:
    # A date before the programme's start (refused by the services) still draws in period 1.
    return max(1, calendar.period_of(day, start)) if day else None


def region_gantt(*, start: datetime.date | None = None, current: int | None = None,
                 province_count: int | None = None) -> Gantt:
    """The region's chart: every stage with its actual bar across the provinces and how many
    provinces finished it. ``start`` defaults to the programme's, ``current`` to today's period,
    ``province_count`` to the number of provinces. One query for the stages and their progress
    (plus one for each default not given). Public aggregate data: no user scope."""
    start = calendar.programme_start() if start is None else start
    current = calendar.current_period(start) if current is None else current
    province_count = Province.objects.count() if province_count is None else province_count
    stages = list(Stage.objects.select_related("phase").order_by("phase__number", "number").annotate(
        first_start=Min("progress__started_on"),
        last_finish=Max("progress__finished_on"),
        done_count=Count("progress", filter=Q(progress__status=DONE)),
        running_count=Count("progress", filter=Q(progress__status=IN_PROGRESS)),
    ))
    actuals = {}
    for stage in stages:
        first, running = _period(stage.first_start, start), stage.running_count > 0
        last = current if running and first else _period(stage.last_finish, start)
        late = stage.planned_last_period < current and stage.done_count < province_count
        actuals[stage.pk] = (first, last, running, stage.done_count, None, late)
    return _build(stages, actuals, start=start, current=current, province_count=province_count)


def province_gantt(province: Province, *, stages: list[Stage] | None = None,
                   progress: dict[int, StageProgress] | None = None, start: datetime.date | None = None,
                   current: int | None = None) -> Gantt:
    """One province's chart. ``stages`` (with their phases, in order) and ``progress`` (the
    province's rows by stage pk) are read when not given (two queries). Call it only for a province
    the user may read (``monitoring.timetable.province_get``)."""
    start = calendar.programme_start() if start is None else start
    current = calendar.current_period(start) if current is None else current
    if stages is None:
        stages = list(Stage.objects.select_related("phase").order_by("phase__number", "number"))
    if progress is None:
        progress = {row.stage_id: row for row in StageProgress.objects.filter(province=province)}
    actuals = {}
    for stage in stages:
        row = progress.get(stage.pk)
        status = row.status if row else StageProgress.Status.NOT_STARTED
        first = _period(row.started_on, start) if row else None
        running = status == IN_PROGRESS and first is not None
        last = current if running else (_period(row.finished_on, start) if row else None)
        if status == DONE and last is None:
            last = first
        late = stage.planned_last_period < current and status != DONE
        actuals[stage.pk] = (first, last, running, int(status == DONE), status, late)
    return _build(stages, actuals, start=start, current=current, province=province, province_count=1)
