"""Submitting an application (§9 step 2): only to an open call, and stamped with the instant of
submission, shown as the Tehran date and time in the Jalali calendar (C05)."""

import datetime

import pytest
from django.utils import timezone

from common.errors import RuleBroken
from common.templatetags.persian import jdate, jdatetime_fa
from financing import services
from financing.models import ApplicationState, InvestmentApplication
from tests.factories import CallFactory
from tests.uploads import pdf
from tests.world import application_input

S = ApplicationState
TODAY = timezone.localdate


def test_submission_to_a_closed_call_is_refused(world):
    call = CallFactory(agency=world.agency_a, actor=world.agency_officer_a, priority_sectors=[world.priority_a],
                       opens_on=TODAY() - datetime.timedelta(days=30), closes_on=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(RuleBroken) as refused:
        services.application_submit(actor=world.owner, call=call, data=application_input(world),
                                    feasibility_files=[pdf()])
    assert refused.value.field == "call"
    assert InvestmentApplication.objects.count() == 0


# --- the submission date in Tehran (C05) ----------------------------------------------------------------

@pytest.mark.parametrize("submitted_at, jalali", [
    (datetime.datetime(2025, 3, 20, 20, 45, tzinfo=datetime.UTC), "۱۴۰۴/۰۱/۰۱"),
    (datetime.datetime(2025, 3, 20, 20, 30, tzinfo=datetime.UTC), "۱۴۰۴/۰۱/۰۱"),
    (datetime.datetime(2025, 3, 20, 20, 29, 59, tzinfo=datetime.UTC), "۱۴۰۳/۱۲/۳۰"),
])
def test_submission_date_is_the_tehran_date_in_jalali(world, submitted_at, jalali):
    """C05: 2025-03-20T20:45Z is 00:15 on 1404/01/01 in Tehran (+03:30), not 1403/12/30."""
    call = CallFactory(agency=world.agency_a, actor=world.agency_officer_a, priority_sectors=[world.priority_a],
                       opens_on=datetime.date(2025, 3, 1), closes_on=datetime.date(2025, 4, 30))
    app = services.application_submit(actor=world.owner, call=call, data=application_input(world),
                                      feasibility_files=[pdf()], now=submitted_at)
    stored = InvestmentApplication.objects.get(pk=app.pk).submitted_at
    assert stored == submitted_at
    assert jdate(stored) == jalali


def test_submission_time_is_shown_in_tehran_time(world):
    call = CallFactory(agency=world.agency_a, actor=world.agency_officer_a, priority_sectors=[world.priority_a],
                       opens_on=datetime.date(2025, 3, 1), closes_on=datetime.date(2025, 4, 30))
    app = services.application_submit(actor=world.owner, call=call, data=application_input(world),
                                      feasibility_files=[pdf()],
                                      now=datetime.datetime(2025, 3, 20, 20, 45, tzinfo=datetime.UTC))
    assert jdatetime_fa(InvestmentApplication.objects.get(pk=app.pk).submitted_at) == "۱۴۰۴/۰۱/۰۱ ۰۰:۱۵"
