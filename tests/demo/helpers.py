"""What the demo tests share: the programme's reference data, and the audit trail of each application."""

import io
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command, get_commands

from accounts.models import AuditRecord
from financing.models import InvestmentApplication
from tests.factories import (
    AgencyFactory,
    BankFactory,
    CountyFactory,
    EconomicSectorFactory,
    PrioritySectorFactory,
    ProvinceFactory,
    WorkingGroupFactory,
)


def load_reference_data():
    """The programme's data, or four stand-in provinces when the loader is not there."""
    if "load_programme" in get_commands():
        call_command("load_programme", stdout=io.StringIO())
        return
    sectors = [EconomicSectorFactory(code=code) for code in ("agriculture", "industry", "tourism")]
    provinces = [ProvinceFactory(code=code, name_en=name) for code, name in
                 [("IR-05", "Kermanshah"), ("IR-16", "Ilam"), ("IR-15", "Lorestan"), ("IR-13", "Hamadan")]]
    for province in provinces:
        WorkingGroupFactory(province=province)
        CountyFactory(province=province)
        for sector in sectors:
            AgencyFactory(province=province, code=f"{province.code.lower()}-{sector.code}", economic_sectors=[sector])
        if province.code != "IR-15":  # Lorestan has no sector table in the seed
            for rank, sector in enumerate(sectors, start=1):
                PrioritySectorFactory(province=province, economic_sector=sector, rank=rank)
    for code in ("keshavarzi", "tosee-taavon"):
        BankFactory(code=code, provinces=provinces)


def histories() -> dict:
    """``{application pk: [AuditRecord, …]}``, each in the order of the steps, actors loaded."""
    content_type = ContentType.objects.get_for_model(InvestmentApplication)
    by_app = defaultdict(list)
    for record in (AuditRecord.objects.filter(content_type=content_type).select_related("actor")
                   .order_by("object_id", "at", "id")):
        by_app[record.object_id].append(record)
    return by_app
