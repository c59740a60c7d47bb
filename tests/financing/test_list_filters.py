"""Filters by Jalali month and year in the applications list use Jalali ranges in Tehran time
(C04, C05), never the database's Gregorian ``__month``; a filter that cannot apply says so."""

import datetime
import re

import pytest
from django.urls import reverse

from common.fields import parse_jalali_date
from financing.models import InvestmentApplication
from tests.web import as_user, post_application, register_applicant

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture
def dated(client, world):
    """``dated(title, at)``: an application of a newcomer in province A, submitted at the instant
    ``at`` (UTC)."""
    register_applicant(client)

    def make(title, at):
        post_application(client, world, title=title)
        InvestmentApplication.objects.filter(title=title).update(submitted_at=at)

    return make


def listed(client, **params):
    body = client.get(reverse("financing:applications"), params).content.decode()
    ids = re.findall(r'data-application="(\d+)"', body)
    return sorted(InvestmentApplication.objects.filter(pk__in=ids).values_list("title", flat=True))




def test_c04_the_mordad_1404_report_holds_mordad_only(client, world, dated):
    noon = datetime.time(8, 30, tzinfo=UTC)  # 12:00 in Tehran
    for title, day in [("a-1404-05-03", "1404/05/03"), ("b-1404-05-31", "1404/05/31"),
                       ("c-1404-04-31", "1404/04/31"), ("d-1404-06-01", "1404/06/01")]:
        dated(title, datetime.datetime.combine(parse_jalali_date(day), noon))
    as_user(client, world.ministry)
    assert listed(client, year="۱۴۰۴", month="5") == ["a-1404-05-03", "b-1404-05-31"]
    assert listed(client, year="1404") == ["a-1404-05-03", "b-1404-05-31", "c-1404-04-31", "d-1404-06-01"]


def test_c05_a_year_starts_at_midnight_in_tehran(client, world, dated):
    dated("last-second-of-1403", datetime.datetime(2025, 3, 20, 20, 29, 59, tzinfo=UTC))
    dated("first-second-of-1404", datetime.datetime(2025, 3, 20, 20, 30, 0, tzinfo=UTC))
    dated("quarter-past-midnight", datetime.datetime(2025, 3, 20, 20, 45, 0, tzinfo=UTC))
    as_user(client, world.ministry)
    assert listed(client, year="1403") == ["last-second-of-1403"]
    assert listed(client, year="1404", month="1") == ["first-second-of-1404", "quarter-past-midnight"]


@pytest.mark.parametrize("params", [{"year": "abc"}, {"year": "99999999999999999999"}, {"month": "13", "year": "1404"},
                                    {"state": "junk"}, {"page": "-3"}])
def test_junk_filters_never_fail(client, world, dated, params):
    dated("x", datetime.datetime(2025, 5, 1, tzinfo=UTC))
    as_user(client, world.ministry)
    assert client.get(reverse("financing:applications"), params).status_code == 200


@pytest.mark.parametrize("params, message", [
    ({"month": "9"}, "برای فیلتر ماه، سال را هم وارد کنید."),
    ({"year": "2026"}, "سال ثبت:"),
])
def test_a_filter_that_cannot_apply_says_so(client, world, dated, params, message):
    dated("x", datetime.datetime(2025, 5, 1, tzinfo=UTC))
    as_user(client, world.ministry)
    body = client.get(reverse("financing:applications"), params).content.decode()
    assert message in body and "(این فیلتر اعمال نشد)" in body
