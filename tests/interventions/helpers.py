"""A test world for development interventions (§8), built on ``tests.world``'s ``world``, and the
helpers that drive an intervention through the chain with ``interventions.services``.

The world already has what the chain needs: the agencies of provinces A and B and their officers
[agency_officer_a, agency_officer_b], the provincial managers [manager_a, manager_b], the
working-group secretaries [secretary_a, secretary_b], ministry staff [ministry], and grants
allocations of ``Figures.WORLD_BUDGET`` rials on every line for this Jalali year. Here are added,
through ``tests.factories``, a second officer of agency A (``colleague``), a second ministry staff
member (``second_ministry``) and the Deputy as a funding body (``funding_body``).

- ``intervention_input(world, province="a", **changes)``: the officer's full input (analysis and
  documents filled) for province ``"a"``/``"b"``;
- ``create_intervention(world, province="a", **changes)``: one created by that province's officer,
  in state ``analysis``;
- ``drive_intervention(world, intervention_id, target_state)``: on along the main path (or the
  branch to ``returned``/``rejected``) until it is in ``target_state``;
- ``advance_intervention(world, target_state, province="a", **changes)``: both, read fresh.

Figures are rials (``InterventionFigures``); every milestone reported done by the drive is dated
``REPORTED_DAYS_AGO`` days before Tehran's today.
"""

import dataclasses
import datetime
from types import SimpleNamespace

from django.utils import timezone

from interventions import services
from interventions.models import FundingBody, Intervention, InterventionState, ResourceLine
from tests.factories import AgencyOfficerFactory, MinistryStaffFactory
from tests.uploads import pdf

S = InterventionState
REPORTED_DAYS_AGO = 20


class InterventionFigures:
    """The amounts (rials) of an intervention the helpers make: the programme grant asked for in
    its resource lines, the other resources, the grant the ministry records, and an instalment."""

    GRANT_REQUESTED = 8_000_000_000
    PROVINCIAL_FUNDS = 3_000_000_000
    GRANT = 6_000_000_000
    FIRST_INSTALMENT = 2_500_000_000


# The milestones ``drive_intervention`` gives a timetable without any: (title, two-month period).
MILESTONES = (("تجهیز مرکز آموزش مهارت", 38), ("برگزاری نخستین دوره آموزشی", 40))


def funding_body():
    """The Deputy for Entrepreneurship and Employment Development (the row ``fixtures`` load)."""
    return FundingBody.objects.get_or_create(
        code="deputy-entrepreneurship",
        defaults={"name": "معاونت توسعه کارآفرینی و اشتغال", "kind": FundingBody.Kind.DEPUTY})[0]


def colleague(world, province="a"):
    """A second officer of the agency of province ``"a"``/``"b"``."""
    agency = world.agency_a if province == "a" else world.agency_b
    return AgencyOfficerFactory(username=f"agency_{province}_colleague", agency=agency)


def second_ministry(world):
    """A second ministry staff member."""
    return MinistryStaffFactory(username="ministry_2")


def officer_of(world, intervention):
    """The world's agency officer of ``intervention``'s agency."""
    return world.agency_officer_a if intervention.agency_id == world.agency_a.pk else world.agency_officer_b


def manager_of(world, intervention):
    return world.manager_a if intervention.province_id == world.province_a.pk else world.manager_b


def intervention_input(world, province="a", **changes):
    """The agency officer's input for province ``"a"``/``"b"``: a skills-training centre for the
    province's priority sector in its county, with the analysis and every document field filled;
    ``changes`` replace fields (``title="…"``, ``counties=[]``)."""
    in_a = province == "a"
    return dataclasses.replace(services.InterventionInput(
        title="مرکز آموزش مهارت دامپروری" if in_a else "مرکز آموزش مهارت آبزی‌پروری",
        kind=Intervention.Kind.TRAINING_CENTRE,
        catalogue_entry=None,
        creates_institution=True,
        priority_sector=world.priority_a if in_a else world.priority_b,
        counties=[world.county_a if in_a else world.county_b],
        business_system="زنجیره ارزش رسته از تأمین نهاده تا بازار فروش بررسی شد.",
        zoning="پهنه مرکزی استان با بیشترین واحدهای فعال",
        intervention_points="کمبود نیروی ماهر و آزمایشگاه کنترل کیفیت",
        institution_structure="هیئت امنا، مدیر مرکز و سه کارگاه آموزشی",
        ownership=Intervention.Ownership.PUBLIC_PRIVATE,
        management="اتحادیه تولیدکنندگان استان",
        expected_outputs="آموزش سالانه ۴۰۰ نفر",
        indicators="تعداد آموزش‌دیدگان شاغل‌شده",
    ), **changes)


def create_intervention(world, province="a", **changes):
    """An intervention created by the agency officer of province ``"a"``/``"b"`` through
    ``services.intervention_create`` with ``intervention_input``; in state ``analysis``."""
    actor = world.agency_officer_a if province == "a" else world.agency_officer_b
    return services.intervention_create(actor=actor, data=intervention_input(world, province, **changes))


def add_execution_documents(world, intervention_id):
    """The timetable (``MILESTONES``) and the resource lines (the programme grant and provincial
    funds) of the intervention, added by its officer where it has none."""
    intervention = Intervention.objects.get(pk=intervention_id)
    officer = officer_of(world, intervention)
    if not intervention.milestones.exists():
        for title, period in MILESTONES:
            services.milestone_add(actor=officer, intervention_id=intervention_id, title=title, planned_period=period)
    if not intervention.resources.exists():
        services.resource_add(actor=officer, intervention_id=intervention_id,
                              source=ResourceLine.Source.PROGRAMME_GRANT,
                              amount_rials=InterventionFigures.GRANT_REQUESTED, purpose="تجهیز کارگاه‌ها")
        services.resource_add(actor=officer, intervention_id=intervention_id,
                              source=ResourceLine.Source.PROVINCIAL_FUNDS,
                              amount_rials=InterventionFigures.PROVINCIAL_FUNDS, purpose="ساختمان")


def report_milestones(world, intervention_id, done_on=None):
    """Every milestone not yet reported, reported done by the officer on ``done_on`` (default
    ``REPORTED_DAYS_AGO`` days ago, Tehran) with one PDF of evidence each."""
    intervention = Intervention.objects.get(pk=intervention_id)
    done_on = done_on or timezone.localdate() - datetime.timedelta(days=REPORTED_DAYS_AGO)
    for milestone in intervention.milestones.filter(done_on__isnull=True).order_by("order"):
        services.milestone_report(actor=officer_of(world, intervention), intervention_id=intervention_id,
                                  milestone_id=milestone.pk, done_on=done_on,
                                  report=f"گام «{milestone.title}» انجام شد.",
                                  uploaded_files=[pdf("evidence.pdf", "مستند انجام گام")])


def intervention_state(intervention_id):
    return Intervention.objects.values_list("state", flat=True).get(pk=intervention_id)


def drive_intervention(world, intervention_id, target_state):
    """Take the intervention from its current state along the main path (or the branch that ends
    in ``returned`` or ``rejected``, both from ``documents_submitted``) until it is in
    ``target_state``. The actors are its agency's officer, ministry staff and its province's
    provincial manager; the grant is ``InterventionFigures.GRANT``, referred to the Deputy; every
    milestone is reported before the evaluation; no instalment is paid."""
    pk = intervention_id
    intervention = Intervention.objects.get(pk=pk)
    w = SimpleNamespace(officer=officer_of(world, intervention), ministry=world.ministry,
                        manager=manager_of(world, intervention))

    def submit():
        add_execution_documents(world, pk)
        services.intervention_submit_documents(actor=w.officer, intervention_id=pk)

    def evaluate():
        report_milestones(world, pk)
        services.intervention_evaluate(actor=w.manager, intervention_id=pk,
                                       evaluation="اهداف آموزشی محقق شد و مرکز فعال است.")

    branches = {
        S.RETURNED: lambda: services.intervention_return_for_revision(
            actor=w.ministry, intervention_id=pk, reason="جدول منابع ناقص است."),
        S.REJECTED: lambda: services.intervention_reject(
            actor=w.ministry, intervention_id=pk, reason="با رسته‌های اولویت‌دار هم‌خوان نیست."),
    }
    steps = {
        S.ANALYSIS: lambda: services.intervention_propose(actor=w.officer, intervention_id=pk),
        S.PROPOSED: submit,
        S.RETURNED: lambda: (add_execution_documents(world, pk),
                             services.intervention_resubmit(actor=w.officer, intervention_id=pk)),
        S.DOCUMENTS_SUBMITTED: lambda: services.intervention_approve(actor=w.ministry, intervention_id=pk),
        S.APPROVED: lambda: services.intervention_refer_for_funding(
            actor=w.ministry, intervention_id=pk, funding_body=funding_body()),
        S.REFERRED: lambda: services.intervention_record_grant(
            actor=w.ministry, intervention_id=pk, grant_rials=InterventionFigures.GRANT),
        S.FUNDED: lambda: services.intervention_start_execution(actor=w.officer, intervention_id=pk),
        S.IN_EXECUTION: evaluate,
        S.EVALUATED: lambda: services.intervention_close(actor=w.manager, intervention_id=pk),
    }
    if target_state in branches:
        drive_intervention(world, pk, S.DOCUMENTS_SUBMITTED)
        branches[target_state]()
    else:
        for _guard in range(len(steps) + 1):
            current = intervention_state(pk)
            if current == target_state:
                break
            if current not in steps:
                raise AssertionError(f"cannot drive from {current} to {target_state}")
            steps[current]()
    assert intervention_state(pk) == target_state, (intervention_state(pk), target_state)


def advance_intervention(world, target_state, province="a", **changes):
    """A new intervention of province ``"a"``/``"b"`` (``create_intervention``) driven to
    ``target_state``, read fresh from the database."""
    intervention = create_intervention(world, province, **changes)
    drive_intervention(world, intervention.pk, target_state)
    return Intervention.objects.get(pk=intervention.pk)
