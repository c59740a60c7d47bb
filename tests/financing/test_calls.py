"""Calls for proposals (§9 step 1): published by an agency officer for the province's priority
sectors, through the page (Jalali dates) and the service; applicants see the open ones."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common.errors import NotAllowed, RuleBroken
from financing import services
from financing.models import Call
from tests.web import as_user, register_applicant

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_agency_officer_publishes_a_call_with_jalali_dates(client, world):
    as_user(client, world.agency_officer_a)
    response = client.post(reverse("financing:call_create"), {
        "title": "فراخوان طرح‌هاي دامپروري", "priority_sectors": [world.priority_a.pk],
        "opens_on": "۱۴۰۳/۱۲/۳۰", "closes_on": "1404-01-15",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    call = Call.objects.exclude(pk__in=[world.call_a.pk, world.call_b.pk]).get()
    assert call.title == "فراخوان طرح‌های دامپروری"
    assert call.opens_on == datetime.date(2025, 3, 20)  # C01: 1403/12/30 exists (leap year)
    assert call.closes_on == datetime.date(2025, 4, 4)
    assert call.agency == world.agency_a and call.province == world.province_a


@pytest.mark.parametrize("opens_on, message", [
    ("1404/12/30", "این تاریخ در تقویم شمسی وجود ندارد."),
    ("30/12/1403", "تاریخ را به صورت شمسی"),
    ("abc", "تاریخ را به صورت شمسی"),
])
def test_impossible_or_malformed_dates_are_refused(client, world, opens_on, message):
    as_user(client, world.agency_officer_a)
    before = Call.objects.count()
    response = client.post(reverse("financing:call_create"), {
        "title": "فراخوان", "priority_sectors": [world.priority_a.pk], "opens_on": opens_on, "closes_on": "1405/01/01",
    })
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Call.objects.count() == before


def test_a_call_cannot_take_another_provinces_sector(client, world):
    as_user(client, world.agency_officer_a)
    response = client.post(reverse("financing:call_create"), {
        "title": "فراخوان", "priority_sectors": [world.priority_b.pk],
        "opens_on": "1404/01/01", "closes_on": "1405/01/01",
    })
    assert response.status_code == 400
    assert Call.objects.count() == 2


def test_call_with_another_provinces_sector_is_refused(world):
    with pytest.raises(RuleBroken) as refused:
        services.call_publish(actor=world.agency_officer_a, title="فراخوان", priority_sectors=[world.priority_b],
                              opens_on=TODAY(), closes_on=TODAY())
    assert refused.value.field == "priority_sectors"


def test_only_agency_officers_publish_calls(client, world):
    applicant = register_applicant(client)
    for user in (applicant, world.secretary_a, world.bank_officer_1):
        as_user(client, user)
        assert client.get(reverse("financing:call_create")).status_code == 404


@pytest.mark.parametrize("role", ["owner", "secretary_a", "bank_officer_1", "manager_a", "ministry", "admin"])
def test_only_an_agency_officer_may_publish_a_call(world, role):
    before = Call.objects.count()
    with pytest.raises(NotAllowed):
        services.call_publish(actor=getattr(world, role), title="فراخوان", priority_sectors=[world.priority_a],
                              opens_on=TODAY(), closes_on=TODAY())
    assert Call.objects.count() == before


def test_applicants_see_only_open_calls(client, world):
    world.call_a.closes_on = datetime.date(2020, 1, 1)
    world.call_a.opens_on = datetime.date(2019, 6, 22)
    world.call_a.save()
    register_applicant(client)
    body = client.get(reverse("financing:calls")).content.decode()
    assert f'data-call="{world.call_a.pk}"' not in body
    assert f'data-call="{world.call_b.pk}"' in body
    assert client.get(reverse("financing:apply", args=[world.call_a.pk])).status_code == 404
