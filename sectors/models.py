"""Economic sectors (Table 8) and the provinces' priority sectors (Tables 1–4, §6)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Agency, AllocationFigures, BudgetYear, County, Province


class EconomicSector(models.Model):
    """One of the 11 economic sectors of Table 8. ``agencies`` are the provincial executive
    agencies that cover it (roles.md)."""

    code = models.SlugField(_("شناسه"), max_length=40, unique=True)
    row = models.PositiveSmallIntegerField(_("ردیف جدول ۸"), unique=True)
    name = models.CharField(_("نام"), max_length=100, unique=True)
    name_en = models.CharField(_("نام انگلیسی"), max_length=100)
    agencies = models.ManyToManyField(Agency, related_name="economic_sectors", blank=True,
                                      verbose_name=_("دستگاه‌های اجرایی"))

    class Meta:
        ordering = ["row"]
        verbose_name = _("بخش اقتصادی")
        verbose_name_plural = _("بخش‌های اقتصادی")

    def __str__(self):
        return self.name


class SectorAllocation(AllocationFigures):
    """An economic sector's job target and money for one year (Table 8). Amounts in rials."""

    economic_sector = models.ForeignKey(EconomicSector, on_delete=models.PROTECT, related_name="allocations",
                                        verbose_name=_("بخش اقتصادی"))
    budget_year = models.ForeignKey(BudgetYear, on_delete=models.PROTECT, related_name="sector_allocations",
                                    verbose_name=_("سال بودجه"))

    class Meta:
        ordering = ["budget_year__year", "economic_sector__row"]
        constraints = [
            models.UniqueConstraint(fields=["economic_sector", "budget_year"], name="sector_allocation_unique"),
        ]
        verbose_name = _("تخصیص بخش اقتصادی")
        verbose_name_plural = _("تخصیص‌های بخش‌های اقتصادی")

    def __str__(self):
        return f"{self.economic_sector} {self.budget_year}"


class PrioritySector(models.Model):
    """A province's priority sector (رسته). From the seed's Tables 1–4, or entered by an officer.

    - ``estimated_employment``: Table 1's employment index (persons), not new jobs.
    - ``new_jobs``: Tables 2–4's new-job capacity (persons). Blank cells stay ``None``.
    - ``county_scope``: the county cell as the seed writes it; ``county`` when it names one.
    - ``province_inferred``: the province is our inference (Table 4 → Hamadan).
    """

    class Source(models.TextChoices):
        TABLE_1 = "table_1", _("جدول ۱")
        TABLE_2 = "table_2", _("جدول ۲")
        TABLE_3 = "table_3", _("جدول ۳")
        TABLE_4 = "table_4", _("جدول ۴")
        OFFICER = "officer", _("ثبت‌شده توسط استان")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="priority_sectors",
                                 verbose_name=_("استان"))
    source = models.CharField(_("منبع"), max_length=20, choices=Source.choices)
    rank = models.PositiveSmallIntegerField(_("رتبه یا ردیف"))
    name = models.CharField(_("نام رسته"), max_length=200)
    name_en = models.CharField(_("نام انگلیسی"), max_length=200, blank=True)
    economic_sector = models.ForeignKey(EconomicSector, on_delete=models.PROTECT, related_name="priority_sectors",
                                        verbose_name=_("بخش اقتصادی"))
    estimated_employment = models.PositiveIntegerField(_("اشتغال برآوردی (نفر)"), null=True, blank=True)
    new_jobs = models.PositiveIntegerField(_("اشتغال جدید (نفر)"), null=True, blank=True)
    county_scope = models.CharField(_("شهرستان (متن سند)"), max_length=100, blank=True)
    county = models.ForeignKey(County, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="priority_sectors", verbose_name=_("شهرستان"))
    plan = models.CharField(_("طرح"), max_length=100, blank=True)
    province_inferred = models.BooleanField(_("استان استنباطی"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("ثبت‌کننده"))

    class Meta:
        ordering = ["province__code", "source", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "source", "rank"], name="priority_sector_unique_row"),
        ]
        verbose_name = _("رسته اولویت‌دار")
        verbose_name_plural = _("رسته‌های اولویت‌دار")

    def __str__(self):
        return self.name
