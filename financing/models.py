"""Applicants, calls and investment applications, their documents, loans and subsidy payouts.

Money is an integer number of rials (64-bit); jobs are persons; progress is a percent (0–100).
The §9 workflow (states, transitions, who acts next) is ``financing.workflow``; an
``InvestmentApplication`` inherits it. Views, the API and the admin change states only through
``financing.services``.
"""


from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.files import StoredFile, random_file_path
from programs.models import Agency, Bank, County, Province
from sectors.models import EconomicSector, PrioritySector

from .workflow import ApplicationState, ApplicationWorkflow, DocumentKind

__all__ = ["ApplicationState", "Applicant", "Call", "InvestmentApplication", "ApplicationDocument", "LoanContract",
           "Disbursement", "SubsidyPayout", "BankApiKey", "IdempotencyRecord", "ApiCallRecord", "WebhookEndpoint",
           "WebhookDelivery", "WebhookAttempt"]


class Applicant(models.Model):
    """A private or cooperative applicant: a natural person (10-digit national ID) or a legal
    person (11-digit national company ID). ``national_id`` is canonical ASCII digits."""

    class PersonKind(models.TextChoices):
        NATURAL = "natural", _("شخص حقیقی")
        LEGAL = "legal", _("شخص حقوقی")

    class Ownership(models.TextChoices):
        PRIVATE = "private", _("خصوصی")
        COOPERATIVE = "cooperative", _("تعاونی")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applicant",
                                verbose_name=_("کاربر"))
    person_kind = models.CharField(_("نوع شخص"), max_length=10, choices=PersonKind.choices)
    ownership = models.CharField(_("بخش"), max_length=12, choices=Ownership.choices)
    national_id = models.CharField(_("کد ملی یا شناسه ملی"), max_length=11, unique=True)
    name = models.CharField(_("نام متقاضی"), max_length=200)
    mobile = models.CharField(_("تلفن همراه"), max_length=11, blank=True)
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)
    # The name as searches compare it (common.normalization.search_key).
    search_text = models.CharField(max_length=200, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("متقاضی")
        verbose_name_plural = _("متقاضیان")

    def __str__(self):
        return self.name


class Call(models.Model):
    """A call for proposals (فراخوان, §9 step 1), published by an agency for its province's
    priority sectors. Open from ``opens_on`` to ``closes_on`` inclusive."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="calls", verbose_name=_("دستگاه اجرایی"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="calls", verbose_name=_("استان"))
    title = models.CharField(_("عنوان"), max_length=300)
    description = models.TextField(_("شرح"), blank=True)
    priority_sectors = models.ManyToManyField(PrioritySector, related_name="calls", verbose_name=_("رسته‌ها"))
    opens_on = models.DateField(_("تاریخ شروع"))
    closes_on = models.DateField(_("تاریخ پایان"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("منتشرکننده"))
    published_at = models.DateTimeField(_("زمان انتشار"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="call_dates_ordered"),
        ]
        verbose_name = _("فراخوان")
        verbose_name_plural = _("فراخوان‌ها")

    def __str__(self):
        return self.title

    def is_open_on(self, day):
        return self.opens_on <= day <= self.closes_on


class InvestmentApplication(ApplicationWorkflow):
    """An investment project's application for a loan and interest subsidy (§9). Its ``state`` and
    transitions come from ``ApplicationWorkflow``.

    Figures: rials for money, persons for jobs, percent for ``physical_progress_percent``.
    """

    class ProjectKind(models.TextChoices):
        NEW = "new", _("ایجاد طرح جدید")
        EXPANSION = "expansion", _("طرح توسعه‌ای")
        WORKING_CAPITAL = "working_capital", _("سرمایه در گردش")
        COMPLETION = "completion", _("تکمیل طرح با پیشرفت فیزیکی بالای ۶۰ درصد")

    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="applications",
                                  verbose_name=_("متقاضی"))
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("فراخوان"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="applications",
                               verbose_name=_("دستگاه اجرایی"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="applications",
                                 verbose_name=_("استان"))
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="applications", verbose_name=_("شهرستان"))
    priority_sector = models.ForeignKey(PrioritySector, on_delete=models.PROTECT, related_name="applications",
                                        verbose_name=_("رسته"))
    economic_sector = models.ForeignKey(EconomicSector, on_delete=models.PROTECT, related_name="applications",
                                        verbose_name=_("بخش اقتصادی"))
    title = models.CharField(_("عنوان طرح"), max_length=300)
    project_kind = models.CharField(_("نوع طرح"), max_length=20, choices=ProjectKind.choices)
    is_existing_unit = models.BooleanField(_("واحد موجود"), default=False)
    requested_loan_rials = models.BigIntegerField(_("تسهیلات درخواستی (ریال)"), validators=[MinValueValidator(1)])
    own_contribution_rials = models.BigIntegerField(_("آورده متقاضی (ریال)"), validators=[MinValueValidator(0)])
    planned_new_jobs = models.PositiveIntegerField(_("اشتغال جدید پیش‌بینی‌شده (نفر)"))
    planned_retained_jobs = models.PositiveIntegerField(_("اشتغال حفظ‌شده پیش‌بینی‌شده (نفر)"), default=0)
    physical_progress_percent = models.PositiveSmallIntegerField(
        _("پیشرفت فیزیکی (درصد)"), default=0, validators=[MaxValueValidator(100)])

    submitted_at = models.DateTimeField(_("زمان ثبت"))  # indexed with the id (Meta.indexes)
    tracking_code = models.CharField(_("کد رهگیری"), max_length=16, unique=True, null=True, blank=True)
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
                             verbose_name=_("بانک عامل"))
    approved_loan_rials = models.BigIntegerField(_("تسهیلات مصوب بانک (ریال)"), null=True, blank=True)
    operation_started_on = models.DateField(_("تاریخ شروع بهره‌برداری"), null=True, blank=True)
    actual_new_jobs = models.PositiveIntegerField(_("اشتغال جدید ایجادشده (نفر)"), null=True, blank=True)
    actual_retained_jobs = models.PositiveIntegerField(_("اشتغال حفظ‌شده (نفر)"), null=True, blank=True)
    # Title and applicant's name as searches compare them (common.normalization.search_key).
    search_text = models.CharField(max_length=520, editable=False, default="")
    # Every change of the application or its rows (documents, contract, payments) sets it: the
    # bank API's ``updated_since`` filter and cursor (financing.api).
    updated_at = models.DateTimeField(_("زمان آخرین تغییر"), default=timezone.now)
    # The §9 priority (financing.priority): the score the inboxes sort by, and its parts.
    priority_score = models.PositiveSmallIntegerField(_("امتیاز اولویت"), default=0, editable=False)
    priority_parts = models.JSONField(_("اجزای امتیاز اولویت"), default=dict, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        # The paged lists read a page's ids from these alone (common.paging): the inboxes
        # (selectors.application_inbox: a scope, a few states, oldest change first) and the lists
        # (selectors.applications_visible_to: everything, or a scope, newest first).
        indexes = [
            models.Index(fields=["agency", "state", "state_changed_at", "id"], name="app_agency_inbox_idx"),
            models.Index(fields=["province", "state", "state_changed_at", "id"], name="app_province_inbox_idx"),
            models.Index(fields=["bank", "state", "state_changed_at", "id"], name="app_bank_inbox_idx"),
            models.Index(fields=["submitted_at", "id"], name="app_submitted_idx"),
            models.Index(fields=["agency", "submitted_at", "id"], name="app_agency_list_idx"),
            models.Index(fields=["province", "submitted_at", "id"], name="app_province_list_idx"),
            models.Index(fields=["bank", "submitted_at", "id"], name="app_bank_list_idx"),
            # The bank API's list: a bank's applications, changed since, in a stable cursor order.
            models.Index(fields=["bank", "updated_at", "id"], name="app_bank_updated_idx"),
            # The inboxes sorted by priority (selectors.application_inbox(order="priority")).
            models.Index(fields=["agency", "state", "-priority_score", "state_changed_at", "id"],
                         name="app_agency_priority_idx"),
            models.Index(fields=["province", "state", "-priority_score", "state_changed_at", "id"],
                         name="app_province_priority_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(requested_loan_rials__gt=0), name="app_loan_positive"),
            models.CheckConstraint(condition=models.Q(physical_progress_percent__lte=100), name="app_progress_max"),
        ]
        verbose_name = _("طرح سرمایه‌گذاری")
        verbose_name_plural = _("طرح‌های سرمایه‌گذاری")

    def __str__(self):
        return self.title


def _document_path(instance, filename):
    return random_file_path(f"applications/{instance.application_id}", filename)


class ApplicationDocument(StoredFile):
    """A file attached to an application: the feasibility study, the bank's documents, or proof
    of operation. Stored outside the web root; served only through a scoped view."""

    Kind = DocumentKind

    application = models.ForeignKey(InvestmentApplication, on_delete=models.PROTECT, related_name="documents",
                                    verbose_name=_("طرح"))
    kind = models.CharField(_("نوع"), max_length=30, choices=Kind.choices)
    file = models.FileField(_("فایل"), upload_to=_document_path)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("مستند طرح")
        verbose_name_plural = _("مستندات طرح")


class LoanContract(models.Model):
    """The loan contract (§9 step 7). Rates are percent per year; term and grace in months.

    ``interest_rate_percent`` is the bank's rate; ``subsidy_rate_percent`` the points of it the
    programme pays (roles.md, "The contract's rates"). ``subsidy_committed_rials`` is the interest
    subsidy the schedule gives (``financing.schedule``), committed at signing.
    """

    application = models.OneToOneField(InvestmentApplication, on_delete=models.PROTECT, related_name="contract",
                                       verbose_name=_("طرح"))
    principal_rials = models.BigIntegerField(_("اصل تسهیلات (ریال)"), validators=[MinValueValidator(1)])
    interest_rate_percent = models.DecimalField(_("نرخ سود (درصد)"), max_digits=5, decimal_places=2)
    subsidy_rate_percent = models.DecimalField(_("نرخ یارانه سود (درصد)"), max_digits=5, decimal_places=2)
    term_months = models.PositiveSmallIntegerField(_("مدت بازپرداخت (ماه)"))
    grace_months = models.PositiveSmallIntegerField(_("دوره تنفس (ماه)"))
    planned_tranches = models.PositiveSmallIntegerField(_("تعداد اقساط پرداخت"), default=1)
    # Computed at signing from the terms (financing.schedule.subsidy_total), never typed; 0 for a
    # contract without subsidy.
    subsidy_committed_rials = models.BigIntegerField(_("یارانه سود تعهدشده (ریال)"), validators=[MinValueValidator(0)],
                                                     editable=False)
    signed_on = models.DateField(_("تاریخ انعقاد"))
    bank_reference = models.CharField(_("شماره قرارداد بانک"), max_length=60)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("ثبت‌کننده"))
    recorded_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(principal_rials__gt=0), name="contract_principal_positive"),
            models.CheckConstraint(condition=models.Q(grace_months__lt=models.F("term_months")),
                                   name="contract_grace_shorter_than_term"),
            models.CheckConstraint(condition=models.Q(subsidy_committed_rials__gte=0),
                                   name="contract_subsidy_not_negative"),
        ]
        verbose_name = _("قرارداد تسهیلات")
        verbose_name_plural = _("قراردادهای تسهیلات")

    def __str__(self):
        return self.bank_reference


class RecordedPayment(models.Model):
    """A payment recorded against an application: rials, the day paid, who recorded it and when.
    ``idempotency_key`` makes a request sent twice (a retry, a double click) record it once (C18)."""

    amount_rials = models.BigIntegerField(_("مبلغ (ریال)"), validators=[MinValueValidator(1)])
    paid_on = models.DateField(_("تاریخ پرداخت"))
    idempotency_key = models.CharField(_("کلید تکرار"), max_length=100, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("ثبت‌کننده"))
    recorded_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["paid_on", "id"]

    def __str__(self):
        return f"{self.application_id}: {self.amount_rials}"


class Disbursement(RecordedPayment):
    """A tranche of the loan paid by the bank (§9 step 8)."""

    application = models.ForeignKey(InvestmentApplication, on_delete=models.PROTECT, related_name="disbursements",
                                    verbose_name=_("طرح"))
    bank_reference = models.CharField(_("شماره پیگیری بانک"), max_length=60)

    class Meta(RecordedPayment.Meta):
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_rials__gt=0), name="disbursement_positive"),
            models.UniqueConstraint(fields=["application", "idempotency_key"], name="disbursement_idempotency"),
        ]
        verbose_name = _("قسط پرداختی تسهیلات")
        verbose_name_plural = _("اقساط پرداختی تسهیلات")


class SubsidyPayout(RecordedPayment):
    """A payment of the loan-interest subsidy, made by the working group to the agent bank and
    credited to the applicant's loan, only once operation is confirmed (§9 step 9)."""

    application = models.ForeignKey(InvestmentApplication, on_delete=models.PROTECT, related_name="subsidy_payouts",
                                    verbose_name=_("طرح"))

    class Meta(RecordedPayment.Meta):
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_rials__gt=0), name="subsidy_payout_positive"),
            models.UniqueConstraint(fields=["application", "idempotency_key"], name="subsidy_payout_idempotency"),
        ]
        verbose_name = _("پرداخت یارانه سود")
        verbose_name_plural = _("پرداخت‌های یارانه سود")


# The bank API's and the webhooks' models live with their code; importing them here registers them.
from .api.models import ApiCallRecord, BankApiKey, IdempotencyRecord  # noqa: E402
from .webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint  # noqa: E402
