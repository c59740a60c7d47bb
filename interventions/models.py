"""Development interventions (§7, §8): the §7 catalogue, the funding bodies, the intervention with
its execution documents (structure, ownership, management, milestones, resources, outputs,
indicators), its files and the grant instalments paid against its milestones.

Money is an integer number of rials; a milestone's period is a two-month period of the programme
(``programs.calendar``, 1 = the first). The §8 workflow is ``interventions.workflow``; views and
the admin change states only through ``interventions.services``.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.files import StoredFile, random_file_path
from programs.models import Agency, County, Province
from sectors.models import PrioritySector

from .workflow import InterventionState, InterventionWorkflow

__all__ = ["CatalogueEntry", "FundingBody", "Intervention", "InterventionState", "Milestone", "ResourceLine",
           "InterventionFile", "GrantInstalment"]


class CatalogueEntry(models.Model):
    """An entry of the §7 catalogue of development and institutional actions (the seed's text,
    its repeated entries once)."""

    number = models.PositiveSmallIntegerField(_("ردیف"), unique=True)
    title = models.CharField(_("عنوان"), max_length=400, unique=True)
    title_en = models.CharField(_("عنوان انگلیسی"), max_length=400, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("نمونه اقدام توسعه‌ای (بند ۷)")
        verbose_name_plural = _("فهرست نمونه اقدامات توسعه‌ای (بند ۷)")

    def __str__(self):
        return self.title


class FundingBody(models.Model):
    """Where an approved intervention is referred for its resources (§8 step 5): the allocating
    body (the Deputy for Entrepreneurship and Employment Development) or an agent institution."""

    class Kind(models.TextChoices):
        DEPUTY = "deputy", _("دستگاه تخصیص‌دهنده (معاونت)")
        AGENT_INSTITUTION = "agent_institution", _("نهاد عامل")

    code = models.SlugField(_("شناسه"), max_length=40, unique=True)
    name = models.CharField(_("نام"), max_length=200, unique=True)
    kind = models.CharField(_("نوع"), max_length=30, choices=Kind.choices)
    is_demo = models.BooleanField(_("نمایشی"), default=False, help_text=_("نهادهای عامل در سند نام برده نشده‌اند."))

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = _("مرجع تأمین منابع")
        verbose_name_plural = _("مراجع تأمین منابع")

    def __str__(self):
        return self.name


class Intervention(InterventionWorkflow):
    """A development intervention (§8): it creates or develops an institution, or carries out a
    development action, for one priority sector of one province (optionally some of its counties).

    The analysis (§8 step 1), the proposal (step 2) and the execution documents (step 3) are its
    text fields, milestones, resource lines and files. ``grant_rials`` is the grant recorded by
    the ministry (committed against the province's and the economic sector's grants lines).
    """

    class Kind(models.TextChoices):
        CONTRACT_PRODUCTION = "contract_production", _("تولید مبتنی بر قرارداد")
        TRAINING_CENTRE = "training_centre", _("مرکز آموزش مهارت یا آزمایشگاه")
        RULES_REFORM = "rules_reform", _("اصلاح قوانین و مقررات")
        TRAINING_PROGRAMME = "training_programme", _("برنامه آموزشی")
        MARKET_DEVELOPMENT = "market_development", _("توسعه بازار")
        TECHNOLOGY_DEVELOPMENT = "technology_development", _("توسعه تکنولوژی")
        OTHER = "other", _("سایر")

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("دولتی")
        PRIVATE = "private", _("خصوصی")
        PUBLIC_PRIVATE = "public_private", _("مشارکت عمومی-خصوصی")

    title = models.CharField(_("عنوان"), max_length=300)
    kind = models.CharField(_("قالب اقدام"), max_length=30, choices=Kind.choices)
    catalogue_entry = models.ForeignKey(CatalogueEntry, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="interventions", verbose_name=_("نمونه اقدام (بند ۷)"))
    creates_institution = models.BooleanField(_("ایجاد یا توسعه نهاد"), default=True,
                                              help_text=_("نهاد ایجاد یا توسعه می‌دهد؛ وگرنه اقدام توسعه‌ای است."))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="interventions",
                               verbose_name=_("دستگاه اجرایی"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="interventions",
                                 verbose_name=_("استان"))
    priority_sector = models.ForeignKey(PrioritySector, on_delete=models.PROTECT, related_name="interventions",
                                        verbose_name=_("رسته اولویت‌دار"))
    counties = models.ManyToManyField(County, blank=True, related_name="interventions",
                                      verbose_name=_("شهرستان‌ها"))
    # §8 step 1: the analysis.
    business_system = models.TextField(_("تحلیل نظام کسب‌وکار رسته"), blank=True)
    zoning = models.TextField(_("پهنه‌بندی جغرافیایی"), blank=True)
    intervention_points = models.TextField(_("نقاط مداخله"), blank=True)
    # §8 step 3: the execution documents.
    institution_structure = models.TextField(_("ساختار نهاد"), blank=True)
    ownership = models.CharField(_("مالکیت"), max_length=20, choices=Ownership.choices, blank=True)
    management = models.CharField(_("اداره‌کننده نهاد"), max_length=300, blank=True)
    expected_outputs = models.TextField(_("خروجی‌ها و دستاوردهای مورد انتظار"), blank=True)
    indicators = models.TextField(_("شاخص‌های ارزیابی"), blank=True)
    # §8 steps 5–7.
    funding_body = models.ForeignKey(FundingBody, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="interventions", verbose_name=_("مرجع تأمین منابع"))
    grant_rials = models.BigIntegerField(_("کمک بلاعوض مصوب (ریال)"), null=True, blank=True)
    evaluation = models.TextField(_("نتیجه ارزیابی"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("ثبت‌کننده"))
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)
    updated_at = models.DateTimeField(_("زمان آخرین تغییر"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["province", "state"], name="intervention_province_state")]
        constraints = [
            models.CheckConstraint(condition=models.Q(grant_rials__isnull=True) | models.Q(grant_rials__gt=0),
                                   name="intervention_grant_positive"),
        ]
        verbose_name = _("اقدام توسعه‌ای")
        verbose_name_plural = _("اقدامات توسعه‌ای")

    def __str__(self):
        return self.title


class Milestone(models.Model):
    """A milestone of an intervention's timetable: planned in a two-month period of the programme
    (1 = the first), reported done (``done_on``) with a report and evidence files."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="milestones",
                                     verbose_name=_("اقدام توسعه‌ای"))
    order = models.PositiveSmallIntegerField(_("ردیف"))
    title = models.CharField(_("عنوان"), max_length=300)
    planned_period = models.PositiveSmallIntegerField(_("دوره دوماهه برنامه‌ریزی‌شده"),
                                                      validators=[MinValueValidator(1)])
    done_on = models.DateField(_("تاریخ انجام"), null=True, blank=True)
    report = models.TextField(_("گزارش انجام"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("گزارش‌دهنده"))

    class Meta:
        ordering = ["intervention", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "order"], name="milestone_unique_order"),
            models.CheckConstraint(condition=models.Q(planned_period__gte=1), name="milestone_period_positive"),
        ]
        verbose_name = _("گام زمان‌بندی")
        verbose_name_plural = _("گام‌های زمان‌بندی")

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class ResourceLine(models.Model):
    """One source of the resources an intervention asks for (§8 step 3: how resources are provided
    and allocated), in rials. The programme's grant is the line of source ``programme_grant``."""

    class Source(models.TextChoices):
        PROGRAMME_GRANT = "programme_grant", _("کمک بلاعوض برنامه")
        PROVINCIAL_FUNDS = "provincial_funds", _("اعتبارات استانی")
        PRIVATE_PARTNER = "private_partner", _("سهم بخش خصوصی")
        BANK_LOAN = "bank_loan", _("تسهیلات بانکی")
        OTHER = "other", _("سایر منابع")

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="resources",
                                     verbose_name=_("اقدام توسعه‌ای"))
    source = models.CharField(_("منبع"), max_length=30, choices=Source.choices)
    amount_rials = models.BigIntegerField(_("مبلغ (ریال)"))
    purpose = models.CharField(_("محل مصرف"), max_length=300, blank=True)

    class Meta:
        ordering = ["intervention", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_rials__gt=0), name="resource_amount_positive")]
        verbose_name = _("منبع مالی")
        verbose_name_plural = _("منابع مالی")

    def __str__(self):
        return f"{self.get_source_display()}: {self.amount_rials}"


def _intervention_file_path(instance, filename):
    return random_file_path(f"interventions/{instance.intervention_id}", filename)


class InterventionFile(StoredFile):
    """A file of an intervention: an execution document, or the evidence of a milestone."""

    class Kind(models.TextChoices):
        EXECUTION_DOCUMENT = "execution_document", _("مستند اجرایی")
        MILESTONE_EVIDENCE = "milestone_evidence", _("مستند انجام گام")
        EVALUATION = "evaluation", _("گزارش ارزیابی")

    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="files",
                                     verbose_name=_("اقدام توسعه‌ای"))
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, null=True, blank=True, related_name="files",
                                  verbose_name=_("گام"))
    kind = models.CharField(_("نوع"), max_length=30, choices=Kind.choices)
    file = models.FileField(_("فایل"), upload_to=_intervention_file_path)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("مستند اقدام توسعه‌ای")
        verbose_name_plural = _("مستندات اقدامات توسعه‌ای")


class GrantInstalment(models.Model):
    """A grant instalment paid against a milestone reported done (§8 step 6): the amount moves from
    committed to paid on the grants lines. One per milestone."""

    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="instalments",
                                     verbose_name=_("اقدام توسعه‌ای"))
    milestone = models.OneToOneField(Milestone, on_delete=models.PROTECT, related_name="instalment",
                                     verbose_name=_("گام"))
    amount_rials = models.BigIntegerField(_("مبلغ (ریال)"))
    paid_on = models.DateField(_("تاریخ پرداخت"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("ثبت‌کننده"))
    recorded_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_rials__gt=0), name="instalment_amount_positive"),
        ]
        verbose_name = _("قسط کمک بلاعوض")
        verbose_name_plural = _("اقساط کمک بلاعوض")

    def __str__(self):
        return f"{self.milestone}: {self.amount_rials}"
