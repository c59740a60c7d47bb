"""The chain's paged lists (inbox, applications, calls; ``common.paging``): a fixed number of queries
whatever the page size, every row exactly once when many share a sort key (C19), and no junk
``?page=`` or ``?size=`` is an error.

The applications here are inserted with ``bulk_create`` in the state under test, as the volume demo
does (``demo.bulk``): these tests are about reading lists, not about the workflow.
"""

import datetime
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from financing import tracking
from financing.models import ApplicationState, Call, InvestmentApplication
from tests.factories import ApplicantFactory
from tests.web import as_user

S = ApplicationState
pytestmark = pytest.mark.django_db
# Session, user, count, page; a bank officer's narrowed provinces; the open calls' sectors.
MAX_QUERIES = 6
AT = datetime.datetime(2025, 6, 1, 8, 30, tzinfo=datetime.UTC)


def bulk_applications(world, applicant, count, state, *, at=AT, bank=None):
    """``count`` applications of ``applicant`` to the world's call of province A in ``state``, all
    submitted and last changed at ``at``; a tracking code once the agency has approved."""
    coded = state not in (S.SUBMITTED, S.AGENCY_REVIEW)
    rows = [
        InvestmentApplication(
            applicant=applicant, call=world.call_a, agency=world.agency_a, province=world.province_a,
            county=world.county_a, priority_sector=world.priority_a, economic_sector=world.sector,
            title=f"طرح آزمایشی {n}", project_kind=InvestmentApplication.ProjectKind.NEW,
            requested_loan_rials=5_000_000_000 + n, own_contribution_rials=1_000_000_000, planned_new_jobs=3,
            state=state, submitted_at=at, state_changed_at=at, bank=bank,
            tracking_code=tracking.generate() if coded else None)
        for n in range(count)
    ]
    return InvestmentApplication.objects.bulk_create(rows, batch_size=1_000)


def bulk_calls(world, count):
    """``count`` open calls of province A's agency for its priority sector."""
    today = timezone.localdate()
    calls = Call.objects.bulk_create([
        Call(agency=world.agency_a, province=world.province_a, title=f"فراخوان {n}",
             published_by=world.agency_officer_a,
             opens_on=today - datetime.timedelta(days=n % 30), closes_on=today + datetime.timedelta(days=30))
        for n in range(count)])
    Call.priority_sectors.through.objects.bulk_create(
        [Call.priority_sectors.through(call_id=c.pk, prioritysector_id=world.priority_a.pk) for c in calls])
    return calls


@pytest.fixture
def volume(world):
    """In province A: 200 applications waiting for the agency, 200 for the working group, 200 for
    bank 1, all of one new applicant; 200 more open calls. The accounts that read them, by name."""
    applicant = ApplicantFactory()
    bulk_applications(world, applicant, 200, S.SUBMITTED)
    bulk_applications(world, applicant, 200, S.AGENCY_APPROVED)
    bulk_applications(world, applicant, 200, S.REFERRED_TO_BANK, bank=world.bank_1)
    bulk_calls(world, 200)
    return {"officer": world.agency_officer_a, "secretary": world.secretary_a, "banker": world.bank_officer_1,
            "applicant": applicant.user, "ministry": world.ministry}


def rows(response):
    body = response.content.decode()
    return re.findall(r'data-(?:application|call)="(\d+)"', body)


@pytest.mark.parametrize("account, list_name", [
    ("officer", "inbox"),
    ("secretary", "inbox"),
    ("banker", "inbox"),
    ("officer", "applications"),
    ("banker", "applications"),
    ("ministry", "applications"),
    ("applicant", "my_applications"),
    ("officer", "calls"),
    ("applicant", "calls"),
])
def test_a_page_of_200_rows_runs_the_queries_of_a_page_of_20(client, volume, account, list_name,
                                                             django_assert_max_num_queries,
                                                             django_assert_num_queries):
    as_user(client, volume[account])
    url = reverse(f"financing:{list_name}")
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        response = client.get(url, {"size": 20})
    assert response.status_code == 200 and len(rows(response)) == 20
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, {"size": 200})
    assert response.status_code == 200 and len(rows(response)) == 200


@pytest.mark.parametrize("size, shown", [("", 25), ("20", 20), ("۵۰", 50), ("5", 20), ("0", 20), ("-3", 20),
                                         ("1000", 200), ("abc", 25), ("2.5", 25), ("9" * 5000, 25)])
def test_size_is_clamped_to_20_to_200(client, volume, size, shown):
    as_user(client, volume["ministry"])
    response = client.get(reverse("financing:applications"), {"size": size})
    assert response.status_code == 200
    assert len(rows(response)) == shown


def test_the_pager_keeps_the_size_and_the_filters(client, volume):
    as_user(client, volume["ministry"])
    body = client.get(reverse("financing:applications"), {"size": "50", "state": S.SUBMITTED}).content.decode()
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)"', body).group(1)
    assert "size=50" in next_link and "state=submitted" in next_link
    assert 'name="size" value="50"' in body  # the filter form keeps it too
    assert "صفحه ۱ از ۴" in body


JUNK = ["", "0", "-1", "2.5", "1e3", "abc", "۲", "999999999", "9" * 5000, "\x00", "1; DROP TABLE x", "%", "[]"]


@pytest.mark.parametrize("value", JUNK)
def test_junk_page_and_size_are_never_an_error(client, world, value):
    applicant = ApplicantFactory()
    bulk_applications(world, applicant, 30, S.SUBMITTED)
    for user, names in ((world.agency_officer_a, ["inbox", "applications", "calls"]),
                        (applicant.user, ["my_applications", "calls"])):
        as_user(client, user)
        for name in names:
            for param in ("page", "size"):
                response = client.get(reverse(f"financing:{name}"), {param: value, "q": value})
                assert response.status_code == 200, (name, param, value)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="C19 is about PostgreSQL's offset paging")
def test_c19_a_bank_walking_every_page_gets_each_of_2000_applications_once(client, world):
    """2,000 applications referred to the bank at the same instant, submitted at the same instant,
    read 25 a page: every one once, in a stable order (the id breaks the tie)."""
    applicant = ApplicantFactory()
    created = {a.pk for a in bulk_applications(world, applicant, 2_000, S.REFERRED_TO_BANK, bank=world.bank_1)}
    as_user(client, world.bank_officer_1)
    for name, ascending in (("inbox", True), ("applications", False)):
        seen = []
        for number in range(1, 2_000 // 25 + 1):
            page = rows(client.get(reverse(f"financing:{name}"), {"page": number}))
            assert len(page) == 25, (name, number)
            seen += [int(pk) for pk in page]
        assert len(seen) == len(set(seen)) == 2_000, name
        assert set(seen) == created, name
        assert seen == sorted(seen, reverse=not ascending), name
