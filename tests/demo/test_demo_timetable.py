"""``seed_demo``'s progress against the timetable (§13, §14; ``demo.timetable``): the 9 stages of
every province with statuses that make sense years after the plan ended, past Jalali-sensible dates,
the meetings the stages ask for (a few monthly ones missing), PDF evidence, all recorded by the
province's working-group secretary through ``monitoring.services`` and dated on the demo's timeline."""

import io
import re
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditRecord, Role
from monitoring.models import Meeting, StageEvidence, StageProgress
from monitoring.timetable import province_records
from programs import calendar
from programs.models import Province, Stage
from tests.demo.helpers import load_reference_data

Status = StageProgress.Status
PERSIAN = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo (no applications: the timetable does not depend on them) built once for this
    module's tests and removed after them; yields the time it was built."""
    with django_db_blocker.unblock():
        load_reference_data()
        call_command("seed_demo", applications=0, stdout=io.StringIO())
        yield timezone.now()
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def now(seeded, db):
    return seeded


def audit_times(model, pk) -> list:
    records = AuditRecord.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=pk)
    return list(records.order_by("id").select_related("actor"))


def test_every_province_has_its_nine_stages_with_sensible_statuses(now):
    current = calendar.current_period()
    profiles = set()
    for province in Province.objects.all():
        rows = list(StageProgress.objects.filter(province=province).select_related("stage").order_by("stage__number"))
        assert [row.stage.number for row in rows] == list(range(1, 10))
        statuses = [row.status for row in rows]
        profiles.add(tuple(statuses))
        done = statuses.count(Status.DONE)
        assert done >= 3 and statuses[:done] == [Status.DONE] * done, statuses  # the early stages, in order
        assert statuses[7] == Status.IN_PROGRESS and statuses[8] == Status.NOT_STARTED
        assert Status.IN_PROGRESS in statuses[done:7]
        late = [row for row in rows if row.stage.planned_last_period < current and row.status != Status.DONE]
        assert late
    assert len(profiles) >= 3  # the provinces lag the plan each its own way


def test_dates_are_past_in_order_and_fit_the_status(now):
    today, start = timezone.localtime(now).date(), calendar.programme_start()
    for row in StageProgress.objects.select_related("updated_by"):
        if row.status == Status.NOT_STARTED:
            assert (row.started_on, row.finished_on) == (None, None)
        elif row.status == Status.IN_PROGRESS:
            assert start <= row.started_on <= today and row.finished_on is None
        else:
            assert start <= row.started_on <= row.finished_on <= today
        assert PERSIAN.search(row.responsible_body) and PERSIAN.search(row.notes)
        assert (row.updated_by.role, row.updated_by.province_id) == (Role.WORKING_GROUP_SECRETARY, row.province_id)
        records = audit_times(StageProgress, row.pk)
        assert [r.to_state for r in records] == (
            [Status.IN_PROGRESS, Status.DONE] if row.status == Status.DONE else [row.status])
        times = [r.at for r in records]
        assert times == sorted(times) and row.updated_at == times[-1] <= now
        if row.started_on:
            assert timezone.localtime(times[0]).date() > row.started_on


def test_the_meetings_the_stages_ask_for_are_held(now):
    today = timezone.localtime(now).date()
    for province in Province.objects.all():
        records = {record.stage.number: record for record in province_records(province)}
        for number in (1, 4, 6):
            record = records[number]
            assert record.required_met, (province.code, number)
            for meeting in record.meetings:
                assert record.progress.started_on <= meeting.held_on <= (record.progress.finished_on or today)
        assert records[1].required_held == 2
        monthly = records[8]
        assert monthly.months_held >= 6 and 2 <= len(monthly.months_missed) <= 4, province.code
        assert monthly.required_met is False  # the page shows the gap
    kinds = Counter(Meeting.objects.values_list("stage__number", "kind"))
    assert {(1, "stakeholder"), (4, "public"), (6, "public"), (8, "monthly_officials")} <= set(kinds)


def test_meetings_are_recorded_after_they_are_held_in_persian(now):
    for meeting in Meeting.objects.select_related("recorded_by"):
        assert meeting.held_on <= timezone.localtime(meeting.recorded_at).date() and meeting.recorded_at <= now
        assert all(PERSIAN.search(text) for text in (meeting.title, meeting.attendees, meeting.minutes))
        assert meeting.recorded_by.province_id == meeting.province_id
        assert [r.at for r in audit_times(Meeting, meeting.pk)] == [meeting.recorded_at]
    assert Meeting.objects.filter(stage__monthly_meetings=True).count() >= 4 * 6


def test_a_few_stages_have_pdf_evidence(now):
    for province in Province.objects.all():
        evidence = list(StageEvidence.objects.filter(province=province).select_related("stage", "meeting"))
        assert len(evidence) >= 2
        first = next(item for item in evidence if item.stage.number == 1)
        assert first.meeting is not None and first.meeting.stage_id == first.stage_id
        for item in evidence:
            assert item.content_type == "application/pdf" and PERSIAN.search(item.title)
            with item.file.open("rb") as stored:
                assert stored.read(5) == b"%PDF-"
            assert [r.at for r in audit_times(StageEvidence, item.pk)] == [item.uploaded_at]
            assert item.uploaded_at <= now
    assert Stage.objects.count() == 9
