"""The §8 chain through ``interventions.services``: each step's state, audit row (who, when, why,
the step's figures), ``updated_at``, and the input rules of the agency's proposal and documents,
the ministry's review and the execution (milestones reported, evaluation)."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditRecord
from common.errors import NotFound, RuleBroken, StaleState, TransitionNotAllowed
from interventions import services
from interventions.models import Intervention, InterventionFile, Milestone
from interventions.selectors import intervention_history
from interventions.workflow import InterventionState
from tests.interventions.helpers import (
    InterventionFigures,
    add_execution_documents,
    advance_intervention,
    create_intervention,
    drive_intervention,
    funding_body,
    intervention_input,
    report_milestones,
)
from tests.uploads import EXE, pdf, upload

S = InterventionState
pytestmark = pytest.mark.django_db


def actions(intervention):
    return [(r.action, r.from_state, r.to_state) for r in intervention_history(intervention)]


def test_the_whole_chain_leaves_one_audit_row_per_step(world):
    intervention = advance_intervention(world, S.CLOSED)

    steps = [a for a in actions(intervention) if a[0] not in ("edit",)]
    assert steps == [
        ("create", "", S.ANALYSIS),
        ("propose", S.ANALYSIS, S.PROPOSED),
        ("submit_documents", S.PROPOSED, S.DOCUMENTS_SUBMITTED),
        ("approve", S.DOCUMENTS_SUBMITTED, S.APPROVED),
        ("refer_for_funding", S.APPROVED, S.REFERRED),
        ("record_grant", S.REFERRED, S.FUNDED),
        ("start_execution", S.FUNDED, S.IN_EXECUTION),
        ("report_milestone", S.IN_EXECUTION, S.IN_EXECUTION),
        ("report_milestone", S.IN_EXECUTION, S.IN_EXECUTION),
        ("evaluate", S.IN_EXECUTION, S.EVALUATED),
        ("close", S.EVALUATED, S.CLOSED),
    ]
    records = {r.action: r for r in intervention_history(intervention)}
    assert (records["approve"].actor, records["approve"].actor_role) == (world.ministry, "ministry_staff")
    assert records["close"].actor == world.manager_a
    assert records["refer_for_funding"].data == {"funding_body": funding_body().pk}
    assert records["evaluate"].data == {"milestones": 2}
    assert intervention.evaluation == "اهداف آموزشی محقق شد و مرکز فعال است."
    assert intervention.funding_body == funding_body()


def test_each_step_stamps_the_state_change_and_updated_at(world):
    intervention = advance_intervention(world, S.PROPOSED)
    before = Intervention.objects.get(pk=intervention.pk)
    add_execution_documents(world, intervention.pk)
    services.intervention_submit_documents(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                           expected_state=S.PROPOSED)
    after = Intervention.objects.get(pk=intervention.pk)
    assert after.state_changed_at > before.state_changed_at
    assert after.updated_at >= after.state_changed_at


# --- the agency (steps 1–3) -------------------------------------------------------------------

@pytest.mark.parametrize("field", ["business_system", "zoning", "intervention_points"])
def test_proposing_needs_the_analysis(world, field):
    intervention = create_intervention(world, **{field: " \u200c "})
    with pytest.raises(RuleBroken) as error:
        services.intervention_propose(actor=world.agency_officer_a, intervention_id=intervention.pk)
    assert error.value.field == field
    assert Intervention.objects.get(pk=intervention.pk).state == S.ANALYSIS
    assert not AuditRecord.objects.filter(action="propose").exists()


@pytest.mark.parametrize("field", ["institution_structure", "ownership", "management", "expected_outputs",
                                   "indicators"])
def test_submitting_needs_every_document(world, field):
    intervention = create_intervention(world, **{field: ""})
    drive_intervention(world, intervention.pk, S.PROPOSED)
    add_execution_documents(world, intervention.pk)
    with pytest.raises(RuleBroken) as error:
        services.intervention_submit_documents(actor=world.agency_officer_a, intervention_id=intervention.pk)
    assert error.value.field == field
    assert Intervention.objects.get(pk=intervention.pk).state == S.PROPOSED


def test_submitting_needs_a_milestone(world):
    intervention = advance_intervention(world, S.PROPOSED)
    services.resource_add(actor=world.agency_officer_a, intervention_id=intervention.pk, source="programme_grant",
                          amount_rials=10)
    with pytest.raises(RuleBroken) as error:
        services.intervention_submit_documents(actor=world.agency_officer_a, intervention_id=intervention.pk)
    assert error.value.field == "milestones"


def test_submitting_needs_a_programme_grant_line(world):
    intervention = advance_intervention(world, S.PROPOSED)
    officer = world.agency_officer_a
    services.milestone_add(actor=officer, intervention_id=intervention.pk, title="گام", planned_period=40)
    services.resource_add(actor=officer, intervention_id=intervention.pk, source="provincial_funds", amount_rials=10)
    with pytest.raises(RuleBroken) as error:
        services.intervention_submit_documents(actor=officer, intervention_id=intervention.pk)
    assert error.value.field == "resources"
    assert "کمک بلاعوض برنامه" in str(error.value.message)


def test_an_analysis_emptied_while_returned_blocks_the_resubmission(world):
    intervention = advance_intervention(world, S.RETURNED)
    services.intervention_update(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                 data=intervention_input(world, zoning=""))
    with pytest.raises(RuleBroken) as error:
        services.intervention_resubmit(actor=world.agency_officer_a, intervention_id=intervention.pk)
    assert error.value.field == "zoning"


def test_returned_then_resubmitted_then_approved(world):
    intervention = advance_intervention(world, S.RETURNED)
    services.intervention_resubmit(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                   expected_state=S.RETURNED, reason="جدول منابع كامل شد")
    services.intervention_approve(actor=world.ministry, intervention_id=intervention.pk,
                                  expected_state=S.DOCUMENTS_SUBMITTED)
    assert Intervention.objects.get(pk=intervention.pk).state == S.APPROVED
    resubmit = AuditRecord.objects.get(object_id=intervention.pk, action="resubmit")
    assert resubmit.reason == "جدول منابع کامل شد"


# --- the ministry (steps 4–5) -----------------------------------------------------------------

@pytest.mark.parametrize("service, target", [
    (services.intervention_return_for_revision, S.RETURNED),
    (services.intervention_reject, S.REJECTED),
])
def test_returns_and_rejections_need_a_reason(world, service, target):
    intervention = advance_intervention(world, S.DOCUMENTS_SUBMITTED)
    for empty in ("", "  ", "\u200c", None):
        with pytest.raises(RuleBroken) as error:
            service(actor=world.ministry, intervention_id=intervention.pk, reason=empty)
        assert error.value.field == "reason"
    assert Intervention.objects.get(pk=intervention.pk).state == S.DOCUMENTS_SUBMITTED
    service(actor=world.ministry, intervention_id=intervention.pk, reason="مالكيت روشن نيست")
    assert Intervention.objects.get(pk=intervention.pk).state == target
    record = AuditRecord.objects.get(object_id=intervention.pk, to_state=target)
    assert record.reason == "مالکیت روشن نیست"


def test_referring_needs_a_funding_body(world):
    intervention = advance_intervention(world, S.APPROVED)
    for body in (None, "deputy-entrepreneurship"):
        with pytest.raises(RuleBroken) as error:
            services.intervention_refer_for_funding(actor=world.ministry, intervention_id=intervention.pk,
                                                    funding_body=body)
        assert error.value.field == "funding_body"
    fresh = Intervention.objects.get(pk=intervention.pk)
    assert (fresh.state, fresh.funding_body) == (S.APPROVED, None)


def test_a_stale_approval_is_refused(world):
    intervention = advance_intervention(world, S.APPROVED)
    with pytest.raises(StaleState):
        services.intervention_approve(actor=world.ministry, intervention_id=intervention.pk,
                                      expected_state=S.DOCUMENTS_SUBMITTED)
    with pytest.raises(TransitionNotAllowed):
        services.intervention_approve(actor=world.ministry, intervention_id=intervention.pk)
    assert AuditRecord.objects.filter(object_id=intervention.pk, action="approve").count() == 1


@pytest.mark.parametrize("state", [S.REJECTED, S.CLOSED])
def test_final_states_take_no_step(world, state):
    intervention = advance_intervention(world, state)
    assert intervention.available_transitions(world.ministry) == []
    assert intervention.available_transitions(world.manager_a) == []
    with pytest.raises(TransitionNotAllowed):
        services.intervention_approve(actor=world.ministry, intervention_id=intervention.pk)


def test_a_missing_intervention_is_not_found(world):
    for pk in (987654, "abc", None, 2**70):
        with pytest.raises(NotFound):
            services.intervention_approve(actor=world.ministry, intervention_id=pk)


# --- execution (step 6) ---------------------------------------------------------------------------

def report(world, intervention, milestone, **changes):
    values = dict(actor=world.agency_officer_a, intervention_id=intervention.pk, milestone_id=milestone.pk,
                  done_on=timezone.localdate() - datetime.timedelta(days=3), report="انجام شد",
                  uploaded_files=[pdf("evidence.pdf")])
    values.update(changes)
    return services.milestone_report(**values)


def test_a_milestone_is_reported_with_its_evidence(world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    milestone = intervention.milestones.get(order=1)
    done_on = timezone.localdate() - datetime.timedelta(days=3)

    report(world, intervention, milestone, report="تجهيزات نصب شد.\nصورت‌جلسه پيوست است.",
           uploaded_files=[pdf("a.pdf"), pdf("b.pdf")])

    fresh = Milestone.objects.get(pk=milestone.pk)
    assert (fresh.done_on, fresh.reported_by) == (done_on, world.agency_officer_a)
    assert fresh.report == "تجهیزات نصب شد.\nصورت‌جلسه پیوست است."
    files = InterventionFile.objects.filter(milestone=milestone)
    assert sorted(files.values_list("original_name", "kind")) == [
        ("a.pdf", "milestone_evidence"), ("b.pdf", "milestone_evidence")]
    record = AuditRecord.objects.get(object_id=intervention.pk, action="report_milestone")
    assert record.data == {"milestone": milestone.pk, "done_on": done_on.isoformat(), "files": 2}
    assert Intervention.objects.get(pk=intervention.pk).state == S.IN_EXECUTION


def test_today_in_tehran_is_not_the_future(world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    milestone = intervention.milestones.get(order=1)
    report(world, intervention, milestone, done_on=timezone.localdate())
    assert Milestone.objects.get(pk=milestone.pk).done_on == timezone.localdate()


@pytest.mark.parametrize("changes, field", [
    ({"done_on": "tomorrow"}, "done_on"),
    ({"done_on": None}, "done_on"),
    ({"done_on": datetime.date(2019, 6, 21)}, "done_on"),  # the day before 1 Tir 1398
    ({"report": " \u200c"}, "report"),
    ({"uploaded_files": []}, "files"),
    ({"uploaded_files": None}, "files"),
    ({"uploaded_files": [pdf(), upload("x.pdf", EXE)]}, "files"),
    ({"uploaded_files": [pdf(f"{n}.pdf") for n in range(11)]}, "files"),
])
def test_a_bad_report_is_refused_and_nothing_is_written(world, changes, field):
    if changes.get("done_on") == "tomorrow":
        changes["done_on"] = timezone.localdate() + datetime.timedelta(days=1)
    intervention = advance_intervention(world, S.IN_EXECUTION)
    milestone = intervention.milestones.get(order=1)
    with pytest.raises(RuleBroken) as error:
        report(world, intervention, milestone, **changes)
    assert error.value.field == field
    assert Milestone.objects.get(pk=milestone.pk).done_on is None
    assert not InterventionFile.objects.filter(milestone=milestone).exists()
    assert not AuditRecord.objects.filter(action="report_milestone").exists()


def test_the_first_day_of_the_programme_is_accepted(world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    milestone = intervention.milestones.get(order=1)
    report(world, intervention, milestone, done_on=datetime.date(2019, 6, 22))
    assert Milestone.objects.get(pk=milestone.pk).done_on == datetime.date(2019, 6, 22)


def test_a_milestone_is_reported_once(world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    milestone = intervention.milestones.get(order=1)
    report(world, intervention, milestone)
    with pytest.raises(RuleBroken) as error:
        report(world, intervention, milestone, report="دوباره")
    assert error.value.field == "milestone"
    assert Milestone.objects.get(pk=milestone.pk).report == "انجام شد"


def test_milestones_are_reported_only_in_execution(world):
    intervention = advance_intervention(world, S.FUNDED)
    with pytest.raises(TransitionNotAllowed):
        report(world, intervention, intervention.milestones.get(order=1))


def test_a_milestone_of_another_intervention_is_not_found_when_reported(world):
    one = advance_intervention(world, S.IN_EXECUTION)
    other = advance_intervention(world, S.IN_EXECUTION)
    with pytest.raises(NotFound):
        report(world, one, other.milestones.get(order=1))


# --- evaluation and closing (step 7) --------------------------------------------------------------

def test_evaluation_waits_for_every_milestone(world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    report(world, intervention, intervention.milestones.get(order=1))
    with pytest.raises(RuleBroken) as error:
        services.intervention_evaluate(actor=world.manager_a, intervention_id=intervention.pk, evaluation="خوب")
    assert error.value.field == "evaluation"
    assert Intervention.objects.get(pk=intervention.pk).state == S.IN_EXECUTION


def test_evaluation_needs_a_text(world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    report_milestones(world, intervention.pk)
    with pytest.raises(RuleBroken) as error:
        services.intervention_evaluate(actor=world.ministry, intervention_id=intervention.pk, evaluation="\n \n")
    assert error.value.field == "evaluation"
    services.intervention_evaluate(actor=world.ministry, intervention_id=intervention.pk,
                                   evaluation="هدف‌ها محقق شد.\nمرکز فعال است.")
    fresh = Intervention.objects.get(pk=intervention.pk)
    assert (fresh.state, fresh.evaluation) == (S.EVALUATED, "هدف‌ها محقق شد.\nمرکز فعال است.")


def test_ministry_staff_may_close_too(world):
    intervention = advance_intervention(world, S.EVALUATED)
    services.intervention_close(actor=world.ministry, intervention_id=intervention.pk, reason="پايان",
                                expected_state=S.EVALUATED)
    record = AuditRecord.objects.get(object_id=intervention.pk, action="close")
    assert (record.actor, record.reason) == (world.ministry, "پایان")
    assert record.data == {"grant_rials": InterventionFigures.GRANT, "paid_rials": 0,
                           "released_rials": InterventionFigures.GRANT}
