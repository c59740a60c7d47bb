"""The institutions of §11 against the plan: how many are formed or developed (the target is 24 in
the four provinces), and the coverage grid of «at least one development institution per priority
sector per province».

An institution is an intervention that creates or develops one (``creates_institution``). It is
*counted* once evaluated or closed (``interventions.workflow.COUNTED_STATES``) and in the
*pipeline* while approved and not yet evaluated (``PIPELINE_STATES``). Aggregate programme data:
no user scope. Both selectors run a fixed number of queries, whatever the number of rows.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from interventions.models import Intervention
from interventions.workflow import COUNTED_STATES, PIPELINE_STATES
from programs.models import Programme, Province
from sectors.models import EconomicSector, PrioritySector

from .selectors import KALEH_ORDER

# Why a whole province column is a gap (Lorestan in the seed: Tables 1–4 give it no priority sector).
NO_PRIORITY_SECTORS = _("برای این استان رسته اولویت‌داری ثبت نشده است؛ پوشش رسته‌ها سنجیدنی نیست.")


@dataclass(frozen=True)
class InstitutionSummary:
    """§11's institutions: ``counted`` (evaluated or closed), ``pipeline`` (approved, not yet
    evaluated) and the programme's ``target`` (24; ``None`` before the programme is loaded)."""

    counted: int
    pipeline: int
    target: int | None
    # Table 7 words the same target as «at least 24 institutions or development actions»: the
    # counted interventions of either kind, shown beside §11's figure (the seed's two readings).
    counted_with_actions: int = 0

    @property
    def percent(self) -> int | None:
        """Counted as a whole percentage of the target, at most 100; ``None`` without a target."""
        if not self.target:
            return None
        return min(100, self.counted * 100 // self.target)

    @property
    def remaining(self) -> int | None:
        """Institutions still to count to reach the target (0 once reached)."""
        return None if self.target is None else max(0, self.target - self.counted)


@dataclass(frozen=True)
class SectorCoverage:
    """One priority sector of a province and its institutions (numbers of interventions)."""

    priority_sector: PrioritySector
    counted: int = 0
    pipeline: int = 0

    @property
    def is_covered(self) -> bool:
        return self.counted > 0

    @property
    def is_gap(self) -> bool:
        """No counted institution yet (whether or not one is in the pipeline)."""
        return self.counted == 0


@dataclass
class Cell:
    """One province × economic sector: the province's priority sectors in that sector."""

    province: Province
    economic_sector: EconomicSector
    sectors: list[SectorCoverage] = field(default_factory=list)
    # The whole province has no priority sector (the column is a gap).
    province_without_sectors: bool = False

    @property
    def total(self) -> int:
        return len(self.sectors)

    @property
    def covered(self) -> int:
        """Priority sectors with at least one counted institution."""
        return sum(s.is_covered for s in self.sectors)

    @property
    def pipeline_only(self) -> int:
        """Priority sectors with institutions only in the pipeline."""
        return sum(s.is_gap and s.pipeline > 0 for s in self.sectors)

    @property
    def uncovered(self) -> int:
        """Priority sectors with no counted institution (pipeline ones included)."""
        return sum(s.is_gap for s in self.sectors)

    @property
    def is_gap(self) -> bool:
        return self.province_without_sectors or self.uncovered > 0


@dataclass
class ProvinceColumn:
    """A province of the grid: its number of priority sectors, and a gap for the whole column when
    it has none (with the reason)."""

    province: Province
    priority_sectors: int
    is_own: bool = False  # the viewer's province

    @property
    def is_gap(self) -> bool:
        return self.priority_sectors == 0

    @property
    def reason(self):
        return NO_PRIORITY_SECTORS if self.is_gap else ""


@dataclass
class GridRow:
    economic_sector: EconomicSector
    cells: list[Cell]


@dataclass(frozen=True)
class Gap:
    """A priority sector of a province with no counted institution; ``pipeline`` counts the ones on
    the way."""

    province: Province
    priority_sector: PrioritySector
    pipeline: int


@dataclass
class CoverageGrid:
    """The grid (rows: economic sectors in Table 8 order; columns: provinces in KALEH order), the
    gaps (province × priority sector), the provinces with no priority sector, and the summary."""

    provinces: list[ProvinceColumn]
    rows: list[GridRow]
    gaps: list[Gap]
    summary: InstitutionSummary

    @property
    def provinces_without_sectors(self) -> list[ProvinceColumn]:
        return [column for column in self.provinces if column.is_gap]


def _province_key(province: Province):
    """KALEH order (Kermanshah, Ilam, Lorestan, Hamadan), other provinces after by code."""
    code = province.code
    return (KALEH_ORDER.index(code) if code in KALEH_ORDER else len(KALEH_ORDER), code)


def _target() -> int | None:
    return Programme.objects.order_by("pk").values_list("institutions_target", flat=True).first()


_UNREAD = object()


def institution_summary(*, programme=_UNREAD) -> InstitutionSummary:
    """§11's institutions for the public ``/program/`` page: counted, pipeline and the target, in
    two queries; one when the caller passes the ``Programme`` row it has already read (or
    ``None`` when there is none)."""
    institution = Q(creates_institution=True)
    totals = Intervention.objects.aggregate(
        counted=Count("id", filter=institution & Q(state__in=COUNTED_STATES)),
        pipeline=Count("id", filter=institution & Q(state__in=PIPELINE_STATES)),
        counted_with_actions=Count("id", filter=Q(state__in=COUNTED_STATES)))
    target = _target() if programme is _UNREAD else (programme.institutions_target if programme else None)
    return InstitutionSummary(counted=totals["counted"], pipeline=totals["pipeline"], target=target,
                              counted_with_actions=totals["counted_with_actions"])


def coverage_grid(user=None) -> CoverageGrid:
    """The §11 coverage grid of the whole region (aggregate data, the same for every reader; the
    ``user``'s province, if any, is marked ``is_own``), in five queries.

    A cell is a gap when one of its priority sectors has no counted institution; every cell of a
    province without priority sectors is a gap (``NO_PRIORITY_SECTORS``). A cell with no priority
    sector in a province that has some is not a gap: nothing is asked of it.
    """
    provinces = sorted(Province.objects.all(), key=_province_key)
    economic_sectors = list(EconomicSector.objects.order_by("row"))
    priority_sectors = list(PrioritySector.objects.order_by("province_id", "source", "rank", "id"))
    institution = Q(creates_institution=True)
    counts = {
        row["priority_sector_id"]: row
        for row in Intervention.objects.filter(state__in=(*COUNTED_STATES, *PIPELINE_STATES))
        .order_by().values("priority_sector_id").annotate(
            counted=Count("id", filter=institution & Q(state__in=COUNTED_STATES)),
            pipeline=Count("id", filter=institution & Q(state__in=PIPELINE_STATES)),
            counted_with_actions=Count("id", filter=Q(state__in=COUNTED_STATES)))
    }

    own_province_id = getattr(user, "province_id", None)
    cells: dict[tuple[int, int], list[SectorCoverage]] = {}
    per_province: dict[int, list[SectorCoverage]] = {}
    for sector in priority_sectors:
        found = counts.get(sector.pk, {})
        item = SectorCoverage(sector, found.get("counted", 0), found.get("pipeline", 0))
        cells.setdefault((sector.province_id, sector.economic_sector_id), []).append(item)
        per_province.setdefault(sector.province_id, []).append(item)

    columns = [ProvinceColumn(p, len(per_province.get(p.pk, [])), is_own=p.pk == own_province_id) for p in provinces]
    rows = [
        GridRow(economic, [
            Cell(column.province, economic, cells.get((column.province.pk, economic.pk), []),
                 province_without_sectors=column.is_gap)
            for column in columns
        ])
        for economic in economic_sectors
    ]
    gaps = [Gap(column.province, item.priority_sector, item.pipeline)
            for column in columns for item in per_province.get(column.province.pk, []) if item.is_gap]
    summary = InstitutionSummary(
        counted=sum(row["counted"] for row in counts.values()),
        pipeline=sum(row["pipeline"] for row in counts.values()),
        target=_target(),
        counted_with_actions=sum(row["counted_with_actions"] for row in counts.values()),
    )
    return CoverageGrid(provinces=columns, rows=rows, gaps=gaps, summary=summary)
