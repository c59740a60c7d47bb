"""The programme's data, loaded by ``load_programme``, figure by figure against the brief and the seed
(title, §3, §6 Tables 1–4, §10 Table 6, §11, §12 Tables 7–8), and loading twice changes nothing."""

import datetime
import io

import jdatetime
import pytest
from django.core.management import call_command
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
from sectors.loading import load_programme
from sectors.models import EconomicSector, PrioritySector, SectorAllocation
from tests.data_fixtures import programme_data  # noqa: F401

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


# --- Table 8 (§12) -----------------------------------------------------------------------------

TABLE_8 = [
    (1, "agriculture", "کشاورزی", 9_454, 1_381, 9_658, 513),
    (2, "mining", "معدن و فرآوری معدنی", 601, 13, 754, 10),
    (3, "industry", "صنعت", 5_462, 410, 8_374, 79),
    (4, "commerce", "بازرگانی و صنوف", 17_788, 38, 2_680, 14),
    (5, "tourism", "گردشگری", 9_569, 348, 3_730, 115),
    (6, "handicrafts", "صنایع دستی", 4_970, 25, 125, 9),
    (7, "culture", "فرهنگ و هنر", 817, 34, 787, 8),
    (8, "sports", "ورزش و تربیت بدنی", 5_283, 85, 2_806, 31),
    (9, "ict", "فناوری اطلاعات و ارتباطات", 6_868, 105, 1_022, 11),
    (10, "health", "سلامت", 2_906, 461, 2_121, 171),
    (11, "technology", "فناوری و دانش بنیان", 2_747, 102, 570, 38),
]


@pytest.mark.parametrize(("row", "code", "name", "jobs", "grants", "loans", "subsidy"), TABLE_8)
def test_table_8_row(row, code, name, jobs, grants, loans, subsidy):
    sector = EconomicSector.objects.get(code=code)
    assert (sector.row, sector.name) == (row, name)
    assert sector.name_en
    allocation = SectorAllocation.objects.get(economic_sector=sector, budget_year__year=1398)
    # The seed heads the jobs column "thousand persons" but its figures are persons (brief §12).
    assert allocation.new_jobs == jobs
    assert allocation.grants_rials == grants * B
    assert allocation.loans_rials == loans * B
    assert allocation.interest_subsidy_rials == subsidy * B


def test_there_are_11_economic_sectors():
    assert list(EconomicSector.objects.values_list("row", flat=True)) == list(range(1, 12))


def test_table_8_stated_total_is_kept_as_the_seed_states_it():
    stated = StatedTotal.objects.get(table="8")
    assert stated.label == "مجموع ۴ استان"
    assert (stated.new_jobs, stated.grants_rials, stated.loans_rials, stated.interest_subsidy_rials) == (
        66_465, 3_000 * B, 32_626 * B, 1_000 * B)


def test_table_8_rows_do_not_add_up_to_the_stated_money_and_are_kept_as_given():
    sums = SectorAllocation.objects.aggregate(
        j=Sum("new_jobs"), g=Sum("grants_rials"), lo=Sum("loans_rials"), s=Sum("interest_subsidy_rials"))
    assert (sums["j"], sums["g"], sums["lo"], sums["s"]) == (66_465, 3_002 * B, 32_627 * B, 999 * B)
    stated = StatedTotal.objects.get(table="8")
    assert (sums["j"] - stated.new_jobs, sums["g"] - stated.grants_rials,
            sums["lo"] - stated.loans_rials, sums["s"] - stated.interest_subsidy_rials) == (0, 2 * B, 1 * B, -1 * B)


def test_overview_shows_the_table_8_difference():
    from monitoring.selectors import programme_overview

    overview = programme_overview()
    difference = overview.table8.difference
    assert (difference.new_jobs, difference.grants_rials, difference.loans_rials,
            difference.interest_subsidy_rials) == (0, 2 * B, 1 * B, -1 * B)
    assert overview.table6.difference.grants_rials == 0


# --- Priority sectors, Tables 1–4 (§6) ----------------------------------------------------------

# province, source, rank, name, economic sector, estimated employment, new jobs, county cell, county code, plan
PRIORITY_SECTORS = [
    ("IR-05", "table_1", 1, "تجارت وابسته به مرز", "commerce", 20_000, None, "", None, ""),
    ("IR-05", "table_1", 2, "تولید و خدمات ساختمان و ابنیه", "industry", 70_000, None, "", None, ""),
    ("IR-05", "table_1", 3, "دامپروری", "agriculture", 68_000, None, "", None, ""),
    ("IR-05", "table_1", 4, "حملونقل، انبارداری و ارتباطات", "commerce", 50_000, None, "", None, ""),
    ("IR-05", "table_1", 5, "سایر خدمات تجاری عمده و خرده فروشی", "commerce", 45_000, None, "", None, ""),
    ("IR-05", "table_1", 6, "صنعت گردشگری و سوغات و صنایع دستی، هتلداری و رستوران + خدمات سلامت", "tourism",
     30_000, None, "", None, ""),
    ("IR-05", "table_1", 7, "تولید محصولات زراعی دیم غیر از نخود", "agriculture", 94_000, None, "", None, ""),
    ("IR-05", "table_1", 8, "صنایع تکمیلی کشاورزی و صنایع مواد غذایی (رب گوجهفرنگی، روغن، آب معدنی)",
     "agriculture", 16_000, None, "", None, ""),
    ("IR-05", "table_1", 9, "تولید محصولات زراعی آبی", "agriculture", 12_000, None, "", None, ""),
    ("IR-05", "table_1", 10, "تولید محصولات باغی آبی غیر از گردو", "agriculture", 9_000, None, "", None, ""),
    ("IR-05", "table_1", 11, "زنجیره تأمین تولید گوشت مرغ و بلدرچین", "agriculture", 9_000, None, "", None, ""),
    ("IR-05", "table_1", 12, "فناوری اطلاعات", "ict", None, None, "", None, ""),
    ("IR-16", "table_2", 1, "گردشگری مذهبی", "tourism", None, 2_000, "مهران ایلام", "1605", ""),
    ("IR-16", "table_2", 2, "دامپروری و تولید محصولات لبنی و گوشت قرمز", "agriculture", None, 500, "سطح استان",
     None, ""),
    ("IR-16", "table_2", 3, "صنایع دستی و فرش دستبافت", "handicrafts", None, 1_000, "سطح استان", None, ""),
    ("IR-16", "table_2", 4, "فناوری اطلاعات", "ict", None, None, "", None, ""),
    ("IR-16", "table_3", 1, "صنایع تبدیلی و غذایی کشاورزی", "agriculture", None, 4_000, "سطح استان", None, "تکاپو"),
    ("IR-16", "table_3", 2, "شیلات و آبزیان", "agriculture", None, 2_500, "سطح استان", None, "تکاپو"),
    ("IR-16", "table_3", 3, "پوشاک و نساجی", "industry", None, 3_000, "سطح استان", None, "تکاپو"),
    ("IR-16", "table_3", 4, "گیاهان دارویی", "agriculture", None, 2_500, "سطح استان", None, "تکاپو"),
    ("IR-16", "table_3", 5, "فناوری اطلاعات", "ict", None, None, "", None, "تکاپو"),
    ("IR-13", "table_4", 1, "گردشگری", "tourism", None, 3_900, "", None, ""),
    ("IR-13", "table_4", 2, "مبلمان و منبت", "industry", None, 3_400, "", None, ""),
    ("IR-13", "table_4", 3, "تولید انواع پوشاک", "industry", None, 3_000, "", None, ""),
    ("IR-13", "table_4", 4, "صنایع تبدیلی کشاورزی (در زمینه کشمش، گردو و ...)", "agriculture", None, 5_400, "",
     None, ""),
    ("IR-13", "table_4", 5, "صنایع دستی و سفال", "handicrafts", None, 2_000, "", None, ""),
    ("IR-13", "table_4", 6, "کفش و مصنوعات چرمی", "industry", None, None, "", None, ""),
    ("IR-13", "table_4", 7, "فناوری اطلاعات", "ict", None, None, "", None, ""),
]


@pytest.mark.parametrize(
    ("province", "source", "rank", "name", "sector", "estimated", "new_jobs", "scope", "county", "plan"),
    PRIORITY_SECTORS)
def test_priority_sector_row(province, source, rank, name, sector, estimated, new_jobs, scope, county, plan):
    row = PrioritySector.objects.select_related("economic_sector", "county").get(
        province__code=province, source=source, rank=rank)
    assert row.name == name
    assert row.name_en
    assert row.economic_sector.code == sector
    assert row.estimated_employment == estimated
    assert row.new_jobs == new_jobs
    assert row.county_scope == scope
    assert (row.county.code if row.county else None) == county
    assert row.plan == plan
    # Table 4 names no province; Hamadan is our inference (brief §6).
    assert row.province_inferred is (source == "table_4")
    assert row.created_by is None


def test_priority_sectors_are_exactly_the_seed_rows():
    assert PrioritySector.objects.count() == len(PRIORITY_SECTORS) == 28
    counts = {source: PrioritySector.objects.filter(source=source).count()
              for source in ("table_1", "table_2", "table_3", "table_4", "officer")}
    assert counts == {"table_1": 12, "table_2": 4, "table_3": 5, "table_4": 7, "officer": 0}


def test_table_1_is_an_employment_index_not_new_jobs():
    rows = PrioritySector.objects.filter(source="table_1")
    assert not rows.filter(new_jobs__isnull=False).exists()
    assert not PrioritySector.objects.exclude(source="table_1").filter(estimated_employment__isnull=False).exists()


def test_lorestan_has_no_seed_priority_sectors():
    assert not PrioritySector.objects.filter(province__code="IR-15").exists()


def test_table_3_stated_total_is_12000_and_equals_its_rows():
    stated = StatedTotal.objects.get(table="3")
    assert (stated.label, stated.new_jobs) == ("مجموع", 12_000)
    assert stated.grants_rials is stated.loans_rials is stated.interest_subsidy_rials is None
    computed = PrioritySector.objects.filter(source="table_3").aggregate(s=Sum("new_jobs"))["s"]
    assert computed == 12_000


# --- Organisations ------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "name"), [
    ("IR-05", "کارگروه اشتغال استان کرمانشاه"),
    ("IR-16", "کارگروه اشتغال استان ایلام"),
    ("IR-15", "کارگروه اشتغال استان لرستان"),
    ("IR-13", "کارگروه اشتغال استان همدان"),
])
def test_each_province_has_its_working_group(code, name):
    assert WorkingGroup.objects.get(province__code=code).name == name


def test_every_economic_sector_has_exactly_one_agency_in_every_province():
    for province in Province.objects.all():
        for sector in EconomicSector.objects.all():
            agencies = sector.agencies.filter(province=province)
            assert agencies.count() == 1, (province.code, sector.code)


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


# --- Loading is idempotent ----------------------------------------------------------------------

SNAPSHOT_MODELS = [Programme, Province, County, Agency, WorkingGroup, Bank, BudgetYear, ProvinceAllocation,
                   StatedTotal, EconomicSector, SectorAllocation, PrioritySector]


def snapshot():
    """Every loaded row's values, plus the many-to-many links, keyed by model."""
    data = {model._meta.label: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS}
    data["bank_provinces"] = sorted(Bank.provinces.through.objects.values_list("bank_id", "province_id"))
    data["sector_agencies"] = sorted(EconomicSector.agencies.through.objects.values_list(
        "economicsector_id", "agency_id"))
    return data


def test_loading_twice_changes_nothing(programme_data):  # noqa: F811
    assert programme_data.total("created") == 148
    before = snapshot()
    report = load_programme()
    assert report.total("created") == report.total("updated") == 0
    assert report.total("unchanged") == 148
    assert snapshot() == before


def test_reloading_restores_an_edited_figure():
    ProvinceAllocation.objects.filter(province__code="IR-16").update(new_jobs=1)
    report = load_programme()
    assert report.counts["programs.ProvinceAllocation"]["updated"] == 1
    assert report.total("updated") == 1
    assert ProvinceAllocation.objects.get(province__code="IR-16").new_jobs == 15_840


def test_reloading_keeps_officer_rows():
    sector = EconomicSector.objects.get(code="agriculture")
    PrioritySector.objects.create(province=Province.objects.get(code="IR-15"), source="officer", rank=1,
                                  name="زنبورداری", economic_sector=sector)
    load_programme()
    assert PrioritySector.objects.filter(source="officer").count() == 1


def test_command_prints_counts():
    out = io.StringIO()
    call_command("load_programme", stdout=out)
    text = out.getvalue()
    assert "programs.County: 0 created, 0 updated, 46 unchanged" in text
    assert "Total: 0 created, 0 updated, 148 unchanged." in text
