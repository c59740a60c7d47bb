"""``seed_demo``'s development interventions (§7, §8; ``demo.interventions``): every state of the
chain, each reached through the services along a legal route by the officers who may take each
step, dated on an invented timeline that ends at the demo's now, with grants, instalments and the
budget ledger that agree."""

import io
import re
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from accounts.models import AuditRecord, Notification, Role
from budgets.models import Fund, LedgerEntry
from budgets.services import budget_year_of
from demo.interventions import MIN_GRANT
from demo.staff import ALREADY_PRESENT
from interventions.models import GrantInstalment, Intervention, InterventionFile, Milestone, ResourceLine
from interventions.workflow import InterventionState
from monitoring.coverage import coverage_grid, institution_summary
from monitoring.models import Meeting, StageEvidence, StageProgress
from programs import calendar
from programs.models import Province
from tests.demo.helpers import load_reference_data

S = InterventionState
K = LedgerEntry.Kind
N = 40  # applications, beside the interventions
PERSIAN = re.compile(r"[\u0600-\u06FF]")
FUNDED_OR_LATER = {S.FUNDED, S.IN_EXECUTION, S.EVALUATED, S.CLOSED}
EXECUTED = {S.IN_EXECUTION, S.EVALUATED, S.CLOSED}
DOCUMENTED = {S.DOCUMENTS_SUBMITTED, S.RETURNED, S.APPROVED, S.REFERRED, *FUNDED_OR_LATER, S.REJECTED}
# The transitions of each state's route, in order; "detour" marks where an approved one may have
# been sent back and resubmitted once.
REVIEW = ["propose", "submit_documents", "detour", "approve"]
ROUTES = {
    S.ANALYSIS: [], S.PROPOSED: ["propose"], S.DOCUMENTS_SUBMITTED: ["propose", "submit_documents"],
    S.RETURNED: ["propose", "submit_documents", "return_for_revision"],
    S.REJECTED: ["propose", "submit_documents", "reject"], S.APPROVED: REVIEW,
    S.REFERRED: [*REVIEW, "refer_for_funding"], S.FUNDED: [*REVIEW, "refer_for_funding", "record_grant"],
    S.IN_EXECUTION: [*REVIEW, "refer_for_funding", "record_grant", "start_execution"],
    S.EVALUATED: [*REVIEW, "refer_for_funding", "record_grant", "start_execution", "evaluate"],
    S.CLOSED: [*REVIEW, "refer_for_funding", "record_grant", "start_execution", "evaluate", "close"],
}
TRANSITIONS = {"propose", "submit_documents", "return_for_revision", "resubmit", "approve", "reject",
               "refer_for_funding", "record_grant", "start_execution", "evaluate", "close"}
AGENCY_ACTIONS = {"create", "edit", "propose", "submit_documents", "resubmit", "start_execution", "report_milestone"}
MINISTRY_ACTIONS = {"return_for_revision", "approve", "reject", "refer_for_funding", "record_grant", "pay_instalment"}


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", applications=N, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo built once for this module's tests (and removed after them): ``(output, now)``."""
    with django_db_blocker.unblock():
        load_reference_data()
        output = seed()
        yield output, timezone.now()
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(seeded, db):
    return seeded


def history(intervention) -> list:
    content_type = ContentType.objects.get_for_model(Intervention)
    return list(AuditRecord.objects.filter(content_type=content_type, object_id=intervention.pk)
                .select_related("actor").order_by("at", "id"))


def expected_transitions(state, actions) -> list:
    """``ROUTES[state]`` with the detour taken if ``actions`` has it."""
    detour = ["return_for_revision", "resubmit"] if "resubmit" in actions else []
    return [step for name in ROUTES[state] for step in (detour if name == "detour" else [name])]


def test_every_state_has_an_intervention_in_every_province(demo):
    states = Counter(Intervention.objects.values_list("state", flat=True))
    assert set(states) == set(S.values)
    assert 12 <= sum(states.values()) <= 16
    per_province = Counter(Intervention.objects.values_list("province_id", flat=True))
    assert set(per_province) == set(Province.objects.values_list("pk", flat=True))
    assert all(3 <= count <= 4 for count in per_province.values())
    output, _now = demo
    assert f"Development interventions: {sum(states.values())} (analysis 1, " in output
    assert "timetable: 36 stage records in 4 provinces" in output


def test_each_history_is_its_route_taken_by_the_officers_who_may(demo):
    _output, now = demo
    for intervention in Intervention.objects.select_related("agency"):
        records = history(intervention)
        first, last = records[0], records[-1]
        assert (first.action, first.from_state, first.to_state) == ("create", "", S.ANALYSIS)
        actions = [r.action for r in records]
        assert [a for a in actions if a in TRANSITIONS] == expected_transitions(intervention.state, actions)
        for earlier, record in zip(records, records[1:], strict=False):
            assert record.from_state == earlier.to_state, (intervention.pk, record.action)
            assert (record.from_state != record.to_state) == (record.action in TRANSITIONS), record.action
        assert last.to_state == intervention.state
        times = [r.at for r in records]
        assert times == sorted(times) and len(set(times)) == len(times) and times[-1] <= now
        changes = [r.at for r in records if r.action in TRANSITIONS] or [first.at]
        assert (intervention.created_at, intervention.updated_at, intervention.state_changed_at) == (
            first.at, last.at, changes[-1])
        for record in records:
            actor = record.actor
            if record.action in AGENCY_ACTIONS or (record.action == "add_file" and actor.role == Role.AGENCY_OFFICER):
                assert (actor.role, actor.agency_id) == (Role.AGENCY_OFFICER, intervention.agency_id), record.action
            elif record.action in MINISTRY_ACTIONS:
                assert actor.role == Role.MINISTRY_STAFF, record.action
            else:  # evaluate, close, the evaluation report: the province's provincial manager
                assert (actor.role, actor.province_id) == (Role.PROVINCIAL_MANAGER, intervention.province_id)
        assert actions.count("report_milestone") == intervention.milestones.exclude(done_on=None).count()
        assert actions.count("pay_instalment") == intervention.instalments.count()
        if intervention.state in (S.RETURNED, S.REJECTED) or "resubmit" in actions:
            assert all(r.reason for r in records if r.action in ("return_for_revision", "reject"))


def test_grants_instalments_and_the_ledger_agree(demo):
    content_type = ContentType.objects.get_for_model(Intervention)
    expected = Counter()
    for intervention in Intervention.objects.all():
        requested = intervention.resources.filter(source=ResourceLine.Source.PROGRAMME_GRANT).aggregate(
            total=Sum("amount_rials"))["total"]
        paid = intervention.instalments.aggregate(total=Sum("amount_rials"))["total"] or 0
        if intervention.state not in FUNDED_OR_LATER:
            assert intervention.grant_rials is None and paid == 0
            continue
        assert MIN_GRANT <= intervention.grant_rials <= requested
        assert paid <= intervention.grant_rials
        released = intervention.grant_rials - paid if intervention.state == S.CLOSED else 0
        expected[K.COMMIT] += intervention.grant_rials
        expected[K.PAY] += paid
        expected[K.RELEASE] += released
        entries = LedgerEntry.objects.filter(source_type=content_type, source_id=intervention.pk)
        assert {e.line.fund for e in entries} == {Fund.GRANTS}
        assert sorted((e.kind, e.amount_rials) for e in entries if e.kind == K.COMMIT) == [
            (K.COMMIT, intervention.grant_rials)] * 2
        grant_at = next(r.at for r in history(intervention) if r.action == "record_grant")
        assert all(e.at == grant_at and e.line.budget_year.year == budget_year_of(grant_at)
                   for e in entries if e.kind == K.COMMIT)
        assert {(e.line.province_id, e.line.economic_sector_id) for e in entries} == {
            (intervention.province_id, None), (None, intervention.priority_sector.economic_sector_id)}
    # The province lines: what is committed on them is the grants of the funded interventions, less
    # what was released by closing and what was paid.
    ledger = dict(LedgerEntry.objects.filter(source_type=content_type, line__province__isnull=False)
                  .values_list("kind").annotate(total=Sum("amount_rials")).order_by())
    assert ledger == {kind: rials for kind, rials in expected.items() if rials}
    assert expected[K.COMMIT] > expected[K.PAY] > 0 and expected[K.RELEASE] > 0
    assert LedgerEntry.objects.filter(source_type=content_type).exclude(line__fund=Fund.GRANTS).count() == 0


def test_milestones_are_reported_with_a_pdf_and_paid_in_the_past(demo):
    _output, now = demo
    today, start = timezone.localtime(now).date(), calendar.programme_start()
    for intervention in Intervention.objects.filter(state__in=DOCUMENTED):
        assert 2 <= intervention.milestones.count() <= 4
        assert intervention.files.filter(kind=InterventionFile.Kind.EXECUTION_DOCUMENT).count() == 1
    for state in EXECUTED:
        assert Milestone.objects.filter(intervention__state=state).exclude(done_on=None).exists(), state
        assert GrantInstalment.objects.filter(intervention__state=state).exists(), state
    assert Milestone.objects.filter(intervention__state=S.IN_EXECUTION, done_on=None).exists()
    for milestone in Milestone.objects.exclude(done_on=None).select_related("intervention"):
        assert start <= milestone.done_on <= today
        assert calendar.period_of(milestone.done_on) - milestone.planned_period in (0, 1)
        evidence = list(milestone.files.all())
        assert [f.kind for f in evidence] == [InterventionFile.Kind.MILESTONE_EVIDENCE]
        with evidence[0].file.open("rb") as stored:
            assert stored.read(5) == b"%PDF-"
        assert milestone.reported_by.agency_id == milestone.intervention.agency_id
    for instalment in GrantInstalment.objects.select_related("milestone"):
        assert instalment.milestone.done_on <= instalment.paid_on <= today
    for milestone in Milestone.objects.filter(done_on=None):
        assert milestone.planned_period >= calendar.period_of(today)


def test_files_instalments_and_notices_carry_the_time_of_their_step(demo):
    for intervention in Intervention.objects.all():
        records = history(intervention)
        uploads = [r.at for r in records if r.action in ("add_file", "report_milestone")]
        assert [f.uploaded_at for f in intervention.files.order_by("uploaded_at", "id")] == uploads
        payments = [r.at for r in records if r.action == "pay_instalment"]
        assert [i.recorded_at for i in intervention.instalments.order_by("recorded_at")] == payments
        times = {r.at for r in records}
        notices = Notification.objects.filter(content_type=ContentType.objects.get_for_model(Intervention),
                                              object_id=intervention.pk)
        assert {n.created_at for n in notices} <= times
    assert Notification.objects.filter(event="approve").exists()


def test_content_is_persian_and_drawn_from_the_catalogue(demo):
    for intervention in Intervention.objects.select_related("catalogue_entry", "priority_sector"):
        assert PERSIAN.search(intervention.title) and intervention.catalogue_entry is not None
        assert intervention.kind in Intervention.Kind.values
        assert intervention.priority_sector.province_id == intervention.province_id
        assert intervention.counties.exclude(province=intervention.province_id).count() == 0
        assert intervention.business_system and intervention.zoning
        if intervention.state in DOCUMENTED:
            assert intervention.ownership in Intervention.Ownership.values
            for text in (intervention.institution_structure, intervention.management, intervention.expected_outputs,
                         intervention.indicators):
                assert PERSIAN.search(text)
            sources = list(intervention.resources.order_by("id").values_list("source", "amount_rials"))
            assert sources[0][0] == ResourceLine.Source.PROGRAMME_GRANT and 10**9 <= sources[0][1] <= 50 * 10**9
            assert len(sources) >= 2
    lorestan = Province.objects.get(code="IR-15")
    assert Intervention.objects.filter(province=lorestan).exists()


def test_institutions_are_counted_and_the_grid_keeps_gaps(demo):
    summary = institution_summary()
    assert summary.counted >= 3
    assert Intervention.objects.filter(state__in=[S.EVALUATED, S.CLOSED], creates_institution=False).count() == 0
    grid = coverage_grid()
    assert grid.gaps and any(gap.pipeline == 0 for gap in grid.gaps)


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in
            (Intervention, Milestone, ResourceLine, InterventionFile, GrantInstalment, AuditRecord, LedgerEntry,
             Notification, StageProgress, Meeting, StageEvidence)}


def test_second_run_adds_nothing(demo):
    before = counts()
    output = seed()
    assert ALREADY_PRESENT in output
    assert counts() == before
    assert "Development interventions: " in output and "36 stage records in 4 provinces" in output
