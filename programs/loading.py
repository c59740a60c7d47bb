"""Load the programme's base data from ``fixtures/`` (title, §10, §12, Tables 3, 6; counties; organisations;
the phases, stages and default timetable of §13–§14).

The files are described in ``fixtures/README.md``. Loading is idempotent: rows are matched on their
natural keys, changed only when a value differs, and never deleted. The timetable is the exception:
its phases and stages are only created, never changed, because ministry staff edit them in the
admin (``load_timetable``). The economic sectors, their Table 8 allocations and the priority
sectors are loaded by ``sectors.loading``, which calls this.
"""

import csv
import datetime
import json
from collections import Counter, defaultdict
from pathlib import Path

from django.conf import settings
from django.db import models

from .models import (
    Agency,
    Bank,
    BudgetYear,
    County,
    Phase,
    Programme,
    Province,
    ProvinceAllocation,
    Stage,
    StatedTotal,
    WorkingGroup,
)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def fixtures_dir() -> Path:
    """The folder holding the programme's data files (``<project>/fixtures``)."""
    return Path(settings.BASE_DIR) / "fixtures"


def read_json(directory: Path, name: str) -> dict:
    """The parsed content of the JSON file ``name`` in ``directory``."""
    return json.loads((Path(directory) / name).read_text(encoding="utf-8"))


class LoadReport:
    """Counts of rows created, updated and left unchanged, per model label (``programs.Province``)."""

    def __init__(self):
        self.counts: dict[str, Counter] = defaultdict(Counter)

    def add(self, model: type[models.Model], status: str) -> None:
        self.counts[model._meta.label][status] += 1

    def total(self, status: str) -> int:
        return sum(c[status] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{label}: {c[CREATED]} created, {c[UPDATED]} updated, {c[UNCHANGED]} unchanged"
            for label, c in sorted(self.counts.items())
        ]


def upsert(model: type[models.Model], lookup: dict, values: dict, report: LoadReport, *, related=None):
    """Create the row matching ``lookup`` with ``values``, or update it only where a value differs.

    Use ``*_id`` keys for foreign keys so no related row is fetched. ``related`` maps a
    many-to-many field to the exact list of rows it must hold. Returns the row. Unlike
    ``update_or_create``, an unchanged row is not saved, so a second load writes nothing.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        status = CREATED
    else:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save(update_fields=[name.removesuffix("_id") for name in changed])
        status = UPDATED if changed else UNCHANGED
    for field, targets in (related or {}).items():
        manager = getattr(obj, field)
        if set(manager.values_list("pk", flat=True)) != {t.pk for t in targets}:
            manager.set(targets)
            status = CREATED if status == CREATED else UPDATED
    report.add(model, status)
    return obj


def load_base(directory: Path | None = None, report: LoadReport | None = None) -> LoadReport:
    """Load the programme row, provinces, counties, budget years, Table 6, stated totals,
    organisations (without the agencies' economic sectors, which ``sectors.loading`` sets) and the
    timetable's phases and stages (``load_timetable``).

    ``directory`` defaults to ``fixtures_dir()``. Money in the files is already in rials. Call it
    inside a transaction. Returns ``report`` (a new one if none is given).
    """
    directory = Path(directory or fixtures_dir())
    report = report or LoadReport()
    data = read_json(directory, "programme.json")

    # One row (§3, §10, §11, Table 7): the first one is the programme.
    values = dict(data["programme"])
    values["start_date"] = datetime.date.fromisoformat(values["start_date"])
    existing = Programme.objects.order_by("pk").first()
    upsert(Programme, {"pk": existing.pk} if existing else {}, values, report)

    provinces = {
        row["code"]: upsert(Province, {"code": row["code"]}, {"name": row["name"], "name_en": row["name_en"]}, report)
        for row in data["provinces"]
    }
    years = {year: upsert(BudgetYear, {"year": year}, {}, report) for year in data["budget_years"]}

    table6 = data["province_allocations"]
    year = years[table6["budget_year"]]
    for row in table6["rows"]:
        row = dict(row)
        province = provinces[row.pop("province")]
        upsert(ProvinceAllocation, {"province_id": province.pk, "budget_year_id": year.pk}, row, report)

    for row in data["stated_totals"]:
        load_stated_total(row, report)

    load_counties(directory, provinces, report)
    load_organisations(directory, provinces, report)
    load_timetable(directory, report)
    return report


def load_stated_total(row: dict, report: LoadReport) -> StatedTotal:
    """Upsert one stated total (``{"table": "6", "label": ..., "new_jobs": ..., "*_rials": ...}``)."""
    row = dict(row)
    return upsert(StatedTotal, {"table": row.pop("table")}, row, report)


def load_counties(directory: Path, provinces: dict[str, Province], report: LoadReport) -> None:
    """Upsert the counties of ``counties.csv`` (``province,code,name,source_id``; ``#`` lines are notes)."""
    with open(Path(directory) / "counties.csv", encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            upsert(County, {"code": row["code"]},
                   {"province_id": provinces[row["province"]].pk, "name": row["name"]}, report)


def load_organisations(directory: Path, provinces: dict[str, Province], report: LoadReport) -> None:
    """Upsert the working groups, agencies and (demo) agent banks of ``organisations.json``."""
    data = read_json(directory, "organisations.json")
    for row in data["working_groups"]:
        upsert(WorkingGroup, {"province_id": provinces[row["province"]].pk}, {"name": row["name"]}, report)
    for row in data["agencies"]:
        upsert(Agency, {"code": row["code"]},
               {"province_id": provinces[row["province"]].pk, "name": row["name"]}, report)
    for row in data["banks"]:
        upsert(Bank, {"code": row["code"]}, {"name": row["name"], "is_demo": row["is_demo"]}, report,
               related={"provinces": [provinces[code] for code in row["provinces"]]})


# What a stage row of ``timetable.json`` sets when the stage is created (``chart_title`` is kept in
# the file for the record only: the §14 chart's wording where it differs from §13).
STAGE_FIELDS = ("title", "planned_first_period", "planned_last_period", "plan_is_assumption",
                "phase_is_uncertain", "in_seed_chart", "meeting_kind", "meetings_required", "monthly_meetings")


def load_timetable(directory: Path, report: LoadReport) -> None:
    """Create the phases and stages of ``timetable.json`` (§13, §14) that do not exist yet.

    A phase is matched on its number, a stage on its number; ``activities`` (a list in the file)
    is stored one per line. An existing phase or stage is left exactly as it is (counted
    unchanged): ministry staff edit the plan in the admin (planned periods, phase, the assumption
    flags, titles), and a later load must not undo that. So a correction to the file reaches only
    a database that does not have the stage yet; in one that has it, change it in the admin.
    Raises ``KeyError`` for a stage naming a phase the file does not define.
    """
    data = read_json(directory, "timetable.json")
    phases = {}
    for row in data["phases"]:
        phase = Phase.objects.filter(number=row["number"]).first()
        if phase is None:
            phase = Phase.objects.create(number=row["number"], title=row["title"])
            report.add(Phase, CREATED)
        else:
            report.add(Phase, UNCHANGED)
        phases[row["number"]] = phase
    for row in data["stages"]:
        if Stage.objects.filter(number=row["number"]).exists():
            report.add(Stage, UNCHANGED)
            continue
        values = {name: row[name] for name in STAGE_FIELDS}
        Stage.objects.create(number=row["number"], phase=phases[row["phase"]],
                             activities="\n".join(row["activities"]), **values)
        report.add(Stage, CREATED)
