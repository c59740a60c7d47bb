"""Loading the programme (``sectors.loading.load_programme`` and ``manage.py load_programme``) is
idempotent: a second run changes nothing, restores an edited figure and keeps officers' rows."""

import io

import pytest
from django.core.management import call_command

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

pytestmark = pytest.mark.usefixtures("programme_data")


SNAPSHOT_MODELS = [Programme, Province, County, Agency, WorkingGroup, Bank, BudgetYear, ProvinceAllocation,
                   StatedTotal, EconomicSector, SectorAllocation, PrioritySector]


def snapshot():
    """Every loaded row's values, plus the many-to-many links, keyed by model."""
    data = {model._meta.label: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS}
    data["bank_provinces"] = sorted(Bank.provinces.through.objects.values_list("bank_id", "province_id"))
    data["sector_agencies"] = sorted(EconomicSector.agencies.through.objects.values_list(
        "economicsector_id", "agency_id"))
    return data


# 148 rows of the seed's tables and organisations, 12 of the timetable (3 phases, 9 stages), 20 of
# the interventions' reference data (19 catalogue entries, 1 funding body).
LOADED_ROWS = 180


def test_loading_twice_changes_nothing(programme_data):
    assert programme_data.total("created") == LOADED_ROWS
    assert programme_data.counts["interventions.CatalogueEntry"]["created"] == 19
    assert programme_data.counts["programs.Stage"]["created"] == 9
    before = snapshot()
    report = load_programme()
    assert report.total("created") == report.total("updated") == 0
    assert report.total("unchanged") == LOADED_ROWS
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
    assert f"Total: 0 created, 0 updated, {LOADED_ROWS} unchanged." in text
