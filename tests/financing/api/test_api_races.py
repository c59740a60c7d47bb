"""Races through the API on PostgreSQL (issue 8, "Done when"; C21, C16, C18): two requests
released together, each on its own thread, API client and database connection.

- Two disbursements with the same ``Idempotency-Key`` make exactly one tranche; the other request
  gets 409 (still in progress) or a byte-identical copy of the first response.
- Two with different keys whose sum passes the principal pay at most the principal.
"""

import pytest
from django.db import connection
from django.db.models import Sum

from accounts.models import AuditRecord
from financing.models import ApplicationState, Disbursement
from tests.factories import Figures
from tests.races import race as shared_race
from tests.races import values

from .action_helpers import post, tranche_body
from .conftest import client_with_key, issue_key

S = ApplicationState

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("race tests need PostgreSQL (row locks)")


def race(*calls, timeout=30):
    """``tests.races.race``: each call's response, or the exception it raised, in order."""
    return values(shared_race(*calls, timeout=timeout))


def clients(world, count=2):
    """``count`` API clients, each with its own key of ``bank_officer_1`` (one per thread)."""
    return [client_with_key(issue_key(world.bank_officer_1, name=f"system {n}")[1]) for n in range(count)]


def disbursed(pk):
    return Disbursement.objects.filter(application=pk).aggregate(total=Sum("amount_rials"))["total"] or 0


def test_two_disbursements_with_the_same_key_make_one_tranche(world, advance_to):
    app = advance_to(S.CONTRACTED)
    key = issue_key(world.bank_officer_1)[1]
    client, twin = client_with_key(key), client_with_key(key)  # one API key, two connections

    body = {"amount_rials": Figures.PRINCIPAL, "paid_date": tranche_body()["paid_date"], "bank_reference": "BNK-7781"}
    first, second = race(lambda: post(client, app.pk, "disbursements", body, key="T-retry"),
                         lambda: post(twin, app.pk, "disbursements", body, key="T-retry"))

    assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
    statuses = sorted([first.status_code, second.status_code])
    assert statuses in ([201, 201], [201, 409])
    created = first if first.status_code == 201 else second
    other = second if created is first else first
    if other.status_code == 201:
        assert other.content == created.content
    else:
        assert other.json()["code"] == "idempotency_in_progress"
    assert Disbursement.objects.filter(application=app.pk).count() == 1
    assert created.json()["disbursement"]["id"] == Disbursement.objects.get(application=app.pk).pk
    assert AuditRecord.objects.filter(object_id=app.pk, action="record_disbursement").count() == 1


@pytest.mark.parametrize("amount", [3_000_000_000, Figures.PRINCIPAL])
def test_two_disbursements_whose_sum_passes_the_principal_pay_at_most_the_principal(amount, world, advance_to):
    app = advance_to(S.CONTRACTED)
    one, two = clients(world)

    results = race(lambda: post(one, app.pk, "disbursements", tranche_body(amount, bank_reference="BNK-A"), key="a"),
                   lambda: post(two, app.pk, "disbursements", tranche_body(amount, bank_reference="BNK-B"), key="b"))

    assert not any(isinstance(r, Exception) for r in results), results
    statuses = sorted(r.status_code for r in results)
    assert statuses[0] == 201 and statuses[1] in (400, 409), [r.content for r in results]
    refused = next(r for r in results if r.status_code != 201)
    assert refused.json()["code"] in ("rule_broken", "transition_not_allowed")
    assert Disbursement.objects.filter(application=app.pk).count() == 1
    assert disbursed(app.pk) == amount <= Figures.PRINCIPAL


def test_two_approvals_at_once_make_one_decision(world, advance_to):
    app = advance_to(S.BANK_REVIEW)
    one, two = clients(world)
    body = {"approved_loan_rials": Figures.PRINCIPAL}

    results = race(lambda: post(one, app.pk, "approve", body), lambda: post(two, app.pk, "approve", body))

    assert sorted(r.status_code for r in results) == [200, 409]
    assert AuditRecord.objects.filter(object_id=app.pk, action="approve_by_bank").count() == 1
