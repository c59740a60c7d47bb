"""The economic and priority sectors as loaded by ``load_programme`` (``sectors.loading``), figure
by figure against the seed: Table 8 (§12) and its stated total, Tables 1–4 (§6), and which agency
covers each economic sector in each province."""

import pytest
from django.db.models import Sum

from programs.models import Province, StatedTotal
from sectors.models import EconomicSector, PrioritySector, SectorAllocation

pytestmark = pytest.mark.usefixtures("programme_data")

B = 10**9  # the seed's money unit is the billion rials


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


def test_every_economic_sector_has_exactly_one_agency_in_every_province():
    for province in Province.objects.all():
        for sector in EconomicSector.objects.all():
            agencies = sector.agencies.filter(province=province)
            assert agencies.count() == 1, (province.code, sector.code)
