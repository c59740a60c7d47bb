"""The demo's development interventions (§7, §8), built through ``interventions.services`` as the
officers would, along the plans of ``demo.intervention_plans``: the province's agency officer
writes the analysis, the proposal and the execution documents, ministry staff review, refer and
fund, the officer reports milestones with a PDF each, ministry staff pay instalments, the province's
provincial manager evaluates and closes.

The services stamp the time they run, so each step's audit rows and notices are given its planned
time (``dated``), and files, instalments and the intervention's own times too. The money steps take
their time as ``now=`` (ledger entries are never re-dated): a grant is committed in the Jalali year
of its step, inside the years the demo allocates, and takes at most a quarter of what its lines have
left (the demo's grants columns are a tenth of its loans); where that is under ``MIN_GRANT`` the
intervention stays referred and a note says so. Amounts are rials.
"""

from contextlib import contextmanager

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import AuditRecord, Notification, Role, User
from budgets.models import BudgetLine, Fund
from budgets.selectors import lines_with_amounts
from budgets.services import budget_year_of
from common.testing import minimal_pdf
from interventions import services
from interventions.models import CatalogueEntry, FundingBody, GrantInstalment, Intervention, InterventionFile

from . import intervention_ideas as ideas
from .intervention_plans import ROUND, Plan, S, plan_interventions
from .staff import MINISTRY_USERNAME

AGENCY, MINISTRY, MANAGER = "agency", "ministry", "manager"
MINISTRY_STEPS = {"return_for_revision", "approve", "reject", "refer_for_funding", "record_grant", "pay"}
MANAGER_STEPS = {"evaluation_file", "evaluate", "close"}
# The steps that change the state (the others edit content, add files, report or pay).
TRANSITIONS = {"propose", "submit_documents", "return_for_revision", "resubmit", "approve", "reject",
               "refer_for_funding", "record_grant", "start_execution", "evaluate", "close"}
SIMPLE = {"propose": services.intervention_propose, "submit_documents": services.intervention_submit_documents,
          "resubmit": services.intervention_resubmit, "approve": services.intervention_approve,
          "start_execution": services.intervention_start_execution}
MIN_GRANT = 5 * ROUND  # a smaller grant than this is not worth a demo: the intervention stays referred
ROOM_SHARE = 4  # a grant takes at most a quarter of what its lines have left
PAID_SHARE = 90  # percent of the grant the instalments pay in all; closing releases the rest


@contextmanager
def dated(at):
    """The audit rows and notices written inside the block get time ``at`` (the services stamp now)."""
    audit_last = AuditRecord.objects.aggregate(last=Max("id"))["last"] or 0
    notice_last = Notification.objects.aggregate(last=Max("id"))["last"] or 0
    yield
    AuditRecord.objects.filter(id__gt=audit_last).update(at=at)
    Notification.objects.filter(id__gt=notice_last).update(created_at=at)
    Notification.objects.filter(id__gt=notice_last, sent_at__isnull=False).update(sent_at=at)


def pdf_upload(name: str, title: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(title), content_type="application/pdf")


class InterventionBuilder:
    """Takes one ``Plan``'s steps through the services, each at its planned time (``dated``).
    ``actors`` maps ``AGENCY``, ``MINISTRY`` and ``MANAGER`` to users; ``notes`` collects what the
    person seeding should know."""

    def __init__(self, plan: Plan, *, actors: dict, funding_body, notes: list):
        self.plan, self.actors, self.funding_body, self.notes = plan, actors, funding_body, notes
        self.pk, self.milestone_ids, self.grant = None, [], 0

    def run(self) -> Intervention:
        """Take the steps (a grant the budget cannot take stops the route at ``referred``), then
        date the intervention by them. Returns it. The services' errors are demo bugs."""
        taken = []
        for step, at in zip(self.plan.steps, self.plan.times, strict=True):
            if step[0] == "record_grant" and not self._grant_fits(at):
                break
            with dated(at):
                self._take(*step, at)
            taken.append((step[0], at))
        changes = [at for action, at in taken if action in TRANSITIONS] or [taken[0][1]]
        Intervention.objects.filter(pk=self.pk).update(created_at=taken[0][1], updated_at=taken[-1][1],
                                                       state_changed_at=changes[-1])
        return Intervention.objects.get(pk=self.pk)

    def _grant_fits(self, at) -> bool:
        """Set ``self.grant``: the planned grant, within a quarter of what the province's and the
        economic sector's grants lines of the year of ``at`` have left. False when under ``MIN_GRANT``."""
        plan = self.plan
        lines = BudgetLine.objects.filter(fund=Fund.GRANTS, budget_year__year=budget_year_of(at)).filter(
            Q(province_id=plan.province.pk) | Q(economic_sector_id=plan.sector.economic_sector_id))
        rows = lines_with_amounts(lines)
        room = min(row.amounts.remaining for row in rows) if len(rows) == 2 else 0
        self.grant = min(plan.grant, room // ROOM_SHARE) // ROUND * ROUND
        if self.grant < MIN_GRANT:
            self.notes.append(f"Demo intervention '{plan.idea.title.format(**plan.words())}' stays referred: "
                              f"the {budget_year_of(at)} grants lines of {plan.province.name_en} have no room.")
            return False
        return True

    def _data(self, *, documents: bool, revised: bool = False) -> services.InterventionInput:
        plan, idea = self.plan, self.plan.idea
        words, variant = plan.words(), plan.variant
        full = documents and plan.target != S.PROPOSED
        return services.InterventionInput(
            title=idea.title.format(**words), kind=idea.kind, creates_institution=idea.institution,
            catalogue_entry=CatalogueEntry.objects.filter(number=idea.catalogue).first(),
            priority_sector=plan.sector, counties=plan.counties,
            business_system=ideas.ANALYSIS[variant].format(**words), zoning=ideas.ZONING.format(**words),
            intervention_points="" if plan.target == S.ANALYSIS else ideas.POINTS[variant],
            institution_structure=idea.structure if documents else "", ownership=idea.ownership if documents else "",
            management=idea.management if full else "", expected_outputs=idea.outputs if full else "",
            indicators=(idea.indicators + (ideas.REVISED_INDICATORS if revised else "")) if full else "")

    def _take(self, action, index, at):
        plan, pk = self.plan, self.pk
        actor = self.actors[MINISTRY if action in MINISTRY_STEPS else MANAGER if action in MANAGER_STEPS else AGENCY]
        mine = {"actor": actor, "intervention_id": pk}
        if action == "create":
            self.pk = services.intervention_create(actor=actor, data=self._data(documents=False)).pk
        elif action in ("update", "revise"):
            services.intervention_update(**mine, data=self._data(documents=True, revised=action == "revise"))
        elif action == "milestone":
            title, period, _done = plan.milestones[index]
            self.milestone_ids.append(services.milestone_add(**mine, title=title, planned_period=period).pk)
        elif action == "resource":
            source, rials, purpose = plan.resources[index]
            services.resource_add(**mine, source=source, amount_rials=rials, purpose=purpose)
        elif action in ("document", "evaluation_file"):
            kind = "execution_document" if action == "document" else "evaluation"
            name = "execution-documents.pdf" if action == "document" else "evaluation-report.pdf"
            title = plan.idea.title.format(**plan.words())
            stored = services.intervention_file_add(**mine, kind=kind, uploaded_file=pdf_upload(name, title))
            InterventionFile.objects.filter(pk=stored.pk).update(uploaded_at=at)
        elif action in ("return_for_revision", "reject"):
            reason = ideas.RETURN_REASON if action == "return_for_revision" else ideas.REJECT_REASON
            getattr(services, f"intervention_{action}")(**mine, reason=reason)
        elif action == "refer_for_funding":
            services.intervention_refer_for_funding(**mine, funding_body=self.funding_body)
        elif action == "record_grant":
            services.intervention_record_grant(**mine, grant_rials=self.grant, now=at)
        elif action == "report":
            title, _period, done_on = plan.milestones[index]
            services.milestone_report(**mine, milestone_id=self.milestone_ids[index], done_on=done_on,
                                      report=ideas.REPORT.format(title=title),
                                      uploaded_files=[pdf_upload(f"milestone-{index + 1}.pdf", title)])
            InterventionFile.objects.filter(milestone_id=self.milestone_ids[index]).update(uploaded_at=at)
        elif action == "pay":
            amount = self.grant * PAID_SHARE // 100 // len(plan.milestones) // 10**6 * 10**6
            paid = services.instalment_pay(**mine, milestone_id=self.milestone_ids[index], amount_rials=amount,
                                           paid_on=timezone.localtime(at).date(), now=at)
            GrantInstalment.objects.filter(pk=paid.pk).update(recorded_at=at)
        elif action == "evaluate":
            outputs = plan.idea.outputs.split("\n")[0]
            services.intervention_evaluate(**mine, evaluation=ideas.EVALUATION.format(outputs_first=outputs))
        elif action == "close":
            services.intervention_close(**mine, reason=ideas.CLOSE_REASON, now=at)
        else:
            SIMPLE[action](**mine)


def build_interventions(demo_start, staff) -> list:
    """Build the demo's interventions (``plan_interventions``) through the services, inside the
    seeding transaction, after the staff exist. Returns notes for the person seeding."""
    funding_body = FundingBody.objects.order_by("kind", "id").first()
    ministry = User.objects.filter(username=MINISTRY_USERNAME).first()
    if funding_body is None or ministry is None or not CatalogueEntry.objects.exists():
        return ["No demo interventions: the §7 catalogue or the funding bodies are not loaded (load_programme)."]
    notes = []
    for plan in plan_interventions(demo_start, staff):
        manager = User.objects.filter(role=Role.PROVINCIAL_MANAGER, province=plan.province).order_by("id").first()
        actors = {AGENCY: staff.agency_officers[plan.agency.pk], MINISTRY: ministry, MANAGER: manager or ministry}
        InterventionBuilder(plan, actors=actors, funding_body=funding_body, notes=notes).run()
    return notes
