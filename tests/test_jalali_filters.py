"""Filters by Jalali month and year use Jalali ranges in Tehran time (C04, C05), never the
database's Gregorian ``__month``; and the calendar facts of C01."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import Role, User
from common import jalali
from common.fields import parse_jalali_date
from financing.models import InvestmentApplication
from tests.support import as_user, register_applicant, submit

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def test_c01_leap_years_follow_the_official_calendar():
    assert parse_jalali_date("1403/12/30") == datetime.date(2025, 3, 20)
    assert parse_jalali_date("1404-01-01") == datetime.date(2025, 3, 21)
    assert datetime.date(2025, 3, 21).weekday() == 4  # a Friday
    assert parse_jalali_date("1408/12/30") == datetime.date(2030, 3, 20)
    for missing in ("1404/12/30", "1407/12/30"):
        with pytest.raises(ValueError):
            parse_jalali_date(missing)


def test_c03_slashes_and_any_digits():
    for typed in ("1403/12/30", "۱۴۰۳/۱۲/۳۰", "١٤٠٣/١٢/٣٠", "1403-12-30"):
        assert parse_jalali_date(typed) == datetime.date(2025, 3, 20)


def test_month_and_year_ranges():
    assert jalali.month_dates(1404, 5) == (datetime.date(2025, 7, 23), datetime.date(2025, 8, 23))
    assert jalali.month_dates(1403, 12) == (datetime.date(2025, 2, 19), datetime.date(2025, 3, 21))
    assert jalali.year_dates(1404) == (datetime.date(2025, 3, 21), datetime.date(2026, 3, 21))


@pytest.fixture
def dated(client, chain_world):
    """Applications submitted at given instants (UTC)."""
    w = chain_world["IR-05"]
    register_applicant(client)

    def make(title, at):
        submit(client, w["call"], w["county"], w["sector"], title=title)
        InvestmentApplication.objects.filter(title=title).update(submitted_at=at)

    return make


def listed(client, **params):
    body = client.get(reverse("financing:applications"), params).content.decode()
    ids = re.findall(r'data-application="(\d+)"', body)
    return sorted(InvestmentApplication.objects.filter(pk__in=ids).values_list("title", flat=True))


def ministry(client):
    as_user(client, User.objects.create_user("ministry", password="x", role=Role.MINISTRY_STAFF))


def test_c04_the_mordad_1404_report_holds_mordad_only(client, dated):
    noon = datetime.time(8, 30, tzinfo=UTC)  # 12:00 in Tehran
    for title, day in [("a-1404-05-03", "1404/05/03"), ("b-1404-05-31", "1404/05/31"),
                       ("c-1404-04-31", "1404/04/31"), ("d-1404-06-01", "1404/06/01")]:
        dated(title, datetime.datetime.combine(parse_jalali_date(day), noon))
    ministry(client)
    assert listed(client, year="۱۴۰۴", month="5") == ["a-1404-05-03", "b-1404-05-31"]
    assert listed(client, year="1404") == ["a-1404-05-03", "b-1404-05-31", "c-1404-04-31", "d-1404-06-01"]


def test_c05_a_year_starts_at_midnight_in_tehran(client, dated):
    dated("last-second-of-1403", datetime.datetime(2025, 3, 20, 20, 29, 59, tzinfo=UTC))
    dated("first-second-of-1404", datetime.datetime(2025, 3, 20, 20, 30, 0, tzinfo=UTC))
    dated("quarter-past-midnight", datetime.datetime(2025, 3, 20, 20, 45, 0, tzinfo=UTC))
    ministry(client)
    assert listed(client, year="1403") == ["last-second-of-1403"]
    assert listed(client, year="1404", month="1") == ["first-second-of-1404", "quarter-past-midnight"]


@pytest.mark.parametrize("params", [{"year": "abc"}, {"year": "99999999999999999999"}, {"month": "13", "year": "1404"},
                                    {"state": "junk"}, {"page": "-3"}])
def test_junk_filters_never_fail(client, dated, params):
    dated("x", datetime.datetime(2025, 5, 1, tzinfo=UTC))
    ministry(client)
    assert client.get(reverse("financing:applications"), params).status_code == 200


@pytest.mark.parametrize("params, message", [
    ({"month": "9"}, "برای فیلتر ماه، سال را هم وارد کنید."),
    ({"year": "2026"}, "سال ثبت:"),
])
def test_a_filter_that_cannot_apply_says_so(client, dated, params, message):
    dated("x", datetime.datetime(2025, 5, 1, tzinfo=UTC))
    ministry(client)
    body = client.get(reverse("financing:applications"), params).content.decode()
    assert message in body and "(این فیلتر اعمال نشد)" in body
