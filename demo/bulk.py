"""The demo in volume: ``seed_demo --applications N`` for N above ``BULK_THRESHOLD`` (C19, timing).

The small demo (``financing.demo``) builds each application through the services: right, but
about 25 ms an application, so 100,000 would take most of an hour. This module builds the same kind
of data with ``bulk_create`` in batches:

- the staff accounts, the officers' priority sectors and the calls: the small demo's own code;
- the applicants: users and profiles in bulk, valid and unique national IDs, unique company names,
  one shared password hash;
- each application follows a route of ``demo.make_plan`` through the model's own transition methods,
  in memory, taken by the actor the route names. So every step is one the §9 workflow allows to
  that actor, and it sets the same fields as the services (the tracking code at the first agency
  approval, the bank, the approved loan, the declared jobs). One audit record is written per step,
  as the services write it (actor, role, action, states, reason, figures), and the records are
  dated along the application's timeline;
- contracts, tranches and subsidy payouts follow from the route, with the small demo's figures.
  Tranches add up to the principal once the loan is fully disbursed, and payouts add up to the
  commitment once the file is closed;
- every document row points to one stored PDF; 100,000 copies of one file would prove nothing.

The services' per-step work that only protects live data (row locks, scope look-ups, stale-state
checks) is skipped. Randomness is ``random.Random(seed)``, as in the small demo. Tracking codes
are the exception: they come from ``tracking.generate`` (``secrets``, C20).

Amounts are rials, jobs persons, rates percent per year, terms months.
"""

import datetime
import hashlib
import random
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditRecord, Role, User
from common.normalization import normalize_text, search_key, to_persian_digits
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
from financing.services import application_search_text

from . import builder as demo
from .builder import DEMO_PASSWORD, MAX_GAP_DAYS, DemoReport, make_plan, split_amount, target_states

S = ApplicationState
Kind = ApplicationDocument.Kind

BULK_THRESHOLD = 2_000  # above this many applications, seed_demo builds in bulk
CHUNK = 2_000  # applications built and inserted together
BATCH = 2_000  # rows per INSERT

# Who takes each kind of step: keys of the actors of one application (see ``_Walk.actors``).
OWNER, AGENCY, WG, BANK = "owner", "agency", "wg", "bank"
# The model's transition methods that need a reason, and the demo's reasons for them.
_REASONS = {action: [normalize_text(text) for text in texts] for action, texts in {
    "return_by_agency": demo.REASONS_RETURN, "return_by_working_group": demo.REASONS_RETURN,
    "reject_by_agency": demo.REASONS_REJECT, "reject_by_working_group": demo.REASONS_REJECT,
    "reject_by_bank": demo.REASONS_REJECT, "withdraw": demo.REASONS_WITHDRAW,
}.items()}
_BRANCHES = {
    "return_agency": ("return_by_agency", AGENCY), "return_wg": ("return_by_working_group", WG),
    "reject_agency": ("reject_by_agency", AGENCY), "reject_wg": ("reject_by_working_group", WG),
    "reject_bank": ("reject_by_bank", BANK), "withdraw": ("withdraw", OWNER),
}
DOCUMENT_NAMES = {
    Kind.FEASIBILITY_STUDY: "feasibility-study.pdf",
    Kind.BANK_DOCUMENT: "bank-documents.pdf",
    Kind.OPERATION_EVIDENCE: "operation-evidence.pdf",
}
REVISED_STUDY = "feasibility-revised.pdf"


def route(plan, rng: random.Random) -> list:
    """The steps of ``plan`` as ``(action, actor key[, document kind])`` tuples, one audit record
    each, in the order ``demo.ApplicationBuilder.steps`` takes them. ``action`` is ``"submit"``,
    ``"add_document"`` or the name of a transition method of ``InvestmentApplication``."""
    review, approve = ("start_agency_review", AGENCY), ("approve_by_agency", AGENCY)
    start_wg = ("start_working_group_review", WG)
    resubmit = [("add_document", OWNER, Kind.FEASIBILITY_STUDY), ("resubmit", OWNER), review]
    steps = [("submit", OWNER)]
    for state in plan.stops[1:]:
        if state == S.AGENCY_REVIEW:
            steps.append(review)
        elif state == S.AGENCY_APPROVED:
            if plan.detour == "agency":
                steps += [("return_by_agency", AGENCY), *resubmit]
            steps.append(approve)
        elif state == S.WORKING_GROUP_REVIEW:
            steps.append(start_wg)
        elif state == S.REFERRED_TO_BANK:
            if plan.detour == "wg":
                steps += [("return_by_working_group", WG), *resubmit, approve, start_wg]
            steps.append(("refer_to_bank", WG))
        elif state == S.BANK_REVIEW:
            steps.append(("start_bank_review", BANK))
        elif state == S.BANK_APPROVED:
            steps.append(("approve_by_bank", BANK))
        elif state == S.CONTRACTED:
            steps += [("add_document", OWNER, Kind.BANK_DOCUMENT), ("sign_contract", BANK)]
        elif state == S.DISBURSING:
            steps += [("record_disbursement", BANK)] * min(plan.tranches_now, plan.tranches - 1)
        elif state == S.FULLY_DISBURSED:
            steps.append(("record_disbursement", BANK))
        elif state == S.OPERATION_DECLARED:
            steps += [("add_document", OWNER, Kind.OPERATION_EVIDENCE), ("declare_operation", OWNER)]
        elif state == S.OPERATING:
            steps.append(("confirm_operation", AGENCY if rng.random() < 0.2 else BANK))
        elif state == S.SUBSIDY_IN_PAYMENT:
            steps += [("pay_subsidy", WG)] * min(plan.payouts_now, plan.payouts - 1)
        elif state == S.CLOSED:
            steps.append(("pay_subsidy", WG))
    if plan.branch:
        steps.append(_BRANCHES[plan.branch])
    return steps


def timeline(steps: int, rng: random.Random, now) -> list:
    """``steps`` aware datetimes, ascending, the last some days before ``now``: the small demo's
    pauses (up to ``MAX_GAP_DAYS`` days and at least an hour between two steps)."""
    gaps = [datetime.timedelta(days=rng.randrange(0, MAX_GAP_DAYS), hours=rng.randrange(1, 10),
                               minutes=rng.randrange(0, 60)) for _ in range(steps - 1)]
    slack = datetime.timedelta(days=rng.randrange(0, 20), minutes=rng.randrange(1, 600))
    times = [now - slack - sum(gaps, datetime.timedelta())]
    for gap in gaps:
        times.append(times[-1] + gap)
    return times


@contextmanager
def _dated_as_given(*fields):
    """Let ``bulk_create`` keep the times given to ``auto_now_add`` ``fields`` (each step's own
    time) instead of stamping the current time; restored on exit."""
    saved = [(f, f.auto_now_add) for f in fields]
    try:
        for f, _auto in saved:
            f.auto_now_add = False
        yield
    finally:
        for f, auto in saved:
            f.auto_now_add = auto


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
    contract, tranches and payouts, ready for ``bulk_create``. Rows that name the application's
    id (references, idempotency keys, the audit records' ``object_id``) get it in ``finish()``."""

    def __init__(self, *, application, actors, bank, plan, rng, pdf, codes):
        self.application, self.actors, self.bank, self.plan, self.rng = application, actors, bank, plan, rng
        self.pdf, self.codes = pdf, codes
        self.documents, self.records, self.disbursements, self.payouts = [], [], [], []
        self.contract = None
        self._document_records = []  # (document, its audit data)
        self._tranche_records = []  # (disbursement, number, its audit data)

    def run(self, steps, times):
        for step, at in zip(steps, times, strict=True):
            action, actor = step[0], self.actors[step[1]]
            if action == "submit":
                self._record(actor, "submit", "", S.SUBMITTED, at)
                self._document(Kind.FEASIBILITY_STUDY, DOCUMENT_NAMES[Kind.FEASIBILITY_STUDY], at)
            elif action == "add_document":
                kind = step[2]
                revised = kind == Kind.FEASIBILITY_STUDY
                document = self._document(kind, REVISED_STUDY if revised else DOCUMENT_NAMES[kind], at)
                data = {"document": None, "kind": kind}
                state = self.application.state
                self._record(actor, "add_document", state, state, at, data=data)
                self._document_records.append((document, data))
            else:
                self._transition(action, actor, at)
        return self

    def _record(self, actor, action, from_state, to_state, at, *, reason="", data=None):
        self.records.append(AuditRecord(actor_id=actor.pk, actor_role=actor.role, action=action, from_state=from_state,
                                        to_state=to_state, reason=reason, data=data or {}, at=at))

    def _document(self, kind, name, at):
        document = self.pdf.row(application=self.application, kind=kind, original_name=name,
                                owner=self.actors[OWNER], at=at)
        self.documents.append(document)
        return document

    def _transition(self, action, actor, at):
        app, plan, rng = self.application, self.plan, self.rng
        params, data = {}, {}
        if action == "approve_by_agency":
            params["tracking_code"] = app.tracking_code or self._new_code()
        elif action == "refer_to_bank":
            params["bank"] = self.bank
            data = {"bank": self.bank.pk}
        elif action == "approve_by_bank":
            share = rng.choice([100, 100, 90, 80, 70])
            params["approved_loan_rials"] = app.requested_loan_rials * share // 100 // 1_000_000 * 1_000_000
            data = {"approved_loan_rials": params["approved_loan_rials"]}
        elif action == "sign_contract":
            self.contract = self._contract(at)
            data = {"principal_rials": self.contract.principal_rials,
                    "subsidy_committed_rials": self.contract.subsidy_committed_rials}
        elif action == "record_disbursement":
            number = len(self.disbursements)
            amount = split_amount(self.contract.principal_rials, plan.tranches)[number]
            params["fully_disbursed"] = number + 1 == plan.tranches
            data = {"amount_rials": amount, "bank_reference": None}
            tranche = Disbursement(application=app, amount_rials=amount, paid_on=timezone.localtime(at).date(),
                                   recorded_by=actor)
            self.disbursements.append(tranche)
            self._tranche_records.append((tranche, number, data))
        elif action == "declare_operation":
            params = {"operation_started_on": timezone.localtime(at).date(),
                      "actual_new_jobs": max(0, app.planned_new_jobs - rng.randrange(0, 4)),
                      "actual_retained_jobs": app.planned_retained_jobs}
            data = {"operation_started_on": params["operation_started_on"].isoformat(),
                    "actual_new_jobs": params["actual_new_jobs"],
                    "actual_retained_jobs": params["actual_retained_jobs"]}
        elif action == "pay_subsidy":
            number = len(self.payouts)
            amount = split_amount(self.contract.subsidy_committed_rials, plan.payouts)[number]
            params["fully_paid"] = number + 1 == plan.payouts
            data = {"amount_rials": amount}
            self.payouts.append(SubsidyPayout(application=app, amount_rials=amount,
                                              paid_on=timezone.localtime(at).date(), recorded_by=actor))
        reason = rng.choice(_REASONS[action]) if action in _REASONS else ""
        from_state = app.state
        getattr(app, action)(by=actor, **params)  # the model's transition: refuses a wrong state or actor
        app.state_changed_at = at
        self._record(actor, action, from_state, app.state, at, reason=reason, data=data)

    def _new_code(self):
        code = tracking.generate()
        while code in self.codes:
            code = tracking.generate()
        self.codes.add(code)
        return code

    def _contract(self, at):
        """The small demo's contract terms (``demo.ApplicationBuilder._sign_contract``)."""
        rng, approved = self.rng, self.application.approved_loan_rials
        subsidy_rate = rng.choice([8, 10, 12])
        term = rng.choice([36, 48, 60, 84])
        committed = approved * subsidy_rate * term // (12 * 100 * 2) // 1_000_000 * 1_000_000
        return LoanContract(
            application=self.application, principal_rials=approved,
            interest_rate_percent=Decimal(rng.choice(["18.00", "21.00", "23.00"])),
            subsidy_rate_percent=Decimal(subsidy_rate), term_months=term, grace_months=rng.choice([6, 12]),
            planned_tranches=self.plan.tranches, subsidy_committed_rials=max(1_000_000, committed),
            signed_on=timezone.localtime(at).date(), bank_reference="", recorded_by=self.actors[BANK])

    def finish(self, content_type_id):
        """Fill in what names the application's id, once it is inserted; documents must be too."""
        pk = self.application.pk
        for record in self.records:
            record.content_type_id, record.object_id = content_type_id, pk
        for document, data in self._document_records:
            data["document"] = document.pk
        for tranche, number, data in self._tranche_records:
            tranche.bank_reference = data["bank_reference"] = f"DEMO-{pk:05d}-T{number + 1}"
            tranche.idempotency_key = f"demo-{pk}-{number + 1}"
        if self.contract is not None:
            self.contract.bank_reference = f"DEMO-{self.bank.code}-{pk:05d}"


def _bulk_applicants(count, rng, password_hash) -> list:
    """``count`` applicants as the small demo registers them (about one in six a cooperative
    company), inserted in bulk: valid national IDs unused so far, company names unused so far."""
    used = set(Applicant.objects.values_list("national_id", flat=True))
    used_names = set(Applicant.objects.filter(person_kind=Applicant.PersonKind.LEGAL)
                     .values_list("search_text", flat=True))
    users, profiles = [], []
    for number in range(1, count + 1):
        legal = rng.random() < 0.16
        national_id = demo._company_id(rng) if legal else demo._national_id(rng)
        while national_id in used:
            national_id = demo._company_id(rng) if legal else demo._national_id(rng)
        used.add(national_id)
        if legal:
            words = demo.COMPANY_WORDS
            name = f"شرکت تعاونی {rng.choice(words)} {rng.choice(words)}"
            if search_key(name) in used_names:
                name = f"{name} {to_persian_digits(number)}"
            used_names.add(search_key(name))
        else:
            name = f"{rng.choice(demo.FIRST_NAMES)} {rng.choice(demo.LAST_NAMES)}"
        name, mobile = normalize_text(name), f"09{rng.randrange(10**9):09d}"
        users.append(User(username=f"applicant.{number:03d}", password=password_hash, role=Role.APPLICANT,
                          mobile=mobile, first_name=name[:150]))
        profiles.append(Applicant(
            person_kind=Applicant.PersonKind.LEGAL if legal else Applicant.PersonKind.NATURAL,
            ownership=Applicant.Ownership.COOPERATIVE if legal else Applicant.Ownership.PRIVATE,
            national_id=national_id, name=name, mobile=mobile, search_text=search_key(name)))
    User.objects.bulk_create(users, batch_size=BATCH)
    for user, profile in zip(users, profiles, strict=True):
        profile.user = user
    Applicant.objects.bulk_create(profiles, batch_size=BATCH)
    return profiles


def seed_demo_bulk(*, applications: int, seed: int = 1404, now=None, progress=None) -> DemoReport:
    """Create the demo accounts, calls and ``applications`` applications in bulk, in one transaction.

    The same accounts and calls as ``demo.seed_demo``; see the module docstring for the rest.
    Raises ``DemoDataPresent`` when the demo exists (nothing is written) and ``ReferenceDataMissing``
    when the programme data is not loaded. ``now`` (aware datetime) ends the invented timeline;
    ``progress(done, total)`` is called after each chunk of applications.
    """
    provinces = demo.check_can_seed()
    rng = random.Random(seed)
    now = now or timezone.now()
    report = DemoReport()
    password_hash = make_password(DEMO_PASSWORD)

    plans = [make_plan(target, rng) for target in target_states(applications, rng)]
    routes = [route(plan, rng) for plan in plans]
    times = [timeline(len(steps), rng, now) for steps in routes]
    oldest_days = max(((now - t[0]).days for t in times), default=0)

    with transaction.atomic():
        staff = demo._create_staff(provinces, password_hash, report)
        demo._ensure_priority_sectors(provinces, staff, report)
        calls = demo._publish_calls(staff, timezone.localtime(now).date(), oldest_days + 1)
        by_province, counties, banks = demo.calls_by_province(calls, provinces)
        province_order = sorted(by_province)
        applicants = _bulk_applicants(max(2, applications * 3 // 4), rng, password_hash)
        pdf = _SharedPdf()
        codes = set(InvestmentApplication.objects.exclude(tracking_code=None).values_list("tracking_code", flat=True))
        content_type_id = ContentType.objects.get_for_model(InvestmentApplication).pk
        audit_at = AuditRecord._meta.get_field("at")
        uploaded_at = ApplicationDocument._meta.get_field("uploaded_at")
        with _dated_as_given(audit_at, uploaded_at):
            for start in range(0, applications, CHUNK):
                walks = []
                for index in range(start, min(applications, start + CHUNK)):
                    call, sectors = rng.choice(by_province[province_order[index % len(province_order)]])
                    data = demo._application_input(call, rng, sectors, counties[call.province_id])
                    applicant = applicants[index] if index < len(applicants) else rng.choice(applicants)
                    bank = rng.choice(banks[call.province_id])
                    application = _new_application(call, data, applicant, times[index][0])
                    actors = {OWNER: applicant.user, AGENCY: staff.agency_officers[call.agency_id],
                              WG: staff.secretaries[call.province_id], BANK: staff.bank_officers[bank.pk]}
                    walks.append(_Walk(application=application, actors=actors, bank=bank, plan=plans[index], rng=rng,
                                       pdf=pdf, codes=codes).run(routes[index], times[index]))
                _insert(walks, content_type_id)
                if progress:
                    progress(min(applications, start + CHUNK), applications)
        for applicant in applicants[:2]:
            report.logins.append((applicant.user.username, Role.APPLICANT, applicant.name))
    report.applications = applications
    report.states = Counter(InvestmentApplication.objects.values_list("state", flat=True))
    report.tracking_codes = demo._sample_tracking_codes()
    return report


def _new_application(call, data, applicant, submitted_at):
    """The row ``services.application_submit`` would create, in state ``submitted``."""
    return InvestmentApplication(
        applicant=applicant, call=call, agency_id=call.agency_id, province_id=call.province_id,
        county=data.county, priority_sector=data.priority_sector,
        economic_sector_id=data.priority_sector.economic_sector_id, title=normalize_text(data.title),
        project_kind=data.project_kind, is_existing_unit=data.is_existing_unit,
        requested_loan_rials=data.requested_loan_rials, own_contribution_rials=data.own_contribution_rials,
        planned_new_jobs=data.planned_new_jobs, planned_retained_jobs=data.planned_retained_jobs,
        physical_progress_percent=data.physical_progress_percent, submitted_at=submitted_at,
        state_changed_at=submitted_at, search_text=application_search_text(data.title, applicant.name))


def _insert(walks, content_type_id):
    """Insert one chunk: applications first, then the rows that point to them."""
    InvestmentApplication.objects.bulk_create([w.application for w in walks], batch_size=BATCH)
    ApplicationDocument.objects.bulk_create([d for w in walks for d in w.documents], batch_size=BATCH)
    for walk in walks:
        walk.finish(content_type_id)
    AuditRecord.objects.bulk_create([r for w in walks for r in w.records], batch_size=BATCH)
    LoanContract.objects.bulk_create([w.contract for w in walks if w.contract is not None], batch_size=BATCH)
    Disbursement.objects.bulk_create([d for w in walks for d in w.disbursements], batch_size=BATCH)
    SubsidyPayout.objects.bulk_create([p for w in walks for p in w.payouts], batch_size=BATCH)
