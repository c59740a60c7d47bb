"""The public programme page ``/program/``: no login, Persian digits, every seed total beside its
computed sum with the difference, the Hamadan inference and the Lorestan gap marked, few queries; and
the overview (``monitoring.selectors.programme_overview``) it shows."""

import re

import pytest

from accounts.models import Role
from monitoring.selectors import programme_overview
from programs.models import Province
from sectors.models import EconomicSector, PrioritySector

HAMADAN_MARKER = "استان استنباطی — جدول ۴ سند نام استان را ندارد"
LORESTAN_MARKER = "سند جدولی برای لرستان ندارد؛ رسته‌ها را کارشناسان استان ثبت می‌کنند"
# 6 for the seed's tables, 4 for the budget section (issue 7, budgets.selectors.province_line_rows); the
# institutions counted (§11) and the timetable's stages (§13, §14) add one each (issue 9).
MAX_QUERIES = 12
B = 10**9  # the seed's money unit is the billion rials


def section(html: str, marker: str, end: str) -> str:
    """The part of ``html`` from the first ``marker`` to the next ``end`` after it."""
    start = html.index(marker)
    return html[start:html.index(end, start)]


@pytest.fixture
def page(client, programme_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/program/")
    assert response.status_code == 200
    return response.content.decode()


def test_program_page_needs_no_login(client, programme_data):
    response = client.get("/program/")
    assert response.status_code == 200
    assert response.templates[0].name == "monitoring/program.html"


def test_goals_are_shown_with_persian_digits(page):
    goals = section(page, 'id="goals"', "</section>")
    assert "۶۶٬۰۰۰ نفر" in goals
    assert "جمع جدول ۶ برای سال ۱۳۹۸: ۶۶٬۴۶۵ نفر" in goals
    assert "۱۱٬۰۰۰ نفر" in goals
    assert "۲۴ نهاد" in goals
    assert "۵۵۱ میلیون ریال" in goals
    assert "۲۵ درصد افزایش" in goals
    assert "۱۳۹۸/۰۴/۰۱" in page
    assert not re.search(r">[^<]*[0-9][^<]*<", goals.replace('data-goal="', "")), "ASCII digits in the goals"


@pytest.mark.parametrize(("code", "cells"), [
    ("IR-16", ["۱۵٬۸۴۰", "۷۰۸", "۷٬۷۰۰", "۲۳۶"]),
    ("IR-05", ["۱۸٬۹۰۰", "۸۵۰", "۹٬۲۴۰", "۲۸۳"]),
    ("IR-15", ["۱۷٬۹۵۵", "۸۱۵", "۸٬۸۶۶", "۲۷۲"]),
    ("IR-13", ["۱۳٬۷۷۰", "۶۲۷", "۶٬۸۲۰", "۲۰۹"]),
])
def test_table_6_row_per_province(page, code, cells):
    row = section(page, f'data-province="{code}"', "</tr>")
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == cells


def test_table_6_shows_stated_computed_and_zero_difference(page):
    table = section(page, 'data-table="6"', "</table>")
    stated = section(table, 'data-row="stated"', "</tr>")
    assert "۴ استان" in stated
    assert re.findall(r'<td class="num">([^<]*)</td>', stated) == ["۶۶٬۴۶۵", "۳٬۰۰۰", "۳۲٬۶۲۶", "۱٬۰۰۰"]
    computed = section(table, 'data-row="computed"', "</tr>")
    assert re.findall(r'<td class="num">([^<]*)</td>', computed) == ["۶۶٬۴۶۵", "۳٬۰۰۰", "۳۲٬۶۲۶", "۱٬۰۰۰"]
    difference = section(table, 'data-row="difference"', "</tr>")
    assert re.findall(r'<td class="num seed-diff"><bdi dir="ltr">([^<]*)</bdi></td>', difference) == ["۰"] * 4


def test_table_8_rows_are_shown(page):
    table = section(page, 'data-table="8"', "</table>")
    agriculture = section(table, 'data-sector="agriculture"', "</tr>")
    assert "کشاورزی" in agriculture
    assert re.findall(r'<td class="num">([^<]*)</td>', agriculture) == ["۱", "۹٬۴۵۴", "۱٬۳۸۱", "۹٬۶۵۸", "۵۱۳"]
    assert table.count("data-sector=") == 11


def test_table_8_difference_is_shown_never_hidden(page):
    table = section(page, 'data-table="8"', "</table>")
    stated = section(table, 'data-row="stated"', "</tr>")
    assert "مجموع ۴ استان" in stated
    assert re.findall(r'<td class="num">([^<]*)</td>', stated) == ["۶۶٬۴۶۵", "۳٬۰۰۰", "۳۲٬۶۲۶", "۱٬۰۰۰"]
    computed = section(table, 'data-row="computed"', "</tr>")
    assert re.findall(r'<td class="num">([^<]*)</td>', computed) == ["۶۶٬۴۶۵", "۳٬۰۰۲", "۳۲٬۶۲۷", "۹۹۹"]
    difference = section(table, 'data-row="difference"', "</tr>")
    assert re.findall(r'<td class="num seed-diff"><bdi dir="ltr">([^<]*)</bdi></td>', difference) == [
        "۰", "+۲", "+۱", "-۱"]
    assert 'data-marker="table8-difference"' in page
    assert "«هزار نفر»" in page  # the damaged jobs header is explained


def test_hamadan_rows_are_marked_as_inferred(page):
    hamadan = section(page, 'id="province-IR-13"', "</article>")
    assert HAMADAN_MARKER in hamadan
    assert hamadan.count("استنباطی</span>") == 7
    assert "مبلمان و منبت" in hamadan
    assert HAMADAN_MARKER not in section(page, 'id="province-IR-16"', "</article>")


def test_lorestan_is_marked_as_having_no_seed_table(page):
    lorestan = section(page, 'id="province-IR-15"', "</article>")
    assert LORESTAN_MARKER in lorestan
    assert page.count(LORESTAN_MARKER) == 1


def test_ilam_tables_2_and_3_with_mehran_and_takapu_total(page):
    ilam = section(page, 'id="province-IR-16"', "</article>")
    assert "مهران ایلام" in ilam
    assert "طرح تکاپو" in ilam
    table3 = section(ilam, 'data-source="table_3"', "</table>")
    assert "جمع اعلام‌شده در سند (مجموع)" in table3
    assert table3.count("۱۲٬۰۰۰") == 2  # stated and computed
    assert '<bdi dir="ltr">۰</bdi>' in table3


def test_kermanshah_table_1_shows_the_employment_index(page):
    kermanshah = section(page, 'id="province-IR-05"', "</article>")
    assert "شاخص اشتغال، نه اشتغال جدید" in kermanshah
    assert "۹۴٬۰۰۰" in kermanshah
    assert kermanshah.count("<tr>") == 13  # header + 12 rows


def test_query_count_does_not_grow_with_rows(client, programme_data, django_assert_max_num_queries):
    lorestan = Province.objects.get(code="IR-15")
    sector = EconomicSector.objects.get(code="agriculture")
    for rank in range(1, 21):
        PrioritySector.objects.create(province=lorestan, source="officer", rank=rank, name=f"رسته {rank}",
                                      economic_sector=sector)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/program/")
    html = response.content.decode()
    assert all(f"<td>رسته {rank}</td>" in html for rank in range(1, 21))


def test_officer_of_a_province_gets_a_link_to_add_sectors(client, make_user):
    client.force_login(make_user(Role.WORKING_GROUP_SECRETARY, "IR-15"))
    page = client.get("/program/").content.decode()
    assert section(page, 'id="province-IR-15"', "</article>").count('href="/sectors/new/"') == 1
    assert 'href="/sectors/new/"' not in section(page, 'id="province-IR-05"', "</article>")


def test_page_renders_before_the_data_is_loaded(client, db):
    response = client.get("/program/")
    assert response.status_code == 200
    assert "داده‌های برنامه هنوز بارگذاری نشده است." in response.content.decode()


def test_overview_shows_the_table_8_difference(programme_data):
    overview = programme_overview()
    difference = overview.table8.difference
    assert (difference.new_jobs, difference.grants_rials, difference.loans_rials,
            difference.interest_subsidy_rials) == (0, 2 * B, 1 * B, -1 * B)
    assert overview.table6.difference.grants_rials == 0
