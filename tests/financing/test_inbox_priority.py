"""The agency's and the working group's inboxes sorted by the priority score (§9), the score and its
parts on each row and on the application's page, and the cost-per-job warning (§10)."""

import dataclasses
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from financing import selectors, services
from financing.models import ApplicationState, InvestmentApplication
from financing.priority import priority_compute
from tests.factories import ApplicantFactory
from tests.uploads import pdf
from tests.web import as_user
from tests.world import application_input, drive, submit

S = ApplicationState


def submit_with(world, title, **changes):
    """An application of ``applicant_1`` to province A's call, with ``changes`` to the world's figures
    (an existing unit's expansion, 6,000,000,000 rials, 12 + 4 jobs, 35 %, sector rank 1)."""
    data = dataclasses.replace(application_input(world, title=title), **changes)
    return services.application_submit(actor=world.owner, call=world.call_a, data=data, feasibility_files=[pdf()])


@pytest.fixture
def five(world):
    """Five applications of province A, submitted in this order, with these scores."""
    apps = {
        "new-costly": submit_with(world, "ایجاد گران", is_existing_unit=False, project_kind="new",
                                  requested_loan_rials=12_000_000_000),  # 0 + 0 + 9 + 15 = 24
        "world": submit_with(world, "توسعه"),  # 40 + 20 + 18 + 15 = 93
        "new-progressed": submit_with(world, "ایجاد با پیشرفت", is_existing_unit=False, project_kind="new",
                                      physical_progress_percent=80),  # 0 + 20 + 18 + 15 = 53
        "existing-new": submit_with(world, "واحد موجود", project_kind="new"),  # 40 + 0 + 18 + 15 = 73
        "lean": submit_with(world, "توسعه کم‌هزینه", requested_loan_rials=2_000_000_000),  # 40 + 20 + 25 + 15
    }
    return {name: InvestmentApplication.objects.get(pk=a.pk) for name, a in apps.items()}


def rows(response):
    return [int(pk) for pk in re.findall(r'data-application="(\d+)"', response.content.decode())]


def test_the_five_scores(five):
    assert {name: a.priority_score for name, a in five.items()} == {
        "new-costly": 24, "world": 93, "new-progressed": 53, "existing-new": 73, "lean": 100}


def test_the_selector_orders_by_score_then_id(world, five):
    tied = submit_with(world, "توسعه دوم")  # 93, like "world", submitted later
    by_priority = list(selectors.application_inbox(world.agency_officer_a, order="priority")
                       .values_list("pk", flat=True))
    names = ["lean", "world", "existing-new", "new-progressed", "new-costly"]
    assert by_priority == [five["lean"].pk, five["world"].pk, tied.pk] + [five[n].pk for n in names[2:]]
    fifo = list(selectors.application_inbox(world.agency_officer_a).values_list("pk", flat=True))
    assert fifo == [a.pk for a in five.values()] + [tied.pk]


def test_the_agency_inbox_page_sorts_by_priority_on_request(client, world, five):
    as_user(client, world.agency_officer_a)
    url = reverse("financing:inbox")
    assert rows(client.get(url)) == [a.pk for a in five.values()]
    response = client.get(url, {"sort": "priority"})
    assert rows(response) == [five[n].pk for n in ("lean", "world", "existing-new", "new-progressed", "new-costly")]
    body = response.content.decode()
    assert 'href="?sort=priority"' in body and 'aria-current="true"' in body
    row = re.search(rf'<tr data-application="{five["world"].pk}">.*?</tr>', body, re.S).group(0)
    assert '<td class="num" data-testid="priority-score"' in row
    assert "واحد موجود ۴۰، نوع طرح یا پیشرفت ۲۰، اشتغال ۱۸، رتبه رسته ۱۵" in row
    assert ">۹۳<div" in row and "موجود ۴۰ · نوع ۲۰ · اشتغال ۱۸ · رسته ۱۵" in row


def test_the_working_group_inbox_sorts_by_priority(client, world, five):
    for app in five.values():
        drive(world, app.pk, S.AGENCY_APPROVED)
    as_user(client, world.secretary_a)
    response = client.get(reverse("financing:inbox"), {"sort": "priority"})
    assert rows(response) == [five[n].pk for n in ("lean", "world", "existing-new", "new-progressed", "new-costly")]


def test_the_bank_inbox_stays_first_in_first_out(client, world, advance_to):
    first, second = advance_to(S.REFERRED_TO_BANK), advance_to(S.REFERRED_TO_BANK)
    InvestmentApplication.objects.filter(pk=second.pk).update(priority_score=99)
    as_user(client, world.bank_officer_1)
    response = client.get(reverse("financing:inbox"), {"sort": "priority"})
    assert rows(response) == [first.pk, second.pk]
    assert 'data-testid="inbox-sort"' not in response.content.decode()
    assert 'data-testid="priority-score"' not in response.content.decode()


def bulk_scored(world, count):
    """``count`` submitted applications of province A with scores spread over 0–100, inserted in bulk."""
    applicant = ApplicantFactory()
    at = timezone.now()
    made = []
    for n in range(count):
        priority = priority_compute(is_existing_unit=n % 2 == 0, project_kind="new", physical_progress_percent=n % 90,
                                    requested_loan_rials=1_000_000_000 * (1 + n % 7), planned_jobs=3, sector_rank=1)
        made.append(InvestmentApplication(
            applicant=applicant, call=world.call_a, agency=world.agency_a, province=world.province_a,
            county=world.county_a, priority_sector=world.priority_a, economic_sector=world.sector,
            title=f"طرح {n}", project_kind="new", is_existing_unit=n % 2 == 0,
            requested_loan_rials=1_000_000_000 * (1 + n % 7), own_contribution_rials=0, planned_new_jobs=3,
            physical_progress_percent=n % 90, submitted_at=at, state_changed_at=at,
            priority_score=priority.score, priority_parts=priority.parts()))
    return InvestmentApplication.objects.bulk_create(made)


def test_the_sorted_inbox_page_takes_the_same_queries_for_5_and_30_applications(client, world,
                                                                                 django_assert_num_queries):
    as_user(client, world.agency_officer_a)
    url = reverse("financing:inbox")
    bulk_scored(world, 5)
    with django_assert_num_queries(5) as small:  # session, user, notices, count, page
        response = client.get(url, {"sort": "priority", "size": 50})
    assert len(rows(response)) == 5
    bulk_scored(world, 25)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, {"sort": "priority", "size": 50})
    shown = rows(response)
    assert len(shown) == 30
    scores = dict(InvestmentApplication.objects.values_list("pk", "priority_score"))
    assert shown == sorted(shown, key=lambda pk: (-scores[pk], pk))


# --- cost per job (§10) ------------------------------------------------------------------------------

def test_the_cost_per_job_warning_follows_the_requested_then_the_approved_loan(client, world):
    """12,000,000,000 rials asked for 16 jobs is 750,000,000 a job: warned. The bank approves
    5,510,000,000 (344,375,000 a job): no longer."""
    app = submit(world, requested_loan_rials=12_000_000_000)
    as_user(client, world.agency_officer_a)
    body = client.get(reverse("financing:application", args=[app.pk])).content.decode()
    assert 'data-testid="cost-per-job-warning"' in body
    assert "برای هر شغل پیش‌بینی‌شده ۷۵۰٬۰۰۰٬۰۰۰ ریال است؛ بیشتر از سرانه ۵۵۱٬۰۰۰٬۰۰۰ ریال" in body
    assert 'data-testid="cost-per-job-flag"' in client.get(reverse("financing:inbox")).content.decode()
    drive(world, app.pk, S.BANK_APPROVED)
    as_user(client, world.bank_officer_1)
    body = client.get(reverse("financing:application", args=[app.pk])).content.decode()
    assert 'data-testid="cost-per-job-warning"' not in body
    assert 'data-testid="cost-per-job-flag"' not in client.get(reverse("financing:applications")).content.decode()


def test_no_warning_within_551_million_a_job(client, world):
    app = submit(world, requested_loan_rials=16 * 551_000_000)
    as_user(client, world.owner)
    body = client.get(reverse("financing:application", args=[app.pk])).content.decode()
    assert 'data-testid="cost-per-job-warning"' not in body
    assert 'data-testid="cost-per-job-flag"' not in client.get(reverse("financing:my_applications")).content.decode()


def test_the_application_page_shows_the_score_and_its_parts_to_staff_only(client, world):
    app = submit(world)
    as_user(client, world.agency_officer_a)
    body = client.get(reverse("financing:application", args=[app.pk])).content.decode()
    assert '<span data-testid="priority-score">۹۳</span>' in body
    jobs = re.search(r'<tr data-part="jobs">.*?</tr>', body, re.S).group(0)
    assert "۱۸ از ۲۵" in jobs and "۲٫۶۷ شغل در هر میلیارد ریال" in jobs
    sector = re.search(r'<tr data-part="sector">.*?</tr>', body, re.S).group(0)
    assert "۱۵ از ۱۵" in sector and "رتبه ۱" in sector
    as_user(client, world.owner)
    assert 'data-testid="priority-score"' not in client.get(reverse("financing:application", args=[app.pk])
                                                              ).content.decode()
