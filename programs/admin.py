from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import PersianModelAdmin
from common.fields import PersianTextField
from common.normalization import to_persian_digits

from .calendar import period_label, programme_start
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


class StageAdminForm(forms.ModelForm):
    """The stage's change form: a plan that ends before it starts is refused on its last period
    (in Persian, before the database's constraint ``stage_plan_in_order`` would be)."""

    class Meta:
        model = Stage
        fields = ["number", "phase", "phase_is_uncertain", "title", "activities", "in_seed_chart",
                  "planned_first_period", "planned_last_period", "plan_is_assumption", "meeting_kind",
                  "meetings_required", "monthly_meetings"]

    def clean(self):
        data = super().clean()
        first, last = data.get("planned_first_period"), data.get("planned_last_period")
        if first and last and last < first:
            self.add_error("planned_last_period", _("دوره پایان نباید پیش از دوره آغاز باشد."))
        return data


@admin.register(Phase)
class PhaseAdmin(PersianModelAdmin):
    """The 3 phases of §13. Ministry staff may rename them (the seed gives only their numbers)."""

    list_display = ["number", "title"]


@admin.register(Stage)
class StageAdmin(PersianModelAdmin):
    """The 9 stages of §13 and their planned periods (§14). The seed's bars are lost and the phase
    of stages 6–9 is uncertain, so the flags say how far each row is the seed's; ministry staff
    correct the plan here, and ``load_programme`` never overwrites it (``programs.loading``)."""

    form = StageAdminForm
    list_display = ["number", "title", "phase", "planned_periods", "plan_is_assumption", "phase_is_uncertain",
                    "in_seed_chart", "meeting_kind", "meetings_required", "monthly_meetings"]
    list_display_links = ["number", "title"]
    list_filter = ["phase", "plan_is_assumption", "phase_is_uncertain", "in_seed_chart"]
    fieldsets = [
        (None, {"fields": ["number", "phase", "phase_is_uncertain", "title", "activities", "in_seed_chart"]}),
        (_("برنامه زمانی (دوره‌های دوماهه از آغاز برنامه)"), {
            "fields": ["planned_first_period", "planned_last_period", "plan_is_assumption", "planned_periods"]}),
        (_("جلسات لازم"), {"fields": ["meeting_kind", "meetings_required", "monthly_meetings"]}),
    ]
    readonly_fields = ["planned_periods"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "activities":
            return PersianTextField(label=db_field.verbose_name, help_text=db_field.help_text, rows=6)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("دوره‌های برنامه"))
    def planned_periods(self, stage):
        """The plan as Jalali months: «دوره ۱ (تیر–مرداد ۱۳۹۸) تا دوره ۲ (شهریور–مهر ۱۳۹۸)»."""
        if stage is None or stage.pk is None:
            return ""
        start = programme_start()
        return _("دوره %(first)s (%(first_label)s) تا دوره %(last)s (%(last_label)s)") % {
            "first": to_persian_digits(stage.planned_first_period),
            "first_label": period_label(stage.planned_first_period, start),
            "last": to_persian_digits(stage.planned_last_period),
            "last_label": period_label(stage.planned_last_period, start),
        }
