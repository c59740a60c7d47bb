"""Recording the timetable (``monitoring.services``, §13): who may record a stage's progress, a
meeting and an evidence file (the province's working-group secretary and ministry staff), within
which scope, with which rules, the audit row each leaves, and what two requests at once leave."""

import datetime

import jdatetime
import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import AuditRecord, Role
from common.errors import Conflict, NotAllowed, NotFound, RuleBroken, StaleState
from monitoring import services
from monitoring.models import Meeting, StageEvidence, StageProgress
from monitoring.timetable import progress_version
from programs.models import MeetingKind, Province, Stage
from tests.races import outcomes, race
from tests.uploads import EXE, pdf, upload

pytestmark = pytest.mark.usefixtures("programme_data")


def jalali(year, month, day) -> datetime.date:
    return jdatetime.date(year, month, day).togregorian()


def stage(number) -> Stage:
    return Stage.objects.get(number=number)


def province(code) -> Province:
    return Province.objects.get(code=code)


def progress(actor, code="IR-05", number=1, **changes):
    values = {"status": "in_progress", "started_on": jalali(1398, 4, 10), "responsible_body": "استانداری"}
    values.update(changes)
    return services.stage_progress_update(actor=actor, province_id=province(code).pk, stage_id=stage(number).pk,
                                          **values)


def meeting(actor, code="IR-05", number=1, **changes):
    values = {"kind": MeetingKind.STAKEHOLDER, "held_on": jalali(1398, 4, 20), "title": "جلسه نخست توسعه استان",
              "attendees": "معاون استاندار\nنماینده اتاق بازرگانی", "minutes": "چارچوب برنامه معرفی شد."}
    values.update(changes)
    return services.meeting_record(actor=actor, province_id=province(code).pk, stage_id=stage(number).pk, **values)


def audits(target, action):
    content_type = ContentType.objects.get_for_model(target)
    return list(AuditRecord.objects.filter(content_type=content_type, object_id=target.pk, action=action))


# --- who may -----------------------------------------------------------------------------------

def test_the_provinces_secretary_records_progress_with_an_audit_row(make_user):
    secretary = make_user(Role.WORKING_GROUP_SECRETARY, "IR-05")
    row = progress(secretary, responsible_body="  استانداري كرمانشاه ")
    assert (row.status, row.started_on, row.finished_on) == ("in_progress", datetime.date(2019, 7, 1), None)
    assert row.responsible_body == "استانداری کرمانشاه"  # Arabic ي/ك folded (C11), spaces trimmed
    assert row.updated_by == secretary
    [record] = audits(row, "stage_progress_update")
    assert (record.actor, record.actor_role, record.from_state, record.to_state) == (
        secretary, Role.WORKING_GROUP_SECRETARY, "", "in_progress")
    assert record.data == {"province": "IR-05", "stage": 1, "started_on": "2019-07-01", "finished_on": None,
                           "responsible_body": "استانداری کرمانشاه", "created": True}


def test_ministry_staff_record_in_any_province(make_user):
    ministry = make_user(Role.MINISTRY_STAFF)
    row = progress(ministry, "IR-16", 3, status="done", started_on=jalali(1398, 8, 1), finished_on=jalali(1399, 1, 31))
    assert row.province.code == "IR-16" and row.status == "done"
    assert row.finished_on == datetime.date(2020, 4, 19)


@pytest.mark.parametrize("role", [Role.PROVINCIAL_MANAGER, Role.AGENCY_OFFICER])
def test_other_provincial_staff_may_read_but_not_record(make_user, role):
    user = make_user(role, "IR-05")
    with pytest.raises(NotAllowed):
        progress(user)
    with pytest.raises(NotAllowed):
        meeting(user)
    assert not StageProgress.objects.exists() and not Meeting.objects.exists()


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.BANK_OFFICER, Role.SYSTEM_ADMIN])
def test_roles_outside_the_programme_are_refused(make_user, role):
    with pytest.raises(NotAllowed):
        progress(make_user(role))
    assert not AuditRecord.objects.filter(action="stage_progress_update").exists()


def test_another_provinces_secretary_finds_nothing(make_user):
    secretary = make_user(Role.WORKING_GROUP_SECRETARY, "IR-16")
    with pytest.raises(NotFound):
        progress(secretary, "IR-05")
    with pytest.raises(NotFound):
        meeting(secretary, "IR-05")
    with pytest.raises(NotFound):
        services.stage_evidence_add(actor=secretary, province_id=province("IR-05").pk, stage_id=stage(1).pk,
                                    title="صورت‌جلسه", uploaded_file=pdf("minutes.pdf"))
    assert not StageProgress.objects.exists()


def test_an_unknown_stage_is_not_found(make_user):
    with pytest.raises(NotFound):
        services.stage_progress_update(actor=make_user(Role.MINISTRY_STAFF), province_id=province("IR-05").pk,
                                       stage_id=10**6, status="not_started")


# --- the progress rules ------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "field"), [
    ({"status": "done", "started_on": jalali(1399, 5, 1), "finished_on": jalali(1399, 4, 31)}, "finished_on"),
    ({"status": "done", "finished_on": None}, "finished_on"),
    ({"status": "in_progress", "started_on": None}, "started_on"),
    ({"status": "in_progress", "finished_on": jalali(1399, 1, 1)}, "finished_on"),
    ({"status": "not_started"}, "started_on"),
    ({"started_on": jalali(1398, 3, 31)}, "started_on"),  # the day before the programme's start
    ({"status": "asdf"}, "status"),
    ({"responsible_body": "ب" * 301}, "responsible_body"),
])
def test_progress_rules_are_refused_on_their_field(make_user, changes, field):
    with pytest.raises(RuleBroken) as refused:
        progress(make_user(Role.MINISTRY_STAFF), **changes)
    assert refused.value.field == field
    assert not StageProgress.objects.exists()  # nothing half-written, not even the locked row


def test_a_day_after_today_in_tehran_is_refused(make_user):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(RuleBroken, match="بعد از امروز") as refused:
        progress(make_user(Role.MINISTRY_STAFF), status="done", finished_on=tomorrow)
    assert refused.value.field == "finished_on"


def test_finish_on_the_start_day_is_allowed(make_user):
    row = progress(make_user(Role.MINISTRY_STAFF), status="done", started_on=jalali(1403, 12, 30),
                   finished_on=jalali(1403, 12, 30))
    assert row.started_on == row.finished_on == datetime.date(2025, 3, 20)


def test_an_update_keeps_one_row_and_audits_each_change(make_user):
    secretary = make_user(Role.WORKING_GROUP_SECRETARY, "IR-05")
    first = progress(secretary)
    second = progress(secretary, status="done", finished_on=jalali(1398, 6, 15),
                      expected_version=progress_version(first))
    assert second.pk == first.pk and StageProgress.objects.count() == 1
    assert [(r.from_state, r.to_state) for r in audits(second, "stage_progress_update")] == [
        ("", "in_progress"), ("in_progress", "done")]


def test_a_stale_version_is_refused(make_user):
    secretary, ministry = make_user(Role.WORKING_GROUP_SECRETARY, "IR-05"), make_user(Role.MINISTRY_STAFF)
    seen = progress_version(None)  # the secretary opened the page before anything was recorded
    progress(ministry)
    with pytest.raises(StaleState):
        progress(secretary, status="done", finished_on=jalali(1398, 6, 1), expected_version=seen)
    row = StageProgress.objects.get()
    assert (row.status, row.updated_by) == ("in_progress", ministry)


# --- meetings ----------------------------------------------------------------------------------

def test_a_meeting_is_recorded_with_its_lines_and_an_audit_row(make_user):
    secretary = make_user(Role.WORKING_GROUP_SECRETARY, "IR-05")
    row = meeting(secretary, attendees="  معاون استاندار \n\n نماینده اتاق بازرگاني ")
    # Each line folded (ي → ی), at most one empty line kept between paragraphs.
    assert row.attendees == "معاون استاندار\n\nنماینده اتاق بازرگانی"
    assert (row.kind, row.held_on, row.recorded_by) == ("stakeholder", datetime.date(2019, 7, 11), secretary)
    [record] = audits(row, "meeting_record")
    assert record.data == {"province": "IR-05", "stage": 1, "kind": "stakeholder", "held_on": "2019-07-11"}


def test_the_same_meeting_twice_is_recorded_once(make_user):
    secretary = make_user(Role.WORKING_GROUP_SECRETARY, "IR-05")
    meeting(secretary)
    with pytest.raises(Conflict):
        meeting(secretary, title="جلسه نخست  توسعه استان")  # the same title once normalised
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(("changes", "field"), [
    ({"kind": "party"}, "kind"),
    ({"title": "   "}, "title"),
    ({"attendees": ""}, "attendees"),
    ({"minutes": "\n"}, "minutes"),
    ({"held_on": jalali(1398, 3, 1)}, "held_on"),
    ({"held_on": None}, "held_on"),
])
def test_meeting_rules(make_user, changes, field):
    with pytest.raises(RuleBroken) as refused:
        meeting(make_user(Role.MINISTRY_STAFF), **changes)
    assert refused.value.field == field
    assert not Meeting.objects.exists()


# --- evidence ----------------------------------------------------------------------------------

def test_evidence_of_a_meeting_is_stored_with_its_checksum(make_user):
    secretary = make_user(Role.WORKING_GROUP_SECRETARY, "IR-05")
    held = meeting(secretary)
    item = services.stage_evidence_add(actor=secretary, province_id=province("IR-05").pk, stage_id=stage(1).pk,
                                       title="صورت‌جلسه امضاشده", uploaded_file=pdf("minutes.pdf"), meeting_id=held.pk)
    assert (item.meeting, item.content_type, item.original_name) == (held, "application/pdf", "minutes.pdf")
    assert len(item.sha256) == 64 and item.size_bytes > 0
    [record] = audits(item, "stage_evidence_add")
    assert record.data["meeting"] == held.pk and record.data["sha256"] == item.sha256


def test_evidence_of_another_stages_meeting_is_refused(make_user):
    secretary = make_user(Role.WORKING_GROUP_SECRETARY, "IR-05")
    held = meeting(secretary, number=1)
    with pytest.raises(RuleBroken) as refused:
        services.stage_evidence_add(actor=secretary, province_id=province("IR-05").pk, stage_id=stage(4).pk,
                                    title="صورت‌جلسه", uploaded_file=pdf(), meeting_id=held.pk)
    assert refused.value.field == "meeting"
    assert not StageEvidence.objects.exists()


def test_an_executable_is_refused(make_user):
    with pytest.raises(RuleBroken) as refused:
        services.stage_evidence_add(actor=make_user(Role.MINISTRY_STAFF), province_id=province("IR-05").pk,
                                    stage_id=stage(1).pk, title="فایل", uploaded_file=upload("minutes.pdf", EXE))
    assert refused.value.field == "file"
    assert not StageEvidence.objects.exists()


# --- two at once (PostgreSQL) -------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_two_first_updates_at_once_leave_one_row(postgres_only, make_user):
    secretary, ministry = make_user(Role.WORKING_GROUP_SECRETARY, "IR-05"), make_user(Role.MINISTRY_STAFF)
    results = race(lambda: progress(secretary, responsible_body="استانداری"),
                   lambda: progress(ministry, responsible_body="سازمان برنامه و بودجه"))
    assert outcomes(results) == (2, [])
    row = StageProgress.objects.get()
    assert row.responsible_body in ("استانداری", "سازمان برنامه و بودجه")
    # Each change is audited once; the one that ran second saw the first one's row.
    assert sorted(r.from_state for r in audits(row, "stage_progress_update")) == ["", "in_progress"]


@pytest.mark.django_db(transaction=True)
def test_two_updates_from_the_same_page_at_once_one_is_stale(postgres_only, make_user):
    secretary, ministry = make_user(Role.WORKING_GROUP_SECRETARY, "IR-05"), make_user(Role.MINISTRY_STAFF)
    results = race(lambda: progress(secretary, expected_version=""), lambda: progress(ministry, expected_version=""))
    ok, errors = outcomes(results)
    assert ok == 1 and [type(e) for e in errors] == [StaleState]
    assert StageProgress.objects.count() == 1
    assert AuditRecord.objects.filter(action="stage_progress_update").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_meeting_sent_twice_at_once_is_recorded_once(postgres_only, make_user):
    secretary = make_user(Role.WORKING_GROUP_SECRETARY, "IR-05")
    ok, errors = outcomes(race(lambda: meeting(secretary), lambda: meeting(secretary)))
    assert ok == 1 and [type(e) for e in errors] == [Conflict]
    assert Meeting.objects.count() == 1
