"""The phases and stages as ``load_programme`` loads them from ``fixtures/timetable.json`` (§13,
§14; ``programs.loading.load_timetable``): the seed's titles and activities, the meetings the
stages ask for, the flags that mark our assumptions, and a loader that creates what is missing and
never overwrites what ministry staff edited."""

import pytest
from django.urls import reverse

from accounts.models import Role
from programs.loading import LoadReport, fixtures_dir, load_timetable
from programs.models import Phase, Stage
from sectors.loading import load_programme

pytestmark = pytest.mark.usefixtures("programme_data")

TITLES = {
    1: "حساس سازی و آگاه سازی ذینفعان در سطح استان",
    2: "تهیه سناریوی توسعه هر منطقه و توافق بر آن در سطح ذینفعان",
    3: "تحلیل ساختار اقتصاد استان",
    4: "تحلیل مولفه های فضای کسب و کار محلی و رشته ای استان",
    5: "تدوین برنامه عمل مشترک استانی و ماتریس تعامل",
    6: "تحلیل سیستم کسب و کار و زنجیره ارزش هر یک از رشته های کسب و کاری در اولویت",
    7: "پیاده سازی برنامه عمل مشترک",
    8: "پایش و ارزیابی ( از ابتدا تا انتهای برنامه)",
    9: "گزارش نهایی برنامه",
}


def stage(number) -> Stage:
    return Stage.objects.select_related("phase").get(number=number)


def test_three_phases_and_nine_stages_with_the_seeds_titles(programme_data):
    assert programme_data.counts["programs.Phase"]["created"] == 3
    assert programme_data.counts["programs.Stage"]["created"] == 9
    assert list(Phase.objects.values_list("number", "title")) == [(1, "فاز ۱"), (2, "فاز ۲"), (3, "فاز ۳")]
    assert dict(Stage.objects.values_list("number", "title")) == TITLES


def test_phases_as_the_copy_has_them_and_the_uncertain_ones_flagged():
    assert {n: stage(n).phase.number for n in TITLES} == {1: 1, 2: 1, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3}
    assert sorted(Stage.objects.filter(phase_is_uncertain=True).values_list("number", flat=True)) == [6, 7, 8, 9]


def test_activities_one_per_line_as_in_the_seed():
    assert stage(1).activity_list == [
        "برگزاری ۲ جلسه با مسئولین استان (سازمان های دولتی و نمایندگان بخش خصوصی) در زمینه توسعه استان",
        "اطلاع رسانی مناسب",
    ]
    assert stage(4).activity_list == ["شناسایی Red Tapes", "برگزاری جلسه عمومی با مسئولین دولتی - خصوصی استانی"]
    # The copy breaks stage 5's list across a page; its last line is kept with it.
    assert stage(5).activity_list[-1] == "تهیه سند برنامه عمل مشترک استانی"
    assert len(stage(5).activity_list) == 5
    assert stage(7).activity_list[2] == "تعیین Focal points در سازمانهای مرتبط با هر پروژه"
    assert stage(9).activity_list == ["تدوین گزارش جامع پروژه"]


def test_the_meetings_each_stage_asks_for():
    required = {s.number: (s.meeting_kind, s.meetings_required, s.monthly_meetings) for s in Stage.objects.all()}
    assert required[1] == ("stakeholder", 2, False)
    assert required[4] == required[6] == ("public", 1, False)
    assert required[7] == ("coordination", 0, False)
    assert required[8] == ("monthly_officials", 0, True)
    assert required[2] == required[3] == required[5] == required[9] == ("", 0, False)


def test_the_default_plan_is_an_assumption_within_18_periods():
    plan = {s.number: (s.planned_first_period, s.planned_last_period) for s in Stage.objects.all()}
    assert plan[8] == (1, 18)  # monitoring runs from start to end
    assert plan[9][1] == 18 and plan[9][0] >= max(last for n, (_, last) in plan.items() if n not in (7, 8, 9)) + 1
    assert all(1 <= first <= last <= 18 for first, last in plan.values())
    assert all(Stage.objects.values_list("plan_is_assumption", flat=True))


def test_every_stage_has_a_row_in_the_seeds_chart():
    # §14's chart in the copy lists all nine stages, the final report last.
    assert list(Stage.objects.filter(in_seed_chart=False)) == []


def test_loading_again_creates_nothing_and_changes_nothing():
    before = list(Stage.objects.order_by("number").values())
    report = load_programme()
    assert report.counts["programs.Stage"] == {"unchanged": 9}
    assert report.counts["programs.Phase"] == {"unchanged": 3}
    assert list(Stage.objects.order_by("number").values()) == before


def test_a_ministry_edit_of_the_plan_survives_a_reload():
    Stage.objects.filter(number=3).update(planned_first_period=4, planned_last_period=7, plan_is_assumption=False,
                                          phase=Phase.objects.get(number=1), phase_is_uncertain=True)
    load_programme()
    edited = stage(3)
    assert (edited.planned_first_period, edited.planned_last_period, edited.plan_is_assumption) == (4, 7, False)
    assert (edited.phase.number, edited.phase_is_uncertain) == (1, True)


def test_a_missing_stage_is_created_again():
    Stage.objects.filter(number=9).delete()
    report = LoadReport()
    load_timetable(fixtures_dir(), report)
    assert report.counts["programs.Stage"] == {"created": 1, "unchanged": 8}
    assert (stage(9).phase.number, stage(9).planned_last_period) == (3, 18)


# --- the admin (programs.admin) ------------------------------------------------------------------

def stage_form(stage_row, **changes):
    data = {"number": stage_row.number, "phase": stage_row.phase_id, "title": stage_row.title,
            "activities": stage_row.activities, "planned_first_period": stage_row.planned_first_period,
            "planned_last_period": stage_row.planned_last_period, "meeting_kind": stage_row.meeting_kind,
            "meetings_required": stage_row.meetings_required}
    for flag in ("phase_is_uncertain", "in_seed_chart", "plan_is_assumption", "monthly_meetings"):
        if getattr(stage_row, flag):
            data[flag] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_ministry_staff_see_the_flags_and_edit_the_plan_in_the_admin(client, make_user):
    client.force_login(make_user(Role.MINISTRY_STAFF))
    listing = client.get(reverse("admin:programs_stage_changelist"))
    assert listing.status_code == 200
    page = listing.content.decode()
    for label in ("برنامه زمانی فرضی است", "فاز نامطمئن", "در نمودار زمان‌بندی سند"):
        assert label in page
    assert "دوره ۱ (تیر–مرداد ۱۳۹۸) تا دوره ۲ (شهریور–مهر ۱۳۹۸)" in page

    three = stage(3)
    url = reverse("admin:programs_stage_change", args=[three.pk])
    response = client.post(url, stage_form(three, planned_first_period="4", planned_last_period="7",
                                           plan_is_assumption=None,
                                           activities="تحليل مزیت ها\n\n  شناسایی رشته ها  "))
    assert response.status_code == 302
    edited = stage(3)
    assert (edited.planned_first_period, edited.planned_last_period, edited.plan_is_assumption) == (4, 7, False)
    assert edited.activity_list == ["تحلیل مزیت ها", "شناسایی رشته ها"]  # lines kept, Arabic ي folded


def test_a_plan_ending_before_it_starts_is_refused_in_the_admin(client, make_user):
    client.force_login(make_user(Role.MINISTRY_STAFF))
    three = stage(3)
    response = client.post(reverse("admin:programs_stage_change", args=[three.pk]),
                           stage_form(three, planned_first_period="9", planned_last_period="2"))
    assert response.status_code == 200  # the form again, with the error
    assert "دوره پایان نباید پیش از دوره آغاز باشد." in response.content.decode()
    assert (stage(3).planned_first_period, stage(3).planned_last_period) == (3, 5)


@pytest.mark.parametrize("role", [Role.WORKING_GROUP_SECRETARY, Role.PROVINCIAL_MANAGER])
def test_provincial_staff_do_not_edit_the_plan(client, make_user, role):
    client.force_login(make_user(role, "IR-05"))
    response = client.get(reverse("admin:programs_stage_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("last", ["60000", "2147483648", "121"])
def test_a_period_past_the_calendars_reach_is_refused_in_the_admin(client, make_user, last):
    """A typo in the plan (period 60000) once saved, and every page drawing the plan then failed
    with a 500; periods stop at ``programs.calendar.LAST_PERIOD`` (120)."""
    client.force_login(make_user(Role.MINISTRY_STAFF))
    three = stage(3)
    response = client.post(reverse("admin:programs_stage_change", args=[three.pk]),
                           stage_form(three, planned_last_period=last))
    assert response.status_code == 200  # the form again, with the error
    assert (stage(3).planned_first_period, stage(3).planned_last_period) == (3, 5)
    assert client.get(reverse("monitoring:program")).status_code == 200
