"""The agency's content of an intervention (§8 steps 1–3): creation, editing, milestones, resource
lines and files, through ``interventions.services``; who may write them, when, and the input's
folding (C11, C12)."""

import dataclasses

import pytest

from accounts.models import AuditRecord
from common.errors import NotAllowed, NotFound, RuleBroken, StaleState, TransitionNotAllowed
from interventions import services
from interventions.models import Intervention, InterventionFile, Milestone, ResourceLine
from interventions.workflow import InterventionState
from tests.factories import CountyFactory, PrioritySectorFactory
from tests.interventions.helpers import (
    advance_intervention,
    create_intervention,
    intervention_input,
)
from tests.uploads import EXE, pdf, upload

S = InterventionState
pytestmark = pytest.mark.django_db


def audits(intervention, action=None):
    rows = AuditRecord.objects.filter(object_id=intervention.pk, content_type__model="intervention")
    return list(rows.filter(action=action) if action else rows.order_by("id"))


# --- create -------------------------------------------------------------------------------------

def test_an_agency_officer_creates_an_intervention_of_their_agency(world):
    intervention = create_intervention(world)

    fresh = Intervention.objects.get(pk=intervention.pk)
    assert fresh.state == S.ANALYSIS
    assert fresh.agency == world.agency_a and fresh.province == world.province_a
    assert fresh.priority_sector == world.priority_a
    assert list(fresh.counties.all()) == [world.county_a]
    assert fresh.created_by == world.agency_officer_a
    assert fresh.grant_rials is None and fresh.funding_body is None
    [record] = audits(fresh)
    assert (record.action, record.actor, record.from_state, record.to_state) == (
        "create", world.agency_officer_a, "", S.ANALYSIS)
    assert record.data == {"priority_sector": world.priority_a.pk, "kind": "training_centre"}


def test_the_province_is_the_agencys_whatever_the_input(world):
    intervention = create_intervention(world, province="b")
    assert (intervention.agency, intervention.province) == (world.agency_b, world.province_b)


@pytest.mark.parametrize("role", ["ministry", "manager_a", "secretary_a", "bank_officer_1", "admin"])
def test_only_agency_officers_create(world, role):
    with pytest.raises(NotAllowed):
        services.intervention_create(actor=getattr(world, role), data=intervention_input(world))
    assert not Intervention.objects.exists()


def test_an_applicant_may_not_create(world):
    with pytest.raises(NotAllowed):
        services.intervention_create(actor=world.owner, data=intervention_input(world))


def test_arabic_letters_and_stray_half_spaces_are_folded(world):
    """C11, C12: «ي/ك» become «ی/ک», a ZWNJ at a word's end goes, one inside a word stays; long
    texts keep their line breaks."""
    intervention = create_intervention(
        world, title="  مركز آموزش\u200c  مهارت\u200c ", management="اتحاديه كشاورزان",
        business_system="خط يكم\r\n\r\n\r\n\r\nخط\u200c دوم  ", expected_outputs="طرح\u200cهای اشتغال\u200cزا")
    fresh = Intervention.objects.get(pk=intervention.pk)
    assert fresh.title == "مرکز آموزش مهارت"
    assert fresh.management == "اتحادیه کشاورزان"
    assert fresh.business_system == "خط یکم\n\nخط دوم"
    assert fresh.expected_outputs == "طرح\u200cهای اشتغال\u200cزا"


@pytest.mark.parametrize("changes, field", [
    ({"title": "  \u200c "}, "title"),
    ({"title": "ب" * 301}, "title"),
    ({"kind": "palace"}, "kind"),
    ({"ownership": "state"}, "ownership"),
    ({"management": "م" * 301}, "management"),
    ({"catalogue_entry": "1"}, "catalogue_entry"),
    ({"priority_sector": None}, "priority_sector"),
])
def test_bad_input_is_refused_on_its_field(world, changes, field):
    with pytest.raises(RuleBroken) as error:
        create_intervention(world, **changes)
    assert error.value.field == field
    assert not Intervention.objects.exists() and not AuditRecord.objects.filter(action="create").exists()


def test_a_priority_sector_of_another_province_is_refused(world):
    with pytest.raises(RuleBroken) as error:
        create_intervention(world, priority_sector=world.priority_b)
    assert error.value.field == "priority_sector"
    assert "رسته" in str(error.value.message)
    assert not Intervention.objects.exists()


def test_a_county_of_another_province_is_refused(world):
    with pytest.raises(RuleBroken) as error:
        create_intervention(world, counties=[world.county_a, world.county_b])
    assert error.value.field == "counties"
    assert not Intervention.objects.exists()


def test_no_counties_means_the_whole_province_and_a_repeated_one_counts_once(world):
    whole = create_intervention(world, counties=[])
    assert whole.counties.count() == 0
    twice = create_intervention(world, counties=[world.county_a, world.county_a])
    assert list(twice.counties.all()) == [world.county_a]


def test_a_catalogue_entry_may_be_chosen(world, programme_data):
    from interventions.models import CatalogueEntry

    entry = CatalogueEntry.objects.get(number=7)
    intervention = create_intervention(world, catalogue_entry=entry)
    assert Intervention.objects.get(pk=intervention.pk).catalogue_entry == entry


# --- update -------------------------------------------------------------------------------------

def test_the_officer_edits_and_the_audit_names_the_changed_fields(world):
    intervention = create_intervention(world)
    other_county = CountyFactory(province=world.province_a, name="شهرستان دوم")
    data = intervention_input(world, title="مرکز آموزش مهارت دامپروری نوین", zoning="پهنه شمالی",
                              counties=[world.county_a, other_county])

    services.intervention_update(actor=world.agency_officer_a, intervention_id=intervention.pk, data=data,
                                 expected_state=S.ANALYSIS)

    fresh = Intervention.objects.get(pk=intervention.pk)
    assert (fresh.title, fresh.zoning) == ("مرکز آموزش مهارت دامپروری نوین", "پهنه شمالی")
    assert set(fresh.counties.all()) == {world.county_a, other_county}
    [record] = audits(fresh, "edit")
    assert record.data == {"fields": ["title", "zoning", "counties"]}
    assert (record.from_state, record.to_state) == (S.ANALYSIS, S.ANALYSIS)
    assert fresh.updated_at > intervention.updated_at


def test_an_edit_that_changes_nothing_records_nothing(world):
    intervention = create_intervention(world)
    services.intervention_update(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                 data=intervention_input(world, title="مركز آموزش مهارت دامپروري"))
    assert audits(intervention, "edit") == []


def test_a_colleague_of_the_same_agency_may_edit(world):
    from tests.interventions.helpers import colleague

    intervention = create_intervention(world)
    services.intervention_update(actor=colleague(world), intervention_id=intervention.pk,
                                 data=intervention_input(world, indicators="نرخ اشتغال"))
    assert Intervention.objects.get(pk=intervention.pk).indicators == "نرخ اشتغال"


@pytest.mark.parametrize("state", [S.PROPOSED, S.RETURNED])
def test_editable_in_proposed_and_returned(world, state):
    intervention = advance_intervention(world, state)
    services.intervention_update(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                 data=intervention_input(world, zoning="پهنه جنوبی"))
    assert Intervention.objects.get(pk=intervention.pk).zoning == "پهنه جنوبی"


@pytest.mark.parametrize("state", [S.DOCUMENTS_SUBMITTED, S.APPROVED, S.FUNDED, S.IN_EXECUTION, S.REJECTED])
def test_not_editable_once_submitted(world, state):
    intervention = advance_intervention(world, state)
    with pytest.raises(TransitionNotAllowed):
        services.intervention_update(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                     data=intervention_input(world, zoning="پهنه جنوبی"))
    assert Intervention.objects.get(pk=intervention.pk).zoning != "پهنه جنوبی"


def test_an_edit_on_a_stale_page_is_refused(world):
    intervention = advance_intervention(world, S.PROPOSED)
    with pytest.raises(StaleState):
        services.intervention_update(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                     data=intervention_input(world, zoning="پهنه جنوبی"), expected_state=S.ANALYSIS)


def test_the_officer_of_another_agency_finds_nothing(world):
    intervention = create_intervention(world)
    with pytest.raises(NotFound):
        services.intervention_update(actor=world.agency_officer_b, intervention_id=intervention.pk,
                                     data=intervention_input(world, province="b"))


@pytest.mark.parametrize("role", ["ministry", "manager_a"])
def test_readers_in_scope_may_not_edit(world, role):
    intervention = create_intervention(world)
    with pytest.raises(NotAllowed):
        services.intervention_update(actor=getattr(world, role), intervention_id=intervention.pk,
                                     data=intervention_input(world, zoning="پهنه جنوبی"))


def test_an_officer_of_another_agency_in_the_same_province_finds_nothing(world):
    from tests.factories import AgencyFactory, AgencyOfficerFactory

    other = AgencyOfficerFactory(agency=AgencyFactory(province=world.province_a, economic_sectors=[world.sector]))
    intervention = create_intervention(world)
    with pytest.raises(NotFound):
        services.intervention_update(actor=other, intervention_id=intervention.pk, data=intervention_input(world))


def test_the_priority_sector_may_change_within_the_province(world):
    intervention = create_intervention(world)
    second = PrioritySectorFactory(province=world.province_a, economic_sector=world.sector, rank=2, name="زنبورداری")
    services.intervention_update(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                 data=intervention_input(world, priority_sector=second))
    assert Intervention.objects.get(pk=intervention.pk).priority_sector == second


# --- milestones and resources ---------------------------------------------------------------------

def test_milestones_go_last_and_the_later_ones_move_up_on_removal(world):
    intervention = create_intervention(world)
    officer = world.agency_officer_a
    first, second, third = (
        services.milestone_add(actor=officer, intervention_id=intervention.pk, title=title, planned_period=period)
        for title, period in (("گام يكم", 38), ("گام دوم", 39), ("گام سوم", 41)))
    assert [(m.order, m.title) for m in Milestone.objects.filter(intervention=intervention)] == [
        (1, "گام یکم"), (2, "گام دوم"), (3, "گام سوم")]

    services.milestone_remove(actor=officer, intervention_id=intervention.pk, milestone_id=first.pk)

    assert [(m.order, m.pk) for m in Milestone.objects.filter(intervention=intervention)] == [
        (1, second.pk), (2, third.pk)]
    edits = [r.data for r in audits(intervention, "edit")]
    assert edits[0] == {"fields": ["milestones"], "added": first.pk, "planned_period": 38}
    assert edits[-1] == {"fields": ["milestones"], "removed": first.pk}


@pytest.mark.parametrize("period", [0, -1, 121, 40_000, "5", 2.5, True, None])
def test_a_period_out_of_range_is_refused(world, period):
    intervention = create_intervention(world)
    with pytest.raises(RuleBroken) as error:
        services.milestone_add(actor=world.agency_officer_a, intervention_id=intervention.pk, title="گام",
                               planned_period=period)
    assert error.value.field == "planned_period"
    assert not Milestone.objects.exists()


def test_a_milestone_needs_a_title(world):
    intervention = create_intervention(world)
    with pytest.raises(RuleBroken) as error:
        services.milestone_add(actor=world.agency_officer_a, intervention_id=intervention.pk, title=" ",
                               planned_period=3)
    assert error.value.field == "title"


def test_a_milestone_of_another_intervention_is_not_found(world):
    one, other = create_intervention(world), create_intervention(world)
    milestone = services.milestone_add(actor=world.agency_officer_a, intervention_id=other.pk, title="گام",
                                       planned_period=3)
    with pytest.raises(NotFound):
        services.milestone_remove(actor=world.agency_officer_a, intervention_id=one.pk, milestone_id=milestone.pk)
    with pytest.raises(NotFound):
        services.milestone_remove(actor=world.agency_officer_a, intervention_id=one.pk, milestone_id="x")
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_resource_lines_are_added_and_removed(world):
    intervention = create_intervention(world)
    line = services.resource_add(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                 source=ResourceLine.Source.PROGRAMME_GRANT, amount_rials=5_000_000_000,
                                 purpose="خريد تجهيزات")
    assert (line.amount_rials, line.purpose) == (5_000_000_000, "خرید تجهیزات")
    services.resource_remove(actor=world.agency_officer_a, intervention_id=intervention.pk, resource_id=line.pk)
    assert not ResourceLine.objects.exists()
    assert [r.data for r in audits(intervention, "edit")] == [
        {"fields": ["resources"], "added": line.pk, "source": "programme_grant", "amount_rials": 5_000_000_000},
        {"fields": ["resources"], "removed": line.pk, "source": "programme_grant", "amount_rials": 5_000_000_000},
    ]


@pytest.mark.parametrize("amount", [0, -5, 2**63, "1000", 1.5, True])
def test_a_resource_amount_must_be_positive_whole_rials_within_64_bits(world, amount):
    intervention = create_intervention(world)
    with pytest.raises(RuleBroken) as error:
        services.resource_add(actor=world.agency_officer_a, intervention_id=intervention.pk,
                              source=ResourceLine.Source.OTHER, amount_rials=amount)
    assert error.value.field == "amount_rials"
    assert not ResourceLine.objects.exists()


def test_the_largest_64_bit_amount_is_stored(world):
    intervention = create_intervention(world)
    line = services.resource_add(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                 source=ResourceLine.Source.OTHER, amount_rials=2**63 - 1)
    assert ResourceLine.objects.get(pk=line.pk).amount_rials == 2**63 - 1


def test_an_unknown_source_is_refused(world):
    intervention = create_intervention(world)
    with pytest.raises(RuleBroken) as error:
        services.resource_add(actor=world.agency_officer_a, intervention_id=intervention.pk, source="lottery",
                              amount_rials=10)
    assert error.value.field == "source"


def test_milestones_and_resources_are_frozen_after_submission(world):
    intervention = advance_intervention(world, S.DOCUMENTS_SUBMITTED)
    milestone = intervention.milestones.first()
    line = intervention.resources.first()
    officer = world.agency_officer_a
    with pytest.raises(TransitionNotAllowed):
        services.milestone_add(actor=officer, intervention_id=intervention.pk, title="گام", planned_period=3)
    with pytest.raises(TransitionNotAllowed):
        services.milestone_remove(actor=officer, intervention_id=intervention.pk, milestone_id=milestone.pk)
    with pytest.raises(TransitionNotAllowed):
        services.resource_add(actor=officer, intervention_id=intervention.pk, source="other", amount_rials=10)
    with pytest.raises(TransitionNotAllowed):
        services.resource_remove(actor=officer, intervention_id=intervention.pk, resource_id=line.pk)
    assert intervention.milestones.count() == 2 and intervention.resources.count() == 2


def test_ministry_staff_may_not_add_milestones(world):
    intervention = create_intervention(world)
    with pytest.raises(NotAllowed):
        services.milestone_add(actor=world.ministry, intervention_id=intervention.pk, title="گام", planned_period=3)


# --- files --------------------------------------------------------------------------------------

def test_the_officer_adds_an_execution_document(world):
    intervention = create_intervention(world)
    stored = services.intervention_file_add(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                            kind=InterventionFile.Kind.EXECUTION_DOCUMENT,
                                            uploaded_file=pdf("structure.pdf", "ساختار نهاد"))
    assert (stored.original_name, stored.content_type, stored.uploaded_by) == (
        "structure.pdf", "application/pdf", world.agency_officer_a)
    assert len(stored.sha256) == 64 and stored.milestone is None
    [record] = audits(intervention, "add_file")
    assert record.data == {"file": stored.pk, "kind": "execution_document"}


def test_a_renamed_executable_is_refused_and_nothing_is_stored(world):
    intervention = create_intervention(world)
    with pytest.raises(RuleBroken) as error:
        services.intervention_file_add(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                       kind=InterventionFile.Kind.EXECUTION_DOCUMENT,
                                       uploaded_file=upload("a.pdf", EXE))
    assert error.value.field == "file"
    assert not InterventionFile.objects.exists() and audits(intervention, "add_file") == []


def test_milestone_evidence_comes_only_with_a_report(world):
    intervention = create_intervention(world)
    with pytest.raises(RuleBroken) as error:
        services.intervention_file_add(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                       kind=InterventionFile.Kind.MILESTONE_EVIDENCE, uploaded_file=pdf())
    assert error.value.field == "kind"


def test_execution_documents_only_while_editable(world):
    intervention = advance_intervention(world, S.APPROVED)
    with pytest.raises(TransitionNotAllowed):
        services.intervention_file_add(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                       kind=InterventionFile.Kind.EXECUTION_DOCUMENT, uploaded_file=pdf())


@pytest.mark.parametrize("role", ["manager_a", "ministry"])
def test_evaluators_add_evaluation_reports_in_execution(world, role):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    stored = services.intervention_file_add(actor=getattr(world, role), intervention_id=intervention.pk,
                                            kind=InterventionFile.Kind.EVALUATION, uploaded_file=pdf("eval.pdf"))
    assert stored.kind == "evaluation"


def test_evaluation_reports_not_by_the_agency_nor_before_execution(world):
    intervention = advance_intervention(world, S.IN_EXECUTION)
    with pytest.raises(NotAllowed):
        services.intervention_file_add(actor=world.agency_officer_a, intervention_id=intervention.pk,
                                       kind=InterventionFile.Kind.EVALUATION, uploaded_file=pdf())
    early = advance_intervention(world, S.FUNDED)
    with pytest.raises(TransitionNotAllowed):
        services.intervention_file_add(actor=world.manager_a, intervention_id=early.pk,
                                       kind=InterventionFile.Kind.EVALUATION, uploaded_file=pdf())
    with pytest.raises(NotFound):
        services.intervention_file_add(actor=world.manager_b, intervention_id=intervention.pk,
                                       kind=InterventionFile.Kind.EVALUATION, uploaded_file=pdf())


def test_input_is_a_frozen_dataclass(world):
    data = intervention_input(world)
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.title = "x"
