"""The grant of the §8 chain and the budget (§10): recording it (step 5) commits it on the
province's and the economic sector's grants lines, each instalment paid against a milestone
reported done (step 6) moves its amount from committed to paid, and closing (step 7) gives what
was never paid back to the lines (``budgets.services``: the same caps and refusals as for loans).

Amounts are integer rials; ``paid_on`` a ``datetime.date``; ``now`` an aware datetime (default
now) whose Jalali year is the budget year of a commitment.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.workflow import transition_fire
from budgets.models import Fund
from budgets.services import Claim, budget_commit, budget_pay, budget_release
from common.errors import Conflict, RuleBroken
from common.normalization import normalize_text
from common.templatetags.persian import fa_number
from programs.calendar import check_recorded_day
from sectors.models import PrioritySector

from .. import permissions
from ..models import GrantInstalment
from ..selectors import grant_amounts, requested_grant_rials
from ..workflow import InterventionState
from .content import milestone_of
from .steps import check_rials, lock_for_action, lock_for_step, record_step

S = InterventionState
# The states in which ministry staff pay instalments: in execution, and after the evaluation
# until the intervention is closed (a milestone reported last may be paid then).
PAYING_STATES = (S.IN_EXECUTION, S.EVALUATED)


def grant_claim(intervention) -> Claim:
    """Where the intervention's grant counts in the budget: its province and the economic sector of
    its priority sector (Tables 6 and 8)."""
    sector_id = PrioritySector.objects.values_list("economic_sector_id", flat=True).get(
        pk=intervention.priority_sector_id)
    return Claim(province_id=intervention.province_id, economic_sector_id=sector_id)


def intervention_record_grant(*, actor, intervention_id, grant_rials, expected_state=None, reason="", now=None):
    """Ministry staff (the allocating body) record a grant of ``grant_rials`` rials for the referred
    intervention (§8 step 5) and commit it on the grants lines of its province and economic sector
    for the Jalali year of ``now``. Returns the intervention (``funded``); its agency is told.

    Raises ``RuleBroken`` on ``grant_rials`` unless 0 < grant ≤ the programme grant requested in its
    resource lines, and on ``budget`` when a line has no allocation for the year or less left than
    the grant (``budgets.services.budget_commit``); otherwise as every step. Nothing is written
    when it raises.
    """
    reason = normalize_text(reason)
    with transaction.atomic():
        intervention = lock_for_step(actor, intervention_id, "record_grant", expected_state=expected_state)
        requested = requested_grant_rials(intervention)
        message = _("کمک بلاعوض باید بیشتر از صفر و حداکثر برابر کمک بلاعوض درخواستی (%(requested)s ریال) باشد.") % {
            "requested": fa_number(requested)}
        check_rials(grant_rials, field="grant_rials", message=message)
        if grant_rials > requested:
            raise RuleBroken(message, field="grant_rials")
        budget_commit(actor=actor, source=intervention, claim=grant_claim(intervention), fund=Fund.GRANTS,
                      amount_rials=grant_rials, at=now, reason=reason)
        from_state = transition_fire(intervention, "record_grant", actor=actor, grant_rials=grant_rials)
        record_step(intervention, actor=actor, action="record_grant", from_state=from_state, reason=reason,
                    data={"grant_rials": grant_rials, "requested_rials": requested,
                          "funding_body": intervention.funding_body_id})
    return intervention


def instalment_pay(*, actor, intervention_id, milestone_id, amount_rials, paid_on, expected_state=None, reason="",
                   now=None) -> GrantInstalment:
    """Ministry staff pay a grant instalment of ``amount_rials`` on ``paid_on`` against milestone
    ``milestone_id``, reported done (§8 step 6); the amount moves from committed to paid on the
    grants lines. One instalment per milestone. Returns the ``GrantInstalment``; the agency is told.

    Raises ``NotFound`` outside the actor's scope or for a milestone of another intervention,
    ``StaleState`` when ``expected_state`` differs, ``NotAllowed`` for anyone but ministry staff,
    ``TransitionNotAllowed`` unless in execution or evaluated, ``Conflict`` when the milestone was
    already paid, ``RuleBroken`` for a milestone not reported done (field ``milestone``), an
    amount outside 1 … the grant not yet paid (field ``amount_rials``), a day in the future (Tehran),
    before the programme or before the milestone was done (field ``paid_on``).
    """
    reason = normalize_text(reason)
    with transaction.atomic():
        intervention = lock_for_action(actor, intervention_id, permission=permissions.is_ministry_staff,
                                       states=PAYING_STATES, expected_state=expected_state,
                                       message=_("قسط کمک بلاعوض فقط در مرحله اجرا یا پس از ارزیابی پرداخت می‌شود."))
        milestone = milestone_of(intervention, milestone_id, lock=True)
        if GrantInstalment.objects.filter(milestone=milestone).exists():
            raise Conflict(_("قسط این گام پیش‌تر پرداخت شده است."))
        if not milestone.is_done:
            raise RuleBroken(_("قسط فقط برای گامی پرداخت می‌شود که انجام آن گزارش شده باشد."), field="milestone")
        remaining = grant_amounts(intervention).remaining
        message = _("مبلغ قسط باید بیشتر از صفر و حداکثر برابر مانده کمک بلاعوض (%(remaining)s ریال) باشد.") % {
            "remaining": fa_number(remaining)}
        check_rials(amount_rials, field="amount_rials", message=message)
        if amount_rials > remaining:
            raise RuleBroken(message, field="amount_rials")
        check_recorded_day(paid_on, field="paid_on", required=True)
        if paid_on < milestone.done_on:
            raise RuleBroken(_("تاریخ پرداخت نباید پیش از تاریخ انجام گام باشد."), field="paid_on")
        instalment = GrantInstalment.objects.create(intervention=intervention, milestone=milestone,
                                                    amount_rials=amount_rials, paid_on=paid_on, recorded_by=actor)
        budget_pay(actor=actor, source=intervention, fund=Fund.GRANTS, amount_rials=amount_rials, at=now,
                   reason=reason)
        record_step(intervention, actor=actor, action="pay_instalment", from_state=intervention.state, reason=reason,
                    data={"milestone": milestone.pk, "amount_rials": amount_rials, "paid_on": paid_on.isoformat()},
                    milestone=milestone, amount_rials=amount_rials)
    return instalment


def intervention_close(*, actor, intervention_id, reason="", expected_state=None, now=None):
    """The province's provincial manager or ministry staff close the evaluated intervention (§8
    step 7); what was granted and never paid is released from the grants lines. Returns it
    (``closed``); its agency is told. Audit data: ``grant_rials``, ``paid_rials``,
    ``released_rials``. Raises as every step."""
    reason = normalize_text(reason)
    with transaction.atomic():
        intervention = lock_for_step(actor, intervention_id, "close", expected_state=expected_state)
        amounts = grant_amounts(intervention)
        if amounts.remaining > 0:
            budget_release(actor=actor, source=intervention, fund=Fund.GRANTS, amount_rials=amounts.remaining, at=now,
                           reason=reason or _("مختومه شدن اقدام توسعه‌ای"))
        from_state = transition_fire(intervention, "close", actor=actor)
        record_step(intervention, actor=actor, action="close", from_state=from_state, reason=reason,
                    data={"grant_rials": amounts.granted, "paid_rials": amounts.paid,
                          "released_rials": amounts.remaining})
    return intervention
