"""``seed_demo`` in volume (``demo.bulk``): above 2,000 applications it builds them in
bulk, and the data is the kind the services make: legal routes through the §9 chain, one audit
record per step, tracking codes from the first agency approval, money rows that match the states."""

import io
import random

import pytest
from django.core.management import call_command
from django.db.models import Count, Min, Sum
from django.utils import timezone

from accounts.models import AuditRecord, Role
from budgets.models import LedgerEntry
from common.identifiers import is_valid_company_id, is_valid_national_id
from demo import bulk as demo_bulk
from demo import routes
from financing import tracking
from financing.models import (
    Applicant,
    ApplicationDocument,
    ApplicationState,
    Disbursement,
    InvestmentApplication,
    LoanContract,
    SubsidyPayout,
)
from tests.demo.helpers import application_entries, check_ledger_against_applications, histories, load_reference_data

S = ApplicationState
N = 3_000
# Who takes each step (roles.md); "add_document" and "submit" are the applicant's.
ACTOR_ROLES = {
    "submit": {Role.APPLICANT}, "add_document": {Role.APPLICANT}, "resubmit": {Role.APPLICANT},
    "withdraw": {Role.APPLICANT}, "declare_operation": {Role.APPLICANT},
    "start_agency_review": {Role.AGENCY_OFFICER}, "approve_by_agency": {Role.AGENCY_OFFICER},
    "reject_by_agency": {Role.AGENCY_OFFICER}, "return_by_agency": {Role.AGENCY_OFFICER},
    "start_working_group_review": {Role.WORKING_GROUP_SECRETARY}, "refer_to_bank": {Role.WORKING_GROUP_SECRETARY},
    "reject_by_working_group": {Role.WORKING_GROUP_SECRETARY},
    "return_by_working_group": {Role.WORKING_GROUP_SECRETARY}, "pay_subsidy": {Role.WORKING_GROUP_SECRETARY},
    "start_bank_review": {Role.BANK_OFFICER}, "approve_by_bank": {Role.BANK_OFFICER},
    "reject_by_bank": {Role.BANK_OFFICER}, "cancel_by_bank": {Role.BANK_OFFICER}, "sign_contract": {Role.BANK_OFFICER},
    "record_disbursement": {Role.BANK_OFFICER},
    "confirm_operation": {Role.BANK_OFFICER, Role.AGENCY_OFFICER},
}
NEEDS_REASON = {"reject_by_agency", "reject_by_working_group", "reject_by_bank", "cancel_by_bank", "return_by_agency",
                "return_by_working_group", "withdraw"}
CONTRACTED_OR_LATER = {S.CONTRACTED, S.DISBURSING, S.FULLY_DISBURSED, S.OPERATION_DECLARED, S.OPERATING,
                       S.SUBSIDY_IN_PAYMENT, S.CLOSED}
FULLY_DISBURSED_OR_LATER = CONTRACTED_OR_LATER - {S.CONTRACTED, S.DISBURSING}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """3,000 applications in bulk, built once for this module's tests (and removed after them)."""
    with django_db_blocker.unblock():
        load_reference_data()
        out = io.StringIO()
        call_command("seed_demo", applications=N, stdout=out)
        yield out.getvalue()
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def db_seeded(seeded, db):
    return seeded


def legal_transitions():
    """``{(method, from_state, to_state)}`` that the model's transitions allow."""
    allowed = set()
    for t in InvestmentApplication._meta.get_field("state").get_all_transitions(InvestmentApplication):
        for target in getattr(t.target, "allowed_states", None) or [t.target]:
            allowed.add((t.name, t.source, target))
    return allowed


def test_the_command_builds_in_bulk_and_says_how_long_it_took(db_seeded):
    assert N > demo_bulk.BULK_THRESHOLD
    assert "Demo data created in" in db_seeded and f"{N} applications" in db_seeded
    assert InvestmentApplication.objects.count() == N
    assert set(InvestmentApplication.objects.values_list("state", flat=True)) == set(S.values)


def test_every_history_is_a_legal_route_from_submission_to_the_current_state(db_seeded):
    allowed = legal_transitions()
    by_app = histories()
    for app in InvestmentApplication.objects.all():
        history = by_app[app.pk]
        first, last = history[0], history[-1]
        assert (first.action, first.from_state, first.to_state, first.at) == ("submit", "", S.SUBMITTED,
                                                                                app.submitted_at)
        assert last.to_state == app.state and last.at == app.state_changed_at, app.pk
        assert [r.at for r in history] == sorted(r.at for r in history)
        for earlier, record in zip(history, history[1:], strict=False):
            assert record.from_state == earlier.to_state, (app.pk, record.action)
            if record.action == "add_document":
                assert record.to_state == record.from_state
            else:
                assert (record.action, record.from_state, record.to_state) in allowed, (app.pk, record.action)
        for record in history:
            assert record.actor.role == record.actor_role
            assert record.actor_role in ACTOR_ROLES[record.action], (app.pk, record.action, record.actor_role)
            assert bool(record.reason) == (record.action in NEEDS_REASON), (app.pk, record.action)


def test_actors_are_the_applications_own(db_seeded):
    """The owner, the call's agency, the province's secretary, the referred bank."""
    by_app = histories()
    for app in InvestmentApplication.objects.select_related("applicant"):
        for record in by_app[app.pk]:
            actor = record.actor
            if actor.role == Role.APPLICANT:
                assert actor.pk == app.applicant.user_id
            elif actor.role == Role.AGENCY_OFFICER:
                assert actor.agency_id == app.agency_id
            elif actor.role == Role.WORKING_GROUP_SECRETARY:
                assert actor.province_id == app.province_id
            else:
                assert app.bank_id is not None and actor.bank_id == app.bank_id


def test_tracking_codes_are_valid_unique_and_issued_at_the_first_agency_approval(db_seeded):
    approved = set(AuditRecord.objects.filter(action="approve_by_agency").values_list("object_id", flat=True))
    codes = dict(InvestmentApplication.objects.values_list("pk", "tracking_code"))
    assert {pk for pk, code in codes.items() if code} == approved
    issued = [code for code in codes.values() if code]
    assert len(issued) == len(set(issued)) > N // 2
    assert all(tracking.is_valid(code) for code in issued)


def test_money_rows_match_the_states(db_seeded):
    apps = {a["pk"]: a for a in InvestmentApplication.objects.values("pk", "state", "requested_loan_rials",
                                                                     "approved_loan_rials")}
    contracts = {c["application_id"]: c for c in LoanContract.objects.values(
        "application_id", "principal_rials", "subsidy_committed_rials", "planned_tranches")}
    tranches = {r["application_id"]: r for r in Disbursement.objects.values("application_id").annotate(
        total=Sum("amount_rials"), n=Count("id"))}
    payouts = {r["application_id"]: r for r in SubsidyPayout.objects.values("application_id").annotate(
        total=Sum("amount_rials"), n=Count("id"))}
    assert {pk for pk, a in apps.items() if a["state"] in CONTRACTED_OR_LATER} == set(contracts)
    for pk, app in apps.items():
        state, contract = app["state"], contracts.get(pk)
        paid, subsidy = tranches.get(pk, {"total": 0, "n": 0}), payouts.get(pk, {"total": 0, "n": 0})
        if contract:
            assert 0 < contract["principal_rials"] == app["approved_loan_rials"] <= app["requested_loan_rials"]
        if state in FULLY_DISBURSED_OR_LATER:
            assert paid["total"] == contract["principal_rials"] and paid["n"] == contract["planned_tranches"]
        elif state == S.DISBURSING:
            assert 0 < paid["total"] < contract["principal_rials"], pk
        else:
            assert paid["n"] == 0, (pk, state)
        if state == S.CLOSED:
            assert subsidy["total"] == contract["subsidy_committed_rials"], pk
        elif state == S.SUBSIDY_IN_PAYMENT:
            assert 0 < subsidy["total"] < contract["subsidy_committed_rials"], pk
        else:
            assert subsidy["n"] == 0, (pk, state)
    # One audit record per tranche and per payout, with the same amounts.
    audited = AuditRecord.objects.filter(action="record_disbursement").count()
    assert audited == Disbursement.objects.count()
    assert AuditRecord.objects.filter(action="pay_subsidy").count() == SubsidyPayout.objects.count()


def test_the_ledger_sums_to_the_applications(db_seeded):
    """The bulk loader's ledger entries are the services': see ``check_ledger_against_applications``."""
    check_ledger_against_applications()
    cancelled = InvestmentApplication.objects.filter(state=S.CANCELLED).count()
    assert application_entries().filter(kind=LedgerEntry.Kind.RELEASE).count() == 2 * cancelled > 0


def test_documents_share_one_stored_pdf_dated_by_their_steps(db_seeded):
    documents = ApplicationDocument.objects.all()
    assert documents.values("file").distinct().count() == 1
    with documents.first().file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    studies = set(documents.filter(kind=ApplicationDocument.Kind.FEASIBILITY_STUDY)
                  .values_list("application_id", flat=True))
    assert len(studies) == N
    added = {(r.object_id, r.data["document"], r.at) for r in AuditRecord.objects.filter(action="add_document")}
    submitted = dict(InvestmentApplication.objects.values_list("pk", "submitted_at"))
    first_ids = set(documents.values("application_id").annotate(first=Min("id")).values_list("first", flat=True))
    for document in documents:
        if document.pk in first_ids:
            assert document.uploaded_at == submitted[document.application_id]
        else:
            assert (document.application_id, document.pk, document.uploaded_at) in added


def test_applicants_have_valid_unique_ids_and_companies_unique_names(db_seeded):
    applicants = list(Applicant.objects.values("national_id", "person_kind", "search_text", "user__username"))
    assert len(applicants) == N * 3 // 4
    for a in applicants:
        valid = is_valid_company_id if a["person_kind"] == Applicant.PersonKind.LEGAL else is_valid_national_id
        assert valid(a["national_id"]), a
    companies = [a["search_text"] for a in applicants if a["person_kind"] == Applicant.PersonKind.LEGAL]
    assert len(companies) == len(set(companies)) > 100
    assert len({a["user__username"] for a in applicants}) == len(applicants)


def test_routes_and_timelines_are_deterministic_for_a_seed():
    def draw(seed):
        rng = random.Random(seed)
        plans = [routes.make_plan(t, rng) for t in routes.target_states(200, rng)]
        steps = [routes.route(plan, rng) for plan in plans]
        now = timezone.now().replace(microsecond=0)
        return plans, steps, [routes.timeline(len(r), rng, now) for r in steps], now

    first, again = draw(7), draw(7)
    assert first[:2] == again[:2]
    assert all(times == sorted(times) and times[-1] < first[3] for times in first[2])
