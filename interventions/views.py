"""The Persian UI of the §8 chain: the list and the inbox, a new intervention, its page with the
steps open to the user, the evaluation report upload and the file download.

Views are thin: forms check the input's shape, ``interventions.services`` do the work,
``interventions.selectors`` scope every read. The content editor and the milestone pages are in
``interventions.step_views``.
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.workflow_views import Step, available_actions, workflow_step
from common import paging
from common.errors import NotAllowed, ServiceError, error_to_form
from common.templatetags.persian import fa_number
from programs import calendar

from . import forms, permissions, selectors, services
from .models import InterventionFile
from .workflow import EDITABLE_STATES, NEXT_ACTOR, InterventionState

S = InterventionState

# The roles that take part in the §8 chain; anyone else (applicants, bank officers, the system
# administrator) is refused the interventions' pages (403).
INTERVENTION_ROLES = (Role.AGENCY_OFFICER, Role.WORKING_GROUP_SECRETARY, Role.PROVINCIAL_MANAGER,
                      Role.MINISTRY_STAFF)
# The states in which an evaluator may attach an evaluation report (as the service allows).
EVALUATION_FILE_STATES = (S.IN_EXECUTION, S.EVALUATED)
# The states in which ministry staff pay instalments against milestones done (§8 step 6).
PAYABLE_STATES = (S.IN_EXECUTION, S.EVALUATED)


def require_intervention_role(user):
    """Refuse (``NotAllowed``, 403) a user whose role has no part in the §8 chain."""
    if not user.has_role(*INTERVENTION_ROLES):
        raise NotAllowed()


def intervention_for(request, pk):
    """The intervention ``pk`` in the user's scope: 403 for a role outside the chain, 404 outside
    the scope (``selectors.intervention_get``)."""
    require_intervention_role(request.user)
    return selectors.intervention_get(request.user, pk)


# In the order the detail page lists them.
STEPS = {
    "propose": Step(services.intervention_propose, forms.PlainActionForm),
    "submit_documents": Step(services.intervention_submit_documents, forms.PlainActionForm),
    "resubmit": Step(services.intervention_resubmit, forms.PlainActionForm),
    "approve": Step(services.intervention_approve, forms.ActionForm, "success"),
    "return_for_revision": Step(services.intervention_return_for_revision, forms.ReasonRequiredForm, "warning"),
    "reject": Step(services.intervention_reject, forms.ReasonRequiredForm, "danger"),
    "refer_for_funding": Step(services.intervention_refer_for_funding, forms.ReferForm, "success"),
    "record_grant": Step(services.intervention_record_grant, forms.GrantForm, "success"),
    "start_execution": Step(services.intervention_start_execution, forms.PlainActionForm, "success"),
    "evaluate": Step(services.intervention_evaluate, forms.EvaluationForm, "success"),
    "close": Step(services.intervention_close, forms.ActionForm, "secondary"),
}


def _action_form(name, step, intervention, data=None):
    kwargs = {"prefix": name, "initial": {"expected_state": intervention.state}}
    if step.form is forms.GrantForm and data is None:
        kwargs["initial"]["grant_rials"] = fa_number(selectors.requested_grant_rials(intervention)) or ""
    return step.form(data, **kwargs)


def _available_actions(intervention, user):
    return available_actions(intervention, user, STEPS)


# --- lists ------------------------------------------------------------------------------------

@login_required
def intervention_list(request):
    """Every intervention the user may read, newest first, filtered by state, province (ministry
    staff) and title."""
    require_intervention_role(request.user)
    filters = forms.InterventionFilterForm(request.GET, all_provinces=request.user.has_role(Role.MINISTRY_STAFF))
    queryset = filters.filter(selectors.interventions_visible_to(request.user))
    return render(request, "interventions/intervention_list.html",
                  {"page": paging.paginate(request, queryset), "title": _("اقدامات توسعه‌ای"), "filters": filters})


@login_required
def inbox(request):
    """What awaits the user's action in their scope (``INBOX_STATES`` of their role)."""
    require_intervention_role(request.user)
    queryset = selectors.intervention_inbox(request.user)
    return render(request, "interventions/intervention_list.html",
                  {"page": paging.paginate(request, queryset), "title": _("کارتابل اقدامات توسعه‌ای"),
                   "is_inbox": True})


@login_required
def intervention_create(request):
    """An agency officer records a new intervention with its analysis (§8 steps 1–2)."""
    user = request.user
    require_intervention_role(user)
    if not user.has_role(Role.AGENCY_OFFICER) or user.agency is None:
        raise NotAllowed()
    form = forms.InterventionForm(request.POST if request.method == "POST" else None,
                                  province=user.agency.province)
    if request.method == "POST" and form.is_valid():
        try:
            intervention = services.intervention_create(actor=user, data=form.to_input())
        except ServiceError as error:
            error_to_form(form, error)
        else:
            messages.success(request, _("اقدام توسعه‌ای ثبت شد. مستندات اجرایی را از «ویرایش» کامل کنید."))
            return redirect("interventions:detail", pk=intervention.pk)
    return render(request, "interventions/intervention_form.html", {"form": form, "is_new": True},
                  status=400 if form.errors else 200)


# --- one intervention -------------------------------------------------------------------------

@login_required
def intervention_detail(request, pk):
    """One intervention in the user's scope: its content, timetable, resources, grant, files,
    history and the steps open to the user."""
    return render_detail(request, intervention_for(request, pk))


def milestone_rows(intervention, user):
    """The timetable as rows: the milestone, its period's label, its evidence, its instalment, and
    whether ``user`` may report it or pay against it now."""
    may_report = permissions.is_agency_officer(intervention, user) and intervention.state == S.IN_EXECUTION
    may_pay = permissions.is_ministry_staff(intervention, user) and intervention.state in PAYABLE_STATES
    rows = []
    for milestone in intervention.milestones.prefetch_related("files").select_related("instalment"):
        instalment = getattr(milestone, "instalment", None)
        rows.append({
            "milestone": milestone,
            "period": calendar.period_label(milestone.planned_period),
            "files": list(milestone.files.all()),
            "instalment": instalment,
            "can_report": may_report and not milestone.is_done,
            "can_pay": may_pay and milestone.is_done and instalment is None,
        })
    return rows


def render_detail(request, intervention, *, bound=None, evaluation_form=None, status=200):
    """The detail page; ``bound`` is an action form to show with its errors."""
    user = request.user
    actions = []
    for action in _available_actions(intervention, user):
        if bound is not None and bound.prefix == action.method:
            form = bound
        else:
            form = _action_form(action.method, action.step, intervention)
        actions.append((action, form))
    may_attach = permissions.can_evaluate(intervention, user) and intervention.state in EVALUATION_FILE_STATES
    resources = list(intervention.resources.all())
    context = {
        "intervention": intervention,
        "counties": intervention.counties.all(),
        "milestones": milestone_rows(intervention, user),
        "resources": resources,
        "resources_total": sum(line.amount_rials for line in resources),
        "requested_grant": selectors.requested_grant_rials(intervention),
        "grant": selectors.grant_amounts(intervention),
        "instalments": intervention.instalments.select_related("milestone"),
        "files": intervention.files.select_related("milestone"),
        "history": selectors.intervention_history(intervention),
        "next_actor": NEXT_ACTOR.get(intervention.state),
        "actions": actions,
        "can_edit": permissions.is_agency_officer(intervention, user) and intervention.state in EDITABLE_STATES,
        "evaluation_form": evaluation_form or (forms.FileForm(prefix="eval") if may_attach else None),
    }
    return render(request, "interventions/intervention_detail.html", context, status=status)


@login_required
@require_POST
def intervention_action(request, pk, action):
    """Take one step of the chain. A refused step leaves everything unchanged and says why."""
    intervention = intervention_for(request, pk)
    step = STEPS.get(action)
    if step is None:
        raise Http404
    return workflow_step(
        request, intervention, action, form=_action_form(action, step, intervention, request.POST),
        offered={a.method for a in _available_actions(intervention, request.user)},
        run=lambda form: step.service(actor=request.user, intervention_id=intervention.pk,
                                      expected_state=form.cleaned_data["expected_state"], **form.service_kwargs()),
        render=lambda obj, **kw: render_detail(request, obj, **kw),
        reload=lambda: selectors.intervention_get(request.user, pk),
        done=reverse("interventions:detail", args=[intervention.pk]))


@login_required
@require_POST
def evaluation_upload(request, pk):
    """An evaluator (the province's manager or ministry staff) attaches an evaluation report."""
    intervention = intervention_for(request, pk)
    form = forms.FileForm(request.POST, request.FILES, prefix="eval")
    if form.is_valid():
        try:
            services.intervention_file_add(actor=request.user, intervention_id=intervention.pk,
                                           kind=InterventionFile.Kind.EVALUATION,
                                           uploaded_file=form.cleaned_data["file"])
        except ServiceError as error:
            if error.status != 400:
                messages.error(request, error.message)
                return render_detail(request, intervention, status=error.status)
            error_to_form(form, error)
        else:
            messages.success(request, _("مستند بارگذاری شد."))
            return redirect("interventions:detail", pk=intervention.pk)
    return render_detail(request, intervention, evaluation_form=form, status=400)


@login_required
def file_download(request, pk, file_id):
    """A file of the intervention, only to users who may read it (404 otherwise)."""
    intervention = intervention_for(request, pk)
    stored = get_object_or_404(InterventionFile, pk=file_id, intervention=intervention)
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name,
                        content_type=stored.content_type)
