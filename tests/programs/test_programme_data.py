"""The programme's plan as loaded by ``load_programme`` (``programs.loading``), figure by figure
against the brief and the seed: the title and goals (§3), provinces and counties, Table 6 (§10), the
working groups, agencies and banks."""

import datetime

import jdatetime
import pytest
from django.db.models import Sum

from programs.models import (
    Agency,
    Bank,
    BudgetYear,
    County,
    Programme,
    Province,
    ProvinceAllocation,
    StatedTotal,
    WorkingGroup,
)

pytestmark = pytest.mark.usefixtures("programme_data")

B = 10**9  # the seed's money unit is the billion rials


# --- programme, provinces, counties -------------------------------------------------------------

def test_programme_row_holds_the_headline_goals():
    (programme,) = Programme.objects.all()
    assert programme.name == (
        "برنامه اجرایی پیاده سازی توسعه کسب و کار و اشتغال استان های کرمانشاه، ایلام، لرستان و همدان (کاله)")
    assert programme.start_date == datetime.date(2019, 6, 22)
    assert programme.new_jobs_target == 66_000
    assert programme.retained_jobs_target == 11_000
    assert programme.institutions_target == 24
    assert programme.cost_per_job_rials == 551_000_000
    assert programme.per_capita_income_growth_percent == 25


def test_programme_starts_on_1_tir_1398():
    start = Programme.objects.get().start_date
    assert jdatetime.date.fromgregorian(date=start) == jdatetime.date(1398, 4, 1)


def test_cost_per_job_matches_the_money_of_section_10():
    # (3,000 + 32,626 + 1,000) billion rials / 66,465 jobs ≈ 551.06 million rials (§10).
    total = StatedTotal.objects.get(table="6")
    per_job = (total.grants_rials + total.loans_rials + total.interest_subsidy_rials) / total.new_jobs
    assert round(per_job / 10**6) == Programme.objects.get().cost_per_job_rials // 10**6 == 551


@pytest.mark.parametrize(("code", "name", "name_en"), [
    ("IR-05", "کرمانشاه", "Kermanshah"),
    ("IR-16", "ایلام", "Ilam"),
    ("IR-15", "لرستان", "Lorestan"),
    ("IR-13", "همدان", "Hamadan"),
])
def test_province_has_its_iso_code(code, name, name_en):
    province = Province.objects.get(code=code)
    assert (province.name, province.name_en) == (name, name_en)


def test_there_are_exactly_the_four_kaleh_provinces():
    assert sorted(Province.objects.values_list("code", flat=True)) == ["IR-05", "IR-13", "IR-15", "IR-16"]


@pytest.mark.parametrize(("code", "count"), [("IR-05", 14), ("IR-16", 11), ("IR-15", 11), ("IR-13", 10)])
def test_province_has_its_official_counties(code, count):
    assert County.objects.filter(province__code=code).count() == count


def test_counties_total_46_with_unique_codes_inside_their_province():
    assert County.objects.count() == 46
    for county in County.objects.select_related("province"):
        # The package's county code starts with the province's national code (5, 16, 15, 13).
        assert county.code[:-2] == county.province.code.removeprefix("IR-").lstrip("0")


@pytest.mark.parametrize(("province", "name", "code"), [
    ("IR-16", "مهران", "1605"),
    ("IR-16", "ایلام", "1601"),
    ("IR-05", "کرمانشاه", "502"),
    ("IR-15", "خرم آباد", "1503"),
    ("IR-13", "ملایر", "1302"),
    ("IR-13", "تویسرکان", "1301"),
])
def test_named_counties_are_in_their_province(province, name, code):
    assert County.objects.get(code=code).name == name
    assert County.objects.get(code=code).province.code == province


# --- Table 6 (§10) -----------------------------------------------------------------------------

def test_the_only_budget_year_is_1398():
    assert list(BudgetYear.objects.values_list("year", flat=True)) == [1398]


@pytest.mark.parametrize(("province", "jobs", "grants", "loans", "subsidy"), [
    ("IR-16", 15_840, 708, 7_700, 236),
    ("IR-05", 18_900, 850, 9_240, 283),
    ("IR-15", 17_955, 815, 8_866, 272),
    ("IR-13", 13_770, 627, 6_820, 209),
])
def test_table_6_row(province, jobs, grants, loans, subsidy):
    row = ProvinceAllocation.objects.get(province__code=province, budget_year__year=1398)
    assert row.new_jobs == jobs
    assert row.grants_rials == grants * B
    assert row.loans_rials == loans * B
    assert row.interest_subsidy_rials == subsidy * B


def test_table_6_stated_total_equals_its_rows():
    stated = StatedTotal.objects.get(table="6")
    assert stated.label == "۴ استان"
    assert (stated.new_jobs, stated.grants_rials, stated.loans_rials, stated.interest_subsidy_rials) == (
        66_465, 3_000 * B, 32_626 * B, 1_000 * B)
    sums = ProvinceAllocation.objects.aggregate(
        j=Sum("new_jobs"), g=Sum("grants_rials"), lo=Sum("loans_rials"), s=Sum("interest_subsidy_rials"))
    assert (sums["j"], sums["g"], sums["lo"], sums["s"]) == (66_465, 3_000 * B, 32_626 * B, 1_000 * B)


# --- Organisations ------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "name"), [
    ("IR-05", "کارگروه اشتغال استان کرمانشاه"),
    ("IR-16", "کارگروه اشتغال استان ایلام"),
    ("IR-15", "کارگروه اشتغال استان لرستان"),
    ("IR-13", "کارگروه اشتغال استان همدان"),
])
def test_each_province_has_its_working_group(code, name):
    assert WorkingGroup.objects.get(province__code=code).name == name


def test_agency_codes_are_province_slugs():
    assert Agency.objects.count() == 32
    agriculture = Agency.objects.get(code="ir05-agriculture")
    assert agriculture.name == "سازمان جهاد کشاورزی استان کرمانشاه"
    assert list(agriculture.economic_sectors.values_list("code", flat=True)) == ["agriculture"]
    industry = Agency.objects.get(code="ir15-industry")
    assert industry.province.code == "IR-15"
    assert sorted(industry.economic_sectors.values_list("code", flat=True)) == ["commerce", "industry", "mining"]
    for agency in Agency.objects.select_related("province"):
        assert agency.code.startswith(agency.province.code.lower().replace("-", "") + "-")


def test_three_demo_agent_banks_with_branches_in_all_four_provinces():
    banks = Bank.objects.order_by("code")
    assert [(b.code, b.name) for b in banks] == [
        ("keshavarzi", "بانک کشاورزی"), ("post-bank", "پست بانک ایران"), ("tosee-taavon", "بانک توسعه تعاون")]
    for bank in banks:
        assert bank.is_demo
        assert sorted(bank.provinces.values_list("code", flat=True)) == ["IR-05", "IR-13", "IR-15", "IR-16"]
