"""Which steps queue an event for the bank, and what it says: the referral and every later step
queue one per active endpoint of the application's bank, in the step's transaction."""

import datetime
import json

import pytest
from django.db import transaction
from django.utils import timezone

from common.errors import NotFound, RuleBroken
from financing import services
from financing.models import ApplicationDocument, ApplicationState
from financing.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.uploads import pdf
from tests.world import contract_input

S = ApplicationState
EVENT_KEYS = ["event_id", "type", "action", "application_id", "tracking_code", "state", "state_label",
              "previous_state", "occurred_at"]


def events(application):
    """The events queued about ``application``, oldest first, parsed from the stored bytes."""
    rows = WebhookDelivery.objects.filter(application=application).order_by("created_at", "id")
    return [(row, json.loads(bytes(row.body))) for row in rows]


def test_referring_to_bank_1_queues_one_referred_event_for_bank_1_only(advance_to, world, endpoints):
    bank_1_endpoint, _bank_2_endpoint = endpoints
    app = advance_to(S.WORKING_GROUP_REVIEW)
    before = timezone.now()

    services.application_refer_to_bank(actor=world.secretary_a, application_id=app.pk, bank=world.bank_1)

    [(delivery, event)] = events(app)
    app.refresh_from_db()
    assert delivery.endpoint == bank_1_endpoint
    assert (delivery.state, delivery.attempts, delivery.event_type) == ("pending", 0, "application.referred")
    assert list(event) == EVENT_KEYS
    assert event == {
        "event_id": delivery.event_id,
        "type": "application.referred",
        "action": "refer_to_bank",
        "application_id": app.pk,
        "tracking_code": app.tracking_code,
        "state": "referred_to_bank",
        "state_label": "ارجاع‌شده به بانک عامل",
        "previous_state": "working_group_review",
        "occurred_at": event["occurred_at"],
    }
    assert delivery.event_id.startswith("evt_") and len(delivery.event_id) == 36
    assert len(app.tracking_code) == 16
    occurred = datetime.datetime.fromisoformat(event["occurred_at"])
    assert event["occurred_at"].endswith("Z") and occurred.utcoffset() == datetime.timedelta(0)
    assert before <= occurred <= timezone.now()


def test_the_stored_body_is_compact_utf8_json_with_persian_as_is(advance_to, endpoints):
    app = advance_to(S.REFERRED_TO_BANK)
    [(delivery, event)] = events(app)
    body = bytes(delivery.body)
    assert body == json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
    assert "ارجاع‌شده به بانک عامل".encode() in body and b"\\u" not in body


def test_no_event_before_the_referral(advance_to, endpoints):
    """The bank hears of an application only once it is referred to it."""
    app = advance_to(S.WORKING_GROUP_REVIEW)
    assert events(app) == []
    assert WebhookDelivery.objects.count() == 0


def test_an_application_referred_to_bank_2_queues_for_bank_2_only(advance_to, world, endpoints):
    _bank_1_endpoint, bank_2_endpoint = endpoints
    app = advance_to(S.BANK_REVIEW, bank=world.bank_2)
    assert [(row.endpoint, event["type"], event["state"]) for row, event in events(app)] == [
        (bank_2_endpoint, "application.referred", "referred_to_bank"),
        (bank_2_endpoint, "application.state_changed", "bank_review"),
    ]


def test_every_step_with_the_bank_queues_an_event_in_order(advance_to, endpoints):
    app = advance_to(S.CLOSED)
    steps = [(event["type"], event["action"], event["previous_state"], event["state"]) for _row, event in events(app)]
    assert steps == [
        ("application.referred", "refer_to_bank", "working_group_review", "referred_to_bank"),
        ("application.state_changed", "start_bank_review", "referred_to_bank", "bank_review"),
        ("application.state_changed", "approve_by_bank", "bank_review", "bank_approved"),
        ("application.document_added", "add_document", None, "bank_approved"),
        ("application.state_changed", "sign_contract", "bank_approved", "contracted"),
        ("application.state_changed", "record_disbursement", "contracted", "disbursing"),
        ("application.state_changed", "record_disbursement", "disbursing", "fully_disbursed"),
        ("application.state_changed", "declare_operation", "fully_disbursed", "operation_declared"),
        ("application.state_changed", "confirm_operation", "operation_declared", "operating"),
        ("application.state_changed", "pay_subsidy", "operating", "subsidy_in_payment"),
        ("application.state_changed", "pay_subsidy", "subsidy_in_payment", "closed"),
    ]


def test_a_step_that_keeps_the_state_is_an_update(advance_to, world, endpoints):
    """A tranche that is not the last leaves the loan ``disbursing``: ``application.updated``."""
    app = advance_to(S.DISBURSING)
    services.application_record_disbursement(actor=world.bank_officer_1, application_id=app.pk,
                                             amount_rials=1_000_000_000, paid_on=timezone.localdate(),
                                             bank_reference="BNK-T1b")
    _row, event = events(app)[-1]
    assert (event["type"], event["previous_state"], event["state"]) == ("application.updated", "disbursing",
                                                                       "disbursing")


def test_the_bank_documents_uploaded_queue_document_added(advance_to, world, endpoints):
    app = advance_to(S.BANK_APPROVED)
    document = services.document_add(actor=world.owner, application_id=app.pk,
                                     kind=ApplicationDocument.Kind.BANK_DOCUMENT, uploaded_file=pdf("forms.pdf"))
    row, event = events(app)[-1]
    assert row.event_type == "application.document_added"
    assert (event["document_id"], event["document_kind"], event["state"]) == (
        document.pk, "bank_document", "bank_approved")


def test_a_rejection_and_a_withdrawal_while_with_the_bank_are_told(advance_to, world, endpoints):
    rejected = advance_to(S.BANK_REVIEW)
    services.application_reject_by_bank(actor=world.bank_officer_1, application_id=rejected.pk, reason="وثیقه ناکافی")
    withdrawn = advance_to(S.REFERRED_TO_BANK)
    services.application_withdraw(actor=world.owner, application_id=withdrawn.pk, reason="انصراف")
    assert events(rejected)[-1][1]["state"] == "rejected"
    assert events(withdrawn)[-1][1]["state"] == "withdrawn"
    assert "دلیل" not in bytes(events(rejected)[-1][0].body).decode()  # reasons are not sent
    assert "وثیقه" not in bytes(events(rejected)[-1][0].body).decode()


def test_inactive_endpoints_get_nothing_and_each_active_one_its_own_event(advance_to, world, endpoints):
    bank_1_endpoint, _ = endpoints
    second = WebhookEndpoint.objects.create(bank=world.bank_1, url="https://bank-1.example/hooks")
    WebhookEndpoint.objects.create(bank=world.bank_1, url="https://old.bank-1.example/hooks", is_active=False)
    app = advance_to(S.REFERRED_TO_BANK)
    rows = [row for row, _event in events(app)]
    assert sorted(row.endpoint_id for row in rows) == [bank_1_endpoint.pk, second.pk]
    assert len({row.event_id for row in rows}) == 2


def test_a_refused_step_queues_nothing(advance_to, world, endpoints, django_capture_on_commit_callbacks):
    app = advance_to(S.BANK_REVIEW)
    before = WebhookDelivery.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(NotFound):  # another bank's officer
            services.application_start_bank_review(actor=world.bank_officer_2, application_id=app.pk)
        with pytest.raises(RuleBroken):
            services.application_reject_by_bank(actor=world.bank_officer_1, application_id=app.pk, reason="")
    assert callbacks == []
    assert WebhookDelivery.objects.count() == before


def test_a_rolled_back_step_leaves_no_delivery_and_schedules_nothing(advance_to, world, endpoints,
                                                                      django_capture_on_commit_callbacks):
    app = advance_to(S.BANK_APPROVED)
    services.document_add(actor=world.owner, application_id=app.pk, kind=ApplicationDocument.Kind.BANK_DOCUMENT,
                          uploaded_file=pdf("forms.pdf"))
    before = WebhookDelivery.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.application_sign_contract(actor=world.bank_officer_1, application_id=app.pk,
                                               contract=contract_input())
            assert WebhookDelivery.objects.count() == before + 1
            raise RuntimeError("something after the step failed")
    assert callbacks == []
    assert WebhookDelivery.objects.count() == before
    assert "contracted" not in [event["state"] for _row, event in events(app)]


def test_event_ids_are_never_repeated(advance_to, world, endpoints):
    WebhookEndpoint.objects.create(bank=world.bank_1, url="https://bank-1.example/hooks")
    advance_to(S.CLOSED)
    advance_to(S.CANCELLED)
    ids = list(WebhookDelivery.objects.values_list("event_id", flat=True))
    assert len(ids) == 2 * (11 + 4)
    assert len(set(ids)) == len(ids)
