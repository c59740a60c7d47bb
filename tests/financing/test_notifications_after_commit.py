"""Notifications leave only after the step's commit (through Celery, eager here): a refused or
rolled-back step queues or sends nothing, and a repeated tranche tells nothing new (C18)."""

import pytest
from django.core import mail
from django.db import transaction

from accounts import sms
from accounts.models import Notification
from common.errors import NotAllowed, RuleBroken, StaleState, TransitionNotAllowed
from financing import services
from financing.models import ApplicationState, InvestmentApplication
from tests.factories import Figures
from tests.notices import SMS, events, isolated_code, notifications

S = ApplicationState
OWNER_EMAIL = "reza.mohammadi@example.ir"
OWNER_MOBILE = "09120000000"


def test_the_messages_leave_after_commit_and_are_marked_sent(advance_to, world, django_capture_on_commit_callbacks):
    app = advance_to(S.AGENCY_REVIEW)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk)
    queued = Notification.objects.filter(object_id=app.pk, event="approve_by_agency")
    assert len(callbacks) == 2
    assert mail.outbox == [] and list(sms.outbox) == []
    assert {n.status for n in queued} == {Notification.Status.QUEUED}

    for callback in callbacks:
        callback()

    app.refresh_from_db()
    [message] = mail.outbox
    assert message.to == [OWNER_EMAIL]
    assert message.subject == "سامانه برنامه کاله: تأیید دستگاه اجرایی و صدور کد رهگیری"
    assert f"کد رهگیری: {isolated_code(app)}\n" in message.body
    assert "وضعیت طرح «پرورش دام سبک» به «تأییدشده توسط دستگاه اجرایی» تغییر کرد." in message.body
    [(message_id, mobile, text)] = list(sms.outbox)
    assert mobile == OWNER_MOBILE and isolated_code(app) in text
    for row in queued.all():
        assert (row.status, row.attempts, row.last_error) == (Notification.Status.SENT, 1, "")
        assert row.sent_at is not None
    assert queued.get(channel=SMS).provider_message_id == message_id


def test_a_refused_step_queues_nothing(advance_to, world, django_capture_on_commit_callbacks):
    app = advance_to(S.AGENCY_REVIEW)
    before = len(notifications(app))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(NotAllowed):
            services.application_approve_by_agency(actor=world.secretary_a, application_id=app.pk)
        with pytest.raises(TransitionNotAllowed):
            services.application_approve_by_bank(actor=world.agency_officer_a, application_id=app.pk,
                                                 approved_loan_rials=Figures.PRINCIPAL)
        with pytest.raises(StaleState):
            services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk,
                                                   expected_state=S.SUBMITTED)
        with pytest.raises(RuleBroken):
            services.application_reject_by_agency(actor=world.agency_officer_a, application_id=app.pk, reason="")

    assert callbacks == []
    assert len(notifications(app)) == before
    assert mail.outbox == [] and list(sms.outbox) == []


def test_a_rolled_back_step_sends_nothing(advance_to, world, django_capture_on_commit_callbacks):
    app = advance_to(S.AGENCY_REVIEW)
    before = len(notifications(app))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk)
            assert len(notifications(app)) == before + 2
            raise RuntimeError("something after the step failed")

    assert callbacks == []
    assert len(notifications(app)) == before
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.AGENCY_REVIEW
    assert mail.outbox == [] and list(sms.outbox) == []


def test_a_repeated_tranche_notifies_once(advance_to, world):
    """C18: the bank's retry with the same idempotency key changes nothing, so it tells nothing."""
    app = advance_to(S.CONTRACTED)

    for _attempt in range(2):
        services.application_record_disbursement(
            actor=world.bank_officer_1, application_id=app.pk, amount_rials=Figures.PRINCIPAL,
            paid_on=app.contract.signed_on, bank_reference="BNK-7781", idempotency_key="retry-7781")

    assert events(app, SMS).count("record_disbursement") == 1
