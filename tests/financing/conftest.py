"""Fixtures of the §9 chain's tests (``world`` and ``advance_to`` come from ``tests/conftest.py``)."""

import pytest

from financing.models import InvestmentApplication
from tests.web import act, as_user, post_application, register_applicant


@pytest.fixture
def tracked(client, world):
    """An application in province A, submitted through the pages by a newcomer («علی کریمی»,
    0042158737) and approved by the agency, so it has a tracking code; the client is logged out."""
    register_applicant(client)
    post_application(client, world)
    application = InvestmentApplication.objects.get()
    as_user(client, world.agency_officer_a)
    act(client, application, "start_agency_review")
    act(client, application, "approve_by_agency")
    client.logout()
    application.refresh_from_db()
    return application
