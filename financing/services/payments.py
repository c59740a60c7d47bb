"""The money steps of the §9 chain: the loan contract (step 7), tranches (step 8), the declaration
and confirmation of operation and the interest subsidy's payouts (step 9). Amounts are rials."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.workflow import transition_check, transition_fire
from budgets.models import Fund
from budgets.services import budget_commit, budget_pay, budget_release
from common.errors import NotAllowed, RuleBroken
from common.normalization import normalize_text

from .. import permissions
from ..models import ApplicationDocument, Disbursement, LoanContract, SubsidyPayout
from ..schedule import subsidy_total
from ..selectors import application_get_for_update
from .budget import budget_claim
from .steps import lock_for_step, record_step


@dataclass(frozen=True)
class ContractInput:
    """The loan contract's terms: rials, percent per year, months. The subsidy is not among them:
    the service computes it (``financing.schedule``)."""

    principal_rials: int
    interest_rate_percent: object
    subsidy_rate_percent: object
    term_months: int
    grace_months: int
    planned_tranches: int
    signed_on: object
    bank_reference: str


def _check_contract(application, contract: ContractInput, today):
    if not application.documents.filter(kind=ApplicationDocument.Kind.BANK_DOCUMENT).exists():
        raise RuleBroken(_("متقاضی هنوز مدارک بانک را بارگذاری نکرده است."), field="documents")
    if not 0 < contract.principal_rials <= application.approved_loan_rials:
        raise RuleBroken(_("اصل تسهیلات باید حداکثر برابر مبلغ مصوب بانک باشد."), field="principal_rials")
    if contract.planned_tranches < 1:
        raise RuleBroken(_("تعداد اقساط پرداخت باید دست‌کم یک باشد."), field="planned_tranches")
    if contract.signed_on > today:
        raise RuleBroken(_("تاریخ انعقاد قرارداد نباید در آینده باشد."), field="signed_on")
    # The rates, the term and the grace period: the schedule's own checks.
    return subsidy_total(contract.principal_rials, contract.interest_rate_percent, contract.subsidy_rate_percent,
                         contract.term_months, contract.grace_months)


def application_sign_contract(*, actor, application_id, contract: ContractInput, reason="", expected_state=None,
                              now=None):
    """Record the applicant's completed documents and the signed contract (§9 step 7). Returns the
    application.

    The interest subsidy is computed from the terms (``financing.schedule.subsidy_total``) and
    committed against the province's and the sector's subsidy lines of the Jalali year of ``now``
    (default now). A principal below the approved loan releases the difference from the loan lines.

    Raises ``RuleBroken`` when the applicant has uploaded no bank documents, the principal
    exceeds the approved loan, a rate is negative or the subsidy exceeds the bank's rate, the
    grace period is not shorter than the term, the signing date is in the future, or the subsidy
    lines lack an allocation or room (field ``budget``). Nothing is written when it raises.
    """
    reason = normalize_text(reason)
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "sign_contract", expected_state=expected_state)
        subsidy = _check_contract(application, contract, timezone.localdate(now))
        if subsidy > 0:
            budget_commit(actor=actor, source=application, claim=budget_claim(application),
                          fund=Fund.INTEREST_SUBSIDY, amount_rials=subsidy, at=now, reason=reason)
        unused = application.approved_loan_rials - contract.principal_rials
        if unused > 0:
            budget_release(actor=actor, source=application, fund=Fund.LOANS, amount_rials=unused, at=now,
                           reason=_("اصل قرارداد کمتر از مبلغ مصوب"))
        from_state = transition_fire(application, "sign_contract", actor=actor)
        LoanContract.objects.create(application=application, recorded_by=actor, subsidy_committed_rials=subsidy,
                                    **contract.__dict__)
        record_step(application, actor=actor, action="sign_contract", from_state=from_state, reason=reason,
                    data={"principal_rials": contract.principal_rials, "subsidy_committed_rials": subsidy})
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
                                    idempotency_key=None, expected_state=None, now=None):
    """Record a tranche of ``amount_rials`` paid on ``paid_on`` (§9 step 8). When the tranches
    reach the principal the loan is fully disbursed. A repeat with the same ``idempotency_key``
    returns the first tranche unchanged (C18); the same key with other figures, a tranche above
    what remains, or a day before the contract is refused (``RuleBroken``). The tranche is paid
    out of the loan's commitment on its budget lines.

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
        budget_pay(actor=actor, source=application, fund=Fund.LOANS, amount_rials=amount_rials, at=now,
                   reason=bank_reference)
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
    """The bank (or the agency) confirms operation; the subsidy may then be paid (§9 step 9). A
    contract without subsidy (0 points) owes nothing more, so the application closes."""
    reason = normalize_text(reason)
    with transaction.atomic():
        application = lock_for_step(actor, application_id, "confirm_operation", expected_state=expected_state)
        from_state = transition_fire(application, "confirm_operation", actor=actor,
                                     subsidy_owed=application.contract.subsidy_committed_rials > 0)
        record_step(application, actor=actor, action="confirm_operation", from_state=from_state, reason=reason)
    return application


def application_pay_subsidy(*, actor, application_id, amount_rials, paid_on, reason="", idempotency_key=None,
                            expected_state=None, now=None):
    """The working group pays ``amount_rials`` of the committed interest subsidy to the bank (§9
    step 9). When the payouts reach the committed amount the application is closed. A repeat with
    the same ``idempotency_key`` returns the first payout unchanged; the same key with another
    amount, more than remains committed, or a day before the declared start of operation is refused
    (``RuleBroken``). The payout moves its amount from committed to paid on the subsidy's budget
    lines. Returns the ``SubsidyPayout``."""
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
        # Paid only once the project operates (§9 step 9): not before the declared start.
        if application.operation_started_on and paid_on < application.operation_started_on:
            raise RuleBroken(_("تاریخ پرداخت یارانه نباید پیش از شروع بهره‌برداری باشد."), field="paid_on")
        from_state = transition_fire(application, "pay_subsidy", actor=actor,
                                     fully_paid=paid + amount_rials == contract.subsidy_committed_rials)
        payout = SubsidyPayout.objects.create(application=application, amount_rials=amount_rials, paid_on=paid_on,
                                              recorded_by=actor, idempotency_key=idempotency_key or None)
        budget_pay(actor=actor, source=application, fund=Fund.INTEREST_SUBSIDY, amount_rials=amount_rials, at=now,
                   reason=reason)
        record_step(application, actor=actor, action="pay_subsidy", from_state=from_state, reason=reason,
                    data={"amount_rials": amount_rials})
    return payout
