"""When money moves (issue 7): the bank's approval commits the loan, signing commits the computed
subsidy and releases what the principal leaves unused, tranches and payouts are paid, a
cancellation releases. Each counts on the province's line and the economic sector's line."""

from decimal import Decimal

import pytest

from budgets.models import Fund
from financing import services
from financing.models import ApplicationDocument, ApplicationState, InvestmentApplication
from tests.factories import Figures
from tests.uploads import pdf
from tests.world import contract_input

from .helpers import entries_of, figures, province_line, sector_line

S = ApplicationState
BUDGET = Figures.WORLD_BUDGET


def test_bank_approval_commits_the_loan_on_the_province_and_the_sector_line(advance_to, world):
    app = advance_to(S.BANK_APPROVED)
    assert entries_of(app) == [("province", Fund.LOANS, "commit", 5_510_000_000),
                               ("sector", Fund.LOANS, "commit", 5_510_000_000)]
    for line in (province_line(world.province_a), sector_line(world.sector)):
        assert figures(line) == (BUDGET, 5_510_000_000, 0, BUDGET - 5_510_000_000)
    # Province B's line is untouched.
    assert figures(province_line(world.province_b)) == (BUDGET, 0, 0, BUDGET)


def test_signing_commits_the_computed_subsidy(advance_to, world):
    app = advance_to(S.CONTRACTED)
    assert app.contract.subsidy_committed_rials == Figures.SUBSIDY == 1_863_370_197
    assert entries_of(app)[2:] == [("province", Fund.INTEREST_SUBSIDY, "commit", 1_863_370_197),
                                   ("sector", Fund.INTEREST_SUBSIDY, "commit", 1_863_370_197)]
    assert figures(province_line(world.province_a, Fund.INTEREST_SUBSIDY)) == (
        BUDGET, 1_863_370_197, 0, BUDGET - 1_863_370_197)


def test_tranches_are_paid_against_the_loan_line(advance_to, world):
    app = advance_to(S.DISBURSING)
    line = province_line(world.province_a)
    assert figures(line) == (BUDGET, 5_510_000_000 - 2_000_000_000, 2_000_000_000, BUDGET - 5_510_000_000)
    services.application_record_disbursement(actor=world.bank_officer_1, application_id=app.pk,
                                             amount_rials=3_510_000_000, paid_on=app.contract.signed_on,
                                             bank_reference="BNK-T2")
    assert figures(line) == (BUDGET, 0, 5_510_000_000, BUDGET - 5_510_000_000)
    assert figures(sector_line(world.sector)) == (BUDGET, 0, 5_510_000_000, BUDGET - 5_510_000_000)


def test_subsidy_payouts_move_committed_to_paid_and_the_last_closes(advance_to, world):
    app = advance_to(S.SUBSIDY_IN_PAYMENT)
    line = province_line(world.province_a, Fund.INTEREST_SUBSIDY)
    assert figures(line) == (BUDGET, 1_863_370_197 - 150_000_000, 150_000_000, BUDGET - 1_863_370_197)
    app = advance_to(S.CLOSED)
    assert figures(line)[1:3] == (1_863_370_197 - 150_000_000, 150_000_000 + 1_863_370_197)
    assert entries_of(app)[-2:] == [("province", Fund.INTEREST_SUBSIDY, "pay", 1_713_370_197),
                                    ("sector", Fund.INTEREST_SUBSIDY, "pay", 1_713_370_197)]


def test_a_principal_below_the_approved_loan_releases_the_difference(advance_to, world):
    app = advance_to(S.BANK_APPROVED)
    services.document_add(actor=world.owner, application_id=app.pk, kind=ApplicationDocument.Kind.BANK_DOCUMENT,
                          uploaded_file=pdf())
    services.application_sign_contract(actor=world.bank_officer_1, application_id=app.pk,
                                       contract=contract_input(principal_rials=5_000_000_000))
    assert ("province", Fund.LOANS, "release", 510_000_000) in entries_of(app)
    assert figures(province_line(world.province_a)) == (BUDGET, 5_000_000_000, 0, BUDGET - 5_000_000_000)
    assert figures(sector_line(world.sector)) == (BUDGET, 5_000_000_000, 0, BUDGET - 5_000_000_000)


def test_the_bank_cancelling_an_approved_loan_releases_it(advance_to, world):
    app = advance_to(S.BANK_APPROVED)
    services.application_cancel_by_bank(actor=world.bank_officer_1, application_id=app.pk,
                                        reason="متقاضی مدارک بانک را کامل نکرد.")
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.CANCELLED
    assert entries_of(app)[2:] == [("province", Fund.LOANS, "release", 5_510_000_000),
                                   ("sector", Fund.LOANS, "release", 5_510_000_000)]
    assert figures(province_line(world.province_a)) == (BUDGET, 0, 0, BUDGET)


def test_cancelling_needs_a_reason_and_the_bank(advance_to, world):
    from common.errors import NotAllowed, RuleBroken

    app = advance_to(S.BANK_APPROVED)
    with pytest.raises(RuleBroken) as refused:
        services.application_cancel_by_bank(actor=world.bank_officer_1, application_id=app.pk, reason="  ")
    assert refused.value.field == "reason"
    with pytest.raises(NotAllowed):
        services.application_cancel_by_bank(actor=world.owner, application_id=app.pk, reason="انصراف")
    assert len(entries_of(app)) == 2


def test_a_contract_without_subsidy_commits_none_and_closes_at_confirmation(advance_to, world):
    app = advance_to(S.BANK_APPROVED)
    services.document_add(actor=world.owner, application_id=app.pk, kind=ApplicationDocument.Kind.BANK_DOCUMENT,
                          uploaded_file=pdf())
    services.application_sign_contract(actor=world.bank_officer_1, application_id=app.pk,
                                       contract=contract_input(subsidy_rate_percent=Decimal("0")))
    assert InvestmentApplication.objects.get(pk=app.pk).contract.subsidy_committed_rials == 0
    from tests.world import drive

    drive(world, app.pk, S.OPERATION_DECLARED)
    services.application_confirm_operation(actor=world.bank_officer_1, application_id=app.pk)
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.CLOSED
    assert [e for e in entries_of(app) if e[1] == Fund.INTEREST_SUBSIDY] == []
