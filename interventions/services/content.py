"""An intervention's content, written by its agency (§8 steps 1–3): the analysis and proposal
(``intervention_create``, ``intervention_update``), the execution documents' milestones and
resource lines, and its files. Content changes only in ``workflow.EDITABLE_STATES`` (analysis,
proposed, returned); evaluation reports are added by the evaluators once it is in execution.

Each write is one transaction with an audit row; a refusal writes nothing. Amounts are rials,
periods two-month periods of the programme (1 = Tir–Mordad 1398).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.services import audit_record_create
from common.errors import NotAllowed, NotFound, RuleBroken
from common.files import stored_file_fields
from common.normalization import normalize_multiline, normalize_text
from programs.calendar import LAST_PERIOD
from sectors.models import PrioritySector

from .. import permissions
from ..models import CatalogueEntry, Intervention, InterventionFile, Milestone, ResourceLine
from ..workflow import EDITABLE_STATES, InterventionState
from .steps import MAX_RIALS, check_rials, intervention_touch, lock_for_action, record_step

S = InterventionState
TITLE_CHARS = 300
NOT_EDITABLE = _("محتوای اقدام فقط در مراحل تحلیل، پیشنهاد یا بازگشت برای اصلاح قابل ویرایش است.")

# The text fields of the analysis (§8 step 1) and of the execution documents (step 3).
ANALYSIS_FIELDS = ("business_system", "zoning", "intervention_points")
DOCUMENT_FIELDS = ("institution_structure", "ownership", "management", "expected_outputs", "indicators")
_LONG_TEXT_FIELDS = ("business_system", "zoning", "intervention_points", "institution_structure",
                     "expected_outputs", "indicators")


@dataclass(frozen=True)
class InterventionInput:
    """What the agency officer writes (§8 steps 1–3): ``kind`` an ``Intervention.Kind`` code,
    ``catalogue_entry`` a §7 ``CatalogueEntry`` or ``None``, ``priority_sector`` a
    ``PrioritySector`` of the agency's province, ``counties`` ``County`` rows of that province
    (none: the whole province), ``ownership`` "" or an ``Intervention.Ownership`` code; the rest
    text (may be empty until the step that needs it)."""

    title: str
    kind: str
    catalogue_entry: object = None
    creates_institution: bool = True
    priority_sector: object = None
    counties: list = field(default_factory=list)
    business_system: str = ""
    zoning: str = ""
    intervention_points: str = ""
    institution_structure: str = ""
    ownership: str = ""
    management: str = ""
    expected_outputs: str = ""
    indicators: str = ""


def _short_text(value, *, name, label, required=False):
    value = normalize_text(value)
    if required and not value:
        raise RuleBroken(_("%(label)s را وارد کنید.") % {"label": label}, field=name)
    if len(value) > TITLE_CHARS:
        raise RuleBroken(_("%(label)s حداکثر ۳۰۰ نویسه است.") % {"label": label}, field=name)
    return value


def _clean_input(province_id, data: InterventionInput):
    """``data`` checked and folded for an intervention of province ``province_id``: ``(fields,
    counties)``. Raises ``RuleBroken`` on the first field that breaks a rule."""
    values = {"title": _short_text(data.title, name="title", label=_("عنوان"), required=True)}
    if data.kind not in Intervention.Kind.values:
        raise RuleBroken(_("قالب اقدام را از فهرست انتخاب کنید."), field="kind")
    values["kind"] = data.kind
    entry = data.catalogue_entry
    if entry is not None and not (isinstance(entry, CatalogueEntry) and entry.pk):
        raise RuleBroken(_("نمونه اقدام را از فهرست بند ۷ انتخاب کنید."), field="catalogue_entry")
    values["catalogue_entry"] = entry
    values["creates_institution"] = bool(data.creates_institution)
    sector = data.priority_sector
    if not isinstance(sector, PrioritySector) or sector.province_id != province_id:
        raise RuleBroken(_("رسته اولویت‌دار باید از رسته‌های استان دستگاه باشد."), field="priority_sector")
    values["priority_sector"] = sector
    counties = list(dict.fromkeys(data.counties or []))
    if any(getattr(county, "province_id", None) != province_id for county in counties):
        raise RuleBroken(_("شهرستان‌ها باید از شهرستان‌های استان دستگاه باشند."), field="counties")
    for name in _LONG_TEXT_FIELDS:
        values[name] = normalize_multiline(getattr(data, name))
    if data.ownership not in ("", *Intervention.Ownership.values):
        raise RuleBroken(_("نوع مالکیت را از فهرست انتخاب کنید."), field="ownership")
    values["ownership"] = data.ownership
    values["management"] = _short_text(data.management, name="management", label=_("اداره‌کننده نهاد"))
    return values, counties


def intervention_create(*, actor, data: InterventionInput) -> Intervention:
    """An agency officer starts an intervention of their agency (§8 step 1): its province is the
    agency's, its state ``analysis``. Returns it.

    Raises ``NotAllowed`` for anyone but an agency officer, ``RuleBroken`` for an empty or long
    title, an unknown kind or ownership, a priority sector (field ``priority_sector``) or counties
    (field ``counties``) outside the agency's province. Audit action ``create``.
    """
    if not actor.has_role(Role.AGENCY_OFFICER) or not actor.agency_id:
        raise NotAllowed()
    province_id = actor.agency.province_id
    values, counties = _clean_input(province_id, data)
    now = timezone.now()
    with transaction.atomic():
        intervention = Intervention(agency_id=actor.agency_id, province_id=province_id, created_by=actor,
                                    state_changed_at=now, **values)
        intervention.save()
        intervention.counties.set(counties)
        audit_record_create(actor=actor, target=intervention, action="create", to_state=intervention.state,
                            data={"priority_sector": values["priority_sector"].pk, "kind": values["kind"]})
    return intervention


def intervention_update(*, actor, intervention_id, data: InterventionInput, expected_state=None) -> Intervention:
    """The proposing agency's officer rewrites the intervention's fields with ``data`` (checked as
    in ``intervention_create``) while it is editable (analysis, proposed, returned). Returns it.

    Raises ``NotFound`` outside the actor's scope, ``StaleState`` when ``expected_state`` differs,
    ``NotAllowed`` for anyone but the agency's officers, ``TransitionNotAllowed`` in another state,
    ``RuleBroken`` as ``intervention_create``. Audit action ``edit`` with the changed fields'
    names (``data["fields"]``); nothing is recorded when nothing changed.
    """
    with transaction.atomic():
        intervention = lock_for_action(actor, intervention_id, permission=permissions.is_agency_officer,
                                       states=EDITABLE_STATES, expected_state=expected_state, message=NOT_EDITABLE)
        values, counties = _clean_input(intervention.province_id, data)
        changed = [name for name, value in values.items() if getattr(intervention, name) != value]
        counties_changed = ({c.pk for c in counties}
                            != set(intervention.counties.values_list("pk", flat=True)))
        if not changed and not counties_changed:
            return intervention
        for name in changed:
            setattr(intervention, name, values[name])
        intervention.save()
        if counties_changed:
            intervention.counties.set(counties)
            changed.append("counties")
        record_step(intervention, actor=actor, action="edit", from_state=intervention.state,
                    data={"fields": changed}, notify=False)
    return intervention


def _lock_editable(actor, intervention_id, expected_state=None):
    return lock_for_action(actor, intervention_id, permission=permissions.is_agency_officer, states=EDITABLE_STATES,
                           expected_state=expected_state, message=NOT_EDITABLE)


def milestone_add(*, actor, intervention_id, title, planned_period, expected_state=None) -> Milestone:
    """Add a milestone to the intervention's timetable (§8 step 3): ``title`` and the two-month
    period it is planned in (1 = Tir–Mordad 1398, up to ``LAST_PERIOD``); it goes last. Returns it.

    Raises as ``intervention_update`` for the scope, the role and the state; ``RuleBroken`` for an
    empty or long title (field ``title``) or a period out of range (field ``planned_period``).
    Audit action ``edit``.
    """
    title = _short_text(title, name="title", label=_("عنوان گام"), required=True)
    whole = isinstance(planned_period, int) and not isinstance(planned_period, bool)
    if not whole or not 1 <= planned_period <= LAST_PERIOD:
        raise RuleBroken(_("دوره دوماهه باید عددی از ۱ تا ۱۲۰ باشد."), field="planned_period")
    with transaction.atomic():
        intervention = _lock_editable(actor, intervention_id, expected_state)
        last = intervention.milestones.aggregate(last=Max("order"))["last"] or 0
        milestone = Milestone.objects.create(intervention=intervention, order=last + 1, title=title,
                                             planned_period=planned_period)
        record_step(intervention, actor=actor, action="edit", from_state=intervention.state, notify=False,
                    data={"fields": ["milestones"], "added": milestone.pk, "planned_period": planned_period})
    return milestone


def milestone_remove(*, actor, intervention_id, milestone_id, expected_state=None) -> None:
    """Remove a milestone from the intervention's timetable; the later ones move up one place.
    Raises ``NotFound`` for a milestone of another intervention, otherwise as ``milestone_add``."""
    with transaction.atomic():
        intervention = _lock_editable(actor, intervention_id, expected_state)
        milestone = milestone_of(intervention, milestone_id)
        order = milestone.order
        milestone.delete()
        # One by one in order: each moves into the place just freed (the order is unique).
        for later in intervention.milestones.filter(order__gt=order).order_by("order"):
            later.order -= 1
            later.save(update_fields=["order"])
        record_step(intervention, actor=actor, action="edit", from_state=intervention.state, notify=False,
                    data={"fields": ["milestones"], "removed": int(milestone_id)})


def milestone_of(intervention, milestone_id, *, lock=False):
    """Milestone ``milestone_id`` of ``intervention`` (its row locked if ``lock``); ``NotFound``
    for another intervention's or a bad id."""
    rows = Milestone.objects.select_for_update() if lock else Milestone.objects
    try:
        return rows.get(pk=milestone_id, intervention=intervention)
    except (Milestone.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def resource_add(*, actor, intervention_id, source, amount_rials, purpose="", expected_state=None) -> ResourceLine:
    """Add a line to how the intervention's resources are provided (§8 step 3): ``source`` a
    ``ResourceLine.Source`` code, ``amount_rials`` a positive number of rials, ``purpose`` what it
    pays for. The lines of source ``programme_grant`` are the grant asked of the programme.
    Returns the line.

    Raises as ``intervention_update`` for the scope, the role and the state; ``RuleBroken`` for an
    unknown source (field ``source``), an amount that is not a positive whole number of rials
    (field ``amount_rials``) or one that takes the intervention's lines past what a 64-bit rial
    column holds (their sums are shown and committed), or a purpose over 300 characters (field
    ``purpose``). Audit ``edit``.
    """
    if source not in ResourceLine.Source.values:
        raise RuleBroken(_("منبع را از فهرست انتخاب کنید."), field="source")
    amount_rials = check_rials(amount_rials, field="amount_rials", message=_("مبلغ باید بیشتر از صفر ریال باشد."))
    purpose = _short_text(purpose, name="purpose", label=_("محل مصرف"))
    with transaction.atomic():
        intervention = _lock_editable(actor, intervention_id, expected_state)
        # Summed in Python: the database's SUM would overflow before it could be refused.
        if sum(intervention.resources.values_list("amount_rials", flat=True)) + amount_rials > MAX_RIALS:
            raise RuleBroken(_("جمع منابع این اقدام از حد مجاز بیشتر می‌شود."), field="amount_rials")
        line = ResourceLine.objects.create(intervention=intervention, source=source, amount_rials=amount_rials,
                                           purpose=purpose)
        record_step(intervention, actor=actor, action="edit", from_state=intervention.state, notify=False,
                    data={"fields": ["resources"], "added": line.pk, "source": source, "amount_rials": amount_rials})
    return line


def resource_remove(*, actor, intervention_id, resource_id, expected_state=None) -> None:
    """Remove a resource line. Raises ``NotFound`` for a line of another intervention, otherwise as
    ``resource_add``."""
    with transaction.atomic():
        intervention = _lock_editable(actor, intervention_id, expected_state)
        try:
            line = ResourceLine.objects.get(pk=resource_id, intervention=intervention)
        except (ResourceLine.DoesNotExist, ValueError, TypeError):
            raise NotFound() from None
        line.delete()
        record_step(intervention, actor=actor, action="edit", from_state=intervention.state, notify=False,
                    data={"fields": ["resources"], "removed": int(resource_id), "source": line.source,
                          "amount_rials": line.amount_rials})


# Who adds each kind of file, and when. Milestone evidence comes only with its report.
FILE_RULES = {
    InterventionFile.Kind.EXECUTION_DOCUMENT: (permissions.is_agency_officer, EDITABLE_STATES),
    InterventionFile.Kind.EVALUATION: (permissions.can_evaluate, (S.IN_EXECUTION, S.EVALUATED)),
}


def intervention_file_add(*, actor, intervention_id, kind, uploaded_file, expected_state=None) -> InterventionFile:
    """Attach a file: an execution document (kind ``execution_document``) by the agency's officer
    while the content is editable, or an evaluation report (kind ``evaluation``) by the province's
    provincial manager or ministry staff in execution or once evaluated. Returns the file row.

    Raises ``RuleBroken`` for another kind (field ``kind``: milestone evidence comes with
    ``milestone_report``) or a file that is not PDF/XLSX/DOCX/JPEG/PNG by content or is over 10 MB
    (field ``file``); ``NotFound``, ``StaleState``, ``NotAllowed``, ``TransitionNotAllowed`` as
    ``intervention_update``. Audit action ``add_file``.
    """
    if kind not in FILE_RULES:
        raise RuleBroken(_("نوع مستند را از فهرست انتخاب کنید."), field="kind")
    permission, states = FILE_RULES[kind]
    with transaction.atomic():
        intervention = lock_for_action(actor, intervention_id, permission=permission, states=states,
                                       expected_state=expected_state,
                                       message=_("در این وضعیت نمی‌توان این نوع مستند را بارگذاری کرد."))
        fields = stored_file_fields(uploaded_file)  # checked before anything is written
        stored = InterventionFile.objects.create(intervention=intervention, kind=kind, uploaded_by=actor, **fields)
        intervention_touch(intervention)
        audit_record_create(actor=actor, target=intervention, action="add_file", from_state=intervention.state,
                            to_state=intervention.state, data={"file": stored.pk, "kind": kind})
    return stored

