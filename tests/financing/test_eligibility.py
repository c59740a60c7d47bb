"""Eligibility at submission (§9 step 2, §10): each check refuses with its own Persian reason on
its own field and saves nothing. The loan asked per planned job may be at most
``KALEH_MAX_COST_PER_JOB_MULTIPLE`` (default 3) times the programme's 551,000,000 rials."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from common.errors import RuleBroken
from financing import services
from financing.models import ApplicationDocument, InvestmentApplication
from programs.models import Programme
from tests.factories import CallFactory, PrioritySectorFactory
from tests.uploads import pdf
from tests.web import as_user, post_application
from tests.world import application_input

# 16 planned jobs (12 new, 4 kept: tests.world.application_input) × 3 × 551,000,000 rials.
LIMIT_FOR_16_JOBS = 26_448_000_000


def submit_input(world, **changes):
    data = dataclasses.replace(application_input(world), **changes)
    return services.application_submit(actor=world.owner, call=world.call_a, feasibility_files=[pdf()], data=data)


def refusal(world, **changes):
    with pytest.raises(RuleBroken) as refused:
        submit_input(world, **changes)
    assert InvestmentApplication.objects.count() == 0
    assert ApplicationDocument.objects.count() == 0
    return refused.value


def test_30_billion_rials_for_16_jobs_is_refused_with_the_figures(world):
    error = refusal(world, requested_loan_rials=30_000_000_000)
    assert error.field == "requested_loan_rials"
    assert str(error.message) == (
        "تسهیلات درخواستی برای هر شغل پیش‌بینی‌شده ۱٬۸۷۵٬۰۰۰٬۰۰۰ ریال است و از سقف ۱٬۶۵۳٬۰۰۰٬۰۰۰ ریال بیشتر است "
        "(۳ برابر سرانه ۵۵۱٬۰۰۰٬۰۰۰ ریال هر شغل در برنامه). مبلغ را کم یا تعداد شغل‌ها را درست کنید.")


def test_the_limit_itself_is_accepted_and_one_rial_more_is_not(world):
    error = refusal(world, requested_loan_rials=LIMIT_FOR_16_JOBS + 1)
    assert "۱٬۶۵۳٬۰۰۰٬۰۰۱ ریال" in str(error.message)  # 26,448,000,001 / 16, rounded up
    assert submit_input(world, requested_loan_rials=LIMIT_FOR_16_JOBS).requested_loan_rials == LIMIT_FOR_16_JOBS


def test_kept_jobs_count_as_planned_jobs(world):
    refusal(world, requested_loan_rials=LIMIT_FOR_16_JOBS, planned_retained_jobs=3)  # 15 jobs
    assert submit_input(world, requested_loan_rials=LIMIT_FOR_16_JOBS, planned_new_jobs=0, planned_retained_jobs=16)


def test_the_multiple_is_a_setting(world, settings):
    settings.KALEH_MAX_COST_PER_JOB_MULTIPLE = 4  # 2,204,000,000 a job: 30,000,000,000 for 16 is within
    assert submit_input(world, requested_loan_rials=30_000_000_000).pk
    settings.KALEH_MAX_COST_PER_JOB_MULTIPLE = 1.5  # 826,500,000 a job
    with pytest.raises(RuleBroken) as refused:
        submit_input(world, requested_loan_rials=16 * 826_500_000 + 1)
    assert "از سقف ۸۲۶٬۵۰۰٬۰۰۰ ریال بیشتر است (۱٫۵ برابر سرانه ۵۵۱٬۰۰۰٬۰۰۰ ریال" in str(refused.value.message)
    assert submit_input(world, requested_loan_rials=16 * 826_500_000).pk


def test_the_programme_row_gives_the_figure_per_job(world):
    Programme.objects.create(name="کاله", start_date=datetime.date(2019, 6, 22), new_jobs_target=66_000,
                             retained_jobs_target=11_000, institutions_target=24, cost_per_job_rials=600_000_000,
                             per_capita_income_growth_percent=25)
    error = refusal(world, requested_loan_rials=16 * 1_800_000_000 + 16)
    assert "از سقف ۱٬۸۰۰٬۰۰۰٬۰۰۰ ریال بیشتر است (۳ برابر سرانه ۶۰۰٬۰۰۰٬۰۰۰ ریال" in str(error.message)
    assert submit_input(world, requested_loan_rials=16 * 1_800_000_000).pk


# --- the other checks keep their own reasons ---------------------------------------------------------

@pytest.mark.parametrize("changes, field, message", [
    (dict(planned_new_jobs=0, planned_retained_jobs=0), "planned_new_jobs", "طرح باید دست‌کم یک شغل ایجاد یا حفظ کند."),
    (dict(requested_loan_rials=0), "requested_loan_rials", "مبلغ تسهیلات درخواستی باید بیشتر از صفر باشد."),
    (dict(project_kind="completion", physical_progress_percent=60), "physical_progress_percent",
     "طرح تکمیلی باید بیش از ۶۰ درصد پیشرفت فیزیکی داشته باشد."),
])
def test_each_check_has_its_own_reason(world, changes, field, message):
    error = refusal(world, **changes)
    assert (error.field, str(error.message)) == (field, message)


def test_a_sector_outside_the_call_is_refused_before_the_cost_per_job(world):
    error = refusal(world, priority_sector=PrioritySectorFactory(province=world.province_a),
                    requested_loan_rials=30_000_000_000)
    assert (error.field, str(error.message)) == ("priority_sector", "این رسته در این فراخوان نیست.")


def test_a_closed_call_is_refused_with_its_own_reason(world):
    today = timezone.localdate()
    call = CallFactory(agency=world.agency_a, actor=world.agency_officer_a, priority_sectors=[world.priority_a],
                       opens_on=today - datetime.timedelta(days=9), closes_on=today - datetime.timedelta(days=1))
    with pytest.raises(RuleBroken) as refused:
        services.application_submit(actor=world.owner, call=call, feasibility_files=[pdf()],
                                    data=application_input(world, requested_loan_rials=30_000_000_000))
    assert (refused.value.field, str(refused.value.message)) == ("call", "این فراخوان باز نیست.")


def test_the_form_shows_the_reason_on_the_amount(client, world):
    """12 jobs (10 new, 2 kept) and 30,000,000,000 rials typed in Persian digits: 2,500,000,000 a job."""
    as_user(client, world.owner)
    response = post_application(client, world, requested_loan_rials="۳۰٬۰۰۰٬۰۰۰٬۰۰۰")
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["requested_loan_rials"] == [
        "تسهیلات درخواستی برای هر شغل پیش‌بینی‌شده ۲٬۵۰۰٬۰۰۰٬۰۰۰ ریال است و از سقف ۱٬۶۵۳٬۰۰۰٬۰۰۰ ریال بیشتر است "
        "(۳ برابر سرانه ۵۵۱٬۰۰۰٬۰۰۰ ریال هر شغل در برنامه). مبلغ را کم یا تعداد شغل‌ها را درست کنید."]
    assert InvestmentApplication.objects.count() == 0
