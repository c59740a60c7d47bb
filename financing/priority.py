"""The §9 priority score of an investment application, and the cost-per-job warning (§10).

§9 says who comes first: existing units, and projects for working capital, expansion or over 60 %
physical progress. The issue adds jobs per rial and the priority sector's rank. The score is the
sum of four parts, each an integer number of points, 0–100 in all:

- ``existing_unit``: ``WEIGHTS.existing_unit`` (40) for an existing unit, else 0;
- ``kind_or_progress``: ``WEIGHTS.kind_or_progress`` (20) for working capital, expansion or
  completion, or a physical progress over 60 %, else 0;
- ``jobs``: up to ``WEIGHTS.jobs_max`` (25), in proportion to the planned jobs (new + retained)
  per rial requested, measured against the programme's 551,000,000 rials per job (§10): full
  marks at ``WEIGHTS.jobs_full_marks_ratio`` (2) times the programme's jobs per rial (about 3.63
  jobs per billion rials, 275,500,000 rials a job); exactly the programme's figure (about 1.81 jobs
  per billion) scores 13; rounded half-up;
- ``sector``: ``WEIGHTS.sector_max`` (15) for the sector ranked 1 in its own seed table, one point
  less for each rank below it, never below 0. A sector an officer entered (source ``officer``)
  ranks after the seed's: its effective rank is the largest seed rank among its province's seed
  tables plus its own rank (Ilam's Tables 2 and 3 are each ranked from 1, so its first officer
  sector ranks 6; Lorestan has no seed table, so its officer ranks count as they are).

The weights live in ``WEIGHTS`` and nowhere else. The score and its parts are stored on the
application (``priority_score``, ``priority_parts``) when it is built for submission
(``services.applications.application_build``) and recomputed by ``priority_scores_refresh``: for a
province whenever one of its priority sectors is saved (``priority_sector_saved``, connected in
``apps.FinancingConfig.ready``), and for everything from a data migration.
"""

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q

from sectors.models import PrioritySector

from .models import InvestmentApplication

# §10: (3,000 + 32,626 + 1,000) × 10⁹ / 66,465 ≈ 551.06 × 10⁶ rials per job, as the seed rounds it.
COST_PER_JOB_RIALS = 551_000_000
OFFICER = PrioritySector.Source.OFFICER.value
REFRESH_BATCH = 1_000  # rows per UPDATE when scores are recomputed


@dataclass(frozen=True)
class PriorityWeights:
    """The points of each part of the priority score; their maxima add up to 100."""

    existing_unit: int = 40
    kind_or_progress: int = 20
    jobs_max: int = 25
    sector_max: int = 15
    # The jobs part reaches ``jobs_max`` at this multiple of the programme's jobs per rial.
    jobs_full_marks_ratio: int = 2
    # The programme's rials per job the jobs part is measured against (§10).
    reference_rials_per_job: int = COST_PER_JOB_RIALS
    # Over this physical progress (percent) a project counts as nearly complete (§9).
    progress_over_percent: int = 60
    priority_kinds: tuple = ("working_capital", "expansion", "completion")


WEIGHTS = PriorityWeights()


@dataclass(frozen=True)
class Priority:
    """A score's parts in points, and what they were computed from: ``jobs_per_billion`` (planned
    jobs per billion rials requested, 2 decimals) and ``sector_rank`` (the effective rank)."""

    existing_unit: int
    kind_or_progress: int
    jobs: int
    sector: int
    jobs_per_billion: float
    sector_rank: int

    @property
    def score(self) -> int:
        return self.existing_unit + self.kind_or_progress + self.jobs + self.sector

    def parts(self) -> dict:
        """The parts as ``InvestmentApplication.priority_parts`` stores them (JSON)."""
        return asdict(self)


def _round_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def priority_compute(*, is_existing_unit: bool, project_kind: str, physical_progress_percent: int,
                     requested_loan_rials: int, planned_jobs: int, sector_rank: int,
                     weights: PriorityWeights = WEIGHTS) -> Priority:
    """The priority of an application from its figures (see the module docstring): rials,
    persons (new + retained jobs planned), percent, and its sector's effective rank (1 = first;
    ``sector_effective_rank``). Pure: reads nothing else."""
    kind_or_progress = (project_kind in weights.priority_kinds
                        or physical_progress_percent > weights.progress_over_percent)
    if requested_loan_rials > 0 and planned_jobs > 0:
        jobs = min(weights.jobs_max, _round_half_up(
            weights.jobs_max * planned_jobs * weights.reference_rials_per_job,
            weights.jobs_full_marks_ratio * requested_loan_rials))
        per_billion = (Decimal(planned_jobs * 10**9) / requested_loan_rials).quantize(Decimal("0.01"), ROUND_HALF_UP)
    else:
        jobs, per_billion = 0, Decimal(0)
    return Priority(
        existing_unit=weights.existing_unit if is_existing_unit else 0,
        kind_or_progress=weights.kind_or_progress if kind_or_progress else 0,
        jobs=jobs,
        sector=max(0, weights.sector_max - (sector_rank - 1)),
        jobs_per_billion=float(per_billion),
        sector_rank=sector_rank,
    )


def application_priority(application, sector_rank: int) -> Priority:
    """``priority_compute`` on an ``InvestmentApplication`` (saved or not) whose sector's
    effective rank is ``sector_rank``."""
    return priority_compute(
        is_existing_unit=application.is_existing_unit, project_kind=application.project_kind,
        physical_progress_percent=application.physical_progress_percent,
        requested_loan_rials=application.requested_loan_rials,
        planned_jobs=application.planned_new_jobs + application.planned_retained_jobs, sector_rank=sector_rank)


# --- the sector's effective rank ------------------------------------------------------------------

def _effective_ranks(rows) -> dict:
    """``{sector id: effective rank}`` from ``(id, province id, source, rank)`` rows that hold
    every sector of the provinces concerned."""
    top_seed_rank = {}
    for _pk, province_id, source, rank in rows:
        if source != OFFICER:
            top_seed_rank[province_id] = max(rank, top_seed_rank.get(province_id, 0))
    return {pk: rank + top_seed_rank.get(province_id, 0) if source == OFFICER else rank
            for pk, province_id, source, rank in rows}


def sector_effective_ranks(sectors=None, *, province_id=None) -> dict:
    """``{priority sector id: effective rank}`` for every sector of ``province_id`` (default: all
    provinces), in one query. ``sectors`` is the ``PrioritySector`` queryset to read (a data
    migration passes its historical model's)."""
    sectors = PrioritySector.objects.all() if sectors is None else sectors
    if province_id is not None:
        sectors = sectors.filter(province_id=province_id)
    return _effective_ranks(sectors.order_by().values_list("pk", "province_id", "source", "rank"))


def sector_effective_rank(sector) -> int:
    """The effective rank of one ``PrioritySector``: its own for a seed table's row (no query),
    the province's largest seed rank plus its own for an officer's (one query)."""
    if sector.source != OFFICER:
        return sector.rank
    return sector_effective_ranks(province_id=sector.province_id)[sector.pk]


# --- recomputing stored scores --------------------------------------------------------------------

_INPUTS = ("is_existing_unit", "project_kind", "physical_progress_percent", "requested_loan_rials",
           "planned_new_jobs", "planned_retained_jobs", "priority_sector_id", "priority_score", "priority_parts")


def priority_scores_refresh(queryset, *, sectors=None, batch_size=REFRESH_BATCH) -> int:
    """Recompute the stored priority of the applications of ``queryset`` and save those that
    changed; returns how many changed.

    Queries: one to read the applications' figures, one for the sectors' ranks
    (``sector_effective_ranks``), and one ``UPDATE`` per ``batch_size`` changed rows, of
    ``priority_score`` and ``priority_parts`` only (the state is never written). Works on a
    historical model too; from a data migration::

        priority_scores_refresh(apps.get_model("financing", "InvestmentApplication").objects.all(),
                                sectors=apps.get_model("sectors", "PrioritySector").objects.all())
    """
    rows = list(queryset.order_by().values("pk", *_INPUTS))
    if not rows:
        return 0
    ranks = sector_effective_ranks(sectors)
    model = queryset.model
    changed = []
    for row in rows:
        priority = priority_compute(
            is_existing_unit=row["is_existing_unit"], project_kind=row["project_kind"],
            physical_progress_percent=row["physical_progress_percent"],
            requested_loan_rials=row["requested_loan_rials"],
            planned_jobs=row["planned_new_jobs"] + row["planned_retained_jobs"],
            sector_rank=ranks[row["priority_sector_id"]])
        if (priority.score, priority.parts()) != (row["priority_score"], row["priority_parts"]):
            changed.append(model(pk=row["pk"], priority_score=priority.score, priority_parts=priority.parts()))
    with transaction.atomic():
        model.objects.bulk_update(changed, ["priority_score", "priority_parts"], batch_size=batch_size)
    return len(changed)


def priority_sector_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    """``post_save`` of ``sectors.PrioritySector``: recompute the priority of its province's
    applications, since a rank or source that changes may move every officer sector's effective
    rank. Skipped for a fixture load, a new officer sector (no application uses it yet, and it
    moves no other rank) and a save that writes neither rank, source nor province."""
    if raw or (created and instance.source == OFFICER):
        return
    if update_fields is not None and not {"rank", "source", "province"} & set(update_fields):
        return
    # Every sector is read (a small table), so a sector moved to another province still ranks.
    priority_scores_refresh(InvestmentApplication.objects.filter(
        Q(province_id=instance.province_id) | Q(priority_sector=instance)))


# --- cost per job (§10) ---------------------------------------------------------------------------

def rials_per_job(application) -> int | None:
    """The loan per planned job (new + retained), in rials, rounded half-up: the bank's approved
    loan once it has one, the requested loan before. ``None`` without planned jobs."""
    jobs = application.planned_new_jobs + application.planned_retained_jobs
    if jobs <= 0:
        return None
    loan = application.approved_loan_rials or application.requested_loan_rials
    return _round_half_up(loan, jobs)


def cost_per_job_exceeded(application) -> bool:
    """True when ``rials_per_job`` is above the programme's 551,000,000 rials a job (§10): a
    warning on the application's page and in the lists, not a refusal."""
    per_job = rials_per_job(application)
    return per_job is not None and per_job > COST_PER_JOB_RIALS
