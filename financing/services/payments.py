"""The money steps of the §9 chain: the loan contract (step 7), tranches (step 8), the declaration
and confirmation of operation and the interest subsidy's payouts (step 9). Amounts are rials."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.workflow import transition_check, transition_fire
from common.errors import NotAllowed, RuleBroken
from common.normalization import normalize_text

from .. import permissions
from ..models import ApplicationDocument, Disbursement, LoanContract, SubsidyPayout
from ..selectors import application_get_for_update
from .steps import lock_for_step, record_step


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


def _check_contract(application, contract: ContractInput):
    if not application.documents.filter(kind=ApplicationDocument.Kind.BANK_DOCUMENT).exists():
        raise RuleBroken(_("متقاضی هنوز مدارک بانک را بارگذاری نکرده است."), field="documents")
    if not 0 < contract.principal_rials <= application.approved_loan_rials:
        raise RuleBroken(_("اصل تسهیلات باید حداکثر برابر مبلغ مصوب بانک باشد."), field="principal_rials")
    if contract.subsidy_rate_percent > contract.interest_rate_percent:
        raise RuleBroken(_("نرخ یارانه سود نباید از نرخ سود بیشتر باشد."), field="subsidy_rate_percent")
    if contract.grace_months > contract.term_months:
        raise RuleBroken(_("دوره تنفس نباید از مدت بازپرداخت بیشتر باشد."), field="grace_months")
    if contract.planned_tranches < 1 or contract.subsidy_committed_rials < 1:
        raise RuleBroken(_("تعداد اقساط و یارانه تعهدشده باید مثبت باشند."), field="planned_tranches")


def application_sign_contract(*, actor, application_id, contract: ContractInput, reason="", expected_state=None):
    """Record the applicant's completed documents and the signed contract (§9 step 7). Returns the
    application.

    Raises ``RuleBroken`` when the applicant has uploaded no bank documents, the principal
    exceeds the approved loan, the subsidised rate exceeds the interest rate, or the grace period
    exceeds the term.
    """
    reason = normalize_text(reason)
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "sign_contract", expected_state=expected_state)
        _check_contract(application, contract)
        from_state = transition_fire(application, "sign_contract", actor=actor)
        LoanContract.objects.create(application=application, recorded_by=actor, **contract.__dict__)
        record_step(application, actor=actor, action="sign_contract", from_state=from_state, reason=reason,
                    data={"principal_rials": contract.principal_rials,
                          "subsidy_committed_rials": contract.subsidy_committed_rials})
    return application


def _earlier_payment(application, actor, permission, payments, idempotency_key, **figures):
    """The payment already recorded under ``idempotency_key``, or ``None``. Only an actor who may
    record such payments gets it back (``NotAllowed`` otherwise); the same key with other
    ``figures`` is refused (``RuleBroken``): a retry must repeat the request exactly (C18)."""
    if not idempotency_key:
        return None
    earlier = payments.filter(idempotency_key=idempotency_key).first()
    if earlier is None:
        return None
    if not permission(application, actor):
        raise NotAllowed()
    if any(getattr(earlier, name) != value for name, value in figures.items()):
        raise RuleBroken(_("این کلید تکرار قبلاً با ارقام دیگری به کار رفته است."), field="idempotency_key")
    return earlier


def application_record_disbursement(*, actor, application_id, amount_rials, paid_on, bank_reference,
                                    idempotency_key=None, expected_state=None):
    """Record a tranche of ``amount_rials`` paid on ``paid_on`` (§9 step 8). When the tranches
    reach the principal the loan is fully disbursed. A repeat with the same ``idempotency_key``
    returns the first tranche unchanged (C18); the same key with other figures, a tranche above
    what remains, or a day before the contract is refused (``RuleBroken``).

    Returns the ``Disbursement``.
    """
    with transaction.atomic():
        application = application_get_for_update(actor, application_id)
        earlier = _earlier_payment(application, actor, permissions.is_bank_officer, application.disbursements,
                                   idempotency_key, amount_rials=amount_rials, bank_reference=bank_reference)
        if earlier is not None:
            return earlier
        transition_check(application, "record_disbursement", actor=actor, expected_state=expected_state)
        contract = application.contract
        disbursed = application.disbursements.aggregate(total=Sum("amount_rials"))["total"] or 0
        if not 0 < amount_rials <= contract.principal_rials - disbursed:
            raise RuleBroken(_("مبلغ قسط باید بیشتر از صفر و حداکثر برابر مانده تسهیلات باشد."),
                             field="amount_rials")
        if paid_on < contract.signed_on:
            raise RuleBroken(_("تاریخ پرداخت نباید پیش از تاریخ قرارداد باشد."), field="paid_on")
        from_state = transition_fire(application, "record_disbursement", actor=actor,
                                     fully_disbursed=disbursed + amount_rials == contract.principal_rials)
        tranche = Disbursement.objects.create(application=application, amount_rials=amount_rials, paid_on=paid_on,
                                              bank_reference=bank_reference, idempotency_key=idempotency_key or None,
                                              recorded_by=actor)
        record_step(application, actor=actor, action="record_disbursement", from_state=from_state,
                    data={"amount_rials": amount_rials, "bank_reference": bank_reference})
    return tranche


def application_declare_operation(*, actor, application_id, operation_started_on, actual_new_jobs,
                                  actual_retained_jobs, reason="", expected_state=None, today=None):
    """The applicant declares the project operating (§9 step 9) since ``operation_started_on``, with
    the jobs actually created and kept (persons). Raises ``RuleBroken`` for a date in the future or
    before the first tranche, or a negative count."""
    reason = normalize_text(reason)
    today = today or timezone.localdate()
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "declare_operation", expected_state=expected_state)
        if operation_started_on > today:
            raise RuleBroken(_("تاریخ شروع بهره‌برداری نباید در آینده باشد."), field="operation_started_on")
        first_paid_on = application.disbursements.order_by("paid_on").values_list("paid_on", flat=True).first()
        if first_paid_on is not None and operation_started_on < first_paid_on:
            raise RuleBroken(_("تاریخ شروع بهره‌برداری نباید پیش از پرداخت نخستین قسط تسهیلات باشد."),
                             field="operation_started_on")
        if actual_new_jobs < 0 or actual_retained_jobs < 0:
            raise RuleBroken(_("تعداد شاغلان نباید منفی باشد."), field="actual_new_jobs")
        from_state = transition_fire(application, "declare_operation", actor=actor,
                                     operation_started_on=operation_started_on, actual_new_jobs=actual_new_jobs,
                                     actual_retained_jobs=actual_retained_jobs)
        record_step(application, actor=actor, action="declare_operation", from_state=from_state, reason=reason,
                    data={"operation_started_on": operation_started_on.isoformat(),
                          "actual_new_jobs": actual_new_jobs, "actual_retained_jobs": actual_retained_jobs})
    return application


def application_confirm_operation(*, actor, application_id, reason="", expected_state=None):
    """The bank (or the agency) confirms operation; the subsidy may then be paid (§9 step 9)."""
    reason = normalize_text(reason)
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "confirm_operation", expected_state=expected_state)
        from_state = transition_fire(application, "confirm_operation", actor=actor)
        record_step(application, actor=actor, action="confirm_operation", from_state=from_state, reason=reason)
    return application


def application_pay_subsidy(*, actor, application_id, amount_rials, paid_on, reason="", idempotency_key=None,
                            expected_state=None):
    """The working group pays ``amount_rials`` of the committed interest subsidy to the bank (§9
    step 9). When the payouts reach the committed amount the application is closed. A repeat with
    the same ``idempotency_key`` returns the first payout unchanged; the same key with another
    amount, or more than remains committed, is refused (``RuleBroken``). Returns the ``SubsidyPayout``."""
    reason = normalize_text(reason)
    with transaction.atomic():
        application = application_get_for_update(actor, application_id)
        earlier = _earlier_payment(application, actor, permissions.is_working_group_secretary,
                                   application.subsidy_payouts, idempotency_key, amount_rials=amount_rials,
                                   paid_on=paid_on)
        if earlier is not None:
            return earlier
        transition_check(application, "pay_subsidy", actor=actor, expected_state=expected_state)
        contract = application.contract
        paid = application.subsidy_payouts.aggregate(total=Sum("amount_rials"))["total"] or 0
        if not 0 < amount_rials <= contract.subsidy_committed_rials - paid:
            raise RuleBroken(_("مبلغ یارانه باید بیشتر از صفر و حداکثر برابر مانده یارانه تعهدشده باشد."),
                             field="amount_rials")
        from_state = transition_fire(application, "pay_subsidy", actor=actor,
                                     fully_paid=paid + amount_rials == contract.subsidy_committed_rials)
        payout = SubsidyPayout.objects.create(application=application, amount_rials=amount_rials, paid_on=paid_on,
                                              recorded_by=actor, idempotency_key=idempotency_key or None)
        record_step(application, actor=actor, action="pay_subsidy", from_state=from_state, reason=reason,
                    data={"amount_rials": amount_rials})
    return payout
