"""The §11 institutions: the count against the target of 24 and the coverage grid of «at least one
development institution per priority sector per province» (``monitoring.coverage``), built from
interventions driven through the real services (``tests.interventions.helpers``)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interventions.models import InterventionState as S
from monitoring.coverage import NO_PRIORITY_SECTORS, coverage_grid, institution_summary
from programs.models import Programme
from tests.factories import EconomicSectorFactory, PrioritySectorFactory, ProvinceFactory
from tests.interventions.helpers import advance_intervention, create_intervention, drive_intervention


@pytest.fixture
def coverage(world):
    """The world (provinces A and B, priority sectors «دامپروری» in A and «آبزی‌پروری» in B, both of
    the world's agriculture sector), plus: an industry sector placed first in Table 8 order with a
    second priority sector of A («صنایع تبدیلی»), a province C with no priority sector, the
    programme row (target 24), and five interventions:

    - A, دامپروری: closed (counted);
    - A, دامپروری: approved (pipeline; the sector is covered anyway);
    - B, آبزی‌پروری: in execution (pipeline);
    - B, آبزی‌پروری: evaluated, but a development action, not an institution (not counted);
    - A, صنایع تبدیلی: rejected (neither).
    """
    Programme.objects.create(name="کاله", start_date=datetime.date(2019, 6, 22), new_jobs_target=66_000,
                             retained_jobs_target=11_000, institutions_target=24, cost_per_job_rials=600_000_000,
                             per_capita_income_growth_percent=25)
    industry = EconomicSectorFactory(code="test-industry", row=1, name="صنعت آزمایشی")
    processing = PrioritySectorFactory(province=world.province_a, economic_sector=industry, rank=2,
                                       name="صنایع تبدیلی")
    province_c = ProvinceFactory(code="TSTC", name="استان ج", name_en="Province C")
    advance_intervention(world, S.CLOSED, "a")
    advance_intervention(world, S.APPROVED, "a", title="توسعه تعاونی دامداران")
    advance_intervention(world, S.IN_EXECUTION, "b")
    advance_intervention(world, S.EVALUATED, "b", title="اصلاح مقررات صید", creates_institution=False)
    rejected = create_intervention(world, "a", title="خوشه صنایع تبدیلی", priority_sector=processing)
    drive_intervention(world, rejected.pk, S.REJECTED)
    return {"industry": industry, "processing": processing, "province_c": province_c}


def test_the_summary_counts_evaluated_or_closed_institutions_and_the_pipeline_apart(coverage):
    summary = institution_summary()

    assert (summary.counted, summary.pipeline, summary.target) == (1, 2, 24)
    assert (summary.percent, summary.remaining) == (4, 23)


def test_the_summary_without_a_programme_row_has_no_target(world):
    advance_intervention(world, S.EVALUATED, "a")

    summary = institution_summary()

    assert (summary.counted, summary.pipeline, summary.target, summary.percent) == (1, 0, None, None)


def test_the_grid_has_a_row_per_economic_sector_and_a_column_per_province(world, coverage):
    grid = coverage_grid()

    assert [row.economic_sector.code for row in grid.rows] == ["test-industry", "test-agriculture"]
    assert [c.province.code for c in grid.provinces] == ["TSTA", "TSTB", "TSTC"]
    assert [c.priority_sectors for c in grid.provinces] == [2, 1, 0]
    assert (grid.summary.counted, grid.summary.pipeline, grid.summary.target) == (1, 2, 24)


def test_each_cell_counts_covered_and_pipeline_only_priority_sectors(world, coverage):
    grid = coverage_grid()
    (industry_a, industry_b, industry_c), (farming_a, farming_b, farming_c) = [row.cells for row in grid.rows]

    figures = [(c.total, c.covered, c.pipeline_only, c.uncovered, c.is_gap) for c in
               (industry_a, industry_b, farming_a, farming_b)]
    assert figures == [
        (1, 0, 0, 1, True),   # صنایع تبدیلی: its only intervention was rejected
        (0, 0, 0, 0, False),  # B has no priority sector in industry: nothing asked of it
        (1, 1, 0, 0, False),  # دامپروری: one closed (and one more approved)
        (1, 0, 1, 1, True),   # آبزی‌پروری: only in execution; the evaluated one is not an institution
    ]
    (livestock,) = farming_a.sectors
    assert (livestock.priority_sector, livestock.counted, livestock.pipeline) == (world.priority_a, 1, 1)
    (fishery,) = farming_b.sectors
    assert (fishery.counted, fishery.pipeline) == (0, 1)


def test_a_province_without_priority_sectors_is_a_gap_in_every_row_with_the_reason(world, coverage):
    grid = coverage_grid()

    column_c = grid.provinces[2]
    assert (column_c.is_gap, column_c.reason) == (True, NO_PRIORITY_SECTORS)
    assert [row.cells[2].is_gap for row in grid.rows] == [True, True]
    assert [row.cells[2].province_without_sectors for row in grid.rows] == [True, True]
    assert [c.province.code for c in grid.provinces_without_sectors] == ["TSTC"]


def test_the_gaps_are_exactly_the_priority_sectors_without_a_counted_institution(world, coverage):
    gaps = [(g.province.code, g.priority_sector.name, g.pipeline) for g in coverage_grid().gaps]

    assert gaps == [("TSTA", "صنایع تبدیلی", 0), ("TSTB", "آبزی‌پروری", 1)]


def test_closing_the_last_pipeline_one_fills_the_gap(world, coverage):
    in_execution = world.priority_b.interventions.get(state=S.IN_EXECUTION)
    drive_intervention(world, in_execution.pk, S.EVALUATED)

    grid = coverage_grid()

    assert [(g.province.code, g.priority_sector.name) for g in grid.gaps] == [("TSTA", "صنایع تبدیلی")]
    assert grid.rows[1].cells[1].is_gap is False
    assert (grid.summary.counted, grid.summary.pipeline) == (2, 1)


def test_the_viewers_province_is_marked(world, coverage):
    grid = coverage_grid(world.manager_b)

    assert [c.is_own for c in grid.provinces] == [False, True, False]
    assert [c.is_own for c in coverage_grid(world.ministry).provinces] == [False, False, False]


def test_the_grid_runs_five_queries_however_many_rows(world, coverage, django_assert_num_queries):
    with django_assert_num_queries(5):
        coverage_grid(world.ministry)
    for n in range(3):
        PrioritySectorFactory(province=coverage["province_c"], economic_sector=coverage["industry"], rank=10 + n)
    advance_intervention(world, S.FUNDED, "b", title="صندوق ضمانت آبزی‌پروران")

    with django_assert_num_queries(5):
        grid = coverage_grid(world.ministry)

    assert grid.provinces[2].priority_sectors == 3
    assert grid.summary.pipeline == 3


def test_the_summary_runs_two_queries_or_one_given_the_programme_row(coverage, django_assert_num_queries):
    programme = Programme.objects.get()
    with django_assert_num_queries(2):
        institution_summary()
    with django_assert_num_queries(1):
        summary = institution_summary(programme=programme)
    assert (summary.counted, summary.pipeline, summary.target) == (1, 2, 24)
    with django_assert_num_queries(1):
        assert institution_summary(programme=None).target is None


def test_the_seed_leaves_lorestan_a_gap_and_every_priority_sector_uncovered(programme_data):
    grid = coverage_grid()

    assert len(grid.rows) == 11
    assert [row.economic_sector.row for row in grid.rows] == list(range(1, 12))
    assert [c.province.code for c in grid.provinces] == ["IR-05", "IR-16", "IR-15", "IR-13"]
    assert [c.priority_sectors for c in grid.provinces] == [12, 9, 0, 7]
    assert [c.province.code for c in grid.provinces_without_sectors] == ["IR-15"]
    assert all(row.cells[2].is_gap for row in grid.rows)
    assert len(grid.gaps) == 28
    assert (grid.summary.counted, grid.summary.pipeline, grid.summary.target) == (0, 0, 24)


def test_the_seeds_grid_runs_five_queries_too(programme_data):
    with CaptureQueriesContext(connection) as queries:
        coverage_grid()
    assert len(queries) == 5


def test_the_grid_and_the_public_summary_give_the_same_table_7_figure(coverage):
    """Table 7 counts «institutions or development actions»: the closed institution and the
    evaluated development action, on /coverage/ as on /program/ (the grid once showed 0)."""
    assert institution_summary().counted_with_actions == 2
    assert coverage_grid().summary.counted_with_actions == 2
    assert coverage_grid().summary.counted == institution_summary().counted == 1
