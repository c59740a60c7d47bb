"""Every action of the §9 chain from every state (roles.md's table): refused, with nothing changed,
from each state it does not leave; taken, with one audit row, from each state it does.

The grid's tables are in ``tests/financing/actions.py``. Applications are driven with ``advance_to``.
"""

import pytest

from common.errors import NotFound, TransitionNotAllowed
from financing.models import ApplicationState
from tests.financing.actions import ACTIONS, ALLOWED_FROM, snapshot

S = ApplicationState


def test_action_grid_covers_every_state_and_action():
    assert set(ALLOWED_FROM) == set(ACTIONS)
    assert set().union(*ALLOWED_FROM.values()) | {S.CLOSED, S.REJECTED, S.CANCELLED, S.WITHDRAWN} == set(S.values)


# --- every refused transition -----------------------------------------------------------------------

GRID = [(state, action) for state in S.values for action in ACTIONS if state not in ALLOWED_FROM[action]]


@pytest.mark.parametrize("state, action", GRID)
def test_action_not_allowed_from_state_is_refused(advance_to, world, state, action):
    """Every action from every state it does not leave: ``TransitionNotAllowed``, nothing changed.

    A bank action on an application not (yet) referred to the bank is out of the bank officer's
    scope, so it is "not found" (404) before the state is looked at.
    """
    app = advance_to(state)
    actor_attr, call = ACTIONS[action]
    expected = NotFound if actor_attr == "bank_officer_1" and app.bank_id is None else TransitionNotAllowed
    before = snapshot(app.pk)
    with pytest.raises(expected):
        call(getattr(world, actor_attr), world, app.pk)
    assert snapshot(app.pk) == before


@pytest.mark.parametrize("state, action", [(s, a) for a, states in ALLOWED_FROM.items() for s in sorted(states)])
def test_action_allowed_from_state_succeeds(advance_to, world, state, action):
    """The other half of the grid: the usual actor's call goes through and writes one audit row."""
    app = advance_to(state)
    if action == "sign_contract":
        ACTIONS["add_bank_document"][1](world.owner, world, app.pk)
    actor_attr, call = ACTIONS[action]
    audit_before = snapshot(app.pk)["audit"]
    call(getattr(world, actor_attr), world, app.pk)
    assert snapshot(app.pk)["audit"] == audit_before + 1
