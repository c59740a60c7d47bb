"""Scope (roles.md, style.md §4): every read and every write looks the application up within the
actor's scope, and an application outside it is "not found" (``NotFound``, a 404), never "forbidden".
"""

import pytest
from django.db import transaction

from accounts.models import AuditRecord
from common.errors import NotAllowed, NotFound
from financing import services
from financing.models import ApplicationDocument, ApplicationState, InvestmentApplication
from financing.selectors import (
    application_get,
    application_get_for_update,
    application_inbox,
    applications_visible_to,
    calls_visible_to,
)
from tests.factories import AgencyFactory, AgencyOfficerFactory, BankOfficerFactory
from tests.uploads import pdf

S = ApplicationState


def unchanged(app):
    """The application's state and audit count, to compare before and after a refusal."""
    fresh = InvestmentApplication.objects.get(pk=app.pk)
    return fresh.state, fresh.bank_id, AuditRecord.objects.filter(object_id=app.pk,
                                                                    content_type__model="investmentapplication").count()


# Each outsider: (how to make the account from the world, the state the application is in, the
# service call the account's role would make there). The application is applicant_1's, in province
# A, referred to bank_1 once it reaches the bank.
def _other_agency_same_province(w):
    return AgencyOfficerFactory(username="agency_a2", agency=AgencyFactory(province=w.province_a))


def _bank_1_narrowed_to_b(w):
    return BankOfficerFactory(username="bank_1_in_b", bank=w.bank_1, bank_provinces=[w.province_b])


OUTSIDERS = {
    "secretary of another province": (
        lambda w: w.secretary_b, S.AGENCY_APPROVED,
        lambda a, pk, w: services.application_start_working_group_review(actor=a, application_id=pk)),
    "officer of another province's agency": (
        lambda w: w.agency_officer_b, S.SUBMITTED,
        lambda a, pk, w: services.application_start_agency_review(actor=a, application_id=pk)),
    "officer of another agency of the same province": (
        _other_agency_same_province, S.AGENCY_REVIEW,
        lambda a, pk, w: services.application_approve_by_agency(actor=a, application_id=pk)),
    "officer of another bank": (
        lambda w: w.bank_officer_2, S.REFERRED_TO_BANK,
        lambda a, pk, w: services.application_start_bank_review(actor=a, application_id=pk)),
    "officer of the bank, narrowed to another province": (
        _bank_1_narrowed_to_b, S.BANK_REVIEW,
        lambda a, pk, w: services.application_approve_by_bank(actor=a, application_id=pk, approved_loan_rials=1)),
    "officer of the bank before referral": (
        lambda w: w.bank_officer_1, S.WORKING_GROUP_REVIEW,
        lambda a, pk, w: services.application_start_bank_review(actor=a, application_id=pk)),
    "another applicant": (
        lambda w: w.other_owner, S.SUBMITTED,
        lambda a, pk, w: services.application_withdraw(actor=a, application_id=pk)),
    "another applicant adding a document": (
        lambda w: w.other_owner, S.RETURNED,
        lambda a, pk, w: services.document_add(actor=a, application_id=pk,
                                               kind=ApplicationDocument.Kind.FEASIBILITY_STUDY,
                                               uploaded_file=pdf("doc.pdf"))),
    "manager of another province": (
        lambda w: w.manager_b, S.SUBMITTED,
        lambda a, pk, w: services.application_start_agency_review(actor=a, application_id=pk)),
    "system administrator": (
        lambda w: w.admin, S.SUBMITTED,
        lambda a, pk, w: services.application_start_agency_review(actor=a, application_id=pk)),
}


@pytest.mark.parametrize("outsider", sorted(OUTSIDERS))
def test_outsider_gets_404_from_the_selectors(advance_to, world, outsider):
    make, state, _call = OUTSIDERS[outsider]
    app = advance_to(state)
    account = make(world)
    with pytest.raises(NotFound):
        application_get(account, app.pk)
    assert not applications_visible_to(account).filter(pk=app.pk).exists()


@pytest.mark.parametrize("outsider", sorted(OUTSIDERS))
def test_outsider_gets_404_from_the_services_and_nothing_changes(advance_to, world, outsider):
    make, state, call = OUTSIDERS[outsider]
    app = advance_to(state)
    account = make(world)
    before = unchanged(app)
    with pytest.raises(NotFound):
        call(account, app.pk, world)
    assert unchanged(app) == before


def test_missing_or_malformed_id_is_404(world):
    for pk in (987654, "abc", None):
        with pytest.raises(NotFound):
            application_get(world.ministry, pk)
        with pytest.raises(NotFound), transaction.atomic():
            application_get_for_update(world.ministry, pk)


def test_locking_lookup_is_scoped_too(advance_to, world):
    app = advance_to(S.SUBMITTED)
    with pytest.raises(NotFound):
        application_get_for_update(world.agency_officer_b, app.pk)
    assert application_get_for_update(world.agency_officer_a, app.pk).pk == app.pk


def test_bank_officer_sees_the_application_once_referred_to_the_bank(advance_to, world):
    app = advance_to(S.REFERRED_TO_BANK)
    assert application_get(world.bank_officer_1, app.pk).pk == app.pk


def test_bank_officer_narrowed_to_the_province_sees_it(advance_to, world):
    narrowed = BankOfficerFactory(username="bank_1_in_a", bank=world.bank_1, bank_provinces=[world.province_a])
    app = advance_to(S.BANK_REVIEW)
    assert application_get(narrowed, app.pk).pk == app.pk
    services.application_approve_by_bank(actor=narrowed, application_id=app.pk, approved_loan_rials=1_000_000)
    assert InvestmentApplication.objects.get(pk=app.pk).state == S.BANK_APPROVED


# --- lists ----------------------------------------------------------------------------------------

@pytest.fixture
def four(advance_to, world):
    """Four applications: (province, owner, state, bank)
    a1: A, applicant_1, submitted · a2: A, applicant_2, bank review at bank_1 ·
    b1: B, applicant_1, bank review at bank_2 · b2: B, applicant_2, agency approved."""
    return {
        "a1": advance_to(S.SUBMITTED).pk,
        "a2": advance_to(S.BANK_REVIEW, applicant=world.applicant_2).pk,
        "b1": advance_to(S.BANK_REVIEW, province="b", bank=world.bank_2).pk,
        "b2": advance_to(S.AGENCY_APPROVED, province="b", applicant=world.applicant_2).pk,
    }


def ids(queryset):
    return sorted(queryset.values_list("pk", flat=True))


VISIBLE = {
    "owner": ["a1", "b1"],
    "other_owner": ["a2", "b2"],
    "agency_officer_a": ["a1", "a2"],
    "agency_officer_b": ["b1", "b2"],
    "secretary_a": ["a1", "a2"],
    "secretary_b": ["b1", "b2"],
    "manager_a": ["a1", "a2"],
    "manager_b": ["b1", "b2"],
    "bank_officer_1": ["a2"],
    "bank_officer_2": ["b1"],
    "ministry": ["a1", "a2", "b1", "b2"],
    "admin": [],
}


@pytest.mark.parametrize("account", sorted(VISIBLE))
def test_list_holds_exactly_the_accounts_scope(world, four, account):
    assert ids(applications_visible_to(getattr(world, account))) == sorted(four[k] for k in VISIBLE[account])


INBOX = {
    "owner": [],  # a1 waits for the agency, b1 for the bank
    "agency_officer_a": ["a1"],
    "agency_officer_b": [],
    "secretary_a": [],
    "secretary_b": ["b2"],
    "bank_officer_1": ["a2"],
    "bank_officer_2": ["b1"],
}


@pytest.mark.parametrize("account", sorted(INBOX))
def test_inbox_holds_what_awaits_the_account_in_its_scope(world, four, account):
    assert ids(application_inbox(getattr(world, account))) == sorted(four[k] for k in INBOX[account])


def test_bank_officer_narrowed_to_a_province_lists_only_that_province(world, four):
    narrowed = BankOfficerFactory(username="bank_2_in_a", bank=world.bank_2, bank_provinces=[world.province_a])
    assert ids(applications_visible_to(narrowed)) == []
    widened = BankOfficerFactory(username="bank_2_in_b", bank=world.bank_2, bank_provinces=[world.province_b])
    assert ids(applications_visible_to(widened)) == [four["b1"]]


def test_ministry_staff_read_every_province(world, four):
    for pk in four.values():
        assert application_get(world.ministry, pk).pk == pk


def test_provincial_manager_reads_own_province_only(world, four):
    assert application_get(world.manager_a, four["a1"]).pk == four["a1"]
    with pytest.raises(NotFound):
        application_get(world.manager_a, four["b1"])


def test_provincial_manager_cannot_act(world, four):
    before = unchanged(InvestmentApplication.objects.get(pk=four["a1"]))
    with pytest.raises(NotAllowed):
        services.application_start_agency_review(actor=world.manager_a, application_id=four["a1"])
    assert unchanged(InvestmentApplication.objects.get(pk=four["a1"])) == before


def test_ministry_staff_cannot_act(world, four):
    with pytest.raises(NotAllowed):
        services.application_start_agency_review(actor=world.ministry, application_id=four["a1"])
    assert InvestmentApplication.objects.get(pk=four["a1"]).state == S.SUBMITTED


def test_inactive_account_sees_nothing(world, four):
    world.agency_officer_a.is_active = False
    world.agency_officer_a.save()
    assert ids(applications_visible_to(world.agency_officer_a)) == []
    with pytest.raises(NotFound):
        services.application_start_agency_review(actor=world.agency_officer_a, application_id=four["a1"])


CALLS = {
    "agency_officer_a": ["a"],
    "agency_officer_b": ["b"],
    "secretary_a": ["a"],
    "manager_b": ["b"],
    "ministry": ["a", "b"],
    "bank_officer_1": [],
    "owner": [],
    "admin": [],
}


@pytest.mark.parametrize("account", sorted(CALLS))
def test_calls_listed_for_management_are_scoped(world, account):
    expected = sorted({"a": world.call_a.pk, "b": world.call_b.pk}[k] for k in CALLS[account])
    assert ids(calls_visible_to(getattr(world, account))) == expected
