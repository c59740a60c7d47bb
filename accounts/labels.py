"""Persian labels of the workflow codes kept in audit records and notifications.

The codes belong to the apps above (financing, later interventions); each registers its labels
here when it starts (``AppConfig.ready``), so accounts can show them without importing those apps.
"""

_ACTIONS = {}
_STATES = {}


def register(*, actions, states):
    """Add ``{code: label}`` maps for actions and states."""
    _ACTIONS.update(actions)
    _STATES.update(states)


def action_label(code):
    return _ACTIONS.get(code, code)


def state_label(code):
    return _STATES.get(code, code)
