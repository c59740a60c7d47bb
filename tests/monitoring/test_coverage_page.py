"""The coverage page ``/coverage/`` and the institutions summary of ``/program/``: who may read the
grid, how gaps are marked (text and a class, not colour alone), and a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from interventions.models import InterventionState as S
from monitoring.coverage import InstitutionSummary
from tests.factories import PrioritySectorFactory, ProvinceFactory
from tests.interventions.helpers import advance_intervention
from tests.web import as_user

URL = "/coverage/"


@pytest.fixture
def grid_data(world):
    """Province A's «دامپروری» with a closed institution; B's «آبزی‌پروری» with one in execution;
    province C without priority sectors."""
    advance_intervention(world, S.CLOSED, "a")
    advance_intervention(world, S.IN_EXECUTION, "b")
    return ProvinceFactory(code="TSTC", name="استان ج", name_en="Province C")


def cell(html, sector_code, province_code):
    row = html.split(f'<tr data-sector="{sector_code}">', 1)[1].split("</tr>", 1)[0]
    return re.search(rf'<td class="([^"]*)" data-province="{province_code}"[^>]*>(.*?)</td>', row, re.S).groups()


@pytest.mark.parametrize("who", ["agency_officer_a", "secretary_b", "manager_a", "ministry"])
def test_programme_staff_see_the_whole_regions_grid(client, world, grid_data, who):
    response = as_user(client, getattr(world, who)).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-province="TSTA"' in html and 'data-province="TSTB"' in html and 'data-province="TSTC"' in html


@pytest.mark.parametrize("who", ["owner", "bank_officer_1", "admin"])
def test_applicants_banks_and_administrators_get_403(client, world, who):
    assert as_user(client, getattr(world, who)).get(URL).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_gaps_are_marked_in_text_and_by_class(client, world, grid_data):
    html = as_user(client, world.ministry).get(URL).content.decode()

    classes, text = cell(html, "test-agriculture", "TSTA")
    assert "coverage-gap" not in classes
    assert "۱ رسته · ۱ دارای نهاد · ۰ فقط در دست اجرا" in text and "همه رسته‌ها نهاد دارند" in text

    classes, text = cell(html, "test-agriculture", "TSTB")
    assert "coverage-gap" in classes.split()
    assert "کمبود: ۱ رسته بی‌نهاد" in text
    assert "آبزی‌پروری:" in text and "بی‌نهاد؛ ۱ در دست اجرا" in text

    classes, text = cell(html, "test-agriculture", "TSTC")
    assert "coverage-gap" in classes.split() and "استان رسته اولویت‌دار ندارد" in text

    warning = html.split('data-testid="provinces-without-sectors"', 1)[1].split("</div>", 1)[0]
    assert "استان ج" in warning and "رسته اولویت‌داری ثبت نشده است" in warning


def test_the_gap_list_names_each_uncovered_priority_sector(client, world, grid_data):
    html = as_user(client, world.ministry).get(URL).content.decode()

    gaps = html.split('data-testid="coverage-gaps"', 1)[1].split("</ul>", 1)[0]
    assert gaps.count("<li") == 1
    assert "استان ب — آبزی‌پروری" in gaps and "۱ نهاد در دست اجرا" in gaps
    assert "رسته‌های اولویت‌دار بی‌نهاد (۱)" in html


def test_the_page_shows_the_count_against_the_target_apart_from_the_pipeline(client, world, grid_data):
    html = as_user(client, world.ministry).get(URL).content.decode()

    summary = html.split('data-testid="institution-summary"', 1)[1]
    # No programme row in the test world: no target, the count alone.
    assert "۱ نهاد (هدف برنامه ثبت نشده است)" in summary
    assert "جدا از این شمار: ۱ نهاد در دست اجرا" in summary


def test_the_page_queries_do_not_grow_with_the_grid(client, world, grid_data):
    as_user(client, world.ministry)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(4):
        PrioritySectorFactory(province=world.province_b, economic_sector=world.sector, rank=20 + n)
    advance_intervention(world, S.APPROVED, "b", title="تعاونی آبزی‌پروران")

    with CaptureQueriesContext(connection) as many:
        html = client.get(URL).content.decode()

    assert len(many) == len(few)
    assert "کمبود: ۵ رسته بی‌نهاد" in cell(html, "test-agriculture", "TSTB")[1]


def test_the_page_is_rtl_with_a_phone_layout_and_no_inline_styles(client, world, grid_data):
    html = as_user(client, world.ministry).get(URL).content.decode()

    assert '<html lang="fa" dir="rtl">' in html
    assert "/static/css/coverage.css" in html
    assert 'class="table-responsive"' in html
    assert html.count('data-label="استان ب"') == 1  # each cell names its province on a phone
    assert " style=" not in html


# --- the summary partial of /program/ ------------------------------------------------------------

def test_the_summary_partial_shows_n_of_24_with_a_text_progress_bar():
    html = render_to_string("monitoring/_institution_summary.html",
                            {"institutions": InstitutionSummary(counted=6, pipeline=3, target=24)})

    assert "۶ از ۲۴ نهاد" in html
    assert '<progress class="w-100" max="24" value="6"' in html
    assert "۲۵٪ هدف؛ ۱۸ نهاد تا رسیدن به هدف" in html
    assert "جدا از این شمار: ۳ نهاد در دست اجرا" in html


def test_the_summary_partial_past_the_target_says_so_and_caps_the_percentage():
    html = render_to_string("monitoring/_institution_summary.html",
                            {"institutions": InstitutionSummary(counted=30, pipeline=0, target=24)})

    assert "۳۰ از ۲۴ نهاد" in html
    assert "۱۰۰٪ هدف؛ ۰ نهاد تا رسیدن به هدف" in html
