"""The programme's base data: provinces, counties, organisations, targets and budgets (§1–§6, §10, §12).

Money is an integer number of rials (64-bit). Jobs are persons.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .calendar import LAST_PERIOD


class Programme(models.Model):
    """The KALEH programme's headline goals (§3, §10, §11, Table 7). One row."""

    name = models.CharField(_("نام"), max_length=300)
    start_date = models.DateField(_("تاریخ شروع"), help_text=_("آغاز دوره‌های دوماهه (فرض)"))
    new_jobs_target = models.PositiveIntegerField(_("هدف اشتغال جدید (نفر)"))
    retained_jobs_target = models.PositiveIntegerField(_("هدف حفظ اشتغال موجود (نفر)"))
    institutions_target = models.PositiveIntegerField(_("هدف تعداد نهاد"))
    cost_per_job_rials = models.BigIntegerField(_("سرانه هر فرصت شغلی (ریال)"))
    per_capita_income_growth_percent = models.PositiveSmallIntegerField(_("رشد درآمد سرانه (درصد)"))

    class Meta:
        verbose_name = _("برنامه")
        verbose_name_plural = _("برنامه")

    def __str__(self):
        return self.name


class Province(models.Model):
    """A KALEH province. ``code`` is its ISO 3166-2:IR code, e.g. ``IR-05`` for Kermanshah."""

    code = models.CharField(_("کد ISO"), max_length=5, unique=True)
    name = models.CharField(_("نام"), max_length=100, unique=True)
    name_en = models.CharField(_("نام انگلیسی"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("استان")
        verbose_name_plural = _("استان‌ها")

    def __str__(self):
        return self.name


class County(models.Model):
    """An official county (شهرستان); ``code`` is the national county code from the source list."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="counties",
                                 verbose_name=_("استان"))
    code = models.CharField(_("کد"), max_length=8, unique=True)
    name = models.CharField(_("نام"), max_length=100)

    class Meta:
        ordering = ["province__code", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="county_unique_name")]
        verbose_name = _("شهرستان")
        verbose_name_plural = _("شهرستان‌ها")

    def __str__(self):
        return self.name


class Agency(models.Model):
    """A provincial executive agency (دستگاه اجرایی استانی). Its economic sectors are in ``sectors``."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="agencies",
                                 verbose_name=_("استان"))
    code = models.SlugField(_("شناسه"), max_length=60, unique=True)
    name = models.CharField(_("نام"), max_length=200)

    class Meta:
        ordering = ["province__code", "name", "id"]
        verbose_name = _("دستگاه اجرایی استانی")
        verbose_name_plural = _("دستگاه‌های اجرایی استانی")

    def __str__(self):
        return self.name


class WorkingGroup(models.Model):
    """The provincial employment working group (کارگروه اشتغال استان): one per province."""

    province = models.OneToOneField(Province, on_delete=models.PROTECT, related_name="working_group",
                                    verbose_name=_("استان"))
    name = models.CharField(_("نام"), max_length=200)

    class Meta:
        verbose_name = _("کارگروه اشتغال استان")
        verbose_name_plural = _("کارگروه‌های اشتغال استان")

    def __str__(self):
        return self.name


class Bank(models.Model):
    """An agent bank (بانک عامل). ``provinces`` lists where it has branches for the programme."""

    code = models.SlugField(_("شناسه"), max_length=40, unique=True)
    name = models.CharField(_("نام"), max_length=200, unique=True)
    provinces = models.ManyToManyField(Province, related_name="banks", blank=True,
                                       verbose_name=_("استان‌های دارای شعبه"))
    is_demo = models.BooleanField(_("نمایشی"), default=False,
                                  help_text=_("بانک‌های عامل در سند نام برده نشده‌اند."))

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("بانک عامل")
        verbose_name_plural = _("بانک‌های عامل")

    def __str__(self):
        return self.name


class BudgetYear(models.Model):
    """A Jalali budget year (e.g. 1398). Table 6 is the budget for 1398; staff add later years."""

    year = models.PositiveSmallIntegerField(_("سال"), unique=True,
                                            validators=[MinValueValidator(1390), MaxValueValidator(1450)])

    class Meta:
        ordering = ["year"]
        verbose_name = _("سال بودجه")
        verbose_name_plural = _("سال‌های بودجه")

    def __str__(self):
        return str(self.year)


class AllocationFigures(models.Model):
    """A year's job target (persons) and money (rials) for a province or an economic sector:
    the columns of Tables 6 and 8."""

    new_jobs = models.PositiveIntegerField(_("اشتغال (نفر)"))
    grants_rials = models.BigIntegerField(_("کمک‌های بلاعوض، فنی و اعتباری (ریال)"))
    loans_rials = models.BigIntegerField(_("تسهیلات (ریال)"))
    interest_subsidy_rials = models.BigIntegerField(_("یارانه سود تسهیلات (ریال)"))
    is_demo = models.BooleanField(_("نمایشی"), default=False,
                                  help_text=_("تخصیص ساختگی داده‌های نمایشی، نه رقم سند (roles.md)."))

    class Meta:
        abstract = True


class ProvinceAllocation(AllocationFigures):
    """A province's job target and budget for one year (Table 6, §10). Amounts in rials."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="allocations",
                                 verbose_name=_("استان"))
    budget_year = models.ForeignKey(BudgetYear, on_delete=models.PROTECT, related_name="province_allocations",
                                    verbose_name=_("سال بودجه"))

    class Meta:
        ordering = ["budget_year__year", "province__code"]
        constraints = [
            models.UniqueConstraint(fields=["province", "budget_year"], name="province_allocation_unique"),
        ]
        verbose_name = _("تخصیص استانی")
        verbose_name_plural = _("تخصیص‌های استانی")

    def __str__(self):
        return f"{self.province} {self.budget_year}"


class StatedTotal(models.Model):
    """A total row as the seed states it, kept beside the computed sum so a difference shows.

    ``table`` is the seed's table (``6``, ``8``, ``3``). Blank figures are ``None``.
    """

    table = models.CharField(_("جدول"), max_length=10, unique=True)
    label = models.CharField(_("عنوان"), max_length=200)
    new_jobs = models.PositiveIntegerField(_("اشتغال (نفر)"), null=True, blank=True)
    grants_rials = models.BigIntegerField(_("کمک‌های بلاعوض (ریال)"), null=True, blank=True)
    loans_rials = models.BigIntegerField(_("تسهیلات (ریال)"), null=True, blank=True)
    interest_subsidy_rials = models.BigIntegerField(_("یارانه سود (ریال)"), null=True, blank=True)

    class Meta:
        verbose_name = _("جمع اعلام‌شده در سند")
        verbose_name_plural = _("جمع‌های اعلام‌شده در سند")

    def __str__(self):
        return self.label


class MeetingKind(models.TextChoices):
    """The meetings the seed asks for in its stages (§13)."""

    STAKEHOLDER = "stakeholder", _("جلسه با مسئولان استان")
    PUBLIC = "public", _("جلسه عمومی")
    MONTHLY_OFFICIALS = "monthly_officials", _("جلسه ماهانه مسئولان استان")
    COORDINATION = "coordination", _("جلسه هماهنگی استانی")
    OTHER = "other", _("سایر")


class Phase(models.Model):
    """One of the programme's 3 phases (§13)."""

    number = models.PositiveSmallIntegerField(_("شماره"), unique=True)
    title = models.CharField(_("عنوان"), max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("فاز")
        verbose_name_plural = _("فازها")

    def __str__(self):
        return str(self.title)


class Stage(models.Model):
    """One of the programme's 9 stages (§13) and its planned two-month periods (§14).

    Periods count from 1 at the programme's start date (``programs.calendar``); the plan is
    ``planned_first_period`` … ``planned_last_period`` inclusive. The seed's Gantt bars are lost,
    so the loaded plan is an assumption (``plan_is_assumption``), and the phase of stages 6–9 is
    uncertain in the copy (``phase_is_uncertain``); ministry staff edit both in the admin.
    ``in_seed_chart`` is false for a stage the §14 chart has no row for (stage 9).
    The meetings it asks for: ``meetings_required`` of ``meeting_kind``, or one a month
    (``monthly_meetings``).
    """

    number = models.PositiveSmallIntegerField(_("شماره"), unique=True)
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="stages", verbose_name=_("فاز"))
    title = models.CharField(_("عنوان"), max_length=300)
    activities = models.TextField(_("فعالیت‌های اصلی"), help_text=_("هر فعالیت در یک سطر"))
    planned_first_period = models.PositiveSmallIntegerField(
        _("دوره برنامه‌ریزی‌شده آغاز"), validators=[MinValueValidator(1), MaxValueValidator(LAST_PERIOD)])
    planned_last_period = models.PositiveSmallIntegerField(
        _("دوره برنامه‌ریزی‌شده پایان"), validators=[MinValueValidator(1), MaxValueValidator(LAST_PERIOD)])
    plan_is_assumption = models.BooleanField(
        _("برنامه زمانی فرضی است"), default=True,
        help_text=_("میله‌های نمودار گانت سند از بین رفته است؛ دوره‌ها فرض ماست."))
    phase_is_uncertain = models.BooleanField(_("فاز نامطمئن"), default=False,
                                             help_text=_("جدول سند برای فاز این مرحله آسیب دیده است."))
    in_seed_chart = models.BooleanField(_("در نمودار زمان‌بندی سند"), default=True)
    meeting_kind = models.CharField(_("نوع جلسه لازم"), max_length=30, choices=MeetingKind.choices, blank=True)
    meetings_required = models.PositiveSmallIntegerField(_("تعداد جلسه لازم"), default=0)
    monthly_meetings = models.BooleanField(_("جلسه ماهانه"), default=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(planned_first_period__lte=models.F("planned_last_period")),
                                   name="stage_plan_in_order"),
        ]
        verbose_name = _("مرحله")
        verbose_name_plural = _("مراحل")

    def __str__(self):
        return str(self.title)

    @property
    def activity_list(self) -> list[str]:
        return [line.strip() for line in self.activities.splitlines() if line.strip()]
