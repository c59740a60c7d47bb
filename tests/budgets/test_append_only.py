"""The ledger is append-only (issue 7): no code path updates or deletes an entry, and the database
refuses it too (a trigger, migration budgets 0002)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from budgets.models import LedgerEntry
from financing.models import ApplicationState

S = ApplicationState


@pytest.fixture
def entry(advance_to):
    advance_to(S.BANK_APPROVED)
    return LedgerEntry.objects.order_by("id").first()


def test_an_entry_cannot_be_saved_again(entry):
    entry.amount_rials = 1
    with pytest.raises(ValidationError):
        entry.save()


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(ValidationError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_rials=1)


@pytest.mark.parametrize("sql", ["UPDATE budgets_ledgerentry SET amount_rials = 1 WHERE id = %s",
                                 "DELETE FROM budgets_ledgerentry WHERE id = %s"])
def test_the_database_refuses_updates_and_deletes(entry, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount_rials == 5_510_000_000
