"""The demo's grants and the budget (``demo.interventions``, ``demo.intervention_plans``): each grant
is recorded inside the years the demo allocates, and where a real allocation has no room left the
intervention stays referred instead of failing the demo. Each test seeds its own demo (no
applications), so they live apart from the module-wide demo of ``test_demo_interventions``."""

import datetime
import random
from collections import Counter

import jdatetime
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import AuditRecord
from budgets.models import Fund, LedgerEntry
from demo import builder, intervention_plans
from interventions.models import Intervention, Milestone
from interventions.workflow import InterventionState
from monitoring.models import Meeting, StageEvidence, StageProgress
from programs.models import BudgetYear, Province, ProvinceAllocation
from tests.demo.helpers import load_reference_data

S = InterventionState
K = LedgerEntry.Kind
FUNDED_OR_LATER = {S.FUNDED, S.IN_EXECUTION, S.EVALUATED, S.CLOSED}


def test_the_plan_is_the_same_for_a_seed():
    steps = [intervention_plans.plan_steps(state, 3, 2, True, random.Random(4)) for state in S.values]
    assert steps == [intervention_plans.plan_steps(state, 3, 2, True, random.Random(4)) for state in S.values]
    closed = intervention_plans.plan_steps(S.CLOSED, 3, 2, False, random.Random(4))
    assert [a for a, _i in closed if a in ("report", "pay", "evaluate", "close")] == [
        "report", "pay", "report", "pay", "report", "evaluate", "pay", "close"]
    anchor_at = timezone.now() - datetime.timedelta(days=100)
    end = anchor_at + datetime.timedelta(days=3)
    times = intervention_plans.plan_times(closed, random.Random(4), anchor=10, anchor_at=anchor_at, end=end)
    assert times == sorted(times) and times[10] == anchor_at and times[-1] <= end


def test_grants_stay_in_the_allocated_years_on_a_short_window(db):
    """Ten days into 1405 with no applications, the demo allocates 1405 only: every grant is recorded
    (and committed) in 1405, before the demo's now."""
    load_reference_data()
    now = timezone.make_aware(jdatetime.datetime(1405, 1, 10, 12, 0).togregorian())
    builder.seed_demo(applications=0, seed=9, now=now)
    assert set(Intervention.objects.values_list("state", flat=True)) == set(S.values)
    commits = LedgerEntry.objects.filter(kind=K.COMMIT)
    assert commits.exists() and set(commits.values_list("line__budget_year__year", flat=True)) == {1405}
    demo_types = [ContentType.objects.get_for_model(model) for model in (Intervention, StageProgress, Meeting,
                                                                          StageEvidence)]
    assert AuditRecord.objects.filter(content_type__in=demo_types).count() > 100
    assert AuditRecord.objects.filter(content_type__in=demo_types, at__gt=now).count() == 0
    assert not Milestone.objects.filter(done_on__gt=now.date()).exists()


def test_a_province_whose_grants_are_spent_keeps_its_interventions_referred(db):
    """Where a real (not demo) allocation leaves no grants, the intervention is not funded: it stays
    referred, a note says so, and the other provinces' grants are recorded."""
    load_reference_data()
    now = timezone.make_aware(jdatetime.datetime(1405, 6, 1, 12, 0).togregorian())
    year = BudgetYear.objects.create(year=1405)
    for province in Province.objects.all():
        ProvinceAllocation.objects.create(province=province, budget_year=year, new_jobs=1, grants_rials=7,
                                          loans_rials=10**13, interest_subsidy_rials=10**13)
    report = builder.seed_demo(applications=0, seed=9, now=now)
    states = Counter(Intervention.objects.values_list("state", flat=True))
    assert not FUNDED_OR_LATER & set(states)
    meant = sum(target in FUNDED_OR_LATER | {S.REFERRED} for target in intervention_plans.TARGETS)
    assert states[S.REFERRED] == meant  # the one meant to stay referred, and those meant to go on
    assert sum("stays referred" in note for note in report.notes) == states[S.REFERRED] - 1
    assert not LedgerEntry.objects.filter(line__fund=Fund.GRANTS).exists()
