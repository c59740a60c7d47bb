"""Load the interventions' reference data from ``fixtures/interventions.json``: the §7 catalogue
(the seed's entries, each once) and the funding bodies (§8 step 5). Called by ``load_programme``
through ``InterventionsConfig.load_programme_data``; idempotent like the rest of the loader."""

from pathlib import Path

from programs.loading import LoadReport, read_json, upsert

from .models import CatalogueEntry, FundingBody


def load_intervention_data(directory: Path, report: LoadReport) -> None:
    """Upsert the catalogue entries (by number) and the funding bodies (by code)."""
    data = read_json(directory, "interventions.json")
    for row in data["catalogue"]:
        upsert(CatalogueEntry, {"number": row["number"]}, {"title": row["title"], "title_en": row["title_en"]}, report)
    for row in data["funding_bodies"]:
        upsert(FundingBody, {"code": row["code"]},
               {"name": row["name"], "kind": row["kind"], "is_demo": row["is_demo"]}, report)
