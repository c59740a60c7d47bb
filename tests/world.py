"""The one world of test data, built with the factories and the services, and the helpers that
drive an application of it through the §9 chain (``financing.services``).

The world (``World``; the ``world`` fixture of ``tests/conftest.py`` builds one per test):
- provinces A and B [province_a, province_b], each with a county [county_a, county_b], one agency
  covering the economic sector [sector], a priority sector [priority_a, priority_b], a working group,
  its secretary, its provincial manager and an open call [call_a, call_b];
- two banks [bank_1, bank_2], both with branches in A and B, each with one officer covering the
  whole bank [bank_officer_1, bank_officer_2];
- ministry staff [ministry], a system administrator [admin];
- two registered applicants [applicant_1, applicant_2] (``Applicant``; their accounts are
  ``owner`` and ``other_owner``). applicant_1 gave a mobile number and an email address,
  applicant_2 a mobile number only.

Every account's password is ``tests.factories.PASSWORD``. Figures are in rials: see
``tests.factories.Figures``. Tests that go through the web pages register their own newcomers
(``tests.web.register_applicant``); the world's applicants are other people.
"""

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from common import jalali
from financing import services
from financing.models import ApplicationDocument, ApplicationState, InvestmentApplication
from tests.factories import (
    AgencyFactory,
    AgencyOfficerFactory,
    ApplicantFactory,
    BankFactory,
    BankOfficerFactory,
    BudgetYearFactory,
    CallFactory,
    CountyFactory,
    EconomicSectorFactory,
    Figures,
    MinistryStaffFactory,
    PrioritySectorFactory,
    ProvinceAllocationFactory,
    ProvinceFactory,
    ProvincialManagerFactory,
    SectorAllocationFactory,
    SystemAdminFactory,
    WorkingGroupFactory,
    WorkingGroupSecretaryFactory,
)
from tests.uploads import pdf

S = ApplicationState


@dataclass
class World:
    """The rows and accounts of the test world; see the module docstring."""

    province_a: object
    province_b: object
    county_a: object
    county_b: object
    sector: object
    agency_a: object
    agency_b: object
    priority_a: object
    priority_b: object
    agency_officer_a: object
    agency_officer_b: object
    secretary_a: object
    secretary_b: object
    manager_a: object
    manager_b: object
    bank_1: object
    bank_2: object
    bank_officer_1: object
    bank_officer_2: object
    ministry: object
    admin: object
    applicant_1: object
    applicant_2: object
    call_a: object
    call_b: object

    @property
    def owner(self):
        """The account of ``applicant_1``, who owns the applications ``advance`` makes."""
        return self.applicant_1.user

    @property
    def other_owner(self):
        return self.applicant_2.user


def build_world() -> World:
    """Create the world's rows (inside the caller's transaction or test database)."""
    sector = EconomicSectorFactory(code="test-agriculture", name="کشاورزی آزمایشی")
    province_a = ProvinceFactory(code="TSTA", name="استان الف", name_en="Province A")
    province_b = ProvinceFactory(code="TSTB", name="استان ب", name_en="Province B")
    for province in (province_a, province_b):
        WorkingGroupFactory(province=province)
    agency_a = AgencyFactory(province=province_a, code="tsta-agriculture", economic_sectors=[sector])
    agency_b = AgencyFactory(province=province_b, code="tstb-agriculture", economic_sectors=[sector])
    priority_a = PrioritySectorFactory(province=province_a, economic_sector=sector, rank=1, name="دامپروری")
    priority_b = PrioritySectorFactory(province=province_b, economic_sector=sector, rank=1, name="آبزی‌پروری")
    agency_officer_a = AgencyOfficerFactory(username="agency_a", agency=agency_a)
    agency_officer_b = AgencyOfficerFactory(username="agency_b", agency=agency_b)
    bank_1 = BankFactory(code="test-bank-1", name="بانک یکم", provinces=[province_a, province_b])
    bank_2 = BankFactory(code="test-bank-2", name="بانک دوم", provinces=[province_a, province_b])
    allocate_world_budget(province_a, province_b, sector)
    return World(
        province_a=province_a,
        province_b=province_b,
        county_a=CountyFactory(province=province_a, name="شهرستان الف"),
        county_b=CountyFactory(province=province_b, name="شهرستان ب"),
        sector=sector,
        agency_a=agency_a,
        agency_b=agency_b,
        priority_a=priority_a,
        priority_b=priority_b,
        agency_officer_a=agency_officer_a,
        agency_officer_b=agency_officer_b,
        secretary_a=WorkingGroupSecretaryFactory(username="secretary_a", province=province_a),
        secretary_b=WorkingGroupSecretaryFactory(username="secretary_b", province=province_b),
        manager_a=ProvincialManagerFactory(username="manager_a", province=province_a),
        manager_b=ProvincialManagerFactory(username="manager_b", province=province_b),
        bank_1=bank_1,
        bank_2=bank_2,
        bank_officer_1=BankOfficerFactory(username="bank_officer_1", bank=bank_1),
        bank_officer_2=BankOfficerFactory(username="bank_officer_2", bank=bank_2),
        ministry=MinistryStaffFactory(username="ministry"),
        admin=SystemAdminFactory(username="admin"),
        applicant_1=ApplicantFactory(username="applicant_1", name="رضا محمدی", national_id="0083424024",
                                     email="reza.mohammadi@example.ir"),
        applicant_2=ApplicantFactory(username="applicant_2", name="زهرا احمدی", national_id="0031546285"),
        call_a=CallFactory(agency=agency_a, actor=agency_officer_a, priority_sectors=[priority_a]),
        call_b=CallFactory(agency=agency_b, actor=agency_officer_b, priority_sectors=[priority_b]),
    )


def allocate_world_budget(province_a, province_b, sector, *, year=None, rials=Figures.WORLD_BUDGET):
    """Allocations for ``year`` (default: this Jalali year, when the services commit) large enough
    for any test: ``rials`` for every fund of both provinces and of the sector."""
    budget_year = BudgetYearFactory(year=year or jalali.current_year())
    money = {"grants_rials": rials, "loans_rials": rials, "interest_subsidy_rials": rials}
    for province in (province_a, province_b):
        ProvinceAllocationFactory(province=province, budget_year=budget_year, new_jobs=1_000, **money)
    SectorAllocationFactory(economic_sector=sector, budget_year=budget_year, new_jobs=1_000, **money)


# --- driving an application ---------------------------------------------------------------------

def application_input(world: World, *, province="a", requested_loan_rials=Figures.REQUESTED, title="پرورش دام سبک",
                      **changes):
    """The applicant's figures for a call of province ``"a"`` or ``"b"`` (rials, persons, percent);
    ``changes`` replace other fields (``planned_new_jobs=40``)."""
    return dataclasses.replace(services.ApplicationInput(
        title=title,
        county=world.county_a if province == "a" else world.county_b,
        priority_sector=world.priority_a if province == "a" else world.priority_b,
        project_kind="expansion",
        is_existing_unit=True,
        requested_loan_rials=requested_loan_rials,
        own_contribution_rials=Figures.OWN_CONTRIBUTION,
        planned_new_jobs=12,
        planned_retained_jobs=4,
        physical_progress_percent=35,
    ), **changes)


def contract_input(**changes):
    """The loan contract ``drive`` signs: the whole approved loan, 2 tranches (rials, %)."""
    values = dict(
        principal_rials=Figures.PRINCIPAL,
        interest_rate_percent=Decimal("18.00"),
        subsidy_rate_percent=Decimal("10.00"),
        term_months=60,
        grace_months=12,
        planned_tranches=2,
        signed_on=timezone.localdate() - datetime.timedelta(days=60),
        bank_reference="BNK-CONTRACT-1",
    )
    values.update(changes)
    return services.ContractInput(**values)


def submit(world: World, *, applicant=None, province="a", files=None, **input_changes):
    """Submit an application of ``applicant`` (default ``applicant_1``) to the call of province
    ``"a"``/``"b"`` through ``services.application_submit``; returns it in state ``submitted``."""
    applicant = applicant or world.applicant_1
    call = world.call_a if province == "a" else world.call_b
    data = application_input(world, province=province, **input_changes)
    return services.application_submit(actor=applicant.user, call=call, data=data,
                                       feasibility_files=files or [pdf("study.pdf", "طرح")])


def drive(world: World, application_id: int, target: str, *, bank=None) -> None:
    """Take the application from its current state along the main path (or the branch that
    ends in ``returned``, ``rejected`` or ``withdrawn``) until it is in ``target``.

    The actors are the application's: its owner, its province's agency officer and secretary,
    and the officer of ``bank`` (default ``bank_1``), to which it is referred.
    """
    today = timezone.localdate()
    pk = application_id
    app = InvestmentApplication.objects.select_related("applicant").get(pk=pk)
    in_a = app.province_id == world.province_a.pk
    bank = bank or world.bank_1
    w = SimpleNamespace(
        owner=app.applicant.user,
        agency=world.agency_officer_a if in_a else world.agency_officer_b,
        secretary=world.secretary_a if in_a else world.secretary_b,
        bank_officer=world.bank_officer_1 if bank == world.bank_1 else world.bank_officer_2,
        bank=bank,
    )

    def state():
        return InvestmentApplication.objects.values_list("state", flat=True).get(pk=pk)

    branches = {
        S.RETURNED: (S.AGENCY_REVIEW, lambda: services.application_return_by_agency(
            actor=w.agency, application_id=pk, reason="جدول هزینه‌ها ناقص است.")),
        S.REJECTED: (S.AGENCY_REVIEW, lambda: services.application_reject_by_agency(
            actor=w.agency, application_id=pk, reason="طرح در رسته‌های فراخوان نیست.")),
        S.WITHDRAWN: (S.SUBMITTED, lambda: services.application_withdraw(
            actor=w.owner, application_id=pk, reason="انصراف متقاضی")),
        S.CANCELLED: (S.BANK_APPROVED, lambda: services.application_cancel_by_bank(
            actor=w.bank_officer, application_id=pk, reason="متقاضی مدارک بانک را کامل نکرد.")),
    }
    steps = {
        S.SUBMITTED: lambda: services.application_start_agency_review(actor=w.agency, application_id=pk),
        S.AGENCY_REVIEW: lambda: services.application_approve_by_agency(actor=w.agency, application_id=pk),
        S.AGENCY_APPROVED: lambda: services.application_start_working_group_review(
            actor=w.secretary, application_id=pk),
        S.WORKING_GROUP_REVIEW: lambda: services.application_refer_to_bank(
            actor=w.secretary, application_id=pk, bank=w.bank),
        S.REFERRED_TO_BANK: lambda: services.application_start_bank_review(actor=w.bank_officer, application_id=pk),
        S.BANK_REVIEW: lambda: services.application_approve_by_bank(
            actor=w.bank_officer, application_id=pk, approved_loan_rials=Figures.PRINCIPAL),
        S.BANK_APPROVED: lambda: (
            services.document_add(actor=w.owner, application_id=pk, kind=ApplicationDocument.Kind.BANK_DOCUMENT,
                                  uploaded_file=pdf("bank-forms.pdf", "مدارک بانک")),
            services.application_sign_contract(actor=w.bank_officer, application_id=pk, contract=contract_input()),
        ),
        S.CONTRACTED: lambda: services.application_record_disbursement(
            actor=w.bank_officer, application_id=pk, amount_rials=Figures.FIRST_TRANCHE,
            paid_on=today - datetime.timedelta(days=50), bank_reference="BNK-T1"),
        S.DISBURSING: lambda: services.application_record_disbursement(
            actor=w.bank_officer, application_id=pk, amount_rials=Figures.PRINCIPAL - Figures.FIRST_TRANCHE,
            paid_on=today - datetime.timedelta(days=40), bank_reference="BNK-T2"),
        S.FULLY_DISBURSED: lambda: services.application_declare_operation(
            actor=w.owner, application_id=pk, operation_started_on=today - datetime.timedelta(days=10),
            actual_new_jobs=11, actual_retained_jobs=4),
        S.OPERATION_DECLARED: lambda: services.application_confirm_operation(
            actor=w.bank_officer, application_id=pk),
        S.OPERATING: lambda: services.application_pay_subsidy(
            actor=w.secretary, application_id=pk, amount_rials=Figures.FIRST_PAYOUT,
            paid_on=today - datetime.timedelta(days=5)),
        S.SUBSIDY_IN_PAYMENT: lambda: services.application_pay_subsidy(
            actor=w.secretary, application_id=pk, amount_rials=Figures.SUBSIDY - Figures.FIRST_PAYOUT,
            paid_on=today),
    }
    if target in branches:
        branch_from, branch_step = branches[target]
        drive(world, pk, branch_from, bank=bank)
        branch_step()
    else:
        for _guard in range(len(steps) + 1):
            current = state()
            if current == target:
                break
            if current not in steps:
                raise AssertionError(f"cannot drive from {current} to {target}")
            steps[current]()
    assert state() == target, (state(), target)


def advance(world: World, state: str, *, province="a", applicant=None, bank=None) -> InvestmentApplication:
    """A new application (of ``applicant_1`` in province A unless told) driven through the services
    to ``state`` (referred to ``bank_1`` unless told; figures from ``Figures``), read fresh from the DB.

    Paths: ``returned`` and ``rejected`` go through the agency's review, ``withdrawn`` is withdrawn
    straight after submission, ``cancelled`` is cancelled by the bank after its approval; every
    other state lies on the main path.
    """
    application = submit(world, province=province, applicant=applicant)
    drive(world, application.pk, state, bank=bank)
    return InvestmentApplication.objects.get(pk=application.pk)
