"""Migration financing 0008 on the data already stored: the subsidy recomputed from the terms, the
ledger it writes agreeing with what the services write (same lines, kinds and amounts, for every
state), and the priority score."""

import importlib
from collections import Counter

from django.apps import apps

from budgets.models import LedgerEntry
from financing import services
from financing.models import ApplicationDocument, ApplicationState
from tests.uploads import pdf
from tests.world import advance, contract_input

S = ApplicationState
migration = importlib.import_module("financing.migrations.0008_subsidy_and_ledger_backfill")


def ledger_key(entry):
    return (entry.line_id, entry.kind, entry.amount_rials, entry.source_id, entry.actor_id)


def test_the_backfill_rebuilds_the_ledger_the_services_wrote(world):
    for state in (S.BANK_REVIEW, S.BANK_APPROVED, S.CANCELLED, S.CONTRACTED, S.DISBURSING, S.FULLY_DISBURSED,
                  S.OPERATING, S.SUBSIDY_IN_PAYMENT, S.CLOSED, S.REJECTED):
        advance(world, state)
    smaller = advance(world, S.BANK_APPROVED, province="b")
    services.document_add(actor=smaller.applicant.user, application_id=smaller.pk,
                          kind=ApplicationDocument.Kind.BANK_DOCUMENT, uploaded_file=pdf())
    services.application_sign_contract(actor=world.bank_officer_1, application_id=smaller.pk,
                                       contract=contract_input(principal_rials=4_000_000_000))

    written = Counter(ledger_key(e) for e in LedgerEntry.objects.all())
    rebuilt = Counter(ledger_key(e) for e in migration.backfill_entries(apps))
    assert rebuilt == written
    # Movements per application, each on two lines (province, sector): approved 1, cancelled 2
    # (commit, release), contracted 2 (+ subsidy), disbursing 3, fully disbursed and operating 4,
    # subsidy in payment 5, closed 6, the smaller contract 3 (+ release); none before approval.
    assert sum(written.values()) == 2 * (1 + 2 + 2 + 3 + 4 + 4 + 5 + 6 + 3)


def test_stored_contracts_get_the_computed_subsidy(advance_to):
    from financing.models import LoanContract

    app = advance_to(S.CONTRACTED)
    LoanContract.objects.filter(application=app).update(subsidy_committed_rials=400_000_000)  # typed by hand
    migration.recompute_subsidies(apps, None)
    assert LoanContract.objects.get(application=app).subsidy_committed_rials == 1_863_370_197


def test_stored_applications_get_their_priority_score(advance_to):
    from financing.models import InvestmentApplication

    app = advance_to(S.SUBMITTED)
    stored = InvestmentApplication.objects.values_list("priority_score", "priority_parts").get(pk=app.pk)
    InvestmentApplication.objects.filter(pk=app.pk).update(priority_score=0, priority_parts={})  # before 0007
    migration.priority_scores(apps, None)
    assert InvestmentApplication.objects.values_list("priority_score", "priority_parts").get(pk=app.pk) == stored
    assert stored[0] > 0
