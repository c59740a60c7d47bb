"""C16 for interventions: two people take the same step at the same moment. Exactly one succeeds;
the other gets a conflict (``StaleState``, ``TransitionNotAllowed`` or ``Conflict``) or a rule's
refusal; one audit row, one set of notices, one commitment, one instalment.

The threads are released together (``tests.races``) after each has opened its own database
connection. PostgreSQL only: SQLite has no ``SELECT … FOR UPDATE``, so a race there proves nothing.
"""

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import AuditRecord, Notification
from budgets.models import Fund, LedgerEntry
from common.errors import Conflict, RuleBroken
from interventions import services
from interventions.models import GrantInstalment, Intervention, Milestone
from interventions.workflow import InterventionState
from tests.budgets.helpers import figures, province_line, set_allocation
from tests.interventions.helpers import (
    InterventionFigures,
    advance_intervention,
    colleague,
    report_milestones,
    second_ministry,
)
from tests.races import outcomes, race, values
from tests.uploads import pdf

S = InterventionState
F = InterventionFigures

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("race tests need PostgreSQL (row locks)")


def audit_count(pk, action):
    return AuditRecord.objects.filter(object_id=pk, content_type__model="intervention", action=action).count()


def ledger(pk):
    return list(LedgerEntry.objects.filter(source_type__model="intervention", source_id=pk)
                .order_by("id").values_list("kind", "amount_rials"))


def test_two_ministry_staff_approving_at_once_make_one_approval_and_one_set_of_notices(world):
    intervention = advance_intervention(world, S.DOCUMENTS_SUBMITTED)
    other = second_ministry(world)
    actors = [world.ministry, other]

    results = race(*(lambda actor=actor: services.intervention_approve(
        actor=actor, intervention_id=intervention.pk, expected_state=S.DOCUMENTS_SUBMITTED) for actor in actors))

    successes, errors = outcomes(results)
    assert successes == 1
    assert len(errors) == 1 and isinstance(errors[0], Conflict), errors
    assert Intervention.objects.get(pk=intervention.pk).state == S.APPROVED
    assert audit_count(intervention.pk, "approve") == 1
    winner = actors[[kind for kind, _v in results].index("ok")]
    loser = other if winner == world.ministry else world.ministry
    told = sorted(Notification.objects.filter(object_id=intervention.pk, event="approve")
                  .values_list("user__username", flat=True))
    assert told == sorted([loser.username, "agency_a", "manager_a", "secretary_a"])


def test_two_grant_recordings_at_once_commit_once(world):
    intervention = advance_intervention(world, S.REFERRED)
    other = second_ministry(world)

    results = race(*(lambda actor=actor: services.intervention_record_grant(
        actor=actor, intervention_id=intervention.pk, grant_rials=F.GRANT) for actor in (world.ministry, other)))

    successes, errors = outcomes(results)
    assert successes == 1 and len(errors) == 1 and isinstance(errors[0], Conflict), errors
    assert ledger(intervention.pk) == [("commit", F.GRANT), ("commit", F.GRANT)]
    assert audit_count(intervention.pk, "record_grant") == 1
    assert figures(province_line(world.province_a, Fund.GRANTS))[1] == F.GRANT
    assert Notification.objects.filter(object_id=intervention.pk, event="record_grant").count() == 1  # agency_a


def test_two_instalments_for_one_milestone_at_once_pay_once(world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    report_milestones(world, intervention.pk)
    milestone = intervention.milestones.get(order=1)
    other = second_ministry(world)

    results = race(*(lambda actor=actor: services.instalment_pay(
        actor=actor, intervention_id=intervention.pk, milestone_id=milestone.pk,
        amount_rials=F.FIRST_INSTALMENT, paid_on=timezone.localdate()) for actor in (world.ministry, other)))

    successes, errors = outcomes(results)
    assert successes == 1 and len(errors) == 1 and isinstance(errors[0], Conflict), errors
    assert GrantInstalment.objects.filter(milestone=milestone).count() == 1
    assert ledger(intervention.pk).count(("pay", F.FIRST_INSTALMENT)) == 2  # one per line
    assert audit_count(intervention.pk, "pay_instalment") == 1


def test_two_reports_of_one_milestone_at_once_record_one(world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    milestone = intervention.milestones.get(order=1)
    actors = [world.agency_officer_a, colleague(world)]

    results = race(*(lambda actor=actor, n=n: services.milestone_report(
        actor=actor, intervention_id=intervention.pk, milestone_id=milestone.pk, done_on=timezone.localdate(),
        report=f"گزارش {n}", uploaded_files=[pdf(f"{n}.pdf")]) for n, actor in enumerate(actors)))

    successes, errors = outcomes(results)
    assert successes == 1 and len(errors) == 1 and isinstance(errors[0], RuleBroken), errors
    assert errors[0].field == "milestone"
    winner = next(value for value in values(results) if isinstance(value, Milestone))
    fresh = Milestone.objects.get(pk=milestone.pk)
    assert (fresh.report, fresh.reported_by_id) == (winner.report, winner.reported_by_id)
    assert fresh.files.count() == 1
    assert audit_count(intervention.pk, "report_milestone") == 1


def test_two_grants_racing_for_the_last_of_a_line_commit_one(world):
    """The budget's caps hold under concurrency: the line's lock queues the second grant, which then
    finds too little left."""
    first = advance_intervention(world, S.REFERRED)
    second = advance_intervention(world, S.REFERRED)
    set_allocation(world.province_a, Fund.GRANTS, F.GRANT + F.GRANT // 2)
    other = second_ministry(world)

    results = race(
        lambda: services.intervention_record_grant(actor=world.ministry, intervention_id=first.pk, grant_rials=F.GRANT),
        lambda: services.intervention_record_grant(actor=other, intervention_id=second.pk, grant_rials=F.GRANT),
    )

    successes, errors = outcomes(results)
    assert successes == 1 and len(errors) == 1 and isinstance(errors[0], RuleBroken), errors
    assert errors[0].field == "budget"
    assert figures(province_line(world.province_a, Fund.GRANTS))[1] == F.GRANT
    states = sorted(Intervention.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True))
    assert states == sorted([S.FUNDED, S.REFERRED])
