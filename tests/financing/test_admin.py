"""Applications in the Django admin: ministry staff read them, and no state is changed there,
neither by editing nor by a bulk action (C17)."""

import pytest
from django.urls import reverse

from accounts.models import AuditRecord
from financing.models import InvestmentApplication
from tests.web import as_user, post_application, register_applicant

pytestmark = pytest.mark.django_db


def test_applications_are_read_only_in_the_admin(client, world):
    register_applicant(client)
    post_application(client, world)
    application = InvestmentApplication.objects.get()
    as_user(client, world.ministry)
    url = reverse("admin:financing_investmentapplication_change", args=[application.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"state": "closed", "title": "x"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == "submitted"


@pytest.mark.parametrize("action", ["bulk_application_start_agency_review", "bulk_application_approve_by_agency"])
def test_admin_bulk_actions_go_through_the_services_and_their_permissions(client, world, action):
    """C17 in the admin: ministry staff may not take an agency's step, in bulk or not."""
    register_applicant(client)
    post_application(client, world)
    application = InvestmentApplication.objects.get()
    as_user(client, world.ministry)
    response = client.post(reverse("admin:financing_investmentapplication_changelist"),
                           {"action": action, "_selected_action": [application.pk]}, follow=True)
    assert response.status_code == 200
    assert "۱ طرح: رد شد" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "submitted"
    assert AuditRecord.objects.filter(object_id=application.pk).exclude(action="submit").count() == 0
