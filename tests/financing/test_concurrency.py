"""C16: two people take the same step at the same moment. Exactly one succeeds; the other gets a
conflict (``StaleState`` or ``TransitionNotAllowed``); one audit row, one tracking code, one tranche.

The threads are released together (``tests.races``) after each has opened its own
database connection, so both requests really overlap. PostgreSQL only: SQLite serialises writers
on a file lock and has no ``SELECT … FOR UPDATE``, so a race there proves nothing.
"""

import pytest
from django.core import mail
from django.db import connection

from accounts import sms
from accounts.models import AuditRecord, Notification
from common.errors import StaleState, TransitionNotAllowed
from financing import services, tracking
from financing.models import ApplicationState, Disbursement, InvestmentApplication
from tests.factories import AgencyOfficerFactory, Figures
from tests.races import outcomes, race

S = ApplicationState
CONFLICTS = (StaleState, TransitionNotAllowed)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("race tests need PostgreSQL (row locks)")


def audit_count(pk, action):
    return AuditRecord.objects.filter(object_id=pk, content_type__model="investmentapplication",
                                      action=action).count()


def test_two_agency_officers_approving_at_once_make_one_approval(advance_to, world):
    app = advance_to(S.AGENCY_REVIEW)
    colleague = AgencyOfficerFactory(username="agency_a_colleague", agency=world.agency_a)

    results = race(
        lambda: services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk),
        lambda: services.application_approve_by_agency(actor=colleague, application_id=app.pk),
    )

    successes, errors = outcomes(results)
    assert successes == 1
    assert len(errors) == 1 and isinstance(errors[0], CONFLICTS), errors
    assert audit_count(app.pk, "approve_by_agency") == 1
    fresh = InvestmentApplication.objects.get(pk=app.pk)
    assert fresh.state == S.AGENCY_APPROVED
    assert tracking.is_valid(fresh.tracking_code)
    winner = next(value for kind, value in results if kind == "ok")
    assert winner.tracking_code == fresh.tracking_code
    assert InvestmentApplication.objects.exclude(tracking_code=None).count() == 1


def test_two_approvals_at_once_notify_the_applicant_once(advance_to, world):
    """C16: one approval, so one email and one SMS (applicant_1 gave both), sent after its commit."""
    app = advance_to(S.AGENCY_REVIEW)
    colleague = AgencyOfficerFactory(username="agency_a_colleague", agency=world.agency_a)
    mail.outbox.clear()
    sms.outbox.clear()

    successes, errors = outcomes(race(
        lambda: services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk),
        lambda: services.application_approve_by_agency(actor=colleague, application_id=app.pk),
    ))

    assert successes == 1 and len(errors) == 1
    sent = Notification.objects.filter(object_id=app.pk, event="approve_by_agency")
    assert sorted(sent.values_list("channel", "status")) == [("email", "sent"), ("sms", "sent")]
    code = InvestmentApplication.objects.get(pk=app.pk).tracking_code
    assert len(mail.outbox) == 1 and tracking.grouped(code, persian=False) in mail.outbox[0].body
    assert len(sms.outbox) == 1 and tracking.grouped(code, persian=False) in sms.outbox[0][2]


def test_two_full_disbursements_at_once_pay_once(advance_to, world):
    app = advance_to(S.CONTRACTED)

    def pay():
        return services.application_record_disbursement(
            actor=world.bank_officer_1, application_id=app.pk, amount_rials=Figures.PRINCIPAL,
            paid_on=app.contract.signed_on, bank_reference="BNK-7781")

    successes, errors = outcomes(race(pay, pay))

    assert successes == 1
    assert len(errors) == 1 and isinstance(errors[0], CONFLICTS), errors
    assert list(Disbursement.objects.filter(application_id=app.pk).values_list("amount_rials", flat=True)) == [
        5_510_000_000]
    assert audit_count(app.pk, "record_disbursement") == 1
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.FULLY_DISBURSED


def test_a_retried_tranche_racing_itself_is_recorded_once_with_one_id(advance_to, world):
    """C18 under C16: the bank's retry arrives while the first request is still running."""
    app = advance_to(S.CONTRACTED)

    def pay():
        return services.application_record_disbursement(
            actor=world.bank_officer_1, application_id=app.pk, amount_rials=Figures.PRINCIPAL,
            paid_on=app.contract.signed_on, bank_reference="BNK-7781", idempotency_key="retry-7781")

    results = race(pay, pay)

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert results[0][1].pk == results[1][1].pk
    assert Disbursement.objects.filter(application_id=app.pk).count() == 1
    assert audit_count(app.pk, "record_disbursement") == 1


def test_withdrawal_racing_the_agency_approval_leaves_one_outcome(advance_to, world):
    app = advance_to(S.AGENCY_REVIEW)

    results = race(
        lambda: services.application_approve_by_agency(actor=world.agency_officer_a, application_id=app.pk),
        lambda: services.application_withdraw(actor=world.owner, application_id=app.pk),
    )

    successes, errors = outcomes(results)
    # Either order is legal: approve then withdraw (both succeed, from agency_approved), or
    # withdraw first and the approval is refused. Never a withdrawn application with a code.
    fresh = InvestmentApplication.objects.get(pk=app.pk)
    assert fresh.state == S.WITHDRAWN
    if successes == 1:
        assert isinstance(errors[0], CONFLICTS) and fresh.tracking_code is None
        assert audit_count(app.pk, "approve_by_agency") == 0
    else:
        assert successes == 2 and tracking.is_valid(fresh.tracking_code)
        assert audit_count(app.pk, "approve_by_agency") == 1
    assert audit_count(app.pk, "withdraw") == 1
