"""C17: an account that can see an application but does not take a step is refused it, through the
services and through the model's own transition methods, and nothing changes; only an applicant
submits.

Applications are driven with ``advance_to``.
"""

import datetime

import pytest

from common.errors import NotAllowed
from financing import services, tracking
from financing.models import ApplicationState, InvestmentApplication
from tests.financing.actions import ACTIONS, ALLOWED_FROM, ALSO_ALLOWED, IN_SCOPE, PRE_BANK_STATES, snapshot
from tests.uploads import pdf
from tests.world import application_input

S = ApplicationState


def _wrong_roles():
    for action, (actor_attr, _call) in ACTIONS.items():
        state = sorted(ALLOWED_FROM[action], key=list(S.values).index)[0]
        for role in IN_SCOPE:
            if role == actor_attr or role in ALSO_ALLOWED.get(action, ()):
                continue
            if role == "bank_officer_1" and state in PRE_BANK_STATES:
                continue  # out of the bank's scope: a 404 (test_scoping.py)
            yield state, action, role


WRONG_ROLES = list(_wrong_roles())


@pytest.mark.parametrize("state, action, role", WRONG_ROLES)
def test_wrong_role_in_scope_is_refused(advance_to, world, state, action, role):
    """C17: an account that can see the application but does not take this step gets
    ``NotAllowed``, and nothing changes."""
    app = advance_to(state)
    before = snapshot(app.pk)
    with pytest.raises(NotAllowed):
        ACTIONS[action][1](getattr(world, role), world, app.pk)
    assert snapshot(app.pk) == before


def test_every_step_has_wrong_roles_checked():
    assert {action for _s, action, _r in WRONG_ROLES} == set(ACTIONS)


# The model's transition methods, each with valid arguments (a function of the world), for direct calls.
METHODS = {
    "start_agency_review": lambda w: {},
    "approve_by_agency": lambda w: {"tracking_code": tracking.generate()},
    "reject_by_agency": lambda w: {},
    "return_by_agency": lambda w: {},
    "resubmit": lambda w: {},
    "start_working_group_review": lambda w: {},
    "refer_to_bank": lambda w: {"bank": w.bank_1},
    "reject_by_working_group": lambda w: {},
    "return_by_working_group": lambda w: {},
    "start_bank_review": lambda w: {},
    "approve_by_bank": lambda w: {"approved_loan_rials": 1},
    "reject_by_bank": lambda w: {},
    "sign_contract": lambda w: {},
    "record_disbursement": lambda w: {"fully_disbursed": False},
    "declare_operation": lambda w: {"operation_started_on": datetime.date(2025, 1, 1), "actual_new_jobs": 1,
                                    "actual_retained_jobs": 0},
    "confirm_operation": lambda w: {},
    "pay_subsidy": lambda w: {"fully_paid": False},
    "withdraw": lambda w: {},
}
# Direct calls skip the scope, so the bank officer is a wrong actor before referral too.
DIRECT = [(s, a, r) for s, a, r in WRONG_ROLES if a in METHODS] + [
    (s, a, "bank_officer_1") for a in METHODS for s in [sorted(ALLOWED_FROM[a], key=list(S.values).index)[0]]
    if s in PRE_BANK_STATES]


@pytest.mark.parametrize("state, method, role", DIRECT)
def test_direct_call_of_a_transition_method_checks_the_actor(advance_to, world, state, method, role):
    """C17: ``app.approve_by_bank(by=agency_officer, ...)`` and every other transition method
    refuse the wrong actor themselves; the state stays as it was, in memory and in the DB."""
    app = advance_to(state)
    with pytest.raises(NotAllowed):
        getattr(app, method)(by=getattr(world, role), **METHODS[method](world))
    assert app.state == state
    assert InvestmentApplication.objects.get(pk=app.pk).state == state


def test_agency_officer_cannot_approve_for_the_bank_by_calling_the_model(advance_to, world):
    """C17, the example of the brief, spelled out."""
    app = advance_to(S.BANK_REVIEW)
    with pytest.raises(NotAllowed):
        app.approve_by_bank(by=world.agency_officer_a, approved_loan_rials=1)
    assert (app.state, app.approved_loan_rials) == (S.BANK_REVIEW, None)
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.BANK_REVIEW


@pytest.mark.parametrize("role", ["agency_officer_a", "secretary_a", "bank_officer_1", "manager_a", "ministry",
                                  "admin"])
def test_only_an_applicant_may_submit(world, role):
    with pytest.raises(NotAllowed):
        services.application_submit(actor=getattr(world, role), call=world.call_a, data=application_input(world),
                                    feasibility_files=[pdf()])
    assert InvestmentApplication.objects.count() == 0
