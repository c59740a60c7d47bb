"""Calls for proposals (§9 step 1): published by an agency officer for the province's priority sectors."""

import datetime

import pytest
from django.urls import reverse

from financing.models import Call
from tests.support import as_user, register_applicant

pytestmark = pytest.mark.django_db


def test_agency_officer_publishes_a_call_with_jalali_dates(client, chain_world):
    w = chain_world["IR-05"]
    as_user(client, w["officer"])
    response = client.post(reverse("financing:call_create"), {
        "title": "فراخوان طرح‌هاي دامپروري", "priority_sectors": [w["sector"].pk],
        "opens_on": "۱۴۰۳/۱۲/۳۰", "closes_on": "1404-01-15",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    call = Call.objects.exclude(pk__in=[w["call"].pk, chain_world["IR-16"]["call"].pk]).get()
    assert call.title == "فراخوان طرح‌های دامپروری"
    assert call.opens_on == datetime.date(2025, 3, 20)  # C01: 1403/12/30 exists (leap year)
    assert call.closes_on == datetime.date(2025, 4, 4)
    assert call.agency == w["agency"] and call.province == w["province"]


@pytest.mark.parametrize("opens_on, message", [
    ("1404/12/30", "این تاریخ در تقویم شمسی وجود ندارد."),
    ("30/12/1403", "تاریخ را به صورت شمسی"),
    ("abc", "تاریخ را به صورت شمسی"),
])
def test_impossible_or_malformed_dates_are_refused(client, chain_world, opens_on, message):
    w = chain_world["IR-05"]
    as_user(client, w["officer"])
    before = Call.objects.count()
    response = client.post(reverse("financing:call_create"), {
        "title": "فراخوان", "priority_sectors": [w["sector"].pk], "opens_on": opens_on, "closes_on": "1405/01/01",
    })
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Call.objects.count() == before


def test_a_call_cannot_take_another_provinces_sector(client, chain_world):
    as_user(client, chain_world["IR-05"]["officer"])
    response = client.post(reverse("financing:call_create"), {
        "title": "فراخوان", "priority_sectors": [chain_world["IR-16"]["sector"].pk],
        "opens_on": "1404/01/01", "closes_on": "1405/01/01",
    })
    assert response.status_code == 400
    assert Call.objects.count() == 2


def test_only_agency_officers_publish_calls(client, chain_world):
    applicant = register_applicant(client)
    for user in (applicant, chain_world["IR-05"]["secretary"], chain_world["IR-05"]["banker"]):
        as_user(client, user)
        assert client.get(reverse("financing:call_create")).status_code == 404


def test_applicants_see_only_open_calls(client, chain_world):
    w = chain_world["IR-05"]
    w["call"].closes_on = datetime.date(2020, 1, 1)
    w["call"].opens_on = datetime.date(2019, 6, 22)
    w["call"].save()
    register_applicant(client)
    body = client.get(reverse("financing:calls")).content.decode()
    assert f'data-call="{w["call"].pk}"' not in body
    assert f'data-call="{chain_world["IR-16"]["call"].pk}"' in body
    assert client.get(reverse("financing:apply", args=[w["call"].pk])).status_code == 404
