"""Invented demo data for the portal: one account per role, calls, and applications in every state.

Everything here is invented (names, national IDs, projects, amounts); only the reference data it
builds on (provinces, counties, organisations, priority sectors) is the programme's, loaded by
``manage.py load_programme``. Applications are built through ``financing.services``, so each one
has the history a real one would have; afterwards its audit rows are spread over the days between
its submission and today (the services stamp them with the time they ran).

Randomness is ``random.Random(seed)``: the same seed gives the same people, projects, figures and
states. Tracking codes are the exception: the services draw them from ``secrets`` (C20).

Amounts are rials, jobs persons, percent per year for rates, months for terms.
"""

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import AuditRecord, Notification, Role, User
from common.identifiers import is_valid_company_id, is_valid_national_id
from common.normalization import to_persian_digits
from common.testing import minimal_pdf
from financing import services
from financing.models import Applicant, ApplicationDocument, ApplicationState, InvestmentApplication
from programs.models import Agency, Bank, County, Province
from sectors.models import EconomicSector, PrioritySector

S = ApplicationState

DEMO_PASSWORD = "kaleh-demo-1404"
ALREADY_PRESENT = "demo data already present"
MINISTRY_USERNAME = "ministry"
ADMIN_USERNAME = "admin"
# The first province's officers of every role are listed first; it gets a narrowed bank officer too.
HOME_PROVINCE_CODE = "IR-05"  # Kermanshah


class DemoDataPresent(Exception):
    """The demo accounts exist already; nothing was written."""


class ReferenceDataMissing(Exception):
    """Provinces, agencies, banks or priority sectors are missing: run ``load_programme`` first."""


# --- files ----------------------------------------------------------------------------------------

def _pdf_upload(name: str, title: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(title), content_type="application/pdf")


# --- invented people ----------------------------------------------------------------------------------

FIRST_NAMES = [
    "علی", "محمد", "حسین", "رضا", "مهدی", "امیر", "سعید", "مجید", "بهرام", "کاوه", "فرهاد", "هادی",
    "زهرا", "فاطمه", "مریم", "سارا", "نرگس", "لیلا", "پروین", "شیرین", "الهام", "سمیرا", "نسرین", "ژیلا",
]
LAST_NAMES = [
    "کریمی", "احمدی", "رستمی", "مرادی", "حیدری", "کرمی", "نظری", "امیری", "قبادی", "یاری", "سلیمانی",
    "بیگی", "رحیمی", "جعفری", "عزیزی", "شریفی", "کاظمی", "ملکی", "فتحی", "زارعی", "صفری", "ولدبیگی",
]
COMPANY_WORDS = ["آینده", "کیان", "سپید", "زاگرس", "پارس", "نوین", "البرز", "سبلان", "مهر", "آرمان", "بیستون"]
REASONS_RETURN = [
    "جدول هزینه‌ها و منابع مالی طرح ناقص است.",
    "برآورد فروش سالانه مستند نشده است.",
    "مجوز فعالیت پیوست نشده است.",
]
REASONS_REJECT = [
    "طرح با رسته‌های اولویت‌دار فراخوان همخوانی ندارد.",
    "توجیه اقتصادی طرح کافی نیست.",
    "وثیقه و ضمانت‌نامه کافی ارائه نشده است.",
]
REASONS_WITHDRAW = ["متقاضی از اجرای طرح منصرف شد.", "متقاضی از منبع دیگری تأمین مالی کرد."]
PROJECT_KIND_TITLES = {
    InvestmentApplication.ProjectKind.NEW: "ایجاد واحد",
    InvestmentApplication.ProjectKind.EXPANSION: "توسعه واحد",
    InvestmentApplication.ProjectKind.WORKING_CAPITAL: "سرمایه در گردش واحد",
    InvestmentApplication.ProjectKind.COMPLETION: "تکمیل واحد",
}
# Lorestan has no sector table in the seed (program-brief §6): its officers enter their own.
# The demo enters these for any province that has none: (name, economic sector code).
OFFICER_SECTORS = [
    ("دامپروری و فرآورده‌های دامی", "agriculture"),
    ("صنایع تبدیلی کشاورزی", "industry"),
    ("گردشگری طبیعت", "tourism"),
    ("صنایع دستی و گلیم‌بافی", "handicrafts"),
]


def _national_id(rng: random.Random) -> str:
    """A random 10-digit national ID with a valid check digit (text, leading zeros kept)."""
    while True:
        body = f"{rng.randrange(10**9):09d}"
        for digit in "0123456789":
            if is_valid_national_id(body + digit):
                return body + digit


def _company_id(rng: random.Random) -> str:
    """A random 11-digit national company ID with a valid check digit."""
    while True:
        body = "10" + f"{rng.randrange(10**8):08d}"
        for digit in "0123456789":
            if is_valid_company_id(body + digit):
                return body + digit


# --- the report -----------------------------------------------------------------------------------------

@dataclass
class DemoReport:
    """What ``seed_demo`` made. ``logins`` rows are (username, role, scope text)."""

    password: str = DEMO_PASSWORD
    logins: list = field(default_factory=list)
    applications: int = 0
    states: Counter = field(default_factory=Counter)
    tracking_codes: list = field(default_factory=list)
    notes: list = field(default_factory=list)


# --- accounts ---------------------------------------------------------------------------------------------

def _province_slug(province) -> str:
    return slugify(province.name_en) or province.code.lower()


@dataclass
class _Staff:
    agency_officers: dict  # agency pk -> user
    secretaries: dict  # province pk -> user
    bank_officers: dict  # bank pk -> user (whole bank)


def _make_user(username, password_hash, *, role, report, scope_text, **scope):
    user = User(username=username, password=password_hash, role=role, first_name=scope_text[:150], **scope)
    user.full_clean(exclude=["password"])
    user.save()
    report.logins.append((username, role, scope_text))
    return user


def _create_staff(provinces, password_hash, report) -> _Staff:
    staff = _Staff({}, {}, {})
    home_first = sorted(provinces, key=lambda p: (p.code != HOME_PROVINCE_CODE, p.code))
    for province in home_first:
        slug = _province_slug(province)
        agencies = list(Agency.objects.filter(province=province).order_by("code"))
        busiest = max(agencies, key=lambda a: PrioritySector.objects.filter(
            province=province, economic_sector__agencies=a).count(), default=None)
        for agency in agencies:
            suffix = agency.code.split("-", 1)[-1]
            user = _make_user(f"agency.{slug}.{suffix}", password_hash, role=Role.AGENCY_OFFICER, report=report,
                              scope_text=agency.name, agency=agency)
            staff.agency_officers[agency.pk] = user
        if busiest is not None:
            _make_user(f"agency.{slug}", password_hash, role=Role.AGENCY_OFFICER, report=report,
                       scope_text=busiest.name, agency=busiest)
        staff.secretaries[province.pk] = _make_user(
            f"wg.{slug}", password_hash, role=Role.WORKING_GROUP_SECRETARY, report=report,
            scope_text=f"دبیر کارگروه اشتغال {province.name}", province=province)
        _make_user(f"manager.{slug}", password_hash, role=Role.PROVINCIAL_MANAGER, report=report,
                   scope_text=f"مدیر استانی {province.name}", province=province)
    home = home_first[0]
    for index, bank in enumerate(Bank.objects.order_by("code")):
        staff.bank_officers[bank.pk] = _make_user(f"bank.{bank.code}", password_hash, role=Role.BANK_OFFICER,
                                                  report=report, scope_text=bank.name, bank=bank)
        if index == 0:  # an account narrowed to one province's branches
            narrowed = _make_user(f"bank.{bank.code}.{_province_slug(home)}", password_hash,
                                  role=Role.BANK_OFFICER, report=report,
                                  scope_text=f"{bank.name}، شعب {home.name}", bank=bank)
            narrowed.bank_provinces.set([home])
    _make_user(MINISTRY_USERNAME, password_hash, role=Role.MINISTRY_STAFF, report=report,
               scope_text="معاونت توسعه کارآفرینی و اشتغال")
    if User.objects.filter(username=ADMIN_USERNAME).exists():
        report.notes.append(f"'{ADMIN_USERNAME}' already exists and was left unchanged.")
    else:
        # A system administrator manages accounts only (roles.md): not a superuser, so the admin
        # shows it no business data.
        User.objects.create(username=ADMIN_USERNAME, password=password_hash, role=Role.SYSTEM_ADMIN,
                            first_name="مدیر سامانه")
        report.logins.append((ADMIN_USERNAME, Role.SYSTEM_ADMIN, "accounts only"))
    return staff


def _ensure_priority_sectors(provinces, staff: _Staff, report):
    """Enter officer priority sectors for a province that has none (Lorestan in the seed)."""
    sectors = {s.code: s for s in EconomicSector.objects.all()}
    for province in provinces:
        if PrioritySector.objects.filter(province=province).exists():
            continue
        entries = [(name, sectors[code]) for name, code in OFFICER_SECTORS if code in sectors]
        for rank, (name, sector) in enumerate(entries, start=1):
            PrioritySector.objects.create(province=province, source=PrioritySector.Source.OFFICER, rank=rank,
                                          name=name, economic_sector=sector,
                                          created_by=staff.secretaries.get(province.pk))
        if entries:
            report.notes.append(f"{province.name_en}: {len(entries)} demo priority sectors entered by its officers.")


def _publish_calls(staff: _Staff, today, oldest_submission_days):
    """One call per agency that covers any of its province's priority sectors, open from before
    the oldest demo submission until four months from ``today``."""
    calls = []
    opens_on = today - datetime.timedelta(days=oldest_submission_days + 10)
    closes_on = today + datetime.timedelta(days=120)
    for agency in Agency.objects.select_related("province").order_by("province__code", "code"):
        sectors = list(PrioritySector.objects.filter(province=agency.province_id, economic_sector__agencies=agency)
                       .order_by("source", "rank", "id"))
        officer = staff.agency_officers.get(agency.pk)
        if not sectors or officer is None:
            continue
        calls.append(services.call_publish(
            actor=officer, title=f"فراخوان طرح‌های اشتغال‌زا: {agency.name}", priority_sectors=sectors,
            opens_on=opens_on, closes_on=closes_on,
            description="فراخوان نمایشی برنامه کاله برای رسته‌های اولویت‌دار استان."))
    return calls


def _register_applicants(count, rng):
    """``count`` applicants (about one in six a cooperative company) through the real service;
    passwords are set afterwards to one shared hash (hashing 300 times would take minutes)."""
    applicants, used = [], set()
    for number in range(1, count + 1):
        legal = rng.random() < 0.16
        while True:
            national_id = _company_id(rng) if legal else _national_id(rng)
            if national_id not in used:
                used.add(national_id)
                break
        if legal:
            # Company names are unique (a second شرکت کیان is a duplicate), so draw until unused.
            name = f"شرکت تعاونی {rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)}"
            while name in used:
                words = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)}"
                name = f"شرکت تعاونی {words} {to_persian_digits(number)}"
            used.add(name)
        else:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        applicants.append(services.applicant_register(
            username=f"applicant.{number:03d}", password=None, name=name, national_id=national_id,
            person_kind=Applicant.PersonKind.LEGAL if legal else Applicant.PersonKind.NATURAL,
            ownership=Applicant.Ownership.COOPERATIVE if legal else Applicant.Ownership.PRIVATE,
            mobile=f"09{rng.randrange(10**9):09d}"))
    return applicants


# --- applications ---------------------------------------------------------------------------------------

# How often each final state is chosen once every state has occurred once (weights).
STATE_WEIGHTS = {
    S.SUBMITTED: 8, S.AGENCY_REVIEW: 8, S.RETURNED: 4, S.AGENCY_APPROVED: 6, S.WORKING_GROUP_REVIEW: 6,
    S.REFERRED_TO_BANK: 5, S.BANK_REVIEW: 6, S.BANK_APPROVED: 5, S.CONTRACTED: 5, S.DISBURSING: 6,
    S.FULLY_DISBURSED: 5, S.OPERATION_DECLARED: 4, S.OPERATING: 5, S.SUBSIDY_IN_PAYMENT: 5, S.CLOSED: 6,
    S.REJECTED: 8, S.WITHDRAWN: 3,
}
# The main path, from submission to closure (roles.md).
MAIN_PATH = [
    S.SUBMITTED, S.AGENCY_REVIEW, S.AGENCY_APPROVED, S.WORKING_GROUP_REVIEW, S.REFERRED_TO_BANK, S.BANK_REVIEW,
    S.BANK_APPROVED, S.CONTRACTED, S.DISBURSING, S.FULLY_DISBURSED, S.OPERATION_DECLARED, S.OPERATING,
    S.SUBSIDY_IN_PAYMENT, S.CLOSED,
]
# Where each side branch leaves the main path.
BRANCH_FROM = {
    "return_agency": S.AGENCY_REVIEW, "return_wg": S.WORKING_GROUP_REVIEW, "reject_agency": S.AGENCY_REVIEW,
    "reject_wg": S.WORKING_GROUP_REVIEW, "reject_bank": S.BANK_REVIEW,
}
MAX_GAP_DAYS = 12  # the longest pause between two steps of one application


def target_states(count: int, rng: random.Random) -> list:
    """``count`` final states: every state once (as far as ``count`` allows), the rest by weight,
    shuffled."""
    states = list(ApplicationState.values)
    chosen = states[:count]
    chosen += rng.choices(states, weights=[STATE_WEIGHTS[s] for s in states], k=max(0, count - len(states)))
    rng.shuffle(chosen)
    return chosen


@dataclass
class Plan:
    """One application's route: the main-path states it reaches, then at most one side branch.

    ``detour`` is a return and resubmission on the way (``"agency"`` or ``"wg"``); ``tranches`` and
    ``payouts`` are how many loan tranches and subsidy payouts it has in all, ``tranches_now`` and
    ``payouts_now`` how many are paid when it stops (fewer than all only when it stops midway).
    """

    target: str
    stops: list
    branch: str | None
    detour: str | None
    tranches: int
    tranches_now: int
    payouts: int
    payouts_now: int


def make_plan(target: str, rng: random.Random) -> Plan:
    """A route that ends in ``target``."""
    branch = None
    if target == S.RETURNED:
        branch = rng.choice(["return_agency", "return_wg"])
    elif target == S.REJECTED:
        branch = rng.choice(["reject_agency", "reject_agency", "reject_wg", "reject_bank"])
    elif target == S.WITHDRAWN:
        branch = "withdraw"
    if branch == "withdraw":
        last = rng.choice([S.SUBMITTED, S.AGENCY_REVIEW, S.AGENCY_APPROVED, S.REFERRED_TO_BANK, S.BANK_REVIEW])
    else:
        last = BRANCH_FROM.get(branch, target)
    stops = MAIN_PATH[: MAIN_PATH.index(last) + 1]
    tranches = rng.choice([1, 2, 2, 3])
    payouts = rng.choice([1, 2, 2, 3])
    if last == S.DISBURSING:
        tranches = max(tranches, 2)
    if last == S.SUBSIDY_IN_PAYMENT:
        payouts = max(payouts, 2)
    tranches_now = rng.randrange(1, tranches) if last == S.DISBURSING else tranches
    payouts_now = rng.randrange(1, payouts) if last == S.SUBSIDY_IN_PAYMENT else payouts
    detour = None
    if S.AGENCY_APPROVED in stops and rng.random() < 0.15:
        detour = rng.choice(["agency", "wg"]) if S.REFERRED_TO_BANK in stops else "agency"
    return Plan(target=target, stops=stops, branch=branch, detour=detour, tranches=tranches,
                tranches_now=tranches_now, payouts=payouts, payouts_now=payouts_now)


def split_amount(total: int, parts: int, unit: int = 1_000_000) -> list:
    """``total`` rials in ``parts`` amounts rounded down to ``unit``; the last one takes the rest."""
    share = total // parts // unit * unit
    amounts = [share] * (parts - 1)
    return amounts + [total - sum(amounts)]


class ApplicationBuilder:
    """Drives one application through the services along its ``Plan``.

    ``steps()`` lists the route as callables, one service call (one audit row) each, taking the
    step's time (aware datetime); ``run(route, start, gaps)`` calls them at ``start`` + the running sum of
    ``gaps`` and then gives the audit rows those times.
    """

    def __init__(self, *, plan, call, data, applicant, staff, bank, rng):
        self.plan, self.call, self.data, self.rng = plan, call, data, rng
        self.owner = applicant.user
        self.agency_officer = staff.agency_officers[call.agency_id]
        self.secretary = staff.secretaries[call.province_id]
        self.bank = bank
        self.bank_officer = staff.bank_officers[bank.pk]
        self.pk = None
        self.contract = None

    # -- the route -------------------------------------------------------------------------------
    def steps(self) -> list:
        s, plan = services, self.plan
        agency, secretary, bank, owner = self.agency_officer, self.secretary, self.bank_officer, self.owner
        review = self._do(s.application_start_agency_review, agency)
        approve = self._do(s.application_approve_by_agency, agency)
        start_wg = self._do(s.application_start_working_group_review, secretary)
        resubmit = [self._document(ApplicationDocument.Kind.FEASIBILITY_STUDY, "feasibility-revised.pdf"),
                    self._do(s.application_resubmit, owner), review]
        route = [self._submit]
        for state in plan.stops[1:]:
            if state == S.AGENCY_REVIEW:
                route.append(review)
            elif state == S.AGENCY_APPROVED:
                if plan.detour == "agency":
                    route += [self._do(s.application_return_by_agency, agency, reason=REASONS_RETURN), *resubmit]
                route.append(approve)
            elif state == S.WORKING_GROUP_REVIEW:
                route.append(start_wg)
            elif state == S.REFERRED_TO_BANK:
                if plan.detour == "wg":
                    route += [self._do(s.application_return_by_working_group, secretary, reason=REASONS_RETURN),
                              *resubmit, approve, start_wg]
                route.append(self._do(s.application_refer_to_bank, secretary, bank=self.bank))
            elif state == S.BANK_REVIEW:
                route.append(self._do(s.application_start_bank_review, bank))
            elif state == S.BANK_APPROVED:
                route.append(self._approve_by_bank)
            elif state == S.CONTRACTED:
                route += [self._document(ApplicationDocument.Kind.BANK_DOCUMENT, "bank-documents.pdf"),
                          self._sign_contract]
            elif state == S.DISBURSING:
                route += [self._tranche(n) for n in range(min(plan.tranches_now, plan.tranches - 1))]
            elif state == S.FULLY_DISBURSED:
                route += [self._tranche(n) for n in range(plan.tranches - 1, plan.tranches)]
            elif state == S.OPERATION_DECLARED:
                route += [self._document(ApplicationDocument.Kind.OPERATION_EVIDENCE, "operation-evidence.pdf"),
                          self._declare_operation]
            elif state == S.OPERATING:
                confirmer = agency if self.rng.random() < 0.2 else bank
                route.append(self._do(s.application_confirm_operation, confirmer))
            elif state == S.SUBSIDY_IN_PAYMENT:
                route += [self._payout(n) for n in range(min(plan.payouts_now, plan.payouts - 1))]
            elif state == S.CLOSED:
                route += [self._payout(n) for n in range(plan.payouts - 1, plan.payouts)]
        branch = {
            "return_agency": (s.application_return_by_agency, agency, REASONS_RETURN),
            "return_wg": (s.application_return_by_working_group, secretary, REASONS_RETURN),
            "reject_agency": (s.application_reject_by_agency, agency, REASONS_REJECT),
            "reject_wg": (s.application_reject_by_working_group, secretary, REASONS_REJECT),
            "reject_bank": (s.application_reject_by_bank, bank, REASONS_REJECT),
            "withdraw": (s.application_withdraw, owner, REASONS_WITHDRAW),
        }.get(plan.branch)
        if branch:
            route.append(self._do(branch[0], branch[1], reason=branch[2]))
        return route

    def run(self, route, start, gaps) -> InvestmentApplication:
        """Call the ``route`` (from ``steps()``) at ``start`` + the running sum of ``gaps``."""
        times = [start]
        for gap in gaps[: len(route) - 1]:
            times.append(times[-1] + gap)
        for step, at in zip(route, times, strict=True):
            step(at)
        records = list(AuditRecord.objects.filter(content_type__app_label="financing",
                                                  content_type__model="investmentapplication", object_id=self.pk)
                       .order_by("id").values_list("pk", flat=True))
        if len(records) != len(times):
            raise AssertionError(f"application {self.pk}: {len(records)} audit rows for {len(times)} steps")
        for record_pk, at in zip(records, times, strict=True):
            AuditRecord.objects.filter(pk=record_pk).update(at=at)
        # Each file carries the time of the step that added it: the submission or its own step.
        document_times = [times[0]] + [at for step, at in zip(route, times, strict=True)
                                       if getattr(step, "adds_document", False)]
        documents = ApplicationDocument.objects.filter(application_id=self.pk).order_by("id").values_list("pk",
                                                                                                         flat=True)
        for document_pk, at in zip(documents, document_times, strict=False):
            ApplicationDocument.objects.filter(pk=document_pk).update(uploaded_at=at)
        InvestmentApplication.objects.filter(pk=self.pk).update(state_changed_at=times[-1])
        return InvestmentApplication.objects.get(pk=self.pk)

    # -- single steps ----------------------------------------------------------------------------
    def _do(self, service, actor, *, reason=None, **kwargs):
        def step(at):
            if reason is not None:
                kwargs["reason"] = self.rng.choice(reason)
            service(actor=actor, application_id=self.pk, **kwargs)

        return step

    def _submit(self, at):
        application = services.application_submit(
            actor=self.owner, call=self.call, data=self.data, now=at,
            feasibility_files=[_pdf_upload("feasibility-study.pdf", self.data.title)])
        self.pk = application.pk

    def _document(self, kind, name):
        def step(at):
            services.document_add(actor=self.owner, application_id=self.pk, kind=kind,
                                  uploaded_file=_pdf_upload(name, self.data.title))

        step.adds_document = True
        return step

    def _approve_by_bank(self, at):
        share = self.rng.choice([100, 100, 90, 80, 70])
        approved = self.data.requested_loan_rials * share // 100 // 1_000_000 * 1_000_000
        services.application_approve_by_bank(actor=self.bank_officer, application_id=self.pk,
                                             approved_loan_rials=approved)

    def _sign_contract(self, at):
        approved = InvestmentApplication.objects.values_list("approved_loan_rials", flat=True).get(pk=self.pk)
        subsidy_rate = self.rng.choice([8, 10, 12])
        term = self.rng.choice([36, 48, 60, 84])
        # An estimate of the interest the subsidy covers on a declining balance: about half the
        # principal's subsidised interest over the term (the budget rule comes later).
        committed = approved * subsidy_rate * term // (12 * 100 * 2) // 1_000_000 * 1_000_000
        self.contract = services.ContractInput(
            principal_rials=approved, interest_rate_percent=Decimal(self.rng.choice(["18.00", "21.00", "23.00"])),
            subsidy_rate_percent=Decimal(subsidy_rate), term_months=term, grace_months=self.rng.choice([6, 12]),
            planned_tranches=self.plan.tranches, subsidy_committed_rials=max(1_000_000, committed),
            signed_on=timezone.localtime(at).date(), bank_reference=f"DEMO-{self.bank.code}-{self.pk:05d}")
        services.application_sign_contract(actor=self.bank_officer, application_id=self.pk, contract=self.contract)

    def _tranche(self, number):
        def step(at):
            amount = split_amount(self.contract.principal_rials, self.plan.tranches)[number]
            services.application_record_disbursement(
                actor=self.bank_officer, application_id=self.pk, amount_rials=amount,
                paid_on=timezone.localtime(at).date(), bank_reference=f"DEMO-{self.pk:05d}-T{number + 1}",
                idempotency_key=f"demo-{self.pk}-{number + 1}")

        return step

    def _declare_operation(self, at):
        started = timezone.localtime(at).date()
        services.application_declare_operation(
            actor=self.owner, application_id=self.pk, operation_started_on=started,
            actual_new_jobs=max(0, self.data.planned_new_jobs - self.rng.randrange(0, 4)),
            actual_retained_jobs=self.data.planned_retained_jobs)

    def _payout(self, number):
        def step(at):
            amount = split_amount(self.contract.subsidy_committed_rials, self.plan.payouts)[number]
            services.application_pay_subsidy(actor=self.secretary, application_id=self.pk, amount_rials=amount,
                                             paid_on=timezone.localtime(at).date())

        return step


def _application_input(call, rng, sectors, counties) -> services.ApplicationInput:
    """Invented figures for an application to ``call``: 0.5–30 billion rials (C10: above 2³¹)."""
    sector = rng.choice(sectors)
    county = sector.county or rng.choice(counties)
    kind = rng.choice(list(InvestmentApplication.ProjectKind))
    completion = kind == InvestmentApplication.ProjectKind.COMPLETION
    requested = rng.randrange(5, 301) * 100_000_000
    return services.ApplicationInput(
        title=f"{PROJECT_KIND_TITLES[kind]} {sector.name} در {county.name}"[:300],
        county=county,
        priority_sector=sector,
        project_kind=kind,
        is_existing_unit=kind != InvestmentApplication.ProjectKind.NEW,
        requested_loan_rials=requested,
        own_contribution_rials=requested * rng.randrange(20, 45) // 100,
        planned_new_jobs=rng.randrange(2, 40),
        planned_retained_jobs=0 if kind == InvestmentApplication.ProjectKind.NEW else rng.randrange(0, 20),
        physical_progress_percent=rng.randrange(61, 96) if completion else rng.randrange(0, 61),
    )


def demo_present() -> bool:
    """True when the demo's ministry account exists (the marker that ``seed_demo`` ran)."""
    return User.objects.filter(username=MINISTRY_USERNAME).exists()


def _date_notifications_like_their_steps():
    """Give each demo notification the time of the step that sent it (the steps are back-dated, and
    the notifications go out only when the seeding transaction commits)."""
    app_type = ContentType.objects.get_for_model(InvestmentApplication)
    steps = defaultdict(list)
    for object_id, at in (AuditRecord.objects.filter(content_type=app_type).exclude(action="add_document")
                          .order_by("object_id", "id").values_list("object_id", "at")):
        steps[object_id].append(at)
    by_application = defaultdict(list)
    for pk, object_id, channel in (Notification.objects.filter(content_type=app_type)
                                   .order_by("object_id", "channel", "id").values_list("pk", "object_id", "channel")):
        by_application[(object_id, channel)].append(pk)
    for (object_id, _channel), pks in by_application.items():
        for pk, at in zip(pks, steps[object_id], strict=False):
            Notification.objects.filter(pk=pk).update(created_at=at, sent_at=at)


def _listed_logins():
    """The demo's accounts as ``(username, role, scope text)``: staff first, then two applicants."""
    staff = User.objects.exclude(role=Role.APPLICANT).order_by("date_joined", "id")
    applicants = User.objects.filter(role=Role.APPLICANT, username__startswith="applicant.").order_by("id")[:2]
    return [(u.username, u.role, u.first_name) for u in [*staff, *applicants]]


def _sample_tracking_codes():
    return list(InvestmentApplication.objects.exclude(tracking_code=None)
                .order_by("id").values_list("tracking_code", "state")[:5])


def existing_demo() -> DemoReport:
    """What an earlier ``seed_demo`` left: the logins, the states and a few tracking codes."""
    report = DemoReport()
    report.logins = _listed_logins()
    report.applications = InvestmentApplication.objects.count()
    report.states = Counter(InvestmentApplication.objects.values_list("state", flat=True))
    report.tracking_codes = _sample_tracking_codes()
    return report


def check_can_seed() -> list:
    """The provinces, ordered by code, once it is sure the demo may be built.

    Raises ``DemoDataPresent`` when ``seed_demo`` ran before and ``ReferenceDataMissing`` when the
    programme data is not loaded.
    """
    if demo_present():
        raise DemoDataPresent(ALREADY_PRESENT)
    provinces = list(Province.objects.order_by("code"))
    if not (provinces and Agency.objects.exists() and Bank.objects.exists() and County.objects.exists()
            and EconomicSector.objects.exists()):
        raise ReferenceDataMissing("programme data missing: run `manage.py load_programme` first")
    return provinces


def calls_by_province(calls, provinces):
    """``(by_province, counties, banks)``: for each province pk, its calls with their priority
    sectors ``[(call, [sector, …]), …]`` (only provinces with a county and a bank), its counties
    and its agent banks. Raises ``ReferenceDataMissing`` when no province has a usable call."""
    counties = {p.pk: list(County.objects.filter(province=p).order_by("code")) for p in provinces}
    banks = {p.pk: list(Bank.objects.filter(provinces=p).order_by("code")) for p in provinces}
    by_province = {}
    for call in calls:
        if counties[call.province_id] and banks[call.province_id]:
            sectors = list(call.priority_sectors.select_related("county").order_by("source", "rank", "id"))
            by_province.setdefault(call.province_id, []).append((call, sectors))
    if not by_province:
        raise ReferenceDataMissing("no call can be published: run `manage.py load_programme` first")
    return by_province, counties, banks


def seed_demo(*, applications: int = 300, seed: int = 1404, now=None) -> DemoReport:
    """Create the demo accounts, calls and ``applications`` applications, in one transaction.

    Raises ``DemoDataPresent`` when it ran before (nothing is written) and ``ReferenceDataMissing``
    when the programme data is not loaded. Every demo account's password is ``DEMO_PASSWORD``.
    ``now`` (aware datetime) is the end of the invented timeline; default the current time.
    """
    provinces = check_can_seed()
    rng = random.Random(seed)
    now = now or timezone.now()
    report = DemoReport()
    password_hash = make_password(DEMO_PASSWORD)

    # Routes and timelines first, so that the calls can open before the oldest submission.
    plans = [make_plan(target, rng) for target in target_states(applications, rng)]
    timelines = []
    for plan in plans:
        steps = 3 * len(plan.stops) + 8  # more than any route has
        gaps = [datetime.timedelta(days=rng.randrange(0, MAX_GAP_DAYS), hours=rng.randrange(1, 10),
                                   minutes=rng.randrange(0, 60)) for _ in range(steps)]
        slack = datetime.timedelta(days=rng.randrange(0, 20), minutes=rng.randrange(1, 600))
        timelines.append((gaps, slack))

    with transaction.atomic():
        staff = _create_staff(provinces, password_hash, report)
        _ensure_priority_sectors(provinces, staff, report)
        oldest = max(sum(gaps, datetime.timedelta()) + slack for gaps, slack in timelines) if timelines else \
            datetime.timedelta()
        calls = _publish_calls(staff, timezone.localtime(now).date(), oldest.days + 1)
        by_province, counties, banks = calls_by_province(calls, provinces)
        province_order = sorted(by_province)
        applicants = _register_applicants(max(2, applications * 3 // 4), rng)
        for index, (plan, (gaps, slack)) in enumerate(zip(plans, timelines, strict=True)):
            applicant = applicants[index] if index < len(applicants) else rng.choice(applicants)
            call, sectors = rng.choice(by_province[province_order[index % len(province_order)]])
            data = _application_input(call, rng, sectors, counties[call.province_id])
            builder = ApplicationBuilder(plan=plan, call=call, data=data, applicant=applicant, staff=staff,
                                         bank=rng.choice(banks[call.province_id]), rng=rng)
            route = builder.steps()
            start = now - slack - sum(gaps[: len(route) - 1], datetime.timedelta())
            builder.run(route, start, gaps)
        User.objects.filter(role=Role.APPLICANT, applicant__isnull=False,
                            username__startswith="applicant.").update(password=password_hash)
        for applicant in applicants[:2]:
            report.logins.append((applicant.user.username, Role.APPLICANT, applicant.name))
    _date_notifications_like_their_steps()
    report.applications = applications
    report.states = Counter(InvestmentApplication.objects.values_list("state", flat=True))
    report.tracking_codes = _sample_tracking_codes()
    return report
