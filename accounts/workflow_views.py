"""The one way a chain's page takes a step, whatever the chain (§9 applications, §8 interventions):
check the posted form, run the step's service, and answer as the portal does everywhere.

- A form that does not validate for a step the page no longer offers (a stale page, or a step
  that is not the user's) answers 409 or 403 with the service's Persian message, not a 400 on a
  form the page no longer shows.
- A refusal by the service (``common.errors.ServiceError``) keeps what was typed on the bound form
  when the error names one of its fields (or the budget), and is a message on the page otherwise.
- Success redirects to the object's page with «انجام شد: …».
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from common.errors import ServiceError, error_to_form

from .workflow import transition_check


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
