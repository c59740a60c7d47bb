"""Writes for financing: registration, calls, submission, documents and every §9 transition.

Each transition service:
- looks the application up within the actor's scope and locks its row (404 outside the scope);
- refuses a stale attempt (``expected_state`` differs) or a concurrent second one (``StaleState``);
- refuses a step the state does not allow (``TransitionNotAllowed``) or the actor may not take
  (``ActionPermissionDenied``), and input that breaks a rule (``BusinessRuleError``);
- runs the django-fsm transition, saves, and writes an audit record, all in one transaction;
- queues the applicant's email and SMS in that transaction, sent only after it commits
  (``financing.notifications``).
Amounts are rials, jobs persons, dates ``datetime.date`` (Gregorian).
"""

import hashlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from accounts.models import Role
from accounts.services import audit_record_create
from programs.normalization import normalize_text, search_key

from . import permissions, tracking
from .documents import detect_document_type
from .exceptions import ActionPermissionDenied, BusinessRuleError, StaleState, TransitionNotAllowed
from .identifiers import canonical_identifier
from .models import (
    Applicant,
    ApplicationDocument,
    ApplicationState,
    Call,
    Disbursement,
    InvestmentApplication,
    LoanContract,
    SubsidyPayout,
)
from .notifications import application_notify
from .selectors import application_get_for_update, callable_sectors

S = ApplicationState
User = get_user_model()


# --- applicants and calls -------------------------------------------------------------------

def application_search_text(title, applicant_name):
    """What an application search compares: its title and its applicant's name (``search_key``)."""
    return search_key(f"{title} {applicant_name}")[:520]


def applicant_register(*, username, password, name, national_id, person_kind, ownership, mobile="", email=""):
    """Create an applicant's account and profile (roles.md: applicants register themselves).

    ``national_id`` may be typed with any digits; it is stored canonical (C08, C09). Raises
    ``ValidationError`` for a bad ID or one already registered (the same person in other digits).
    """
    legal = person_kind == Applicant.PersonKind.LEGAL
    canonical = canonical_identifier(national_id, legal_person=legal)
    if Applicant.objects.filter(national_id=canonical).exists():
        raise ValidationError({"national_id": _("این کد یا شناسه ملی قبلاً ثبت شده است.")})
    name = normalize_text(name)
    # A company typed on an Arabic keyboard (شركت كيان) is the same company as شرکت کیان (C11).
    if legal and Applicant.objects.filter(person_kind=Applicant.PersonKind.LEGAL,
                                          search_text=search_key(name)).exists():
        raise ValidationError({"name": _("شرکتی با همین نام قبلاً ثبت شده است.")})
    with transaction.atomic():
        user = User(username=normalize_text(username), email=email, role=Role.APPLICANT, mobile=mobile,
                    first_name=name[:150])
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        try:
            with transaction.atomic():
                applicant = Applicant.objects.create(user=user, person_kind=person_kind, ownership=ownership,
                                                     national_id=canonical, name=name, mobile=mobile,
                                                     search_text=search_key(name))
        except IntegrityError:
            raise ValidationError({"national_id": _("این کد یا شناسه ملی قبلاً ثبت شده است.")}) from None
    return applicant


def call_publish(*, actor, title, priority_sectors, opens_on, closes_on, description=""):
    """Publish a call (§9 step 1) for some of the agency's province's priority sectors.

    Raises ``ActionPermissionDenied`` unless ``actor`` is an agency officer, ``BusinessRuleError``
    for a sector of another province or dates out of order.
    """
    if not actor.has_role(Role.AGENCY_OFFICER) or actor.agency_id is None:
        raise ActionPermissionDenied()
    agency = actor.agency
    sectors = list(priority_sectors)
    if not sectors:
        raise BusinessRuleError(_("دست‌کم یک رسته را انتخاب کنید."), field="priority_sectors")
    allowed = set(callable_sectors(agency).values_list("pk", flat=True))
    if any(s.pk not in allowed for s in sectors):
        raise BusinessRuleError(_("رسته‌ها باید از رسته‌های اولویت‌دار همین استان و در حوزه این دستگاه باشند."),
                                field="priority_sectors")
    if closes_on < opens_on:
        raise BusinessRuleError(_("تاریخ پایان نباید پیش از تاریخ شروع باشد."), field="closes_on")
    with transaction.atomic():
        call = Call.objects.create(agency=agency, province_id=agency.province_id, title=normalize_text(title),
                                   description=normalize_text(description), opens_on=opens_on, closes_on=closes_on,
                                   published_by=actor)
        call.priority_sectors.set(sectors)
        audit_record_create(actor=actor, target=call, action="publish_call", to_state="published")
    return call


# --- documents --------------------------------------------------------------------------------

# Which document the owner may add in which state.
_DOCUMENT_STATES = {
    ApplicationDocument.Kind.FEASIBILITY_STUDY: (S.SUBMITTED, S.RETURNED),
    ApplicationDocument.Kind.BANK_DOCUMENT: (S.BANK_APPROVED,),
    ApplicationDocument.Kind.OPERATION_EVIDENCE: (S.FULLY_DISBURSED,),
}


def document_kinds_open(application):
    """The kinds of document its owner may add to ``application`` in its current state."""
    return [kind for kind, states in _DOCUMENT_STATES.items() if application.state in states]


def _store_document(*, application, actor, kind, uploaded_file):
    content_type = detect_document_type(uploaded_file)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return ApplicationDocument.objects.create(
        application=application, kind=kind, file=uploaded_file, original_name=uploaded_file.name[:255],
        content_type=content_type, size_bytes=uploaded_file.size, sha256=digest.hexdigest(), uploaded_by=actor,
    )


def document_add(*, actor, application_id, kind, uploaded_file):
    """The applicant attaches a file: the feasibility study while submitted or returned, the
    bank's documents once the bank approves, proof of operation once fully disbursed.

    Raises ``BusinessRuleError`` for a file that is not PDF/XLSX/DOCX/JPEG/PNG by content or is
    over 10 MB, ``TransitionNotAllowed`` in another state, ``ActionPermissionDenied`` for others.
    """
    with transaction.atomic():
        application = application_get_for_update(actor, application_id)
        if application.applicant.user_id != actor.pk:
            raise ActionPermissionDenied()
        if application.state not in _DOCUMENT_STATES.get(kind, ()):
            raise TransitionNotAllowed(_("در این وضعیت نمی‌توان این نوع مستند را بارگذاری کرد."))
        document = _store_document(application=application, actor=actor, kind=kind, uploaded_file=uploaded_file)
        audit_record_create(actor=actor, target=application, action="add_document", from_state=application.state,
                            to_state=application.state, data={"document": document.pk, "kind": kind})
    return document


# --- submission -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ApplicationInput:
    """The applicant's figures: rials, persons, percent (§9 step 2)."""

    title: str
    county: object
    priority_sector: object
    project_kind: str
    is_existing_unit: bool
    requested_loan_rials: int
    own_contribution_rials: int
    planned_new_jobs: int
    planned_retained_jobs: int
    physical_progress_percent: int


def _check_application_input(call, data: ApplicationInput):
    if data.county.province_id != call.province_id:
        raise BusinessRuleError(_("شهرستان باید در استان فراخوان باشد."), field="county")
    if not call.priority_sectors.filter(pk=data.priority_sector.pk).exists():
        raise BusinessRuleError(_("این رسته در این فراخوان نیست."), field="priority_sector")
    if data.requested_loan_rials <= 0:
        raise BusinessRuleError(_("مبلغ تسهیلات درخواستی باید بیشتر از صفر باشد."), field="requested_loan_rials")
    if not 0 <= data.physical_progress_percent <= 100:
        raise BusinessRuleError(_("پیشرفت فیزیکی باید بین ۰ و ۱۰۰ درصد باشد."), field="physical_progress_percent")
    if (data.project_kind == InvestmentApplication.ProjectKind.COMPLETION
            and data.physical_progress_percent <= 60):
        raise BusinessRuleError(_("طرح تکمیلی باید بیش از ۶۰ درصد پیشرفت فیزیکی داشته باشد."),
                                field="physical_progress_percent")
    if data.planned_new_jobs + data.planned_retained_jobs <= 0:
        raise BusinessRuleError(_("طرح باید دست‌کم یک شغل ایجاد یا حفظ کند."), field="planned_new_jobs")


def application_submit(*, actor, call, data: ApplicationInput, feasibility_files, now=None):
    """Submit an application to an open call with its feasibility-study files (§9 step 2).

    Returns the application in state ``submitted``. Raises ``ActionPermissionDenied`` unless the
    actor is a registered applicant, ``BusinessRuleError`` for a closed call, a county or sector
    outside the call, missing or bad files. Nothing is saved when it raises.
    """
    now = now or timezone.now()
    applicant = Applicant.objects.filter(user=actor).first() if actor.has_role(Role.APPLICANT) else None
    if applicant is None:
        raise ActionPermissionDenied()
    if not call.is_open_on(timezone.localdate(now)):
        raise BusinessRuleError(_("این فراخوان باز نیست."), field="call")
    _check_application_input(call, data)
    if not feasibility_files:
        raise BusinessRuleError(_("فایل طرح توجیهی را پیوست کنید."), field="feasibility_files")
    # Check every file before storing any: a rollback removes rows, not files already written.
    for uploaded in feasibility_files:
        detect_document_type(uploaded)
    with transaction.atomic():
        application = InvestmentApplication.objects.create(
            applicant=applicant, call=call, agency_id=call.agency_id, province_id=call.province_id,
            county=data.county, priority_sector=data.priority_sector,
            economic_sector_id=data.priority_sector.economic_sector_id, title=normalize_text(data.title),
            project_kind=data.project_kind, is_existing_unit=data.is_existing_unit,
            requested_loan_rials=data.requested_loan_rials, own_contribution_rials=data.own_contribution_rials,
            planned_new_jobs=data.planned_new_jobs, planned_retained_jobs=data.planned_retained_jobs,
            physical_progress_percent=data.physical_progress_percent, submitted_at=now, state_changed_at=now,
            search_text=application_search_text(data.title, applicant.name),
        )
        for uploaded in feasibility_files:
            _store_document(application=application, actor=actor, kind=ApplicationDocument.Kind.FEASIBILITY_STUDY,
                            uploaded_file=uploaded)
        audit_record_create(actor=actor, target=application, action="submit", to_state=S.SUBMITTED)
        application_notify(application, event="submit")
    return application


# --- the transition engine ----------------------------------------------------------------------

def _transition(*, actor, application_id, action, expected_state=None, reason="", require_reason=False,
                check=None, after=None, audit_data=None, locked=None, **params):
    """Run one transition of the §9 chain atomically. ``check(application)`` enforces the step's
    rules after the lock; ``after(application)`` writes its related rows. The applicant's
    notification is queued last, in the same transaction, and leaves after commit. ``locked`` is
    the application when the caller already holds its row lock (inside the caller's transaction)."""
    reason = normalize_text(reason)
    try:
        with transaction.atomic():
            application = locked or application_get_for_update(actor, application_id)
            if expected_state is not None and application.state != expected_state:
                raise StaleState()
            method = getattr(application, action)
            if not can_proceed(method):
                raise TransitionNotAllowed()
            if not has_transition_perm(method, actor):
                raise ActionPermissionDenied()
            if require_reason and not reason:
                raise BusinessRuleError(_("ذکر دلیل برای این اقدام الزامی است."), field="reason")
            if check:
                check(application)
            from_state = application.state
            method(by=actor, **params)
            application.state_changed_at = timezone.now()
            application.save()
            if after:
                after(application)
            audit_record_create(actor=actor, target=application, action=action, from_state=from_state,
                                to_state=application.state, reason=reason, data=audit_data or {})
            application_notify(application, event=action, from_state=from_state, reason=reason)
    except ConcurrentTransition:
        raise StaleState() from None
    return application


def application_start_agency_review(*, actor, application_id, expected_state=None):
    """The agency officer opens the review (§9 step 3)."""
    return _transition(actor=actor, application_id=application_id, action="start_agency_review",
                       expected_state=expected_state)


def _new_tracking_code():
    for _attempt in range(10):
        code = tracking.generate()
        if not InvestmentApplication.objects.filter(tracking_code=code).exists():
            return code
    raise RuntimeError("could not draw an unused tracking code")  # 10 collisions in 10^15: never


def application_approve_by_agency(*, actor, application_id, reason="", expected_state=None):
    """Initial approval (§9 steps 3–4); issues the tracking code the first time."""
    return _transition(actor=actor, application_id=application_id, action="approve_by_agency",
                       expected_state=expected_state, reason=reason, tracking_code=_new_tracking_code())


def application_reject_by_agency(*, actor, application_id, reason, expected_state=None):
    """Rejection by the agency; ``reason`` is required."""
    return _transition(actor=actor, application_id=application_id, action="reject_by_agency",
                       expected_state=expected_state, reason=reason, require_reason=True)


def application_return_by_agency(*, actor, application_id, reason, expected_state=None):
    """Return to the applicant for revision; ``reason`` is required."""
    return _transition(actor=actor, application_id=application_id, action="return_by_agency",
                       expected_state=expected_state, reason=reason, require_reason=True)


def application_resubmit(*, actor, application_id, reason="", expected_state=None):
    """The applicant sends the revised application back to the agency."""
    return _transition(actor=actor, application_id=application_id, action="resubmit",
                       expected_state=expected_state, reason=reason)


def application_start_working_group_review(*, actor, application_id, expected_state=None):
    """The working-group secretary opens the alignment review (§9 step 5)."""
    return _transition(actor=actor, application_id=application_id, action="start_working_group_review",
                       expected_state=expected_state)


def application_refer_to_bank(*, actor, application_id, bank, reason="", expected_state=None):
    """Refer to the agent bank of the secretary's choice; it must act in the province."""

    def check(application):
        if not bank.provinces.filter(pk=application.province_id).exists():
            raise BusinessRuleError(_("این بانک عامل در این استان فعال نیست."), field="bank")

    return _transition(actor=actor, application_id=application_id, action="refer_to_bank",
                       expected_state=expected_state, reason=reason, check=check, bank=bank,
                       audit_data={"bank": bank.pk})


def application_reject_by_working_group(*, actor, application_id, reason, expected_state=None):
    """Rejection by the working group; ``reason`` is required."""
    return _transition(actor=actor, application_id=application_id, action="reject_by_working_group",
                       expected_state=expected_state, reason=reason, require_reason=True)


def application_return_by_working_group(*, actor, application_id, reason, expected_state=None):
    """Return to the applicant; ``reason`` is required."""
    return _transition(actor=actor, application_id=application_id, action="return_by_working_group",
                       expected_state=expected_state, reason=reason, require_reason=True)


def application_start_bank_review(*, actor, application_id, expected_state=None):
    """The bank officer opens the feasibility review (§9 step 6)."""
    return _transition(actor=actor, application_id=application_id, action="start_bank_review",
                       expected_state=expected_state)


def application_approve_by_bank(*, actor, application_id, approved_loan_rials, reason="", expected_state=None):
    """The bank approves a loan of ``approved_loan_rials`` (1 … the requested amount)."""

    def check(application):
        if not 0 < approved_loan_rials <= application.requested_loan_rials:
            raise BusinessRuleError(_("مبلغ مصوب باید بیشتر از صفر و حداکثر برابر تسهیلات درخواستی باشد."),
                                    field="approved_loan_rials")

    return _transition(actor=actor, application_id=application_id, action="approve_by_bank",
                       expected_state=expected_state, reason=reason, check=check,
                       approved_loan_rials=approved_loan_rials,
                       audit_data={"approved_loan_rials": approved_loan_rials})


def application_reject_by_bank(*, actor, application_id, reason, expected_state=None):
    """The bank refuses; ``reason`` is required."""
    return _transition(actor=actor, application_id=application_id, action="reject_by_bank",
                       expected_state=expected_state, reason=reason, require_reason=True)


@dataclass(frozen=True)
class ContractInput:
    """The loan contract's terms: rials, percent per year, months."""

    principal_rials: int
    interest_rate_percent: object
    subsidy_rate_percent: object
    term_months: int
    grace_months: int
    planned_tranches: int
    subsidy_committed_rials: int
    signed_on: object
    bank_reference: str


def application_sign_contract(*, actor, application_id, contract: ContractInput, reason="", expected_state=None):
    """Record the applicant's completed documents and the signed contract (§9 step 7).

    Raises ``BusinessRuleError`` when the applicant has uploaded no bank documents, the principal
    exceeds the approved loan, the subsidised rate exceeds the interest rate, or the grace period
    exceeds the term.
    """

    def check(application):
        if not application.documents.filter(kind=ApplicationDocument.Kind.BANK_DOCUMENT).exists():
            raise BusinessRuleError(_("متقاضی هنوز مدارک بانک را بارگذاری نکرده است."), field="documents")
        if not 0 < contract.principal_rials <= application.approved_loan_rials:
            raise BusinessRuleError(_("اصل تسهیلات باید حداکثر برابر مبلغ مصوب بانک باشد."), field="principal_rials")
        if contract.subsidy_rate_percent > contract.interest_rate_percent:
            raise BusinessRuleError(_("نرخ یارانه سود نباید از نرخ سود بیشتر باشد."), field="subsidy_rate_percent")
        if contract.grace_months > contract.term_months:
            raise BusinessRuleError(_("دوره تنفس نباید از مدت بازپرداخت بیشتر باشد."), field="grace_months")
        if contract.planned_tranches < 1 or contract.subsidy_committed_rials < 1:
            raise BusinessRuleError(_("تعداد اقساط و یارانه تعهدشده باید مثبت باشند."), field="planned_tranches")

    def after(application):
        LoanContract.objects.create(application=application, recorded_by=actor, **contract.__dict__)

    return _transition(actor=actor, application_id=application_id, action="sign_contract",
                       expected_state=expected_state, reason=reason, check=check, after=after,
                       audit_data={"principal_rials": contract.principal_rials,
                                   "subsidy_committed_rials": contract.subsidy_committed_rials})


def _earlier_payment(application, actor, permission, payments, idempotency_key, **figures):
    """The payment already recorded under ``idempotency_key``, or ``None``. Only an actor who may
    record such payments gets it back (``ActionPermissionDenied`` otherwise); the same key with other
    ``figures`` is refused (``BusinessRuleError``): a retry must repeat the request exactly (C18)."""
    if not idempotency_key:
        return None
    earlier = payments.filter(idempotency_key=idempotency_key).first()
    if earlier is None:
        return None
    if not permission(application, actor):
        raise ActionPermissionDenied()
    if any(getattr(earlier, name) != value for name, value in figures.items()):
        raise BusinessRuleError(_("این کلید تکرار قبلاً با ارقام دیگری به کار رفته است."), field="idempotency_key")
    return earlier


def application_record_disbursement(*, actor, application_id, amount_rials, paid_on, bank_reference,
                                    idempotency_key=None, expected_state=None):
    """Record a tranche (§9 step 8). When the tranches reach the principal the loan is fully
    disbursed. A repeat with the same ``idempotency_key`` returns the first tranche unchanged
    (C18); the same key with other figures, or a tranche above what remains, is refused.

    Returns the ``Disbursement``.
    """
    with transaction.atomic():
        application = application_get_for_update(actor, application_id)
        earlier = _earlier_payment(application, actor, permissions.is_bank_officer, application.disbursements,
                                   idempotency_key, amount_rials=amount_rials, bank_reference=bank_reference)
        if earlier is not None:
            return earlier
        contract = getattr(application, "contract", None)
        disbursed = application.disbursements.aggregate(total=Sum("amount_rials"))["total"] or 0
        created = {}

        def check(app):
            if not 0 < amount_rials <= contract.principal_rials - disbursed:
                raise BusinessRuleError(_("مبلغ قسط باید بیشتر از صفر و حداکثر برابر مانده تسهیلات باشد."),
                                        field="amount_rials")
            if paid_on < contract.signed_on:
                raise BusinessRuleError(_("تاریخ پرداخت نباید پیش از تاریخ قرارداد باشد."), field="paid_on")

        def after(app):
            created["row"] = Disbursement.objects.create(
                application=app, amount_rials=amount_rials, paid_on=paid_on, bank_reference=bank_reference,
                idempotency_key=idempotency_key or None, recorded_by=actor)

        # A state with no contract never reaches ``check``: the transition refuses it first.
        fully = contract is not None and disbursed + amount_rials == contract.principal_rials
        _transition(actor=actor, application_id=application_id, action="record_disbursement", locked=application,
                    expected_state=expected_state, check=check, after=after, fully_disbursed=fully,
                    audit_data={"amount_rials": amount_rials, "bank_reference": bank_reference})
    return created["row"]


def application_declare_operation(*, actor, application_id, operation_started_on, actual_new_jobs,
                                  actual_retained_jobs, reason="", expected_state=None, today=None):
    """The applicant declares the project operating (§9 step 9) with the jobs actually created
    and kept (persons). The date cannot be in the future or before the first disbursement."""
    today = today or timezone.localdate()

    def check(application):
        if operation_started_on > today:
            raise BusinessRuleError(_("تاریخ شروع بهره‌برداری نباید در آینده باشد."), field="operation_started_on")
        first_paid_on = application.disbursements.order_by("paid_on").values_list("paid_on", flat=True).first()
        if first_paid_on is not None and operation_started_on < first_paid_on:
            raise BusinessRuleError(_("تاریخ شروع بهره‌برداری نباید پیش از پرداخت نخستین قسط تسهیلات باشد."),
                                    field="operation_started_on")
        if actual_new_jobs < 0 or actual_retained_jobs < 0:
            raise BusinessRuleError(_("تعداد شاغلان نباید منفی باشد."), field="actual_new_jobs")

    return _transition(actor=actor, application_id=application_id, action="declare_operation",
                       expected_state=expected_state, reason=reason, check=check,
                       operation_started_on=operation_started_on, actual_new_jobs=actual_new_jobs,
                       actual_retained_jobs=actual_retained_jobs,
                       audit_data={"operation_started_on": operation_started_on.isoformat(),
                                   "actual_new_jobs": actual_new_jobs, "actual_retained_jobs": actual_retained_jobs})


def application_confirm_operation(*, actor, application_id, reason="", expected_state=None):
    """The bank (or the agency) confirms operation; the subsidy may then be paid."""
    return _transition(actor=actor, application_id=application_id, action="confirm_operation",
                       expected_state=expected_state, reason=reason)


def application_pay_subsidy(*, actor, application_id, amount_rials, paid_on, reason="", idempotency_key=None,
                            expected_state=None):
    """The working group pays (part of) the committed interest subsidy to the bank. When the
    payouts reach the committed amount the application is closed. A repeat with the same
    ``idempotency_key`` returns the first payout unchanged; the same key with another amount is
    refused. Returns the ``SubsidyPayout``."""
    with transaction.atomic():
        application = application_get_for_update(actor, application_id)
        earlier = _earlier_payment(application, actor, permissions.is_working_group_secretary,
                                   application.subsidy_payouts, idempotency_key, amount_rials=amount_rials,
                                   paid_on=paid_on)
        if earlier is not None:
            return earlier
        contract = getattr(application, "contract", None)
        paid = application.subsidy_payouts.aggregate(total=Sum("amount_rials"))["total"] or 0
        created = {}

        def check(app):
            if not 0 < amount_rials <= contract.subsidy_committed_rials - paid:
                raise BusinessRuleError(_("مبلغ یارانه باید بیشتر از صفر و حداکثر برابر مانده یارانه تعهدشده باشد."),
                                        field="amount_rials")

        def after(app):
            created["row"] = SubsidyPayout.objects.create(application=app, amount_rials=amount_rials,
                                                          paid_on=paid_on, recorded_by=actor,
                                                          idempotency_key=idempotency_key or None)

        fully = contract is not None and paid + amount_rials == contract.subsidy_committed_rials
        _transition(actor=actor, application_id=application_id, action="pay_subsidy", locked=application,
                    expected_state=expected_state, reason=reason, check=check, after=after, fully_paid=fully,
                    audit_data={"amount_rials": amount_rials})
    return created["row"]


def application_withdraw(*, actor, application_id, reason="", expected_state=None):
    """The applicant withdraws before the bank decides."""
    return _transition(actor=actor, application_id=application_id, action="withdraw",
                       expected_state=expected_state, reason=reason)
