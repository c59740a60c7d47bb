from django.contrib import admin

from accounts.admin_access import MinistryAdmin

from .models import EconomicSector, PrioritySector, SectorAllocation


@admin.register(EconomicSector)
class EconomicSectorAdmin(MinistryAdmin):
    list_display = ["row", "name", "name_en", "code"]
    filter_horizontal = ["agencies"]


@admin.register(SectorAllocation)
class SectorAllocationAdmin(MinistryAdmin):
    list_display = ["economic_sector", "budget_year", "new_jobs", "grants_rials", "loans_rials",
                    "interest_subsidy_rials"]
    list_filter = ["budget_year"]


@admin.register(PrioritySector)
class PrioritySectorAdmin(MinistryAdmin):
    list_display = ["name", "province", "source", "rank", "economic_sector", "estimated_employment", "new_jobs",
                    "province_inferred"]
    list_filter = ["province", "source", "economic_sector", "province_inferred"]
    search_fields = ["name", "name_en"]
