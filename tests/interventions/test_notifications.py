"""Who is told when an intervention moves (roles.md, "Who is told"; ``interventions.notifications``)
and what they read: a portal notice each (plus an email where the account has an address, never an
SMS), in Persian, to the active holders of the next step in the intervention's scope, never to
another province's or agency's staff, an inactive account or the one who acted."""

import pytest
from django.utils import timezone

from accounts.models import Notification
from common.errors import RuleBroken
from interventions import services
from interventions.notifications import intervention_message, recipient_roles
from interventions.workflow import NEXT_ACTOR, InterventionState
from tests.factories import (
    AgencyFactory,
    AgencyOfficerFactory,
    MinistryStaffFactory,
    ProvincialManagerFactory,
    WorkingGroupSecretaryFactory,
)
from tests.interventions.helpers import (
    InterventionFigures,
    add_execution_documents,
    advance_intervention,
    create_intervention,
    drive_intervention,
)
from tests.uploads import pdf

S = InterventionState
pytestmark = pytest.mark.django_db

AGENCY = {"agency_a", "agency_a_colleague"}
MINISTRY = {"ministry", "ministry_2"}


@pytest.fixture
def people(world):
    """Besides the world's accounts: a colleague at agency A, a second ministry staff member, and
    accounts never to be told (inactive ones, and an officer of another agency of province A)."""
    AgencyOfficerFactory(username="agency_a_colleague", agency=world.agency_a, email="colleague@example.ir")
    MinistryStaffFactory(username="ministry_2")
    MinistryStaffFactory(username="ministry_gone", is_active=False)
    AgencyOfficerFactory(username="agency_a_gone", agency=world.agency_a, is_active=False)
    ProvincialManagerFactory(username="manager_a_gone", province=world.province_a, is_active=False)
    WorkingGroupSecretaryFactory(username="secretary_a_gone", province=world.province_a, is_active=False)
    AgencyOfficerFactory(username="other_agency_a", agency=AgencyFactory(province=world.province_a))
    return world


def told(intervention, event):
    """The usernames given a portal notice about ``event`` on ``intervention``."""
    return set(Notification.objects.filter(object_id=intervention.pk, content_type__model="intervention",
                                           event=event, channel=Notification.Channel.PORTAL)
               .values_list("user__username", flat=True))


def test_the_main_path_tells_the_holders_of_each_next_step(people):
    intervention = advance_intervention(people, S.CLOSED)

    assert told(intervention, "create") == set()
    assert told(intervention, "edit") == set()
    assert told(intervention, "propose") == {"agency_a_colleague"}
    assert told(intervention, "submit_documents") == MINISTRY
    assert told(intervention, "approve") == {"ministry_2", *AGENCY, "manager_a", "secretary_a"}
    assert told(intervention, "refer_for_funding") == {"ministry_2"}
    assert told(intervention, "record_grant") == AGENCY
    assert told(intervention, "start_execution") == {"agency_a_colleague"}
    assert told(intervention, "report_milestone") == {*MINISTRY, "manager_a"}
    assert told(intervention, "evaluate") == MINISTRY
    assert told(intervention, "close") == AGENCY


def test_the_provincial_managers_are_told_only_when_the_last_milestone_is_reported(people):
    intervention = advance_intervention(people, S.IN_EXECUTION)
    first, second = intervention.milestones.order_by("order")
    for milestone in (first, second):
        services.milestone_report(actor=people.agency_officer_a, intervention_id=intervention.pk,
                                  milestone_id=milestone.pk, done_on=timezone.localdate(), report="انجام شد",
                                  uploaded_files=[pdf()])
    rows = Notification.objects.filter(object_id=intervention.pk, event="report_milestone",
                                       channel=Notification.Channel.PORTAL).order_by("id")
    by_milestone = [set(rows.filter(body__contains=m.title).values_list("user__username", flat=True))
                    for m in (first, second)]
    assert by_milestone == [MINISTRY, {*MINISTRY, "manager_a"}]
    last = rows.filter(user__username="manager_a").get()
    assert "آماده ارزیابی" in last.body


@pytest.mark.parametrize("target, event", [(S.RETURNED, "return_for_revision"), (S.REJECTED, "reject")])
def test_returns_and_rejections_are_told_to_the_agency_with_the_reason(people, target, event):
    intervention = advance_intervention(people, target)
    assert told(intervention, event) == AGENCY
    notice = Notification.objects.filter(object_id=intervention.pk, event=event).first()
    reason = "جدول منابع ناقص است." if target == S.RETURNED else "با رسته‌های اولویت‌دار هم‌خوان نیست."
    assert f"توضیح: {reason}" in notice.body


def test_a_resubmission_is_told_to_the_ministry(people):
    intervention = advance_intervention(people, S.RETURNED)
    drive_intervention(people, intervention.pk, S.DOCUMENTS_SUBMITTED)
    assert told(intervention, "resubmit") == MINISTRY


def test_an_instalment_is_told_to_the_agency_with_its_amount(people):
    intervention = advance_intervention(people, S.EVALUATED)
    services.instalment_pay(actor=people.ministry, intervention_id=intervention.pk,
                            milestone_id=intervention.milestones.get(order=1).pk,
                            amount_rials=InterventionFigures.FIRST_INSTALMENT, paid_on=timezone.localdate())
    assert told(intervention, "pay_instalment") == AGENCY
    notice = Notification.objects.filter(object_id=intervention.pk, event="pay_instalment").first()
    assert "مبلغ: ۲٬۵۰۰٬۰۰۰٬۰۰۰ ریال" in notice.body


def test_the_other_province_and_the_other_agency_are_never_told(people):
    intervention = advance_intervention(people, S.CLOSED)
    everyone = set(Notification.objects.filter(object_id=intervention.pk, content_type__model="intervention")
                   .values_list("user__username", flat=True))
    assert everyone == {*AGENCY, *MINISTRY, "manager_a", "secretary_a"}
    for never in ("agency_b", "manager_b", "secretary_b", "ministry_gone", "agency_a_gone", "manager_a_gone",
                  "secretary_a_gone", "other_agency_a", "bank_officer_1", "admin", "applicant_1"):
        assert never not in everyone


def test_province_b_tells_province_b(people):
    intervention = advance_intervention(people, S.APPROVED, province="b")
    assert told(intervention, "approve") == {"ministry_2", "agency_b", "manager_b", "secretary_b"}


def test_notices_are_portal_rows_and_emails_never_sms(people):
    intervention = advance_intervention(people, S.FUNDED)
    rows = Notification.objects.filter(object_id=intervention.pk, event="record_grant")
    assert sorted(rows.values_list("user__username", "channel", "status")) == [
        ("agency_a", "portal", "sent"),
        ("agency_a_colleague", "email", "queued"),
        ("agency_a_colleague", "portal", "sent"),
    ]
    assert not Notification.objects.filter(channel=Notification.Channel.SMS,
                                           content_type__model="intervention").exists()
    assert rows.filter(channel="email").get().recipient == "colleague@example.ir"


def test_the_notice_speaks_persian_and_names_the_step(people):
    intervention = advance_intervention(people, S.FUNDED)
    notice = Notification.objects.get(object_id=intervention.pk, event="record_grant", user__username="agency_a")
    assert notice.subject == "سامانه برنامه کاله: ثبت کمک بلاعوض، «مرکز آموزش مهارت دامپروری»"
    assert notice.body.splitlines() == [
        "وضعیت اقدام توسعه‌ای «مرکز آموزش مهارت دامپروری» به «کمک بلاعوض تخصیص‌یافته» تغییر کرد.",
        f"استان: استان الف؛ دستگاه اجرایی: {people.agency_a.name}",
        "کمک بلاعوض مصوب: ۶٬۰۰۰٬۰۰۰٬۰۰۰ ریال",
        "گام بعد: شروع اجرا (دستگاه اجرایی)",
        "جزئیات در صفحه این اقدام در سامانه برنامه کاله است. این پیام خودکار است.",
    ]


def test_a_long_title_is_shortened_in_the_subject(people):
    intervention = create_intervention(people, title="مرکز " * 50)
    subject, body = intervention_message(intervention, event="create", from_state="")
    assert len(subject) < 120 and subject.endswith("…»")
    assert ("مرکز " * 50).strip() in body


def test_a_refused_step_tells_nobody(people):
    intervention = advance_intervention(people, S.REFERRED)
    with pytest.raises(RuleBroken):
        services.intervention_record_grant(actor=people.ministry, intervention_id=intervention.pk,
                                           grant_rials=InterventionFigures.GRANT_REQUESTED + 1)
    assert told(intervention, "record_grant") == set()


def test_the_one_who_acted_is_not_told_but_a_colleague_is(people):
    intervention = advance_intervention(people, S.PROPOSED)
    add_execution_documents(people, intervention.pk)
    colleague = AgencyOfficerFactory._meta.model.objects.get(username="agency_a_colleague")
    services.intervention_submit_documents(actor=colleague, intervention_id=intervention.pk)
    assert told(intervention, "submit_documents") == MINISTRY
    services.intervention_approve(actor=people.ministry, intervention_id=intervention.pk)
    assert "ministry" not in told(intervention, "approve")
    assert {"ministry_2", "agency_a_colleague", "agency_a"} <= told(intervention, "approve")


@pytest.mark.parametrize("event, state", [
    ("propose", S.PROPOSED), ("submit_documents", S.DOCUMENTS_SUBMITTED), ("resubmit", S.DOCUMENTS_SUBMITTED),
    ("approve", S.APPROVED), ("return_for_revision", S.RETURNED), ("refer_for_funding", S.REFERRED),
    ("record_grant", S.FUNDED), ("start_execution", S.IN_EXECUTION), ("evaluate", S.EVALUATED),
])
def test_every_transition_tells_the_next_actor(world, event, state):
    """Each transition's notice reaches the role ``NEXT_ACTOR`` names for the state it leads to."""

    class Stub:
        pass

    stub = Stub()
    stub.state = state
    assert NEXT_ACTOR[state] in recipient_roles(stub, event=event)
