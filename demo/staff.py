"""The demo's staff and calls: one account per role and scope, officers' priority sectors where a
province has none, one open call per agency, and the budget allocations of the years the demo
spans (``demo.budget``).

Only the reference data is the programme's (provinces, counties, organisations, priority
sectors, loaded by ``manage.py load_programme``); the accounts and calls are invented. Every
account's password is ``DEMO_PASSWORD``.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Role, User
from financing import services
from programs.models import Agency, Bank, County, Province
from sectors.models import EconomicSector, PrioritySector

from .budget import allocate_demo_budget
from .figures import application_input, max_rials_per_job
from .routes import AGENCY, BANK, OWNER, WG, plan_routes

DEMO_PASSWORD = "kaleh-demo-1404"
ALREADY_PRESENT = "demo data already present"
MINISTRY_USERNAME = "ministry"
ADMIN_USERNAME = "admin"
# The first province's officers of every role are listed first; it gets a narrowed bank officer too.
HOME_PROVINCE_CODE = "IR-05"  # Kermanshah
# Lorestan has no sector table in the seed (program-brief §6): its officers enter their own.
# The demo enters these for any province that has none: (name, economic sector code).
OFFICER_SECTORS = [
    ("دامپروری و فرآورده‌های دامی", "agriculture"),
    ("صنایع تبدیلی کشاورزی", "industry"),
    ("گردشگری طبیعت", "tourism"),
    ("صنایع دستی و گلیم‌بافی", "handicrafts"),
]
CALL_OPEN_BEFORE_DAYS = 10  # calls open this many days before the oldest demo submission
CALL_OPEN_AFTER_DAYS = 120  # and close this many days after today


class DemoDataPresent(Exception):
    """The demo accounts exist already; nothing was written."""


class ReferenceDataMissing(Exception):
    """Provinces, agencies, banks or priority sectors are missing: run ``load_programme`` first."""


def demo_present() -> bool:
    """True when the demo's ministry account exists (the marker that ``seed_demo`` ran)."""
    return User.objects.filter(username=MINISTRY_USERNAME).exists()


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


@dataclass
class Staff:
    """The demo's officers by scope (``{agency pk: user}``, ``{province pk: user}``, ``{bank pk:
    user}``, the bank officers seeing the whole bank), the accounts to list as ``logins``
    (``(username, role, scope text)``) and ``notes`` for the person seeding."""

    agency_officers: dict = field(default_factory=dict)
    secretaries: dict = field(default_factory=dict)
    bank_officers: dict = field(default_factory=dict)
    logins: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def actors(self, *, call, bank, owner) -> dict:
        """Who takes the steps of an application to ``call`` referred to ``bank``, by the keys of
        ``demo.routes`` (``OWNER``, ``AGENCY``, ``WG``, ``BANK``): users."""
        return {OWNER: owner, AGENCY: self.agency_officers[call.agency_id], WG: self.secretaries[call.province_id],
                BANK: self.bank_officers[bank.pk]}

    def add_user(self, username, password_hash, *, role, scope_text, **scope) -> User:
        """Create and list one account (``scope``: its agency, province or bank). Raises
        ``ValidationError`` for an account the user model refuses."""
        user = User(username=username, password=password_hash, role=role, first_name=scope_text[:150], **scope)
        user.full_clean(exclude=["password"])
        user.save()
        self.logins.append((username, role, scope_text))
        return user


def _province_slug(province) -> str:
    return slugify(province.name_en) or province.code.lower()


def create_staff(provinces: list, password_hash: str) -> Staff:
    """An officer per agency (and one more on the agency with the most priority sectors), a
    working-group secretary and a provincial manager per province, an officer per bank (and one
    narrowed to the home province's branches), the ministry and the system administrator."""
    staff = Staff()
    home_first = sorted(provinces, key=lambda p: (p.code != HOME_PROVINCE_CODE, p.code))
    for province in home_first:
        slug = _province_slug(province)
        agencies = list(Agency.objects.filter(province=province).order_by("code"))
        busiest = max(agencies, key=lambda a: PrioritySector.objects.filter(
            province=province, economic_sector__agencies=a).count(), default=None)
        for agency in agencies:
            suffix = agency.code.split("-", 1)[-1]
            staff.agency_officers[agency.pk] = staff.add_user(
                f"agency.{slug}.{suffix}", password_hash, role=Role.AGENCY_OFFICER, scope_text=agency.name,
                agency=agency)
        if busiest is not None:
            staff.add_user(f"agency.{slug}", password_hash, role=Role.AGENCY_OFFICER, scope_text=busiest.name,
                           agency=busiest)
        staff.secretaries[province.pk] = staff.add_user(
            f"wg.{slug}", password_hash, role=Role.WORKING_GROUP_SECRETARY,
            scope_text=f"دبیر کارگروه اشتغال {province.name}", province=province)
        staff.add_user(f"manager.{slug}", password_hash, role=Role.PROVINCIAL_MANAGER,
                       scope_text=f"مدیر استانی {province.name}", province=province)
    home = home_first[0]
    for index, bank in enumerate(Bank.objects.order_by("code")):
        staff.bank_officers[bank.pk] = staff.add_user(f"bank.{bank.code}", password_hash, role=Role.BANK_OFFICER,
                                                      scope_text=bank.name, bank=bank)
        if index == 0:  # an account narrowed to one province's branches
            narrowed = staff.add_user(f"bank.{bank.code}.{_province_slug(home)}", password_hash,
                                      role=Role.BANK_OFFICER, scope_text=f"{bank.name}، شعب {home.name}", bank=bank)
            narrowed.bank_provinces.set([home])
    staff.add_user(MINISTRY_USERNAME, password_hash, role=Role.MINISTRY_STAFF,
                   scope_text="معاونت توسعه کارآفرینی و اشتغال")
    if User.objects.filter(username=ADMIN_USERNAME).exists():
        staff.notes.append(f"'{ADMIN_USERNAME}' already exists and was left unchanged.")
    else:
        # A system administrator manages accounts only (roles.md): not a superuser, so the admin
        # shows it no business data.
        User.objects.create(username=ADMIN_USERNAME, password=password_hash, role=Role.SYSTEM_ADMIN,
                            first_name="مدیر سامانه")
        staff.logins.append((ADMIN_USERNAME, Role.SYSTEM_ADMIN, "accounts only"))
    return staff


def ensure_priority_sectors(provinces: list, staff: Staff) -> None:
    """Enter ``OFFICER_SECTORS`` for each province that has no priority sector (Lorestan in the
    seed), as its secretary; a note in ``staff.notes`` says so."""
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
            staff.notes.append(f"{province.name_en}: {len(entries)} demo priority sectors entered by its officers.")


def publish_calls(staff: Staff, *, opens_on: datetime.date, closes_on: datetime.date) -> list:
    """One call per agency that covers any of its province's priority sectors, published by its
    officer through ``financing.services.call_publish``. Returns the calls."""
    calls = []
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


@dataclass(frozen=True)
class OpenCalls:
    """Where demo applications go: ``by_province`` maps a province pk to its calls with their
    priority sectors (``[(call, [sector, …]), …]``), ``counties`` and ``banks`` map it to its
    counties and agent banks. Only provinces with a county and a bank have calls here.
    ``rials_per_job`` is the most an eligible application asks per planned job (rials)."""

    by_province: dict
    counties: dict
    banks: dict
    rials_per_job: int

    def province_of(self, index: int) -> int:
        """The province (pk) of the ``index``-th application: the provinces take turns."""
        provinces = sorted(self.by_province)
        return provinces[index % len(provinces)]

    def draw(self, index: int, rng: random.Random) -> tuple:
        """``(call, figures, bank)`` of the ``index``-th application: in ``province_of(index)``, the
        call and the bank are drawn in the province, the figures are ``figures.application_input``."""
        call, sectors = rng.choice(self.by_province[self.province_of(index)])
        data = application_input(rng, sectors, self.counties[call.province_id], rials_per_job=self.rials_per_job)
        return call, data, rng.choice(self.banks[call.province_id])


def open_calls(calls: list, provinces: list) -> OpenCalls:
    """The ``OpenCalls`` of ``calls``. Raises ``ReferenceDataMissing`` when no province has a
    call, a county and a bank."""
    counties = {p.pk: list(County.objects.filter(province=p).order_by("code")) for p in provinces}
    banks = {p.pk: list(Bank.objects.filter(provinces=p).order_by("code")) for p in provinces}
    by_province = {}
    for call in calls:
        if counties[call.province_id] and banks[call.province_id]:
            sectors = list(call.priority_sectors.select_related("county").order_by("source", "rank", "id"))
            by_province.setdefault(call.province_id, []).append((call, sectors))
    if not by_province:
        raise ReferenceDataMissing("no call can be published: run `manage.py load_programme` first")
    return OpenCalls(by_province, counties, banks, max_rials_per_job())


def create_staff_and_calls(provinces: list, password_hash: str, *, now: datetime.datetime,
                           first_submission: datetime.datetime) -> tuple:
    """``(Staff, OpenCalls)``: the accounts, the missing priority sectors and the calls, open from
    before ``first_submission`` until four months after ``now`` (aware datetimes). Raises
    ``ReferenceDataMissing`` when no call can take applications. Call inside the seeding transaction."""
    staff = create_staff(provinces, password_hash)
    ensure_priority_sectors(provinces, staff)
    today = timezone.localtime(now).date()
    opens_on = timezone.localtime(first_submission).date() - datetime.timedelta(days=CALL_OPEN_BEFORE_DAYS)
    calls = publish_calls(staff, opens_on=min(opens_on, today),
                          closes_on=today + datetime.timedelta(days=CALL_OPEN_AFTER_DAYS))
    return staff, open_calls(calls, provinces)


@dataclass
class DemoStart:
    """What both loaders settle before they write: the provinces (``check_can_seed``), the seeded
    ``rng``, the end of the timeline ``now``, the shared password hash, and every application's
    route and timeline (``routes.plan_routes``), drawn first so that the calls can open before
    the oldest submission."""

    provinces: list
    rng: random.Random
    now: datetime.datetime
    password_hash: str
    routes: list

    def staff_and_calls(self) -> tuple:
        """``create_staff_and_calls`` for these routes, then the demo's budget allocations for the
        years they span (``demo.budget``). Call inside the seeding transaction."""
        first = min((planned.times[0] for planned in self.routes), default=self.now)
        staff, calls = create_staff_and_calls(self.provinces, self.password_hash, now=self.now,
                                              first_submission=first)
        staff.notes += allocate_demo_budget(self.routes, self.provinces, calls.province_of, self.now)
        return staff, calls


def start_demo(*, applications: int, seed: int, now=None) -> DemoStart:
    """Check that the demo may be built and plan ``applications`` applications from ``seed``
    (``now`` defaults to the current time). Raises ``DemoDataPresent`` or ``ReferenceDataMissing``
    (``check_can_seed``); writes nothing."""
    provinces = check_can_seed()
    rng = random.Random(seed)
    now = now or timezone.now()
    return DemoStart(provinces=provinces, rng=rng, now=now, password_hash=make_password(DEMO_PASSWORD),
                     routes=plan_routes(applications, rng, now))
