from django.contrib import admin

from common.admin import PersianModelAdmin

from .models import Agency, Bank, BudgetYear, County, Programme, Province, ProvinceAllocation, StatedTotal, WorkingGroup


@admin.register(Programme)
class ProgrammeAdmin(PersianModelAdmin):
    list_display = ["name", "start_date", "new_jobs_target", "retained_jobs_target", "cost_per_job_rials"]


@admin.register(Province)
class ProvinceAdmin(PersianModelAdmin):
    list_display = ["code", "name", "name_en"]


@admin.register(County)
class CountyAdmin(PersianModelAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["name", "code"]


@admin.register(Agency)
class AgencyAdmin(PersianModelAdmin):
    list_display = ["name", "province", "code"]
    list_filter = ["province"]
    search_fields = ["name", "code"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(PersianModelAdmin):
    list_display = ["name", "province"]


@admin.register(Bank)
class BankAdmin(PersianModelAdmin):
    list_display = ["name", "code", "is_demo"]
    filter_horizontal = ["provinces"]


@admin.register(BudgetYear)
class BudgetYearAdmin(PersianModelAdmin):
    list_display = ["year"]


@admin.register(ProvinceAllocation)
class ProvinceAllocationAdmin(PersianModelAdmin):
    list_display = ["province", "budget_year", "new_jobs", "grants_rials", "loans_rials", "interest_subsidy_rials"]
    list_filter = ["budget_year", "province"]


@admin.register(StatedTotal)
class StatedTotalAdmin(PersianModelAdmin):
    list_display = ["table", "label", "new_jobs", "grants_rials", "loans_rials", "interest_subsidy_rials"]
