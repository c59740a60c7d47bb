"""The one way a chain's page takes a step, whatever the chain (§9 applications, §8 interventions):
check the posted form, run the step's service, and answer as the portal does everywhere.

- A form that does not validate for a step the page no longer offers (a stale page, or a step
  that is not the user's) answers 409 or 403 with the service's Persian message, not a 400 on a
  form the page no longer shows.
- A refusal by the service (``common.errors.ServiceError``) keeps what was typed on the bound form
  when the error names one of its fields (or the budget), and is a message on the page otherwise.
- Success redirects to the object's page with «انجام شد: …».
"""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from common.errors import ServiceError, error_to_form

from .workflow import transition_check


@dataclass(frozen=True)
class Step:
    """How a detail page offers a transition of a chain's workflow: its service, its form and its
    button's colour. The button's label is the transition's own (``custom["button"]``)."""

    service: object
    form: type
    style: str = "primary"


@dataclass(frozen=True)
class Action:
    """A step offered to the user on the detail page: the transition's name, its button label and
    its ``Step``."""

    method: str
    label: object
    step: Step

    @property
    def style(self):
        return self.step.style


def available_actions(obj, user, steps: dict) -> list[Action]:
    """The steps ``user`` may take now on ``obj``: the transitions django-fsm offers them (state
    and permission), in the order of ``steps`` (name → ``Step``), so no button is shown that its
    state would refuse."""
    labels = {t.name: t.custom["button"] for t in obj.available_transitions(user)}
    return [Action(name, labels[name], step) for name, step in steps.items() if name in labels]


def workflow_step(request, obj, action, *, form, offered, run, render, reload, done):
    """Take transition ``action`` of ``obj`` from the posted ``form`` (bound, prefixed by the
    action, with an ``expected_state`` field).

    ``offered``: the transition names the page offers the user now; ``run(form)`` calls the step's
    service with the valid form's data; ``render(obj, bound=None, status=200)`` draws the object's page; ``reload()``
    reads ``obj`` again in the user's scope after a refusal; ``done``: where to go on success (a
    URL or model). Returns the ``HttpResponse``."""
    if not form.is_valid():
        if action not in offered:
            try:
                transition_check(obj, action, actor=request.user,
                                 expected_state=request.POST.get(f"{action}-expected_state"))
            except ServiceError as error:
                messages.error(request, error.message)
                return render(obj, status=error.status)
        return render(obj, bound=form, status=400)
    try:
        run(form)
    except ServiceError as error:
        obj = reload()
        if error.field in form.fields or error.field == "budget":
            # A budget refusal stays on the bound form, so what was typed is kept.
            error_to_form(form, error)
            return render(obj, bound=form, status=error.status)
        messages.error(request, error.message)
        return render(obj, status=error.status)
    messages.success(request, _("انجام شد: %(action)s") % {"action": type(obj).button_label(action)})
    return redirect(done)
