"""Notifications (``accounts``): each user reads only their own; ministry staff read them in the admin
and change nothing; and a failed send is retried with backoff, recorded, and never undoes the step
it tells of (``accounts.tasks``)."""

from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts.models import Notification
from accounts.selectors import notifications_for
from accounts.tasks import MAX_TRIES, RETRY_DELAYS
from financing import services, tracking
from financing.models import ApplicationState, InvestmentApplication
from kaleh_portal.celery import app as celery_app
from tests.notices import EMAIL, SMS
from tests.sms_backends import FailingSmsBackend

S = ApplicationState
OWNER_EMAIL = "reza.mohammadi@example.ir"


def test_the_selector_returns_only_the_users_own_messages(advance_to, world):
    app = advance_to(S.AGENCY_REVIEW)

    assert len(notifications_for(world.owner, app)) == 4
    assert list(notifications_for(world.agency_officer_a, app)) == []
    assert list(notifications_for(world.other_owner, app)) == []


def test_ministry_staff_read_notifications_in_the_admin_and_change_nothing(client, advance_to, world):
    app = advance_to(S.AGENCY_REVIEW)
    row = Notification.objects.filter(object_id=app.pk).first()
    client.force_login(world.ministry)

    assert client.get(reverse("admin:accounts_notification_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_notification_change", args=[row.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_notification_add")).status_code == 403
    assert client.post(reverse("admin:accounts_notification_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    client.force_login(world.agency_officer_a)
    assert client.get(reverse("admin:accounts_notification_changelist")).status_code == 302


# --- failed sends ----------------------------------------------------------------------------------

@override_settings(SMS_BACKEND="tests.sms_backends.FailingSmsBackend")
def test_a_failing_sms_gateway_is_recorded_and_the_step_stands(advance_to, world, django_capture_on_commit_callbacks):
    app = advance_to(S.AGENCY_REVIEW)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk)

    text = Notification.objects.get(object_id=app.pk, event="approve_by_agency", channel=SMS)
    # Eager Celery runs each retry at once (no countdown) and stops after the last try.
    assert (text.status, text.attempts, text.sent_at) == (Notification.Status.FAILED, MAX_TRIES, None)
    assert text.last_error == "SmsError: gateway unreachable"
    assert FailingSmsBackend.calls == MAX_TRIES == 5
    email = Notification.objects.get(object_id=app.pk, event="approve_by_agency", channel=EMAIL)
    assert email.status == Notification.Status.SENT and len(mail.outbox) == 1
    fresh = InvestmentApplication.objects.get(pk=app.pk)
    assert fresh.state == S.AGENCY_APPROVED and tracking.is_valid(fresh.tracking_code)


@override_settings(SMS_BACKEND="tests.sms_backends.FlakySmsBackend")
def test_a_send_that_fails_once_is_retried(advance_to, world, django_capture_on_commit_callbacks):
    app = advance_to(S.AGENCY_REVIEW)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk)

    text = Notification.objects.get(object_id=app.pk, event="approve_by_agency", channel=SMS)
    assert (text.status, text.attempts, text.provider_message_id) == (Notification.Status.SENT, 2, "gw-42")
    assert text.last_error == "SmsError: timeout"
    assert text.sent_at is not None


@override_settings(SMS_BACKEND="tests.sms_backends.FailingSmsBackend")
def test_with_a_broker_a_failed_try_is_retried_later_with_backoff(advance_to):
    """The worker's path (not eager): ``self.retry`` with 1, 2, 4, 8 minutes; the fifth try is the last."""
    app = advance_to(S.SUBMITTED)
    row = Notification.objects.get(object_id=app.pk, event="submit", channel=SMS)
    task = celery_app.tasks["accounts.tasks.notification_send"]

    def run_as_worker(retries):
        task.push_request(id=f"try-{retries}", retries=retries, is_eager=False)
        try:
            return task.run(row.pk)
        finally:
            task.pop_request()

    with mock.patch.object(task, "retry", side_effect=lambda exc, countdown: Retry(exc=exc, when=countdown)) as retry:
        for retries, delay in enumerate(RETRY_DELAYS):
            with pytest.raises(Retry):
                run_as_worker(retries)
            assert retry.call_args.kwargs["countdown"] == delay
            row.refresh_from_db()
            assert (row.status, row.attempts) == (Notification.Status.QUEUED, retries + 1)
        run_as_worker(len(RETRY_DELAYS))

    row.refresh_from_db()
    assert retry.call_count == 4 == MAX_TRIES - 1
    assert (row.status, row.attempts) == (Notification.Status.FAILED, 5)
    assert row.last_error == "SmsError: gateway unreachable"


@pytest.mark.django_db(transaction=True)
@override_settings(SMS_BACKEND="tests.sms_backends.FailingSmsBackend")
def test_a_failing_gateway_does_not_break_the_officers_request(client, advance_to, world):
    """A real commit (no test transaction): the task runs after it, fails five times, and the
    officer still gets the usual redirect with the application approved."""
    app = advance_to(S.AGENCY_REVIEW)
    client.force_login(world.agency_officer_a)

    response = client.post(reverse("financing:application_action", args=[app.pk, "approve_by_agency"]),
                           {"approve_by_agency-expected_state": S.AGENCY_REVIEW})

    assert response.status_code == 302
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.AGENCY_APPROVED
    text = Notification.objects.get(object_id=app.pk, event="approve_by_agency", channel=SMS)
    assert (text.status, text.attempts) == (Notification.Status.FAILED, MAX_TRIES)
    assert Notification.objects.get(object_id=app.pk, event="approve_by_agency", channel=EMAIL).status == "sent"
    assert [m.to for m in mail.outbox if "تأیید دستگاه اجرایی" in m.subject] == [[OWNER_EMAIL]]
