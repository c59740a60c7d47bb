"""The rules of the §9 chain's other steps: the operation's date, who may confirm it, when the
applicant may withdraw, stale forms, and the reason every rejection or return must give.

Applications are driven with ``advance_to``.
"""

import datetime

import pytest
from django.utils import timezone

from common.errors import RuleBroken, StaleState
from financing import services
from financing.models import ApplicationState, InvestmentApplication
from financing.selectors import application_history
from financing.workflow import WITHDRAWABLE_STATES
from tests.financing.actions import snapshot

S = ApplicationState
TODAY = timezone.localdate


def test_operation_date_in_the_future_is_refused(advance_to, world):
    app = advance_to(S.FULLY_DISBURSED)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken):
        services.application_declare_operation(
            actor=world.owner, application_id=app.pk, operation_started_on=TODAY() + datetime.timedelta(days=1),
            actual_new_jobs=3, actual_retained_jobs=0)
    assert snapshot(app.pk) == before


def test_operation_date_before_the_first_tranche_is_refused(advance_to, world):
    app = advance_to(S.FULLY_DISBURSED)
    first_paid_on = app.disbursements.order_by("paid_on").first().paid_on
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken) as refused:
        services.application_declare_operation(
            actor=world.owner, application_id=app.pk, operation_started_on=first_paid_on - datetime.timedelta(days=1),
            actual_new_jobs=3, actual_retained_jobs=0)
    assert refused.value.field == "operation_started_on"
    assert snapshot(app.pk) == before


def test_agency_officer_may_confirm_operation(advance_to, world):
    app = advance_to(S.OPERATION_DECLARED)
    services.application_confirm_operation(actor=world.agency_officer_a, application_id=app.pk)
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.OPERATING


@pytest.mark.parametrize("state", sorted(WITHDRAWABLE_STATES))
def test_applicant_may_withdraw_before_the_bank_decides(advance_to, world, state):
    app = advance_to(state)
    services.application_withdraw(actor=world.owner, application_id=app.pk, reason="انصراف")
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.WITHDRAWN


def test_stale_expected_state_is_refused(advance_to, world):
    """A form loaded while the application was ``submitted`` cannot act once it moved on."""
    app = advance_to(S.AGENCY_REVIEW)
    before = snapshot(app.pk)
    with pytest.raises(StaleState):
        services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk,
                                               expected_state=S.SUBMITTED)
    assert snapshot(app.pk) == before


# --- reasons ------------------------------------------------------------------------------------------

REASONED = {
    "reject_by_agency": (S.AGENCY_REVIEW, "agency_officer_a", services.application_reject_by_agency),
    "return_by_agency": (S.AGENCY_REVIEW, "agency_officer_a", services.application_return_by_agency),
    "reject_by_working_group": (S.WORKING_GROUP_REVIEW, "secretary_a", services.application_reject_by_working_group),
    "return_by_working_group": (S.WORKING_GROUP_REVIEW, "secretary_a", services.application_return_by_working_group),
    "reject_by_bank": (S.BANK_REVIEW, "bank_officer_1", services.application_reject_by_bank),
}


@pytest.mark.parametrize("reason", ["", "   ", "\u200c", "\n\t"])
@pytest.mark.parametrize("action", sorted(REASONED))
def test_reject_or_return_without_a_reason_is_refused(advance_to, world, action, reason):
    state, actor_attr, service = REASONED[action]
    app = advance_to(state)
    before = snapshot(app.pk)
    with pytest.raises(RuleBroken) as refused:
        service(actor=getattr(world, actor_attr), application_id=app.pk, reason=reason)
    assert refused.value.field == "reason"
    assert snapshot(app.pk) == before


@pytest.mark.parametrize("action", sorted(REASONED))
def test_reason_is_recorded_normalised(advance_to, world, action):
    state, actor_attr, service = REASONED[action]
    app = advance_to(state)
    service(actor=getattr(world, actor_attr), application_id=app.pk, reason="  مدارك ناقص  ")
    assert list(application_history(app).values_list("action", "reason"))[-1] == (action, "مدارک ناقص")
