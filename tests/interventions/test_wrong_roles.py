"""C17 and C25 for interventions: an account that can see an intervention but does not take a
step is refused it (``NotAllowed``), through the services and through the model's own transition
methods, and nothing changes; an account outside its scope finds nothing (``NotFound``); the state
field cannot be assigned around the transitions."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditRecord, Notification
from budgets.models import LedgerEntry
from common.errors import NotAllowed, NotFound
from interventions import services
from interventions.models import GrantInstalment, Intervention
from interventions.workflow import InterventionState
from tests.interventions.helpers import (
    InterventionFigures,
    add_execution_documents,
    advance_intervention,
    funding_body,
    report_milestones,
)
from tests.uploads import pdf

S = InterventionState
pytestmark = pytest.mark.django_db


def _first_milestone(pk):
    return Intervention.objects.get(pk=pk).milestones.order_by("order").first().pk


# Each step: (the state it is taken from, the roles of the world that may take it, the call).
ACTIONS = {
    "propose": (S.ANALYSIS, {"agency_officer_a"}, lambda a, w, pk: services.intervention_propose(
        actor=a, intervention_id=pk)),
    "submit_documents": (S.PROPOSED, {"agency_officer_a"}, lambda a, w, pk: services.intervention_submit_documents(
        actor=a, intervention_id=pk)),
    "resubmit": (S.RETURNED, {"agency_officer_a"}, lambda a, w, pk: services.intervention_resubmit(
        actor=a, intervention_id=pk)),
    "approve": (S.DOCUMENTS_SUBMITTED, {"ministry"}, lambda a, w, pk: services.intervention_approve(
        actor=a, intervention_id=pk)),
    "return_for_revision": (S.DOCUMENTS_SUBMITTED, {"ministry"},
                            lambda a, w, pk: services.intervention_return_for_revision(
                                actor=a, intervention_id=pk, reason="ناقص")),
    "reject": (S.DOCUMENTS_SUBMITTED, {"ministry"}, lambda a, w, pk: services.intervention_reject(
        actor=a, intervention_id=pk, reason="ناهمخوان")),
    "refer_for_funding": (S.APPROVED, {"ministry"}, lambda a, w, pk: services.intervention_refer_for_funding(
        actor=a, intervention_id=pk, funding_body=funding_body())),
    "record_grant": (S.REFERRED, {"ministry"}, lambda a, w, pk: services.intervention_record_grant(
        actor=a, intervention_id=pk, grant_rials=InterventionFigures.GRANT)),
    "start_execution": (S.FUNDED, {"agency_officer_a"}, lambda a, w, pk: services.intervention_start_execution(
        actor=a, intervention_id=pk)),
    "report_milestone": (S.IN_EXECUTION, {"agency_officer_a"}, lambda a, w, pk: services.milestone_report(
        actor=a, intervention_id=pk, milestone_id=_first_milestone(pk), done_on=timezone.localdate(),
        report="انجام شد", uploaded_files=[pdf()])),
    "pay_instalment": (S.IN_EXECUTION, {"ministry"}, lambda a, w, pk: services.instalment_pay(
        actor=a, intervention_id=pk, milestone_id=_first_milestone(pk), amount_rials=1_000,
        paid_on=timezone.localdate())),
    "evaluate": (S.IN_EXECUTION, {"manager_a", "ministry"}, lambda a, w, pk: services.intervention_evaluate(
        actor=a, intervention_id=pk, evaluation="خوب")),
    "close": (S.EVALUATED, {"manager_a", "ministry"}, lambda a, w, pk: services.intervention_close(
        actor=a, intervention_id=pk)),
}
# Who can see an intervention of province A, and who cannot.
IN_SCOPE = ["agency_officer_a", "secretary_a", "manager_a", "ministry"]
OUT_OF_SCOPE = ["agency_officer_b", "secretary_b", "manager_b", "bank_officer_1", "admin", "owner"]


def ready(world, action):
    """An intervention of province A in the state ``action`` is taken from, with what it needs."""
    state = ACTIONS[action][0]
    intervention = advance_intervention(world, state)
    if action == "submit_documents":
        add_execution_documents(world, intervention.pk)
    if action in ("evaluate", "pay_instalment"):
        report_milestones(world, intervention.pk, done_on=timezone.localdate() - datetime.timedelta(days=1))
    return intervention


def snapshot(pk):
    intervention = Intervention.objects.get(pk=pk)
    return {
        "state": intervention.state, "grant": intervention.grant_rials, "funding_body": intervention.funding_body_id,
        "evaluation": intervention.evaluation, "updated_at": intervention.updated_at,
        "done": intervention.milestones.filter(done_on__isnull=False).count(),
        "audit": AuditRecord.objects.filter(object_id=pk, content_type__model="intervention").count(),
        "notices": Notification.objects.filter(object_id=pk, content_type__model="intervention").count(),
        "instalments": GrantInstalment.objects.filter(intervention_id=pk).count(),
        "ledger": LedgerEntry.objects.filter(source_type__model="intervention", source_id=pk).count(),
    }


WRONG_ROLES = [(action, role) for action, (_s, allowed, _c) in ACTIONS.items() for role in IN_SCOPE
               if role not in allowed]


@pytest.mark.parametrize("action, role", WRONG_ROLES)
def test_a_wrong_role_in_scope_is_refused_and_nothing_changes(world, action, role):
    intervention = ready(world, action)
    before = snapshot(intervention.pk)
    with pytest.raises(NotAllowed):
        ACTIONS[action][2](getattr(world, role), world, intervention.pk)
    assert snapshot(intervention.pk) == before


@pytest.mark.parametrize("action, role", [(a, r) for a in ACTIONS for r in OUT_OF_SCOPE])
def test_an_account_outside_the_scope_finds_nothing(world, action, role):
    intervention = ready(world, action)
    before = snapshot(intervention.pk)
    with pytest.raises(NotFound):
        ACTIONS[action][2](getattr(world, role), world, intervention.pk)
    assert snapshot(intervention.pk) == before


@pytest.mark.parametrize("action", list(ACTIONS))
def test_the_right_role_takes_the_step(world, action):
    """The grid's control: the same call by a role that may take it succeeds."""
    intervention = ready(world, action)
    role = sorted(ACTIONS[action][1])[0]
    before = snapshot(intervention.pk)
    ACTIONS[action][2](getattr(world, role), world, intervention.pk)
    assert snapshot(intervention.pk)["audit"] == before["audit"] + 1


def test_every_step_of_the_workflow_is_in_the_grid():
    transitions = {t.name for t in Intervention.transitions()}
    assert transitions <= set(ACTIONS)


# The model's transition methods, with valid arguments, for direct calls.
METHODS = {
    "propose": {}, "submit_documents": {}, "resubmit": {}, "approve": {}, "return_for_revision": {}, "reject": {},
    "refer_for_funding": {"funding_body": None}, "record_grant": {"grant_rials": 1}, "start_execution": {},
    "evaluate": {"evaluation": "خوب"}, "close": {},
}


@pytest.mark.parametrize("action, role", [(a, r) for a, r in WRONG_ROLES if a in METHODS])
def test_calling_the_transition_method_directly_checks_the_role(world, action, role):
    """C17: django-fsm alone checks ``permission=`` only when asked; the method itself refuses."""
    intervention = ready(world, action)
    with pytest.raises(NotAllowed):
        getattr(intervention, action)(by=getattr(world, role), **METHODS[action])
    assert intervention.state == ACTIONS[action][0]
    assert Intervention.objects.get(pk=intervention.pk).state == ACTIONS[action][0]


@pytest.mark.parametrize("value", [S.APPROVED, "asdf"])
def test_the_state_cannot_be_assigned(world, value):
    """C25: the state field is protected."""
    intervention = advance_intervention(world, S.DOCUMENTS_SUBMITTED)
    with pytest.raises(AttributeError):
        intervention.state = value
    assert intervention.state == S.DOCUMENTS_SUBMITTED
    intervention.save()
    assert Intervention.objects.get(pk=intervention.pk).state == S.DOCUMENTS_SUBMITTED


def test_inactive_accounts_find_nothing(world):
    intervention = advance_intervention(world, S.DOCUMENTS_SUBMITTED)
    world.ministry.is_active = False
    world.ministry.save()
    with pytest.raises(NotFound):
        services.intervention_approve(actor=world.ministry, intervention_id=intervention.pk)
    assert Intervention.objects.get(pk=intervention.pk).state == S.DOCUMENTS_SUBMITTED
