"""Load the whole programme: ``programs.loading`` first, then the economic sectors (Table 8, §12),
the agencies' sector coverage and the priority sectors (Tables 1–4, §6).

An app above ``sectors`` adds its own reference data by giving its AppConfig a
``load_programme_data(directory, report)`` method, called last, in ``INSTALLED_APPS`` order.

Idempotent: a second run creates and updates nothing. Officer-entered priority sectors are never
touched (they have their own source, ``officer``).
"""

from pathlib import Path

from django.apps import apps
from django.db import transaction

from programs.loading import LoadReport, fixtures_dir, load_base, load_stated_total, read_json, upsert
from programs.models import Agency, BudgetYear, County, Province

from .models import EconomicSector, PrioritySector, SectorAllocation


@transaction.atomic
def load_programme(directory: Path | None = None) -> LoadReport:
    """Load every file of ``fixtures/`` (or ``directory``) in one transaction; return the counts.

    Raises ``KeyError`` or ``County.DoesNotExist`` if a file names a code that is not defined.
    """
    directory = Path(directory or fixtures_dir())
    report = load_base(directory)
    load_economic_sectors(directory, report)
    load_priority_sectors(directory, report)
    # Apps above this layer (the §7 catalogue and funding bodies of ``interventions``) load their
    # own reference data through a hook on their AppConfig, so this module need not import them.
    for config in apps.get_app_configs():
        hook = getattr(config, "load_programme_data", None)
        if hook is not None:
            hook(directory, report)
    return report


def load_economic_sectors(directory: Path, report: LoadReport) -> None:
    """Upsert the 11 economic sectors, their allocation (Table 8: persons, rials), Table 8's stated
    total, and which agencies cover each sector (``organisations.json``)."""
    data = read_json(directory, "economic_sectors.json")
    coverage: dict[str, list[Agency]] = {row["code"]: [] for row in data["economic_sectors"]}
    agencies = {a.code: a for a in Agency.objects.all()}
    for row in read_json(directory, "organisations.json")["agencies"]:
        for code in row["economic_sectors"]:
            coverage[code].append(agencies[row["code"]])

    sectors = {}
    for row in data["economic_sectors"]:
        sectors[row["code"]] = upsert(
            EconomicSector, {"code": row["code"]},
            {"row": row["row"], "name": row["name"], "name_en": row["name_en"]}, report,
            related={"agencies": coverage[row["code"]]},
        )

    table8 = data["sector_allocations"]
    year = BudgetYear.objects.get(year=table8["budget_year"])
    for row in table8["rows"]:
        row = dict(row)
        sector = sectors[row.pop("economic_sector")]
        upsert(SectorAllocation, {"economic_sector_id": sector.pk, "budget_year_id": year.pk}, row, report)

    for row in data["stated_totals"]:
        load_stated_total(row, report)


def load_priority_sectors(directory: Path, report: LoadReport) -> None:
    """Upsert the priority sectors of Tables 1–4, matched on (province, source table, rank)."""
    provinces = {p.code: p.pk for p in Province.objects.all()}
    sectors = {s.code: s.pk for s in EconomicSector.objects.all()}
    for row in read_json(directory, "priority_sectors.json")["priority_sectors"]:
        county_id = County.objects.get(code=row["county"]).pk if row["county"] else None
        lookup = {"province_id": provinces[row["province"]], "source": row["source"], "rank": row["rank"]}
        values = {
            "name": row["name"],
            "name_en": row["name_en"],
            "economic_sector_id": sectors[row["economic_sector"]],
            "estimated_employment": row["estimated_employment"],
            "new_jobs": row["new_jobs"],
            "county_scope": row["county_scope"],
            "county_id": county_id,
            "plan": row["plan"],
            "province_inferred": row["province_inferred"],
        }
        upsert(PrioritySector, lookup, values, report)
