from django.contrib import admin

from common.admin import PersianModelAdmin

from .models import EconomicSector, PrioritySector, SectorAllocation


@admin.register(EconomicSector)
class EconomicSectorAdmin(PersianModelAdmin):
    list_display = ["row", "name", "name_en", "code"]
    filter_horizontal = ["agencies"]


@admin.register(SectorAllocation)
class SectorAllocationAdmin(PersianModelAdmin):
    list_display = ["economic_sector", "budget_year", "new_jobs", "grants_rials", "loans_rials",
                    "interest_subsidy_rials"]
    list_filter = ["budget_year"]


@admin.register(PrioritySector)
class PrioritySectorAdmin(PersianModelAdmin):
    list_display = ["name", "province", "source", "rank", "economic_sector", "estimated_employment", "new_jobs",
                    "province_inferred"]
    list_filter = ["province", "source", "economic_sector", "province_inferred"]
    search_fields = ["name", "name_en"]
