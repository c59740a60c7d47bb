"""The Persian UI of the §9 chain: registration, calls, submission, inboxes, actions, tracking.

Views are thin: forms check the input's shape, services do the work, selectors scope every read.
"""


from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.selectors import notifications_for
from accounts.workflow_views import Step, available_actions, workflow_step
from common import paging
from common.errors import ServiceError, error_to_form
from common.templatetags.persian import fa_number

from . import forms, selectors, services
from .models import ApplicationDocument
from .schedule import subsidy_due, subsidy_schedule
from .schedule_display import contract_schedule, schedule_workbook
from .workflow import NEXT_ACTOR, ApplicationState

S = ApplicationState


# In the order the detail page lists them.
STEPS = {
    "start_agency_review": Step(services.application_start_agency_review, forms.PlainActionForm),
    "approve_by_agency": Step(services.application_approve_by_agency, forms.ActionForm, "success"),
    "return_by_agency": Step(services.application_return_by_agency, forms.ReasonRequiredForm, "warning"),
    "reject_by_agency": Step(services.application_reject_by_agency, forms.ReasonRequiredForm, "danger"),
    "resubmit": Step(services.application_resubmit, forms.ActionForm),
    "start_working_group_review": Step(services.application_start_working_group_review, forms.PlainActionForm),
    "refer_to_bank": Step(services.application_refer_to_bank, forms.ReferToBankForm, "success"),
    "return_by_working_group": Step(services.application_return_by_working_group, forms.ReasonRequiredForm,
                                    "warning"),
    "reject_by_working_group": Step(services.application_reject_by_working_group, forms.ReasonRequiredForm,
                                    "danger"),
    "start_bank_review": Step(services.application_start_bank_review, forms.PlainActionForm),
    "approve_by_bank": Step(services.application_approve_by_bank, forms.BankApprovalForm, "success"),
    "reject_by_bank": Step(services.application_reject_by_bank, forms.ReasonRequiredForm, "danger"),
    "cancel_by_bank": Step(services.application_cancel_by_bank, forms.ReasonRequiredForm, "outline-danger"),
    "sign_contract": Step(services.application_sign_contract, forms.ContractForm, "success"),
    "record_disbursement": Step(services.application_record_disbursement, forms.DisbursementForm, "success"),
    "declare_operation": Step(services.application_declare_operation, forms.DeclareOperationForm, "success"),
    "confirm_operation": Step(services.application_confirm_operation, forms.ActionForm, "success"),
    "pay_subsidy": Step(services.application_pay_subsidy, forms.SubsidyPayoutForm, "success"),
    "withdraw": Step(services.application_withdraw, forms.ActionForm, "outline-danger"),
}


def _action_form(name, step, application, data=None):
    kwargs = {"prefix": name, "initial": {"expected_state": application.state}}
    if step.form is forms.ReferToBankForm:
        kwargs["application"] = application
    if step.form is forms.SubsidyPayoutForm and data is None:
        kwargs["initial"]["amount_rials"] = fa_number(_subsidy_due(application))
    return step.form(data, **kwargs)


def _subsidy_due(application):
    """The payout the form proposes: the rest of the subsidy, or the next period's part of it
    (``settings.KALEH_SUBSIDY_PAYOUT_MONTHS``). Rials."""
    contract = application.contract
    paid = sum(payout.amount_rials for payout in application.subsidy_payouts.all())
    schedule = subsidy_schedule(contract.principal_rials, contract.interest_rate_percent,
                                contract.subsidy_rate_percent, contract.term_months, contract.grace_months)
    return subsidy_due(schedule, paid, settings.KALEH_SUBSIDY_PAYOUT_MONTHS)


def _available_actions(application, user):
    return available_actions(application, user, STEPS)


# --- pages ----------------------------------------------------------------------------------

@login_required
def home(request):
    """The user's start page: an applicant's own applications, an officer's inbox."""
    user = request.user
    if user.has_role(Role.APPLICANT):
        return redirect("financing:my_applications")
    if user.has_role(Role.AGENCY_OFFICER, Role.WORKING_GROUP_SECRETARY, Role.BANK_OFFICER):
        return redirect("financing:inbox")
    if user.has_role(Role.MINISTRY_STAFF, Role.PROVINCIAL_MANAGER):
        return redirect("financing:applications")
    return redirect("admin:index") if user.is_staff else redirect("monitoring:program")


def register(request):
    """Applicant self-registration; logs the new applicant in."""
    if request.user.is_authenticated:
        return redirect("financing:home")
    form = forms.RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            applicant = services.applicant_register(
                username=data["username"], password=data["password1"], name=data["name"],
                national_id=data["national_id"], person_kind=data["person_kind"], ownership=data["ownership"],
                mobile=data["mobile"], email=data["email"])
        except ServiceError as error:
            error_to_form(form, error)
        else:
            login(request, applicant.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("ثبت‌نام انجام شد."))
            return redirect("financing:calls")
    return render(request, "financing/register.html", {"form": form}, status=400 if form.errors else 200)


def _page(request, queryset):
    """The ``?page=`` of ``queryset``, ``?size=`` rows (20–200, default 25); see ``common.paging``."""
    return paging.paginate(request, queryset)


# The inboxes that rank by the priority score (§9): the agency's and the working group's.
PRIORITY_INBOX_ROLES = (Role.AGENCY_OFFICER, Role.WORKING_GROUP_SECRETARY)


@login_required
def inbox(request):
    """What awaits the officer's action in their scope: first in first out, or for the agency
    officer and the working-group secretary by priority score with ``?sort=priority``."""
    ranks = request.user.role in PRIORITY_INBOX_ROLES
    sort = "priority" if ranks and request.GET.get("sort") == "priority" else "fifo"
    page = _page(request, selectors.application_inbox(request.user, order=sort))
    return render(request, "financing/application_list.html",
                  {"page": page, "title": _("کارتابل"), "is_inbox": True, "shows_priority": ranks, "sort": sort})


@login_required
def application_list(request):
    """Every application the user may read, newest first."""
    filters = forms.ApplicationFilterForm(request.GET)
    page = _page(request, filters.filter(selectors.applications_visible_to(request.user)))
    return render(request, "financing/application_list.html",
                  {"page": page, "title": _("طرح‌ها"), "filters": filters})


@login_required
def my_applications(request):
    """An applicant's own applications."""
    page = _page(request, selectors.applications_visible_to(request.user))
    return render(request, "financing/application_list.html", {"page": page, "title": _("طرح‌های من")})


@login_required
def application_detail(request, pk):
    """One application in the user's scope: figures, documents, history and the actions open to them."""
    application = selectors.application_get(request.user, pk)
    return _render_detail(request, application)


def _render_detail(request, application, *, bound=None, status=200):
    actions = []
    for action in _available_actions(application, request.user):
        if bound is not None and bound.prefix == action.method:
            form = bound
        else:
            form = _action_form(action.method, action.step, application)
        actions.append((action, form))
    is_owner = application.applicant.user_id == request.user.pk
    context = {
        "application": application,
        "history": selectors.application_history(application),
        "documents": application.documents.all(),
        "contract": getattr(application, "contract", None),
        "schedule": contract_schedule(getattr(application, "contract", None)),
        "disbursements": application.disbursements.all(),
        "payouts": application.subsidy_payouts.all(),
        "actions": actions,
        "next_actor": NEXT_ACTOR.get(application.state),
        "document_form": _document_form(application) if is_owner else None,
        # The messages sent to the applicant about this application: shown to the applicant only.
        "notifications": notifications_for(request.user, application) if is_owner else None,
    }
    return render(request, "financing/application_detail.html", context, status=status)


def _document_form(application, data=None, files=None):
    """The upload form with only the kinds the state accepts; ``None`` when it accepts none."""
    kinds = services.document_kinds_open(application)
    if not kinds:
        return None
    form = forms.DocumentForm(data, files, prefix="doc")
    form.fields["kind"].choices = [(k, ApplicationDocument.Kind(k).label) for k in kinds]
    return form


@login_required
@require_POST
def application_action(request, pk, action):
    """Take one step of the chain. A refused step leaves everything unchanged and says why."""
    application = selectors.application_get(request.user, pk)
    step = STEPS.get(action)
    if step is None:
        raise Http404
    return workflow_step(
        request, application, action, form=_action_form(action, step, application, request.POST),
        offered={a.method for a in _available_actions(application, request.user)},
        run=lambda form: step.service(actor=request.user, application_id=application.pk,
                                      expected_state=form.cleaned_data["expected_state"], **form.service_kwargs()),
        render=lambda obj, **kw: _render_detail(request, obj, **kw),
        reload=lambda: selectors.application_get(request.user, pk),
        done=reverse("financing:application", args=[application.pk]))


@login_required
@require_POST
def document_upload(request, pk):
    """The applicant attaches a document (bank documents, proof of operation, a revised study)."""
    application = selectors.application_get(request.user, pk)
    form = _document_form(application, request.POST, request.FILES) or forms.DocumentForm(
        request.POST, request.FILES, prefix="doc")
    if form.is_valid():
        try:
            services.document_add(actor=request.user, application_id=application.pk,
                                  kind=form.cleaned_data["kind"], uploaded_file=form.cleaned_data["file"])
        except ServiceError as error:
            messages.error(request, error.message)
            return _render_detail(request, application, status=error.status)
        messages.success(request, _("مستند بارگذاری شد."))
        return redirect("financing:application", pk=application.pk)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return _render_detail(request, application, status=400)


@login_required
def document_download(request, pk, document_id):
    """A document, only to users who may read its application (404 otherwise)."""
    application = selectors.application_get(request.user, pk)
    document = get_object_or_404(ApplicationDocument, pk=document_id, application=application)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                        content_type=document.content_type)


# --- calls ----------------------------------------------------------------------------------

@login_required
def call_list(request):
    """Open calls for applicants; the agency's own calls for its officers."""
    user = request.user
    if user.has_role(Role.APPLICANT):
        calls = selectors.calls_open_for_applicants(timezone.localdate())
    else:
        calls = selectors.calls_visible_to(user)
    return render(request, "financing/call_list.html", {"page": _page(request, calls)})


@login_required
def call_create(request):
    """An agency officer publishes a call for their province's priority sectors (§9 step 1)."""
    user = request.user
    if not user.has_role(Role.AGENCY_OFFICER):
        raise Http404
    form = forms.CallForm(request.POST if request.method == "POST" else None, agency=user.agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.call_publish(actor=user, title=data["title"], description=data["description"],
                                  priority_sectors=data["priority_sectors"], opens_on=data["opens_on"],
                                  closes_on=data["closes_on"])
        except ServiceError as error:
            error_to_form(form, error)
        else:
            messages.success(request, _("فراخوان منتشر شد."))
            return redirect("financing:calls")
    return render(request, "financing/call_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def application_create(request, call_id):
    """An applicant submits an application with its feasibility-study files to an open call."""
    if not request.user.has_role(Role.APPLICANT):
        raise Http404
    call = get_object_or_404(selectors.calls_open_for_applicants(timezone.localdate()), pk=call_id)
    form = forms.ApplicationForm(*((request.POST, request.FILES) if request.method == "POST" else ()), call=call)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(actor=request.user, call=call, data=form.to_input(),
                                                      feasibility_files=form.cleaned_data["feasibility_files"])
        except ServiceError as error:
            error_to_form(form, error, aliases={"file": "feasibility_files"})
        else:
            messages.success(request, _("طرح ثبت شد. پس از تأیید دستگاه اجرایی کد رهگیری صادر می‌شود."))
            return redirect("financing:application", pk=application.pk)
    return render(request, "financing/application_form.html", {"form": form, "call": call},
                  status=400 if form.errors else 200)


# --- the subsidy schedule's download -------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def schedule_xlsx(request, pk):
    """The contract's interest-subsidy schedule as an .xlsx file (right to left, Jalali months), to
    users who may read the application; 404 outside their scope or without a contract."""
    application = selectors.application_get(request.user, pk)
    contract = getattr(application, "contract", None)
    if contract is None:
        raise Http404
    name = f"subsidy-schedule-{application.tracking_code or application.pk}.xlsx"
    return FileResponse(schedule_workbook(application, contract), as_attachment=True, filename=name,
                        content_type=XLSX)
