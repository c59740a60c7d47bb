"""The §9 priority score (``financing.priority``): its parts for concrete applications, the
sector's effective rank on the real programme data (Ilam's two tables, Kermanshah's Table 1,
Lorestan without a table), and its recomputation when a priority sector's rank changes."""

import pytest

from accounts.models import Role
from financing import services
from financing.models import InvestmentApplication
from financing.priority import (
    WEIGHTS,
    priority_compute,
    priority_scores_refresh,
    sector_effective_rank,
    sector_effective_ranks,
)
from programs.models import Agency, County
from sectors.models import EconomicSector, PrioritySector
from sectors.services import priority_sector_create
from tests.factories import AgencyOfficerFactory, ApplicantFactory, CallFactory
from tests.uploads import pdf
from tests.world import submit

KERMANSHAH, ILAM, LORESTAN, HAMADAN = "IR-05", "IR-16", "IR-15", "IR-13"


def test_the_weights_add_up_to_100():
    assert (WEIGHTS.existing_unit, WEIGHTS.kind_or_progress, WEIGHTS.jobs_max, WEIGHTS.sector_max) == (40, 20, 25, 15)
    assert WEIGHTS.existing_unit + WEIGHTS.kind_or_progress + WEIGHTS.jobs_max + WEIGHTS.sector_max == 100


@pytest.mark.parametrize("figures, parts, score", [
    # Existing unit, working capital, 275,500,000 rials a job (twice the programme's jobs per rial):
    # full marks everywhere.
    (dict(is_existing_unit=True, project_kind="working_capital", physical_progress_percent=20,
          requested_loan_rials=2_204_000_000, planned_jobs=8, sector_rank=1),
     dict(existing_unit=40, kind_or_progress=20, jobs=25, sector=15, jobs_per_billion=3.63, sector_rank=1), 100),
    # A new project over 60 % progress, exactly the programme's 551,000,000 a job: 12.5 → 13.
    (dict(is_existing_unit=False, project_kind="new", physical_progress_percent=70,
          requested_loan_rials=5_510_000_000, planned_jobs=10, sector_rank=3),
     dict(existing_unit=0, kind_or_progress=20, jobs=13, sector=13, jobs_per_billion=1.81, sector_rank=3), 46),
    # 60 % is not over 60 %; 1,500,000,000 a job: 4.59 → 5; Kermanshah's first officer sector (rank 13).
    (dict(is_existing_unit=False, project_kind="new", physical_progress_percent=60,
          requested_loan_rials=9_000_000_000, planned_jobs=6, sector_rank=13),
     dict(existing_unit=0, kind_or_progress=0, jobs=5, sector=3, jobs_per_billion=0.67, sector_rank=13), 8),
    # Jobs are capped: 10,000,000 rials a job is not worth more than 25; rank 20 scores 0, not less.
    (dict(is_existing_unit=True, project_kind="expansion", physical_progress_percent=0,
          requested_loan_rials=500_000_000, planned_jobs=50, sector_rank=20),
     dict(existing_unit=40, kind_or_progress=20, jobs=25, sector=0, jobs_per_billion=100.0, sector_rank=20), 85),
    # Completion (over 60 % by rule) of an existing unit, 1,000,000,000 a job: 6.89 → 7.
    (dict(is_existing_unit=True, project_kind="completion", physical_progress_percent=75,
          requested_loan_rials=4_000_000_000, planned_jobs=4, sector_rank=6),
     dict(existing_unit=40, kind_or_progress=20, jobs=7, sector=10, jobs_per_billion=1.0, sector_rank=6), 77),
])
def test_parts_and_score(figures, parts, score):
    priority = priority_compute(**figures)
    assert priority.parts() == parts
    assert priority.score == score


def test_submission_stores_the_score_and_its_parts(world):
    """The world's application: an existing unit's expansion, 6,000,000,000 rials for 12 new and
    4 kept jobs (2.67 a billion: 18.37 → 18), in province A's only sector (an officer's, rank 1)."""
    app = InvestmentApplication.objects.get(pk=submit(world).pk)
    assert app.priority_parts == {"existing_unit": 40, "kind_or_progress": 20, "jobs": 18, "sector": 15,
                                  "jobs_per_billion": 2.67, "sector_rank": 1}
    assert app.priority_score == 93


# --- the sector's effective rank on the programme's tables (§6) -----------------------------------

def sector(province, source, rank):
    return PrioritySector.objects.get(province__code=province, source=source, rank=rank)


def officer_sector(make_user, province, name="زنبورداری و تولید عسل"):
    officer = make_user(Role.AGENCY_OFFICER, province, username=f"officer_{province}")
    agriculture = EconomicSector.objects.get(code="agriculture")
    return priority_sector_create(actor=officer, name=name, economic_sector=agriculture)


@pytest.mark.parametrize("province, source, rank, effective", [
    (KERMANSHAH, "table_1", 1, 1), (KERMANSHAH, "table_1", 12, 12),
    (ILAM, "table_2", 1, 1), (ILAM, "table_2", 4, 4),  # Ilam's two tables are each ranked from 1
    (ILAM, "table_3", 1, 1), (ILAM, "table_3", 5, 5),
    (HAMADAN, "table_4", 7, 7),
])
def test_a_seed_sector_ranks_within_its_own_table(programme_data, province, source, rank, effective):
    assert sector_effective_rank(sector(province, source, rank)) == effective


@pytest.mark.parametrize("province, first_officer_rank", [
    (KERMANSHAH, 13),  # after Table 1's 12 rows
    (ILAM, 6),  # after the larger of Tables 2 (4 rows) and 3 (5 rows)
    (HAMADAN, 8),  # after Table 4's 7 rows
    (LORESTAN, 1),  # no table in the seed: the officer's rank as it is
])
def test_an_officer_sector_ranks_after_the_seed_tables(make_user, province, first_officer_rank):
    first = officer_sector(make_user, province)
    second = officer_sector(make_user, province, name="پرورش ماهی سردآبی")
    assert (sector_effective_rank(first), sector_effective_rank(second)) == (first_officer_rank, first_officer_rank + 1)
    ranks = sector_effective_ranks()
    assert (ranks[first.pk], ranks[second.pk]) == (first_officer_rank, first_officer_rank + 1)


def apply_in(province, sectors):
    """One application for each of ``sectors``, all with the same figures, to one call of the
    province's agriculture agency: an existing unit's expansion, 5,510,000,000 rials for 10 jobs
    (40 + 20 + 13 points before the sector's). Returns them read back, in the order of ``sectors``."""
    agency = Agency.objects.get(code=f"{province.lower().replace('-', '')}-agriculture")
    call = CallFactory(agency=agency, actor=AgencyOfficerFactory(agency=agency), priority_sectors=sectors)
    applicant = ApplicantFactory()
    county = County.objects.filter(province_id=agency.province_id).order_by("code").first()
    ids = [
        services.application_submit(actor=applicant.user, call=call, feasibility_files=[pdf()],
                                    data=services.ApplicationInput(
                                        title=f"طرح {s.name}", county=county, priority_sector=s,
                                        project_kind="expansion", is_existing_unit=True,
                                        requested_loan_rials=5_510_000_000, own_contribution_rials=1_000_000_000,
                                        planned_new_jobs=10, planned_retained_jobs=0, physical_progress_percent=30)).pk
        for s in sectors
    ]
    return [InvestmentApplication.objects.get(pk=pk) for pk in ids]


def test_ilam_scores_each_table_from_1_and_its_officer_sector_after_both(make_user):
    officer = officer_sector(make_user, ILAM)
    apps = apply_in(ILAM, [sector(ILAM, "table_3", 1), sector(ILAM, "table_2", 2), sector(ILAM, "table_3", 4),
                           officer])
    assert [(a.priority_parts["sector_rank"], a.priority_parts["sector"]) for a in apps] == [
        (1, 15), (2, 14), (4, 12), (6, 10)]
    assert [a.priority_score for a in apps] == [88, 87, 85, 83]


def test_kermanshah_scores_table_1_and_its_officer_sector_after_rank_12(make_user):
    officer = officer_sector(make_user, KERMANSHAH)
    apps = apply_in(KERMANSHAH, [sector(KERMANSHAH, "table_1", 3), officer])  # 3: livestock farming
    assert [(a.priority_parts["sector_rank"], a.priority_parts["sector"], a.priority_score) for a in apps] == [
        (3, 13, 86), (13, 3, 76)]


# --- recomputing when a rank changes ----------------------------------------------------------------

def test_a_seed_rank_change_moves_the_officer_sectors_of_the_province(make_user):
    officer = officer_sector(make_user, ILAM)
    (table_3_first, on_officer) = apply_in(ILAM, [sector(ILAM, "table_3", 1), officer])
    it = sector(ILAM, "table_3", 5)  # Table 3's last row, information technology
    it.rank = 9
    it.save()
    table_3_first.refresh_from_db()
    on_officer.refresh_from_db()
    assert (table_3_first.priority_parts["sector_rank"], table_3_first.priority_score) == (1, 88)
    assert (on_officer.priority_parts["sector_rank"], on_officer.priority_parts["sector"]) == (10, 6)
    assert on_officer.priority_score == 79


def test_an_officer_rank_change_rescores_its_applications(world):
    app = submit(world)
    other = submit(world, province="b")
    world.priority_a.rank = 4
    world.priority_a.save(update_fields=["rank"])
    app.refresh_from_db()
    other.refresh_from_db()
    assert (app.priority_parts["sector_rank"], app.priority_parts["sector"], app.priority_score) == (4, 12, 90)
    assert (app.state, other.priority_score) == ("submitted", 93)  # the state untouched; province B unchanged


def test_a_save_that_changes_no_rank_reads_no_application(world, django_assert_num_queries):
    submit(world)
    world.priority_a.name = "دامپروری صنعتی"
    with django_assert_num_queries(1):
        world.priority_a.save(update_fields=["name"])


@pytest.mark.parametrize("count", [5, 30])
def test_recomputing_a_province_takes_the_same_queries_for_5_and_30_applications(world, count,
                                                                                  django_assert_num_queries):
    for _n in range(count):
        submit(world)
    world.priority_a.rank = 2
    # The sector's UPDATE; a savepoint around: the applications, the sectors, one UPDATE of the changed.
    with django_assert_num_queries(6):
        world.priority_a.save()
    assert set(InvestmentApplication.objects.values_list("priority_score", flat=True)) == {92}


def test_refresh_rewrites_stale_scores_and_only_those(world):
    """What a data migration runs: every application's score from its figures."""
    apps = [submit(world), submit(world, province="b"), submit(world, requested_loan_rials=12_000_000_000)]
    InvestmentApplication.objects.filter(pk__in=[apps[0].pk, apps[2].pk]).update(priority_score=0, priority_parts={})
    assert priority_scores_refresh(InvestmentApplication.objects.all()) == 2
    scores = dict(InvestmentApplication.objects.values_list("pk", "priority_score"))
    # 12,000,000,000 for 16 jobs: 750,000,000 a job, 9.18 → 9 points.
    assert [scores[a.pk] for a in apps] == [93, 93, 84]
    assert priority_scores_refresh(InvestmentApplication.objects.all()) == 0
