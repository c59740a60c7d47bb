"""The agency officer's editor of an intervention's content (analysis, execution documents,
milestones, resources; §8 steps 1–3), the milestone report (step 6) and the instalment paid
against it by ministry staff (step 6).

As in ``interventions.views``: a role outside the chain gets 403, an intervention outside the
scope 404, a page the state no longer allows 409, bad input 400 with the form kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from common.errors import NotAllowed, ServiceError, TransitionNotAllowed, error_to_form
from common.templatetags.persian import fa_number
from programs import calendar

from . import forms, permissions, selectors, services
from .models import InterventionFile, Milestone
from .views import PAYABLE_STATES, intervention_for, render_detail
from .workflow import EDITABLE_STATES, InterventionState

S = InterventionState


def _refused(request, intervention, message):
    """The detail page with ``message``, status 409: the state no longer allows this page."""
    messages.error(request, message)
    return render_detail(request, intervention, status=409)


# --- the editor (§8 steps 1–3) -----------------------------------------------------------------

def _check_editable(intervention, user):
    """Refuse a user who is not an officer of the proposing agency (``NotAllowed``, 403) and a
    state outside ``EDITABLE_STATES`` (``TransitionNotAllowed``, 409)."""
    if not permissions.is_agency_officer(intervention, user):
        raise NotAllowed()
    if intervention.state not in EDITABLE_STATES:
        raise TransitionNotAllowed(_("در این وضعیت محتوای اقدام ویرایش‌شدنی نیست."))


def _editable_for(request, pk):
    """The intervention ``pk`` if the user may edit it now, else the response that says why."""
    intervention = intervention_for(request, pk)
    try:
        _check_editable(intervention, request.user)
    except TransitionNotAllowed as error:
        return intervention, _refused(request, intervention, error.message)
    return intervention, None


def render_editor(request, intervention, *, content=None, milestone=None, resource=None, document=None,
                  status=200):
    """The editor with its four forms; a bound one is shown with its errors."""
    context = {
        "intervention": intervention,
        "form": content or forms.InterventionForm(initial=forms.InterventionForm.initial_of(intervention),
                                                  province=intervention.province, documents=True),
        "milestone_form": milestone or forms.MilestoneForm(prefix="m"),
        "resource_form": resource or forms.ResourceForm(prefix="r"),
        "document_form": document or forms.FileForm(prefix="doc"),
        "milestones": [(m, calendar.period_label(m.planned_period)) for m in intervention.milestones.all()],
        "resources": intervention.resources.all(),
        "requested_grant": selectors.requested_grant_rials(intervention),
        "documents": intervention.files.filter(kind=InterventionFile.Kind.EXECUTION_DOCUMENT),
    }
    return render(request, "interventions/intervention_edit.html", context, status=status)


def _service_refusal(request, intervention, form, error, **bound):
    """Show a service's refusal: a state or role refusal as a message with its status, an input
    refusal on the bound ``form``."""
    if error.status != 400:
        messages.error(request, error.message)
        return render_editor(request, intervention, status=error.status)
    error_to_form(form, error)
    return render_editor(request, intervention, status=400, **bound)


@login_required
def intervention_edit(request, pk):
    """The agency officer edits the content while it is editable (``EDITABLE_STATES``)."""
    intervention, refused = _editable_for(request, pk)
    if refused:
        return refused
    if request.method != "POST":
        return render_editor(request, intervention)
    form = forms.InterventionForm(request.POST, province=intervention.province, documents=True)
    if not form.is_valid():
        return render_editor(request, intervention, content=form, status=400)
    try:
        services.intervention_update(actor=request.user, intervention_id=intervention.pk, data=form.to_input(),
                                     expected_state=form.cleaned_data.get("expected_state") or None)
    except ServiceError as error:
        return _service_refusal(request, selectors.intervention_get(request.user, pk), form, error, content=form)
    messages.success(request, _("تغییرات ذخیره شد."))
    return redirect("interventions:edit", pk=intervention.pk)


def _add_row(request, pk, *, form_class, prefix, bound_as, service, done):
    """Add one row (a milestone, a resource line) from the editor's form ``form_class``: 400 with the
    form kept on bad input, the service's refusal on the form or as a message, ``done`` on success."""
    intervention, refused = _editable_for(request, pk)
    if refused:
        return refused
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        return render_editor(request, intervention, status=400, **{bound_as: form})
    try:
        service(actor=request.user, intervention_id=intervention.pk, **form.cleaned_data)
    except ServiceError as error:
        return _service_refusal(request, intervention, form, error, **{bound_as: form})
    messages.success(request, done)
    return redirect("interventions:edit", pk=intervention.pk)


def _remove_row(request, pk, *, service, done, **row):
    """Remove one row (``row``: its id keyword for ``service``) from the editor."""
    intervention, refused = _editable_for(request, pk)
    if refused:
        return refused
    try:
        service(actor=request.user, intervention_id=intervention.pk, **row)
    except ServiceError as error:
        messages.error(request, error.message)
        return render_editor(request, intervention, status=error.status)
    messages.success(request, done)
    return redirect("interventions:edit", pk=intervention.pk)


@login_required
@require_POST
def milestone_add(request, pk):
    """A milestone added to the timetable."""
    return _add_row(request, pk, form_class=forms.MilestoneForm, prefix="m", bound_as="milestone",
                    service=services.milestone_add, done=_("گام به زمان‌بندی افزوده شد."))


@login_required
@require_POST
def milestone_remove(request, pk, milestone_id):
    """A milestone removed from the timetable."""
    return _remove_row(request, pk, service=services.milestone_remove, done=_("گام حذف شد."),
                       milestone_id=milestone_id)


@login_required
@require_POST
def resource_add(request, pk):
    """A resource line added (source, rials, purpose)."""
    return _add_row(request, pk, form_class=forms.ResourceForm, prefix="r", bound_as="resource",
                    service=services.resource_add, done=_("منبع مالی افزوده شد."))


@login_required
@require_POST
def resource_remove(request, pk, resource_id):
    """A resource line removed."""
    return _remove_row(request, pk, service=services.resource_remove, done=_("منبع مالی حذف شد."),
                       resource_id=resource_id)


@login_required
@require_POST
def document_upload(request, pk):
    """An execution document attached (§8 step 3)."""
    intervention, refused = _editable_for(request, pk)
    if refused:
        return refused
    form = forms.FileForm(request.POST, request.FILES, prefix="doc")
    if not form.is_valid():
        return render_editor(request, intervention, document=form, status=400)
    try:
        services.intervention_file_add(actor=request.user, intervention_id=intervention.pk,
                                       kind=InterventionFile.Kind.EXECUTION_DOCUMENT,
                                       uploaded_file=form.cleaned_data["file"])
    except ServiceError as error:
        return _service_refusal(request, intervention, form, error, document=form)
    messages.success(request, _("مستند بارگذاری شد."))
    return redirect("interventions:edit", pk=intervention.pk)


# --- execution: milestones reported, instalments paid (§8 step 6) -------------------------------

def _milestone_of(intervention, milestone_id):
    return get_object_or_404(Milestone, pk=milestone_id, intervention=intervention)


@login_required
def milestone_report(request, pk, milestone_id):
    """The agency officer reports a milestone done: the Jalali day, a report, evidence files."""
    intervention = intervention_for(request, pk)
    milestone = _milestone_of(intervention, milestone_id)
    if not permissions.is_agency_officer(intervention, request.user):
        raise NotAllowed()
    if intervention.state != S.IN_EXECUTION:
        return _refused(request, intervention, _("گزارش گام‌ها فقط در وضعیت «در حال اجرا» ممکن است."))
    if milestone.is_done:
        return _refused(request, intervention, _("این گام پیش‌تر گزارش شده است."))
    form = forms.MilestoneReportForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.milestone_report(actor=request.user, intervention_id=intervention.pk, milestone_id=milestone.pk,
                                      done_on=data["done_on"], report=data["report"], uploaded_files=data["files"])
        except ServiceError as error:
            if error.status != 400:
                return _refused_with_status(request, pk, error)
            error_to_form(form, error, aliases={"file": "files", "uploaded_files": "files"})
        else:
            messages.success(request, _("انجام گام گزارش شد."))
            return redirect("interventions:detail", pk=intervention.pk)
    return render(request, "interventions/milestone_report.html",
                  {"intervention": intervention, "milestone": milestone, "form": form,
                   "period": calendar.period_label(milestone.planned_period)},
                  status=400 if form.errors else 200)


def _refused_with_status(request, pk, error):
    messages.error(request, error.message)
    return render_detail(request, selectors.intervention_get(request.user, pk), status=error.status)


def proposed_instalment(intervention) -> int:
    """The amount the payment form proposes (rials): what is left of the grant shared equally
    among the milestones not yet paid, the last one taking the rest; the staff member may change it."""
    left = selectors.grant_amounts(intervention).remaining
    unpaid = intervention.milestones.filter(instalment__isnull=True).count()
    return max(left // unpaid if unpaid else left, 0)


@login_required
def instalment_pay(request, pk, milestone_id):
    """Ministry staff pay a grant instalment against a milestone reported done."""
    intervention = intervention_for(request, pk)
    milestone = _milestone_of(intervention, milestone_id)
    if not permissions.is_ministry_staff(intervention, request.user):
        raise NotAllowed()
    if intervention.state not in PAYABLE_STATES:
        return _refused(request, intervention, _("پرداخت قسط فقط در وضعیت «در حال اجرا» یا «ارزیابی‌شده» ممکن است."))
    if not milestone.is_done:
        return _refused(request, intervention, _("این گام هنوز گزارش نشده است."))
    if Milestone.objects.filter(pk=milestone.pk, instalment__isnull=False).exists():
        return _refused(request, intervention, _("قسط این گام پیش‌تر پرداخت شده است."))
    if request.method == "POST":
        form = forms.InstalmentForm(request.POST)
    else:
        form = forms.InstalmentForm(initial={"amount_rials": fa_number(proposed_instalment(intervention))})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.instalment_pay(actor=request.user, intervention_id=intervention.pk, milestone_id=milestone.pk,
                                    amount_rials=data["amount_rials"], paid_on=data["paid_on"])
        except ServiceError as error:
            if error.status != 400:
                return _refused_with_status(request, pk, error)
            error_to_form(form, error)
        else:
            messages.success(request, _("قسط کمک بلاعوض پرداخت شد."))
            return redirect("interventions:detail", pk=intervention.pk)
    return render(request, "interventions/instalment_form.html",
                  {"intervention": intervention, "milestone": milestone, "form": form,
                   "grant": selectors.grant_amounts(intervention),
                   "period": calendar.period_label(milestone.planned_period)},
                  status=400 if form.errors else 200)
