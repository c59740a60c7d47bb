"""The applicant's notifications on the application's page: only the owner sees them, and the page
runs the same queries however many there are."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from accounts.services import notification_queue
from financing.models import ApplicationState

S = ApplicationState


def test_the_owner_sees_the_messages_on_the_application_page(client, world, advance_to):
    app = advance_to(S.AGENCY_APPROVED)
    client.force_login(world.owner)

    page = client.get(reverse("financing:application", args=[app.pk])).content.decode()

    section = page.split('data-testid="notifications"', 1)[1].split("</table>", 1)[0]
    assert section.count('data-channel="email"') == 3
    assert section.count('data-channel="sms"') == 3
    assert "پیامک" in section and "ایمیل" in section
    assert "تأیید دستگاه اجرایی و صدور کد رهگیری" in section
    assert "در صف ارسال" in section  # nothing was committed in this test, so nothing left yet
    created = Notification.objects.filter(object_id=app.pk).first().created_at
    assert timezone.localtime(created).strftime("%H:%M").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in section


def test_officers_do_not_see_the_applicants_messages(client, advance_to, world):
    app = advance_to(S.AGENCY_APPROVED)
    client.force_login(world.agency_officer_a)

    page = client.get(reverse("financing:application", args=[app.pk])).content.decode()

    assert 'data-testid="notifications"' not in page


def test_the_page_query_count_does_not_grow_with_the_messages(client, world, advance_to):
    app = advance_to(S.AGENCY_APPROVED)
    client.force_login(world.owner)
    url = reverse("financing:application", args=[app.pk])

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(10):
        notification_queue(user=world.owner, target=app, event="approve_by_agency", subject="s", body=f"متن {number}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()

    assert page.count('data-channel="sms"') == 13
    assert len(many) == len(few)
