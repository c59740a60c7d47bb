"""Delivering events to a receiving server of our own on 127.0.0.1 that verifies each signature:
after commit, through the Celery task (eager here), with retries, a log of every attempt, and a
final ``failed`` after the endpoint's ``max_attempts``."""

import datetime
import json
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from financing import services
from financing.models import ApplicationState
from financing.webhooks.delivery import Outcome, deliver_once, retry_countdown
from financing.webhooks.models import WebhookAttempt, WebhookDelivery
from financing.webhooks.tasks import webhook_deliver

S = ApplicationState
pytestmark = pytest.mark.django_db


def refer(world, app, bank=None):
    services.application_refer_to_bank(actor=world.secretary_a, application_id=app.pk, bank=bank or world.bank_1)
    return WebhookDelivery.objects.filter(application=app).latest("id")


def test_the_referral_is_delivered_after_commit_signed_over_the_stored_bytes(advance_to, world, endpoints, receiver,
                                                                            django_capture_on_commit_callbacks):
    app = advance_to(S.WORKING_GROUP_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = refer(world, app)
        assert receiver.received == []  # nothing leaves before the commit

    [got] = receiver.received
    delivery.refresh_from_db()
    assert got.verified
    assert got.body == bytes(delivery.body)
    assert got.headers["X-Kaleh-Event-Id"] == delivery.event_id == json.loads(got.body)["event_id"]
    assert got.headers["X-Kaleh-Event-Type"] == "application.referred"
    assert got.headers["Content-Type"] == "application/json; charset=utf-8"
    assert got.headers["X-Kaleh-Signature"].startswith("t=")
    assert (delivery.state, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        "delivered", 1, 200, "")
    assert delivery.delivered_at is not None
    assert list(delivery.attempt_log.values_list("status_code", "error")) == [(200, "")]


def test_a_whole_chain_reaches_the_bank_in_order(advance_to, endpoints, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = advance_to(S.CONTRACTED)
    stored = WebhookDelivery.objects.filter(application=app).order_by("id")
    assert [r.event_id for r in receiver.received] == [d.event_id for d in stored]
    assert [json.loads(r.body)["state"] for r in receiver.received] == [
        "referred_to_bank", "bank_review", "bank_approved", "bank_approved", "contracted"]
    assert all(r.verified for r in receiver.received)
    assert {d.state for d in stored} == {"delivered"}


def test_a_receiver_answering_500_gets_max_attempts_then_the_delivery_fails(advance_to, world, endpoints, receiver,
                                                                         django_capture_on_commit_callbacks):
    receiver.status = 500
    app = advance_to(S.WORKING_GROUP_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = refer(world, app)

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("failed", 3, 500)
    assert delivery.last_error == "HTTP 500: ok"
    assert list(delivery.attempt_log.values_list("status_code", flat=True)) == [500, 500, 500]
    # The same event, the same bytes, each try signed anew.
    assert len(receiver.received) == 3 and all(r.verified for r in receiver.received)
    assert {r.body for r in receiver.received} == {bytes(delivery.body)}
    assert {r.event_id for r in receiver.received} == {delivery.event_id}


def test_an_unreachable_endpoint_logs_the_network_error(advance_to, world, endpoints,
                                                        django_capture_on_commit_callbacks):
    app = advance_to(S.WORKING_GROUP_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = refer(world, app, bank=world.bank_2)  # bank_2's endpoint: port 9, nothing listens
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("failed", 2, None)
    assert delivery.last_error.startswith("URLError: ")
    assert [a.status_code for a in delivery.attempt_log.all()] == [None, None]


def test_the_retry_policy_doubles_from_30_seconds_to_an_hour():
    assert [retry_countdown(n) for n in range(1, 10)] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_each_try_says_when_the_next_is_due_and_a_stray_retry_sends_nothing(advance_to, endpoints, receiver):
    receiver.status = 503
    delivery = WebhookDelivery.objects.get(application=advance_to(S.REFERRED_TO_BANK))  # not sent: no commit here
    assert deliver_once(delivery.pk) == Outcome("pending", 30)
    assert deliver_once(delivery.pk) == Outcome("pending", 60)
    assert deliver_once(delivery.pk) == Outcome("failed", None)
    assert deliver_once(delivery.pk) == Outcome("failed", None)
    assert len(receiver.received) == 3
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 3


def test_a_delivered_event_is_not_sent_again(advance_to, endpoints, receiver):
    delivery = WebhookDelivery.objects.get(application=advance_to(S.REFERRED_TO_BANK))
    assert deliver_once(delivery.pk) == Outcome("delivered", None)
    assert webhook_deliver.delay(delivery.pk).get() == "delivered"
    assert len(receiver.received) == 1
    assert deliver_once(10**12) == Outcome(None)


def test_with_a_broker_the_task_asks_celery_to_retry_after_the_countdown(advance_to, endpoints, receiver):
    receiver.status = 500
    delivery = WebhookDelivery.objects.get(application=advance_to(S.REFERRED_TO_BANK))
    with mock.patch.object(webhook_deliver, "retry", return_value=Retry()) as retry:
        with pytest.raises(Retry):
            webhook_deliver.run(delivery.pk)  # not eager: a worker's call
    retry.assert_called_once_with(countdown=30)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 1)


def test_each_try_is_signed_at_its_own_time(advance_to, endpoints, receiver):
    """The receiver refuses a signature 10 minutes old (401), so a try signed then fails."""
    delivery = WebhookDelivery.objects.get(application=advance_to(S.REFERRED_TO_BANK))
    assert deliver_once(delivery.pk, now=timezone.now() - datetime.timedelta(minutes=10)) == Outcome("pending", 30)
    assert deliver_once(delivery.pk) == Outcome("delivered", None)
    assert [r.verified for r in receiver.received] == [False, True]
    assert list(delivery.attempt_log.values_list("status_code", flat=True)) == [401, 200]


def test_a_redirect_is_not_followed(advance_to, endpoints, receiver):
    receiver.status = 302
    delivery = WebhookDelivery.objects.get(application=advance_to(S.REFERRED_TO_BANK))
    assert deliver_once(delivery.pk) == Outcome("pending", 30)
    delivery.refresh_from_db()
    assert (delivery.last_status_code, len(receiver.received)) == (302, 1)


def test_an_endpoint_made_inactive_stops_its_pending_deliveries(advance_to, endpoints, receiver):
    delivery = WebhookDelivery.objects.get(application=advance_to(S.REFERRED_TO_BANK))
    endpoints[0].is_active = False
    endpoints[0].save()
    assert deliver_once(delivery.pk) == Outcome("failed", None)
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_error, receiver.received) == (0, "endpoint inactive", [])
