"""Applicants, calls and investment applications with the §9 workflow, loans and subsidy payouts.

Money is an integer number of rials (64-bit); jobs are persons; progress is a percent (0–100).
The workflow is the table in roles.md, one decorated transition per step. Each transition takes the
acting user as ``by`` and checks the role itself, so calling it directly cannot skip the check (C17).
Views, the API and the admin call ``financing.services``, never these methods.
"""

import functools
import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from accounts.models import Role
from programs.models import Agency, Bank, County, Province
from sectors.models import EconomicSector, PrioritySector

from . import permissions
from .exceptions import ActionPermissionDenied


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
    # The name as searches compare it (programs.normalization.search_key).
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


class ApplicationState(models.TextChoices):
    """The §9 chain in the programme's order (roles.md)."""

    SUBMITTED = "submitted", _("ثبت‌شده")
    AGENCY_REVIEW = "agency_review", _("در بررسی دستگاه اجرایی")
    RETURNED = "returned", _("بازگشت برای اصلاح")
    AGENCY_APPROVED = "agency_approved", _("تأییدشده توسط دستگاه اجرایی")
    WORKING_GROUP_REVIEW = "working_group_review", _("در بررسی کارگروه اشتغال")
    REFERRED_TO_BANK = "referred_to_bank", _("ارجاع‌شده به بانک عامل")
    BANK_REVIEW = "bank_review", _("در بررسی بانک عامل")
    BANK_APPROVED = "bank_approved", _("تأییدشده توسط بانک عامل")
    CONTRACTED = "contracted", _("قرارداد منعقدشده")
    DISBURSING = "disbursing", _("در حال پرداخت تسهیلات")
    FULLY_DISBURSED = "fully_disbursed", _("تسهیلات کامل پرداخت‌شده")
    OPERATION_DECLARED = "operation_declared", _("بهره‌برداری اعلام‌شده")
    OPERATING = "operating", _("در حال بهره‌برداری")
    SUBSIDY_IN_PAYMENT = "subsidy_in_payment", _("در حال پرداخت یارانه سود")
    CLOSED = "closed", _("مختومه")
    REJECTED = "rejected", _("ردشده")
    WITHDRAWN = "withdrawn", _("انصراف‌داده")


S = ApplicationState

# Who takes the next step from each state (for inboxes and the public tracking page).
NEXT_ACTOR = {
    S.SUBMITTED: Role.AGENCY_OFFICER,
    S.AGENCY_REVIEW: Role.AGENCY_OFFICER,
    S.RETURNED: Role.APPLICANT,
    S.AGENCY_APPROVED: Role.WORKING_GROUP_SECRETARY,
    S.WORKING_GROUP_REVIEW: Role.WORKING_GROUP_SECRETARY,
    S.REFERRED_TO_BANK: Role.BANK_OFFICER,
    S.BANK_REVIEW: Role.BANK_OFFICER,
    S.BANK_APPROVED: Role.BANK_OFFICER,
    S.CONTRACTED: Role.BANK_OFFICER,
    S.DISBURSING: Role.BANK_OFFICER,
    S.FULLY_DISBURSED: Role.APPLICANT,
    S.OPERATION_DECLARED: Role.BANK_OFFICER,
    S.OPERATING: Role.WORKING_GROUP_SECRETARY,
    S.SUBSIDY_IN_PAYMENT: Role.WORKING_GROUP_SECRETARY,
}
FINAL_STATES = (S.CLOSED, S.REJECTED, S.WITHDRAWN)
# "Any state before the bank's decision" (roles.md): the applicant may withdraw.
WITHDRAWABLE_STATES = (
    S.SUBMITTED, S.AGENCY_REVIEW, S.RETURNED, S.AGENCY_APPROVED,
    S.WORKING_GROUP_REVIEW, S.REFERRED_TO_BANK, S.BANK_REVIEW,
)


def actor_transition(*, source, target, permission):
    """A django-fsm transition that also checks ``permission(instance, by)`` when it runs.

    django-fsm checks ``permission`` only through ``has_transition_perm``; this wrapper makes a
    direct call refuse the wrong actor too (C17). The state is unchanged when it refuses.
    """

    def decorate(func):
        @functools.wraps(func)
        def checked(self, *args, by, **kwargs):
            if not permission(self, by):
                raise ActionPermissionDenied()
            return func(self, *args, by=by, **kwargs)

        return transition(field="state", source=source, target=target, permission=permission)(checked)

    return decorate


class InvestmentApplication(ConcurrentTransitionMixin, models.Model):
    """An investment project's application for a loan and interest subsidy (§9).

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

    state = FSMField(_("وضعیت"), max_length=30, choices=ApplicationState.choices, default=S.SUBMITTED,
                     protected=True, db_index=True)
    state_changed_at = models.DateTimeField(_("زمان آخرین تغییر وضعیت"), db_index=True)
    submitted_at = models.DateTimeField(_("زمان ثبت"))  # indexed with the id (Meta.indexes)
    tracking_code = models.CharField(_("کد رهگیری"), max_length=16, unique=True, null=True, blank=True)
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
                             verbose_name=_("بانک عامل"))
    approved_loan_rials = models.BigIntegerField(_("تسهیلات مصوب بانک (ریال)"), null=True, blank=True)
    operation_started_on = models.DateField(_("تاریخ شروع بهره‌برداری"), null=True, blank=True)
    actual_new_jobs = models.PositiveIntegerField(_("اشتغال جدید ایجادشده (نفر)"), null=True, blank=True)
    actual_retained_jobs = models.PositiveIntegerField(_("اشتغال حفظ‌شده (نفر)"), null=True, blank=True)
    # Title and applicant's name as searches compare them (programs.normalization.search_key).
    search_text = models.CharField(max_length=520, editable=False, default="")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        # The paged lists read a page's ids from these alone (financing.paging): the inboxes
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
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(requested_loan_rials__gt=0), name="app_loan_positive"),
            models.CheckConstraint(condition=models.Q(physical_progress_percent__lte=100), name="app_progress_max"),
        ]
        verbose_name = _("طرح سرمایه‌گذاری")
        verbose_name_plural = _("طرح‌های سرمایه‌گذاری")

    def __str__(self):
        return self.title

    @property
    def next_actor(self):
        return NEXT_ACTOR.get(self.state)

    # --- agency (§9 steps 2–4) -------------------------------------------------------------
    @actor_transition(source=S.SUBMITTED, target=S.AGENCY_REVIEW, permission=permissions.is_agency_officer)
    def start_agency_review(self, *, by):
        """The agency opens its review of the feasibility study."""

    @actor_transition(source=S.AGENCY_REVIEW, target=S.AGENCY_APPROVED, permission=permissions.is_agency_officer)
    def approve_by_agency(self, *, by, tracking_code):
        """Initial approval; the tracking code is issued once, at the first approval (§9 step 4)."""
        if not self.tracking_code:
            self.tracking_code = tracking_code

    @actor_transition(source=S.AGENCY_REVIEW, target=S.REJECTED, permission=permissions.is_agency_officer)
    def reject_by_agency(self, *, by):
        """Rejected on eligibility or justification (§9 step 3)."""

    @actor_transition(source=S.AGENCY_REVIEW, target=S.RETURNED, permission=permissions.is_agency_officer)
    def return_by_agency(self, *, by):
        """Sent back to the applicant for revision."""

    @actor_transition(source=S.RETURNED, target=S.SUBMITTED, permission=permissions.is_owner)
    def resubmit(self, *, by):
        """The applicant sends the revised application back to the agency."""

    # --- working group (§9 step 5) --------------------------------------------------------
    @actor_transition(source=S.AGENCY_APPROVED, target=S.WORKING_GROUP_REVIEW,
                      permission=permissions.is_working_group_secretary)
    def start_working_group_review(self, *, by):
        """The working group checks alignment with the priority sectors."""

    @actor_transition(source=S.WORKING_GROUP_REVIEW, target=S.REFERRED_TO_BANK,
                      permission=permissions.is_working_group_secretary)
    def refer_to_bank(self, *, by, bank):
        """Referred to the agent bank the secretary chooses."""
        self.bank = bank

    @actor_transition(source=S.WORKING_GROUP_REVIEW, target=S.REJECTED,
                      permission=permissions.is_working_group_secretary)
    def reject_by_working_group(self, *, by):
        """Not aligned with the province's priority sectors."""

    @actor_transition(source=S.WORKING_GROUP_REVIEW, target=S.RETURNED,
                      permission=permissions.is_working_group_secretary)
    def return_by_working_group(self, *, by):
        """Sent back to the applicant for revision."""

    # --- agent bank (§9 steps 6–8) --------------------------------------------------------
    @actor_transition(source=S.REFERRED_TO_BANK, target=S.BANK_REVIEW, permission=permissions.is_bank_officer)
    def start_bank_review(self, *, by):
        """The bank reviews technical, economic and financial feasibility."""

    @actor_transition(source=S.BANK_REVIEW, target=S.BANK_APPROVED, permission=permissions.is_bank_officer)
    def approve_by_bank(self, *, by, approved_loan_rials):
        """The bank approves a loan of ``approved_loan_rials``."""
        self.approved_loan_rials = approved_loan_rials

    @actor_transition(source=S.BANK_REVIEW, target=S.REJECTED, permission=permissions.is_bank_officer)
    def reject_by_bank(self, *, by):
        """The bank refuses the loan."""

    @actor_transition(source=S.BANK_APPROVED, target=S.CONTRACTED, permission=permissions.is_bank_officer)
    def sign_contract(self, *, by):
        """The applicant's documents are complete and the loan contract is signed (§9 step 7)."""

    @actor_transition(source=[S.CONTRACTED, S.DISBURSING], target=RETURN_VALUE(S.DISBURSING, S.FULLY_DISBURSED),
                      permission=permissions.is_bank_officer)
    def record_disbursement(self, *, by, fully_disbursed):
        """A tranche is paid (§9 step 8); the last one makes the loan fully disbursed."""
        return S.FULLY_DISBURSED if fully_disbursed else S.DISBURSING

    # --- operation and subsidy (§9 step 9) ------------------------------------------------
    @actor_transition(source=S.FULLY_DISBURSED, target=S.OPERATION_DECLARED, permission=permissions.is_owner)
    def declare_operation(self, *, by, operation_started_on, actual_new_jobs, actual_retained_jobs):
        """The applicant declares the project operating, with the jobs actually created and kept."""
        self.operation_started_on = operation_started_on
        self.actual_new_jobs = actual_new_jobs
        self.actual_retained_jobs = actual_retained_jobs

    @actor_transition(source=S.OPERATION_DECLARED, target=S.OPERATING,
                      permission=permissions.can_confirm_operation)
    def confirm_operation(self, *, by):
        """The bank (or the agency) confirms that the project operates."""

    @actor_transition(source=[S.OPERATING, S.SUBSIDY_IN_PAYMENT],
                      target=RETURN_VALUE(S.SUBSIDY_IN_PAYMENT, S.CLOSED),
                      permission=permissions.is_working_group_secretary)
    def pay_subsidy(self, *, by, fully_paid):
        """The working group pays (part of) the interest subsidy; full payment closes the file."""
        return S.CLOSED if fully_paid else S.SUBSIDY_IN_PAYMENT

    @actor_transition(source=list(WITHDRAWABLE_STATES), target=S.WITHDRAWN, permission=permissions.is_owner)
    def withdraw(self, *, by):
        """The applicant withdraws before the bank decides."""


def _document_path(instance, filename):
    # Random names: the original name is kept in the row, never in the path.
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ApplicationDocument(models.Model):
    """A file attached to an application: the feasibility study, the bank's documents, or proof
    of operation. Stored outside the web root; served only through a scoped view."""

    class Kind(models.TextChoices):
        FEASIBILITY_STUDY = "feasibility_study", _("طرح توجیهی")
        BANK_DOCUMENT = "bank_document", _("مدارک بانک عامل")
        OPERATION_EVIDENCE = "operation_evidence", _("مستندات بهره‌برداری")

    application = models.ForeignKey(InvestmentApplication, on_delete=models.PROTECT, related_name="documents",
                                    verbose_name=_("طرح"))
    kind = models.CharField(_("نوع"), max_length=30, choices=Kind.choices)
    file = models.FileField(_("فایل"), upload_to=_document_path)
    original_name = models.CharField(_("نام فایل"), max_length=255)
    content_type = models.CharField(_("نوع محتوا"), max_length=100)
    size_bytes = models.PositiveIntegerField(_("اندازه (بایت)"))
    sha256 = models.CharField(_("چکیده SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("بارگذاری‌کننده"))
    uploaded_at = models.DateTimeField(_("زمان بارگذاری"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("مستند طرح")
        verbose_name_plural = _("مستندات طرح")

    def __str__(self):
        return self.original_name


class LoanContract(models.Model):
    """The loan contract (§9 step 7). Rates are percent per year; term and grace in months.

    ``subsidy_committed_rials`` is the interest subsidy committed at signing; the rule that
    computes it comes with the budget caps.
    """

    application = models.OneToOneField(InvestmentApplication, on_delete=models.PROTECT, related_name="contract",
                                       verbose_name=_("طرح"))
    principal_rials = models.BigIntegerField(_("اصل تسهیلات (ریال)"), validators=[MinValueValidator(1)])
    interest_rate_percent = models.DecimalField(_("نرخ سود (درصد)"), max_digits=5, decimal_places=2)
    subsidy_rate_percent = models.DecimalField(_("نرخ یارانه سود (درصد)"), max_digits=5, decimal_places=2)
    term_months = models.PositiveSmallIntegerField(_("مدت بازپرداخت (ماه)"))
    grace_months = models.PositiveSmallIntegerField(_("دوره تنفس (ماه)"))
    planned_tranches = models.PositiveSmallIntegerField(_("تعداد اقساط پرداخت"), default=1)
    subsidy_committed_rials = models.BigIntegerField(_("یارانه سود تعهدشده (ریال)"), validators=[MinValueValidator(1)])
    signed_on = models.DateField(_("تاریخ انعقاد"))
    bank_reference = models.CharField(_("شماره قرارداد بانک"), max_length=60)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("ثبت‌کننده"))
    recorded_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(principal_rials__gt=0), name="contract_principal_positive"),
            models.CheckConstraint(condition=models.Q(grace_months__lte=models.F("term_months")),
                                   name="contract_grace_within_term"),
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
