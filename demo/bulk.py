"""The demo in volume: ``seed_demo --applications N`` for N above ``BULK_THRESHOLD`` (C19, timing).

The service-driven demo (``demo.builder``) is right but takes about 25 ms an application, so
100,000 would take most of an hour. This module builds the same kind of data with ``bulk_create``
in chunks:

- the staff accounts, the officers' priority sectors and the calls: ``demo.staff``, as the small demo;
- the applicants: ``demo.people``'s, inserted as users and profiles with one shared password hash;
- each application is the row ``financing.services.application_build`` makes for a submission, and
  takes the steps of its route (``demo.routes``, the small demo's routes) through the model's own
  transition methods, in memory, by the actor the step names. So every step is one the §9 workflow
  allows that actor, and it sets the same fields as the services (the tracking code at the first
  agency approval, the bank, the approved loan, the declared jobs). Each step's
  audit record is built by ``accounts.services.audit_record_build``, as the services build it,
  dated by the step's time on the timeline; each document is dated by the step that added it;
- contracts, tranches and subsidy payouts have the small demo's figures (``demo.figures``), so
  tranches add up to the principal once the loan is fully disbursed, and payouts to the
  commitment once the file is closed; the contract's subsidy is ``financing.schedule``'s, as the
  service computes it;
- the budget ledger gets the entries the money services would write (``budgets.services``), with
  the amounts and times of the rows: the approved loan committed at the bank's approval on the
  province's and the economic sector's loan lines of that step's Jalali year, released when the
  bank cancels, the subsidy committed at signing, each tranche and payout paid on the lines of
  its commitment. The demo's allocations (``demo.budget``) leave room for all of it, so the caps
  are not checked one entry at a time; once everything is inserted, a line with less than
  nothing left fails the whole demo;
- every document row points to one stored PDF; 100,000 copies of one file would prove nothing.

The services' per-step work that only protects live data (row locks, scope look-ups, stale-state
checks) is skipped, and so are the notifications. Randomness is ``random.Random(seed)``, as in the
small demo. Tracking codes are the exception: they come from ``tracking.generate`` (``secrets``, C20).

Amounts are rials, jobs persons, rates percent per year, terms months.
"""

import dataclasses
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditRecord, Role, User
from accounts.services import audit_record_build
from budgets.models import Fund, LedgerEntry
from common.normalization import normalize_text, search_key
from common.testing import minimal_pdf
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
from financing.priority import sector_effective_ranks
from financing.services import application_build

from . import figures
from .budget import BulkLedger, over_committed, years_spanned
from .interventions import build_interventions
from .people import invent_applicants, owner_of, registered_identities
from .report import DemoReport
from .routes import OWNER, reason_for
from .staff import start_demo
from .timetable import build_timetable

S = ApplicationState
K = LedgerEntry.Kind
# The reason ``application_sign_contract`` gives the release of a loan's unused part.
UNUSED_LOAN_REASON = "اصل قرارداد کمتر از مبلغ مصوب"

BULK_THRESHOLD = 2_000  # above this many applications, seed_demo builds in bulk
CHUNK = 2_000  # applications built and inserted together
BATCH = 2_000  # rows per INSERT


class _SharedPdf:
    """One stored PDF that every demo document row points to."""

    def __init__(self):
        content = minimal_pdf("KALEH")
        storage = ApplicationDocument._meta.get_field("file").storage
        self.name = storage.save("applications/demo/shared-demo-document.pdf", ContentFile(content))
        self.size = len(content)
        self.sha256 = hashlib.sha256(content).hexdigest()

    def row(self, *, application, kind, original_name, owner, at):
        return ApplicationDocument(application=application, kind=kind, file=self.name, original_name=original_name,
                                   content_type="application/pdf", size_bytes=self.size, sha256=self.sha256,
                                   uploaded_by=owner, uploaded_at=at)


class _Walk:
    """One application driven along its route in memory: the row, its documents, audit records,
    contract, tranches and payouts, ready for ``bulk_create``. What names the application's id (the
    audit records' ``object_id``, references, idempotency keys) is filled in by ``finish()``."""

    def __init__(self, *, application, actors, bank, plan, rng, pdf, codes, ledger):
        self.application, self.actors, self.bank, self.plan, self.rng = application, actors, bank, plan, rng
        self.pdf, self.codes, self.ledger = pdf, codes, ledger
        self.documents, self.records, self.disbursements, self.payouts, self.entries = [], [], [], [], []
        self.contract = None
        self._loan_lines = self._subsidy_lines = ()  # the lines each fund was committed on
        self._document_records = []  # (document, its audit data)
        self._tranche_records = []  # (disbursement, number, its audit data, its ledger entries)

    def run(self, steps, times):
        """Take ``steps`` (``routes.Step``) at ``times`` (aware datetimes). Raises django-fsm's
        ``TransitionNotAllowed`` or ``common.errors.NotAllowed`` for a step the workflow refuses
        (a demo bug)."""
        for step, at in zip(steps, times, strict=True):
            actor, document = self.actors[step.actor], None
            if step.kind:
                document = self.pdf.row(application=self.application, kind=step.kind, original_name=step.file_name,
                                        owner=self.actors[OWNER], at=at)
                self.documents.append(document)
            state = self.application.state
            if step.action == "submit":
                self._record(actor, "submit", "", S.SUBMITTED, at)
            elif step.action == "add_document":
                data = {"document": None, "kind": step.kind}
                self._record(actor, "add_document", state, state, at, data=data)
                self._document_records.append((document, data))
            else:
                self._transition(step.action, actor, at)
        return self

    def _record(self, actor, action, from_state, to_state, at, *, reason="", data=None):
        self.records.append(audit_record_build(actor=actor, target=self.application, action=action,
                                               from_state=from_state, to_state=to_state, reason=reason, data=data,
                                               at=at))

    def _transition(self, action, actor, at):
        app, plan, rng = self.application, self.plan, self.rng
        day = timezone.localtime(at).date()
        params, data = {}, {}
        if action == "approve_by_agency":
            params["tracking_code"] = app.tracking_code or self._new_code()
        elif action == "refer_to_bank":
            params["bank"] = self.bank
            data = {"bank": self.bank.pk}
        elif action == "approve_by_bank":
            params["approved_loan_rials"] = figures.approved_loan(app.requested_loan_rials, rng)
            data = {"approved_loan_rials": params["approved_loan_rials"]}
        elif action == "cancel_by_bank":
            data = {"released_rials": app.approved_loan_rials}
        elif action == "sign_contract":
            terms = figures.contract_input(app.approved_loan_rials, plan.tranches, rng, signed_on=day,
                                           bank_reference="")
            subsidy = figures.contract_subsidy(terms)
            self.contract = LoanContract(application=app, recorded_by=actor, subsidy_committed_rials=subsidy,
                                         **dataclasses.asdict(terms))
            data = {"principal_rials": terms.principal_rials, "subsidy_committed_rials": subsidy}
        elif action == "record_disbursement":
            number = len(self.disbursements)
            amount = figures.split_amount(self.contract.principal_rials, plan.tranches)[number]
            params["fully_disbursed"] = number + 1 == plan.tranches
            data = {"amount_rials": amount, "bank_reference": None}
            tranche = Disbursement(application=app, amount_rials=amount, paid_on=day, recorded_by=actor)
            self.disbursements.append(tranche)
        elif action == "declare_operation":
            params = {"operation_started_on": day,
                      "actual_new_jobs": figures.actual_new_jobs(app.planned_new_jobs, rng),
                      "actual_retained_jobs": app.planned_retained_jobs}
            data = {**params, "operation_started_on": day.isoformat()}
        elif action == "confirm_operation":
            params["subsidy_owed"] = self.contract.subsidy_committed_rials > 0
        elif action == "pay_subsidy":
            number = len(self.payouts)
            amount = figures.split_amount(self.contract.subsidy_committed_rials, plan.payouts)[number]
            params["fully_paid"] = number + 1 == plan.payouts
            data = {"amount_rials": amount}
            self.payouts.append(SubsidyPayout(application=app, amount_rials=amount, paid_on=day, recorded_by=actor))
        reason = reason_for(action, rng)
        from_state = app.state
        getattr(app, action)(by=actor, **params)  # the model's transition: refuses a wrong state or actor
        app.state_changed_at = app.updated_at = at
        self._book(action, actor, at, reason, data)
        self._record(actor, action, from_state, app.state, at, reason=reason, data=data)

    def _book(self, action, actor, at, reason, data):
        """The ledger entries of money step ``action`` (none for the other steps), as its service writes them."""
        app, ledger = self.application, self.ledger

        def enter(lines, kind, amount_rials, why=reason):
            entries = ledger.entries(lines, kind, amount_rials, actor=actor, at=at, reason=why)
            self.entries += entries
            return entries

        if action == "approve_by_bank":
            self._loan_lines = ledger.lines(app, Fund.LOANS, at)
            enter(self._loan_lines, K.COMMIT, app.approved_loan_rials)
        elif action == "cancel_by_bank":
            enter(self._loan_lines, K.RELEASE, data["released_rials"])
        elif action == "sign_contract":
            if self.contract.subsidy_committed_rials > 0:
                self._subsidy_lines = ledger.lines(app, Fund.INTEREST_SUBSIDY, at)
                enter(self._subsidy_lines, K.COMMIT, self.contract.subsidy_committed_rials)
            unused = app.approved_loan_rials - self.contract.principal_rials
            if unused > 0:
                enter(self._loan_lines, K.RELEASE, unused, UNUSED_LOAN_REASON)
        elif action == "record_disbursement":
            # The service's reason is the tranche's bank reference, which names the application's id.
            entries = enter(self._loan_lines, K.PAY, data["amount_rials"], "")
            self._tranche_records.append((self.disbursements[-1], len(self.disbursements) - 1, data, entries))
        elif action == "pay_subsidy":
            enter(self._subsidy_lines, K.PAY, data["amount_rials"])

    def _new_code(self):
        code = tracking.generate()
        while code in self.codes:
            code = tracking.generate()
        self.codes.add(code)
        return code

    def finish(self):
        """Fill in what names the application's id, once it and its documents are inserted."""
        pk = self.application.pk
        for record in self.records:
            record.object_id = pk
        for entry in self.entries:
            entry.source_id = pk
        for document, data in self._document_records:
            data["document"] = document.pk
        for tranche, number, data, entries in self._tranche_records:
            tranche.bank_reference = data["bank_reference"] = figures.tranche_reference(pk, number + 1)
            tranche.idempotency_key = figures.tranche_key(pk, number + 1)
            for entry in entries:
                entry.reason = normalize_text(tranche.bank_reference)
        if self.contract is not None:
            self.contract.bank_reference = figures.contract_reference(self.bank.code, pk)


def _bulk_applicants(count, rng, password_hash) -> list:
    """``count`` applicants (``people.invent_applicants``), inserted in bulk as users with
    ``password_hash`` and their profiles. Returns the profiles."""
    taken_ids, taken_names = registered_identities()
    users, profiles = [], []
    for invented in invent_applicants(count, rng, taken_ids=taken_ids, taken_names=taken_names):
        users.append(User(username=invented.username, password=password_hash, role=Role.APPLICANT,
                          mobile=invented.mobile, first_name=invented.name[:150]))
        profiles.append(Applicant(person_kind=invented.person_kind, ownership=invented.ownership,
                                  national_id=invented.national_id, name=invented.name, mobile=invented.mobile,
                                  search_text=search_key(invented.name)))
    User.objects.bulk_create(users, batch_size=BATCH)
    for user, profile in zip(users, profiles, strict=True):
        profile.user = user
    Applicant.objects.bulk_create(profiles, batch_size=BATCH)
    return profiles


def seed_demo_bulk(*, applications: int, seed: int = 1404, now=None, progress=None) -> DemoReport:
    """Create the demo accounts, calls and ``applications`` applications in bulk, in one transaction.

    The same accounts and calls as ``demo.builder.seed_demo``, and for the same ``seed`` and count
    the same routes (``routes.plan_routes``); see the module docstring for the rest. The development
    interventions and the timetable's progress are the small demo's, built through the services. Raises
    ``DemoDataPresent`` when the demo exists (nothing is written) and ``ReferenceDataMissing`` when
    the programme data is not loaded. ``now`` (aware datetime) ends the invented timeline;
    ``progress(done, total)`` is called after each chunk of applications.
    """
    start = start_demo(applications=applications, seed=seed, now=now)
    rng, routes, years = start.rng, start.routes, years_spanned(start.routes, start.now)
    with transaction.atomic():
        staff, calls = start.staff_and_calls()
        applicants = _bulk_applicants(max(2, applications * 3 // 4), rng, start.password_hash)
        pdf, ledger = _SharedPdf(), BulkLedger(years)
        ranks = sector_effective_ranks()  # one query, not one per officer-entered sector
        codes = set(InvestmentApplication.objects.exclude(tracking_code=None).values_list("tracking_code", flat=True))
        for first in range(0, applications, CHUNK):
            walks = []
            for index in range(first, min(applications, first + CHUNK)):
                planned, owner = routes[index], owner_of(index, applicants, rng)
                call, data, bank = calls.draw(index, rng)
                application = application_build(applicant=owner, call=call, data=data, submitted_at=planned.times[0],
                                                sector_rank=ranks[data.priority_sector.pk])
                walk = _Walk(application=application, actors=staff.actors(call=call, bank=bank, owner=owner.user),
                             bank=bank, plan=planned.plan, rng=rng, pdf=pdf, codes=codes, ledger=ledger)
                walks.append(walk.run(planned.steps, planned.times))
            _insert(walks)
            if progress:
                progress(min(applications, first + CHUNK), applications)
        # The few interventions and timetable records go through the services, as in the small demo.
        staff.notes += [*build_interventions(start, staff), *build_timetable(start, staff)]
        short = over_committed(years)
        if short:
            raise AssertionError(f"demo budget over-committed (a demo bug): {', '.join(short)}")
    return DemoReport.built(staff=staff, applicants=applicants, applications=applications)


def _insert(walks):
    """Insert one chunk: applications first, then the rows that point to them."""
    InvestmentApplication.objects.bulk_create([w.application for w in walks], batch_size=BATCH)
    ApplicationDocument.objects.bulk_create([d for w in walks for d in w.documents], batch_size=BATCH)
    for walk in walks:
        walk.finish()
    AuditRecord.objects.bulk_create([r for w in walks for r in w.records], batch_size=BATCH)
    LoanContract.objects.bulk_create([w.contract for w in walks if w.contract is not None], batch_size=BATCH)
    Disbursement.objects.bulk_create([d for w in walks for d in w.disbursements], batch_size=BATCH)
    SubsidyPayout.objects.bulk_create([p for w in walks for p in w.payouts], batch_size=BATCH)
    LedgerEntry.objects.bulk_create([e for w in walks for e in w.entries], batch_size=BATCH)
