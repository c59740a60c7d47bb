"""The timetable pages through the Django test client: who sees which (403 for roles outside the
programme, 404 for another province), the province page's stages with Jalali dates, meetings and
evidence, and its forms with Persian/Arabic digits, bad input (400, Persian message, nothing
written), a stale form (409), and junk that never gives a 500."""

import datetime

import jdatetime
import pytest
from django.utils import timezone

from accounts.models import Role
from monitoring import services
from monitoring.models import Meeting, StageEvidence, StageProgress
from programs.models import Province, Stage
from tests.uploads import EXE, pdf, upload

pytestmark = pytest.mark.usefixtures("programme_data")

PROVINCE_URL = "/timetable/IR-05/"


def jalali(year, month, day) -> datetime.date:
    return jdatetime.date(year, month, day).togregorian()


def stage_url(number, action, code="IR-05"):
    return f"/timetable/{code}/stages/{number}/{action}/"


@pytest.fixture
def secretary(make_user):
    return make_user(Role.WORKING_GROUP_SECRETARY, "IR-05")


@pytest.fixture
def ministry(make_user):
    return make_user(Role.MINISTRY_STAFF)


def login(client, user):
    client.force_login(user)
    return client


def html(response) -> str:
    return response.content.decode()


def stage_block(page: str, number: int) -> str:
    start = page.index(f'<article class="card mb-3" id="stage-{number}"')
    return page[start:page.index("</article>", start)]


MEETING = {"kind": "stakeholder", "held_on": "۱۳۹۸/۰۴/۲۰", "title": "جلسه نخست توسعه استان",
           "attendees": "معاون استاندار\nنماینده اتاق بازرگانی", "minutes": "چارچوب برنامه معرفی شد."}


# --- who sees what -------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/timetable/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.BANK_OFFICER, Role.SYSTEM_ADMIN])
@pytest.mark.parametrize("url", ["/timetable/", PROVINCE_URL])
def test_roles_outside_the_programme_get_403(client, make_user, role, url):
    assert login(client, make_user(role)).get(url).status_code == 403


def test_ministry_staff_see_the_region_and_every_province(client, ministry):
    page = html(login(client, ministry).get("/timetable/"))
    for code in ("IR-05", "IR-16", "IR-15", "IR-13"):
        assert f'href="/timetable/{code}/"' in page
    assert 'data-testid="gantt"' in page
    assert login(client, ministry).get("/timetable/IR-13/").status_code == 200


def test_provincial_staff_open_only_their_province(client, make_user):
    manager = make_user(Role.PROVINCIAL_MANAGER, "IR-05")
    region = html(login(client, manager).get("/timetable/"))
    assert 'href="/timetable/IR-05/"' in region and 'href="/timetable/IR-16/"' not in region
    assert client.get(PROVINCE_URL).status_code == 200
    assert client.get("/timetable/ir-05/").status_code == 200  # the code in any case
    assert client.get("/timetable/IR-16/").status_code == 404
    assert client.get("/timetable/XX-99/").status_code == 404


def test_readers_who_may_not_record_see_no_forms(client, make_user):
    page = html(login(client, make_user(Role.AGENCY_OFFICER, "IR-05")).get(PROVINCE_URL))
    assert "ثبت پیشرفت" not in page and "<form method=\"post\" action=\"/timetable/" not in page


def test_the_secretary_gets_the_three_forms_of_each_stage(client, secretary):
    page = html(login(client, secretary).get(PROVINCE_URL))
    for number in range(1, 10):
        block = stage_block(page, number)
        for action in ("progress", "meetings", "evidence"):
            assert f'action="{stage_url(number, action)}"' in block
    assert 'id="stage3-progress-started_on"' in page and "data-jdp" in page


def test_the_page_shows_the_seeds_flags_and_the_plan_in_jalali_months(client, ministry):
    page = html(login(client, ministry).get(PROVINCE_URL))
    assert "دوره ۱ تا ۲ (تیر–مرداد ۱۳۹۸ تا شهریور–مهر ۱۳۹۸)" in stage_block(page, 1)
    assert "فاز نامطمئن" in stage_block(page, 6) and "فاز نامطمئن" not in stage_block(page, 5)
    assert "جلسه با مسئولان استان: ۰ از ۲ جلسه" in stage_block(page, 1)
    assert "style=" not in page.split("<main", 1)[1]


def test_the_province_page_reads_a_fixed_number_of_queries(client, ministry, django_assert_max_num_queries):
    province = Province.objects.get(code="IR-05")
    for day in range(1, 21):
        services.meeting_record(actor=ministry, province_id=province.pk, stage_id=Stage.objects.get(number=8).pk,
                                kind="monthly_officials", held_on=jalali(1399, 1, day), title=f"جلسه {day}",
                                attendees="معاون استاندار", minutes="گزارش ماه")
    login(client, ministry)
    with django_assert_max_num_queries(12):
        assert client.get(PROVINCE_URL).status_code == 200


def test_the_region_page_reads_a_fixed_number_of_queries(client, ministry, django_assert_max_num_queries):
    for code in ("IR-05", "IR-16", "IR-15", "IR-13"):
        for number in (1, 2, 3):
            services.stage_progress_update(actor=ministry, province_id=Province.objects.get(code=code).pk,
                                           stage_id=Stage.objects.get(number=number).pk, status="in_progress",
                                           started_on=jalali(1398, 4, number))
    login(client, ministry)
    with django_assert_max_num_queries(9):
        page = html(client.get("/timetable/"))
    row = page[page.index('data-province="IR-16"'):]
    assert '<td class="num" data-field="in_progress">۳</td>' in row


# --- recording progress --------------------------------------------------------------------------

def test_progress_with_persian_digits_is_saved_and_shown_in_jalali(client, secretary):
    response = login(client, secretary).post(stage_url(3, "progress"), {
        "status": "done", "started_on": "۱۳۹۸/۰۸/۱۵", "finished_on": "١٣٩٩-٠١-١٠",
        "responsible_body": "سازمان مديريت و برنامه‌ريزي", "notes": "", "version": ""})
    assert response.status_code == 302 and response["Location"] == "/timetable/IR-05/#stage-3"
    row = StageProgress.objects.get(province__code="IR-05", stage__number=3)
    assert (row.started_on, row.finished_on) == (datetime.date(2019, 11, 6), datetime.date(2020, 3, 29))
    assert row.responsible_body == "سازمان مدیریت و برنامه‌ریزی"
    block = stage_block(html(client.get(PROVINCE_URL)), 3)
    assert '<dd class="col-sm-9 num" data-field="started_on">۱۳۹۸/۰۸/۱۵</dd>' in block
    assert '<dd class="col-sm-9 num" data-field="finished_on">۱۳۹۹/۰۱/۱۰</dd>' in block
    assert "انجام‌شده" in block


@pytest.mark.parametrize(("fields", "message"), [
    ({"started_on": "1399/05/01", "finished_on": "1399/04/31"}, "تاریخ پایان نباید پیش از تاریخ آغاز باشد."),
    ({"started_on": "1404/12/30", "finished_on": ""}, "این تاریخ در تقویم شمسی وجود ندارد."),
    ({"started_on": "2020-01-01", "finished_on": ""}, "سال باید شمسی و بین"),
    ({"started_on": "۱۳۹۸/۱۳/۰۱", "finished_on": ""}, "این تاریخ در تقویم شمسی وجود ندارد."),
    ({"started_on": "دیروز", "finished_on": ""}, "تاریخ را به صورت شمسی"),
    ({"started_on": "", "finished_on": ""}, "تاریخ آغاز مرحله را وارد کنید."),
    ({"started_on": "1398/03/31", "finished_on": ""}, "پیش از آغاز برنامه (۱۳۹۸/۰۴/۰۱)"),
])
def test_bad_dates_come_back_with_a_persian_message(client, secretary, fields, message):
    response = login(client, secretary).post(stage_url(3, "progress"), {
        "status": "done" if fields["finished_on"] else "in_progress", "responsible_body": "استانداری",
        "version": "", **fields})
    assert response.status_code == 400
    block = stage_block(html(response), 3)
    assert message in block
    assert "<details class=\"mt-3\" open" in block  # the refused form is open, with what was typed
    assert 'value="استانداری"' in block
    assert not StageProgress.objects.exists()


def test_a_date_after_today_is_refused(client, secretary):
    tomorrow = jdatetime.date.fromgregorian(date=timezone.localdate() + datetime.timedelta(days=1))
    response = login(client, secretary).post(stage_url(1, "progress"), {
        "status": "in_progress", "started_on": tomorrow.strftime("%Y/%m/%d"), "version": ""})
    assert response.status_code == 400
    assert "این تاریخ نباید بعد از امروز باشد." in html(response)


def test_a_stale_form_gets_409_and_changes_nothing(client, secretary, ministry):
    province, stage = Province.objects.get(code="IR-05"), Stage.objects.get(number=1)
    services.stage_progress_update(actor=ministry, province_id=province.pk, stage_id=stage.pk, status="in_progress",
                                   started_on=jalali(1398, 4, 10))
    response = login(client, secretary).post(stage_url(1, "progress"), {
        "status": "not_started", "started_on": "", "finished_on": "", "version": ""})
    assert response.status_code == 409
    assert "در این فاصله تغییر کرده است" in html(response)
    assert StageProgress.objects.get().status == "in_progress"


def test_who_may_not_record_gets_403_or_404(client, make_user):
    data = {"status": "in_progress", "started_on": "1398/04/10", "version": ""}
    manager = make_user(Role.PROVINCIAL_MANAGER, "IR-05")
    assert login(client, manager).post(stage_url(1, "progress"), data).status_code == 403
    other = make_user(Role.WORKING_GROUP_SECRETARY, "IR-16")
    assert login(client, other).post(stage_url(1, "progress"), data).status_code == 404
    assert not StageProgress.objects.exists()


@pytest.mark.parametrize(("url", "data", "status"), [
    (stage_url(1, "progress"), {"status": "asdf", "version": ""}, 400),
    (stage_url(1, "progress"), {"status": "in_progress", "started_on": "9" * 500, "version": ""}, 400),
    (stage_url(1, "progress"), {"status": "in_progress", "started_on": "1398/04/10", "version": "x" * 65}, 400),
    (stage_url(99, "progress"), {"status": "in_progress"}, 404),
    (stage_url(10**30, "progress"), {"status": "in_progress"}, 404),
    (stage_url(1, "progress", code="IR-05" * 40), {"status": "in_progress"}, 404),
    (stage_url(1, "evidence"), {"title": "مستند", "meeting": "99999999999999999999999"}, 400),
    (stage_url(1, "meetings"), {**MEETING, "kind": "party"}, 400),
    ("/timetable/IR-05/evidence/99999999999999999999999/", None, 404),
])
def test_junk_never_gives_a_500(client, ministry, url, data, status):
    login(client, ministry)
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == status


def test_a_form_address_only_takes_posts(client, secretary):
    assert login(client, secretary).get(stage_url(1, "progress")).status_code == 405


# --- meetings and evidence -----------------------------------------------------------------------

def test_a_meeting_is_recorded_and_counted_against_the_stage(client, secretary):
    response = login(client, secretary).post(stage_url(1, "meetings"), MEETING)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.held_on, meeting.attendees) == (datetime.date(2019, 7, 11), MEETING["attendees"])
    block = stage_block(html(client.get(PROVINCE_URL)), 1)
    assert '<td class="num" data-field="held_on">۱۳۹۸/۰۴/۲۰</td>' in block
    assert "معاون استاندار<br>نماینده اتاق بازرگانی" in block
    assert "جلسه با مسئولان استان: ۱ از ۲ جلسه" in block and "ناقص" in block


def test_the_same_meeting_posted_twice_is_recorded_once(client, secretary):
    login(client, secretary).post(stage_url(1, "meetings"), MEETING)
    response = client.post(stage_url(1, "meetings"), MEETING)
    assert response.status_code == 409
    assert "پیش‌تر ثبت شده است" in html(response)
    assert Meeting.objects.count() == 1


def test_an_empty_meeting_form_lists_each_missing_field(client, secretary):
    response = login(client, secretary).post(stage_url(4, "meetings"), {"kind": "public"})
    assert response.status_code == 400
    block = stage_block(html(response), 4)
    for label in ("تاریخ برگزاری", "موضوع", "حاضران (هر نفر یا دستگاه در یک سطر)", "صورت‌جلسه"):
        assert f"{label}: این مقدار لازم است." in block
    assert not Meeting.objects.exists()


def test_monthly_meetings_count_the_months_with_and_without_one(client, ministry):
    province, stage8 = Province.objects.get(code="IR-05"), Stage.objects.get(number=8)
    services.stage_progress_update(actor=ministry, province_id=province.pk, stage_id=stage8.pk, status="done",
                                   started_on=jalali(1398, 4, 1), finished_on=jalali(1398, 9, 30))
    for day, title in ((jalali(1398, 4, 25), "جلسه تیر"), (jalali(1398, 6, 3), "جلسه شهریور"),
                       (jalali(1398, 6, 28), "جلسه دوم شهریور")):
        services.meeting_record(actor=ministry, province_id=province.pk, stage_id=stage8.pk,
                                kind="monthly_officials", held_on=day, title=title, attendees="اعضا", minutes="گزارش")
    block = stage_block(html(login(client, ministry).get(PROVINCE_URL)), 8)
    assert "۲ از ۶ ماه با جلسه؛ ۴ ماه بدون جلسه" in block
    missed = block[block.index('data-testid="months-missed"'):]
    assert [m in missed for m in ("مرداد ۱۳۹۸", "مهر ۱۳۹۸", "آبان ۱۳۹۸", "آذر ۱۳۹۸", "تیر ۱۳۹۸")] == [
        True, True, True, True, False]


def test_evidence_is_uploaded_and_downloaded_only_within_scope(client, secretary, make_user):
    login(client, secretary).post(stage_url(1, "meetings"), MEETING)
    meeting = Meeting.objects.get()
    response = client.post(stage_url(1, "evidence"), {"title": "صورت‌جلسه امضاشده", "meeting": str(meeting.pk),
                                                      "file": pdf("minutes.pdf")})
    assert response.status_code == 302
    item = StageEvidence.objects.get()
    assert item.meeting == meeting
    url = f"/timetable/IR-05/evidence/{item.pk}/"
    assert f'href="{url}"' in stage_block(html(client.get(PROVINCE_URL)), 1)
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert login(client, make_user(Role.PROVINCIAL_MANAGER, "IR-05")).get(url).status_code == 200
    other = login(client, make_user(Role.WORKING_GROUP_SECRETARY, "IR-16"))
    assert other.get(url).status_code == 404
    assert other.get(f"/timetable/IR-16/evidence/{item.pk}/").status_code == 404


def test_a_file_that_is_not_a_document_is_refused_on_the_form(client, secretary):
    response = login(client, secretary).post(stage_url(2, "evidence"), {
        "title": "پیشنهادیه", "file": upload("proposal.pdf", EXE)})
    assert response.status_code == 400
    assert 'data-field="file"' in stage_block(html(response), 2)
    assert not StageEvidence.objects.exists()


# --- the public programme page -------------------------------------------------------------------

def test_the_program_page_shows_the_regions_timetable(client, ministry):
    services.stage_progress_update(actor=ministry, province_id=Province.objects.get(code="IR-16").pk,
                                   stage_id=Stage.objects.get(number=1).pk, status="done",
                                   started_on=jalali(1398, 4, 5), finished_on=jalali(1398, 5, 30))
    page = html(client.get("/program/"))
    timetable = page[page.index('id="timetable"'):]
    assert 'data-testid="gantt"' in timetable
    row = timetable[timetable.index('data-stage="1"'):timetable.index('data-stage="2"')]
    assert "۱ از ۴ استان انجام‌شده" in row
    assert "/timetable/IR-" not in page  # the public page links no staff page
    assert 'data-testid="institution-summary"' in page
