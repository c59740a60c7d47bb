"""Reads for sectors. Priority sectors are public programme data (they appear on ``/program/``),
so the lists narrow by province for convenience, not for secrecy."""

from django.db.models import QuerySet

from common.collation import order_persian
from programs.models import County, Province

from .models import EconomicSector, PrioritySector


def economic_sector_list() -> QuerySet[EconomicSector]:
    """The 11 economic sectors in Table 8's row order."""
    return EconomicSector.objects.order_by("row")


def county_list(*, province: Province) -> QuerySet[County]:
    """The official counties of ``province``, in Persian alphabetical order."""
    return order_persian(County.objects.filter(province=province), "name")


def priority_sector_list(*, user=None, province: Province | None = None) -> QuerySet[PrioritySector]:
    """Priority sectors, by province, source table and rank, with their economic sector and county.

    ``province`` narrows the list; failing that, a user bound to a province sees that province's.
    """
    qs = PrioritySector.objects.select_related("province", "economic_sector", "county").order_by(
        "province__code", "source", "rank", "id")
    province_id = province.pk if province else getattr(user, "province_id", None)
    if province_id:
        qs = qs.filter(province_id=province_id)
    return qs
