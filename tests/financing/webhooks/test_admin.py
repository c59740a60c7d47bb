"""The webhooks in the admin: ministry staff register an endpoint and hand its secret to the bank,
rotate it, read the delivery log with its attempts, and re-send a failed delivery; nobody else may."""

import pytest
from django.urls import reverse

from accounts.models import AuditRecord
from common.errors import Conflict, NotAllowed
from financing import services
from financing.models import ApplicationState
from financing.webhooks.models import WebhookDelivery, WebhookEndpoint
from financing.webhooks.services import webhook_endpoint_rotate_secret, webhook_redeliver
from tests.web import as_user

S = ApplicationState
pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(advance_to, world, endpoints, receiver, django_capture_on_commit_callbacks):
    """A referral whose 3 tries met a receiver answering 500: ``failed``; the receiver now answers 200."""
    receiver.status = 500
    app = advance_to(S.WORKING_GROUP_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_refer_to_bank(actor=world.secretary_a, application_id=app.pk, bank=world.bank_1)
    receiver.status = 200
    delivery = WebhookDelivery.objects.get(application=app)
    assert (delivery.state, delivery.attempts) == ("failed", 3)
    return delivery


def test_ministry_staff_register_an_endpoint_and_then_see_its_secret(client, world):
    as_user(client, world.ministry)
    add_url = reverse("admin:financing_webhookendpoint_add")
    form = client.get(add_url).content.decode()
    assert 'name="url"' in form and 'name="secret"' not in form
    response = client.post(add_url, {"bank": world.bank_1.pk, "url": "https://hooks.bank-1.example/kaleh",
                                     "is_active": "on", "max_attempts": "۵"})
    assert response.status_code == 302, response.content.decode()[:3000]
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.bank, endpoint.url, endpoint.max_attempts) == (
        world.bank_1, "https://hooks.bank-1.example/kaleh", 5)
    assert len(endpoint.secret) == 64
    page = client.get(reverse("admin:financing_webhookendpoint_change", args=[endpoint.pk])).content.decode()
    assert endpoint.secret in page and 'name="secret"' not in page and 'name="bank"' not in page


@pytest.mark.parametrize("max_attempts", ["0", "21"])
def test_max_attempts_stays_between_1_and_20(client, world, max_attempts):
    as_user(client, world.ministry)
    response = client.post(reverse("admin:financing_webhookendpoint_add"), {
        "bank": world.bank_1.pk, "url": "https://hooks.bank-1.example/kaleh", "max_attempts": max_attempts})
    assert response.status_code == 200
    assert "حداکثر تلاش باید از ۱ تا ۲۰ باشد." in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_rotating_the_secret_gives_a_new_one_and_is_audited(client, world, endpoints):
    endpoint, _ = endpoints
    old = endpoint.secret
    as_user(client, world.ministry)
    response = client.post(reverse("admin:financing_webhookendpoint_changelist"),
                           {"action": "rotate_secret", "_selected_action": [endpoint.pk]}, follow=True)
    assert "۱ وب‌هوک: رمز تازه ساخته شد" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret != old and len(endpoint.secret) == 64
    record = AuditRecord.objects.get(action="webhook_rotate_secret")
    assert (record.actor, record.object_id, record.data) == (world.ministry, endpoint.pk, {})
    with pytest.raises(NotAllowed):
        webhook_endpoint_rotate_secret(actor=world.admin, endpoint_id=endpoint.pk)


def test_the_delivery_log_shows_the_body_and_every_attempt_read_only(client, world, failed):
    as_user(client, world.ministry)
    listing = client.get(reverse("admin:financing_webhookdelivery_changelist"),
                         {"state": "failed", "endpoint__bank__id__exact": world.bank_1.pk,
                          "event_type": "application.referred"}).content.decode()
    assert failed.event_id in listing
    url = reverse("admin:financing_webhookdelivery_change", args=[failed.pk])
    page = client.get(url).content.decode()
    assert bytes(failed.body).decode() in page.replace("&quot;", '"')
    assert page.count("HTTP 500: ok") == 4  # the delivery's last error and its 3 attempts
    assert client.post(url, {"state": "delivered"}).status_code == 403
    failed.refresh_from_db()
    assert failed.state == "failed"


def test_ministry_staff_re_send_a_failed_delivery_from_the_admin(client, world, failed, receiver,
                                                                 django_capture_on_commit_callbacks):
    as_user(client, world.ministry)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:financing_webhookdelivery_changelist"),
                               {"action": "resend", "_selected_action": [failed.pk]}, follow=True)
    assert "۱ ارسال: دوباره در صف قرار گرفت." in response.content.decode()
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.last_status_code) == ("delivered", 1, 200)
    assert list(failed.attempt_log.values_list("status_code", flat=True)) == [500, 500, 500, 200]
    # The same event again: the bank drops it if it had kept one of the earlier tries.
    assert receiver.received[-1].body == bytes(failed.body) and receiver.received[-1].verified
    assert {r.event_id for r in receiver.received} == {failed.event_id}
    record = AuditRecord.objects.get(action="webhook_redeliver")
    assert (record.actor, record.from_state, record.to_state) == (world.ministry, "failed", "pending")


def test_only_ministry_staff_may_re_send(client, world, failed):
    for user in (world.admin, world.bank_officer_1, world.secretary_a):
        with pytest.raises(NotAllowed):
            webhook_redeliver(actor=user, delivery_id=failed.pk)
    world.admin.is_superuser = True
    world.admin.save()
    as_user(client, world.admin)
    page = client.get(reverse("admin:financing_webhookdelivery_changelist")).content.decode()
    assert 'value="resend"' not in page  # a superuser who is not ministry staff is not offered it
    with pytest.raises(NotAllowed):
        webhook_redeliver(actor=world.admin, delivery_id=failed.pk)
    as_user(client, world.bank_officer_1)
    assert client.get(reverse("admin:financing_webhookdelivery_changelist")).status_code == 302  # not staff
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("failed", 3)


def test_only_a_failed_delivery_is_re_sent(world, failed, endpoints):
    webhook_redeliver(actor=world.ministry, delivery_id=failed.pk)  # pending now; not sent (no commit)
    with pytest.raises(Conflict):
        webhook_redeliver(actor=world.ministry, delivery_id=failed.pk)
    failed.state = "failed"
    failed.save()
    endpoints[0].is_active = False
    endpoints[0].save()
    with pytest.raises(Conflict):
        webhook_redeliver(actor=world.ministry, delivery_id=failed.pk)
