"""Paged lists (``common.paging``): a fixed number of queries whatever the page size, every row
exactly once when many share a sort key (C19), and no junk ``?page=`` or ``?size=`` is an error.

The applications here are inserted with ``bulk_create`` in the state under test, as the volume demo
does (``financing.demo_bulk``): these tests are about reading lists, not about the workflow.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from common import paging
from financing import tracking
from financing.models import ApplicationState, Call, InvestmentApplication
from tests.factories import ApplicantFactory
from tests.support import as_user

S = ApplicationState
pytestmark = pytest.mark.django_db
# Session, user, count, page; a bank officer's narrowed provinces; the open calls' sectors.
MAX_QUERIES = 6
AT = datetime.datetime(2025, 6, 1, 8, 30, tzinfo=datetime.UTC)


def bulk_applications(w, applicant, count, state, *, at=AT, bank=None):
    """``count`` applications of ``chain_world`` province ``w`` in ``state``, all submitted and last
    changed at ``at``; a tracking code once the agency has approved."""
    coded = state not in (S.SUBMITTED, S.AGENCY_REVIEW)
    rows = [
        InvestmentApplication(
            applicant=applicant, call=w["call"], agency=w["agency"], province=w["province"], county=w["county"],
            priority_sector=w["sector"], economic_sector_id=w["sector"].economic_sector_id,
            title=f"طرح آزمایشی {n}", project_kind=InvestmentApplication.ProjectKind.NEW,
            requested_loan_rials=5_000_000_000 + n, own_contribution_rials=1_000_000_000, planned_new_jobs=3,
            state=state, submitted_at=at, state_changed_at=at, bank=bank,
            tracking_code=tracking.generate() if coded else None)
        for n in range(count)
    ]
    return InvestmentApplication.objects.bulk_create(rows, batch_size=1_000)


def bulk_calls(w, count):
    """``count`` open calls of ``w``'s agency for its priority sector."""
    today = timezone.localdate()
    calls = Call.objects.bulk_create([
        Call(agency=w["agency"], province=w["province"], title=f"فراخوان {n}", published_by=w["officer"],
             opens_on=today - datetime.timedelta(days=n % 30), closes_on=today + datetime.timedelta(days=30))
        for n in range(count)])
    Call.priority_sectors.through.objects.bulk_create(
        [Call.priority_sectors.through(call_id=c.pk, prioritysector_id=w["sector"].pk) for c in calls])
    return calls


@pytest.fixture
def volume(chain_world):
    """In Kermanshah: 200 applications waiting for the agency, 200 for the working group, 200 for the
    bank, all of one applicant; 200 more open calls; a ministry account."""
    w = chain_world["IR-05"]
    applicant = ApplicantFactory()
    bulk_applications(w, applicant, 200, S.SUBMITTED)
    bulk_applications(w, applicant, 200, S.AGENCY_APPROVED)
    bulk_applications(w, applicant, 200, S.REFERRED_TO_BANK, bank=w["bank"])
    bulk_calls(w, 200)
    return {"officer": w["officer"], "secretary": w["secretary"], "banker": w["banker"],
            "applicant": applicant.user,
            "ministry": User.objects.create_user("ministry", password="x", role=Role.MINISTRY_STAFF)}


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
def test_junk_page_and_size_are_never_an_error(client, chain_world, value):
    w = chain_world["IR-05"]
    applicant = ApplicantFactory()
    bulk_applications(w, applicant, 30, S.SUBMITTED)
    for user, names in ((w["officer"], ["inbox", "applications", "calls"]),
                        (applicant.user, ["my_applications", "calls"])):
        as_user(client, user)
        for name in names:
            for param in ("page", "size"):
                response = client.get(reverse(f"financing:{name}"), {param: value, "q": value})
                assert response.status_code == 200, (name, param, value)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="C19 is about PostgreSQL's offset paging")
def test_c19_a_bank_walking_every_page_gets_each_of_2000_applications_once(client, chain_world):
    """2,000 applications referred to the bank at the same instant, submitted at the same instant,
    read 25 a page: every one once, in a stable order (the id breaks the tie)."""
    w = chain_world["IR-05"]
    applicant = ApplicantFactory()
    created = {a.pk for a in bulk_applications(w, applicant, 2_000, S.REFERRED_TO_BANK, bank=w["bank"])}
    as_user(client, w["banker"])
    for name, ascending in (("inbox", True), ("applications", False)):
        seen = []
        for number in range(1, 2_000 // 25 + 1):
            page = rows(client.get(reverse(f"financing:{name}"), {"page": number}))
            assert len(page) == 25, (name, number)
            seen += [int(pk) for pk in page]
        assert len(seen) == len(set(seen)) == 2_000, name
        assert set(seen) == created, name
        assert seen == sorted(seen, reverse=not ascending), name


def test_a_list_must_be_ordered_by_a_key_that_ends_in_the_id(db):
    request = RequestFactory().get("/", {"page": "2"})
    with pytest.raises(ValueError, match="ends in the id"):
        paging.paginate(request, InvestmentApplication.objects.order_by("state_changed_at"))
    page = paging.paginate(request, InvestmentApplication.objects.order_by("state_changed_at", "id"))
    assert page.number == 1 and list(page.object_list) == []
