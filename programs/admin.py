from django.contrib import admin

from .models import Agency, Bank, BudgetYear, County, Programme, Province, ProvinceAllocation, StatedTotal, WorkingGroup


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "new_jobs_target", "retained_jobs_target", "cost_per_job_rials"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["name", "code"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "code"]
    list_filter = ["province"]
    search_fields = ["name", "code"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "province"]


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_demo"]
    filter_horizontal = ["provinces"]


@admin.register(BudgetYear)
class BudgetYearAdmin(admin.ModelAdmin):
    list_display = ["year"]


@admin.register(ProvinceAllocation)
class ProvinceAllocationAdmin(admin.ModelAdmin):
    list_display = ["province", "budget_year", "new_jobs", "grants_rials", "loans_rials", "interest_subsidy_rials"]
    list_filter = ["budget_year", "province"]


@admin.register(StatedTotal)
class StatedTotalAdmin(admin.ModelAdmin):
    list_display = ["table", "label", "new_jobs", "grants_rials", "loans_rials", "interest_subsidy_rials"]
