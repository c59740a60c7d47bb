from django.contrib import admin

from accounts.admin_access import MinistryAdmin

from .models import Agency, Bank, BudgetYear, County, Programme, Province, ProvinceAllocation, StatedTotal, WorkingGroup


@admin.register(Programme)
class ProgrammeAdmin(MinistryAdmin):
    list_display = ["name", "start_date", "new_jobs_target", "retained_jobs_target", "cost_per_job_rials"]


@admin.register(Province)
class ProvinceAdmin(MinistryAdmin):
    list_display = ["code", "name", "name_en"]


@admin.register(County)
class CountyAdmin(MinistryAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["name", "code"]


@admin.register(Agency)
class AgencyAdmin(MinistryAdmin):
    list_display = ["name", "province", "code"]
    list_filter = ["province"]
    search_fields = ["name", "code"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(MinistryAdmin):
    list_display = ["name", "province"]


@admin.register(Bank)
class BankAdmin(MinistryAdmin):
    list_display = ["name", "code", "is_demo"]
    filter_horizontal = ["provinces"]


@admin.register(BudgetYear)
class BudgetYearAdmin(MinistryAdmin):
    list_display = ["year"]


@admin.register(ProvinceAllocation)
class ProvinceAllocationAdmin(MinistryAdmin):
    list_display = ["province", "budget_year", "new_jobs", "grants_rials", "loans_rials", "interest_subsidy_rials"]
    list_filter = ["budget_year", "province"]


@admin.register(StatedTotal)
class StatedTotalAdmin(MinistryAdmin):
    list_display = ["table", "label", "new_jobs", "grants_rials", "loans_rials", "interest_subsidy_rials"]
