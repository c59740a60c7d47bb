"""factory_boy factories for the reference data, the accounts of every role, applicants and calls.

Reference rows (provinces, counties, organisations, sectors) and accounts are plain model rows.
Applicants and calls are made through the real services (``applicant_register``, ``call_publish``)
so they carry what the services add (canonical IDs, audit records). Applications are never made
here: their ``state`` is a protected FSM field, so tests drive them with ``financing.services``
(see ``tests.world``: ``submit``, ``drive`` and ``advance``).
"""

import datetime

import factory
from django.utils import timezone

from accounts.models import Role, User
from common.identifiers import is_valid_company_id, is_valid_national_id
from financing import services
from financing.models import Applicant, Call
from programs.models import Agency, Bank, BudgetYear, County, Province, ProvinceAllocation, WorkingGroup
from sectors.models import EconomicSector, PrioritySector, SectorAllocation

PASSWORD = "kaleh-test-pass"


class Figures:
    """The amounts (rials) ``tests.world.drive`` uses: C18's principal of 5,510,000,000 rials,
    paid in two tranches; its computed interest subsidy paid in two payouts."""

    REQUESTED = 6_000_000_000
    OWN_CONTRIBUTION = 1_500_000_000
    PRINCIPAL = 5_510_000_000
    FIRST_TRANCHE = 2_000_000_000
    # The subsidy the schedule gives the contract of ``tests.world.contract_input``: 5,510,000,000
    # rials at 18 % with 10 points (the applicant pays 8 %), 60 months with 12 of grace
    # (tests/financing/test_schedule.py checks it against an independent computation).
    SUBSIDY = 1_863_370_197
    FIRST_PAYOUT = 150_000_000
    WORLD_BUDGET = 10**15  # rials in every fund of every line of the test world


# --- identifiers ------------------------------------------------------------------------------

def national_id(n: int) -> str:
    """A valid 10-digit national ID (text, leading zeros kept) derived from the integer ``n``.

    The first nine digits come from ``n``; the tenth is the one digit that
    ``common.identifiers.is_valid_national_id`` accepts (the mod-11 rule).
    """
    body = f"{(n * 7_919 + 1_000_003) % 10**9:09d}"
    if len(set(body)) == 1:  # "000000000x" is refused whatever x is
        body = body[:-1] + str((int(body[-1]) + 1) % 10)
    return next(body + d for d in "0123456789" if is_valid_national_id(body + d))


def company_id(n: int) -> str:
    """A valid 11-digit national company ID (text) derived from ``n``; check digit by
    ``common.identifiers.is_valid_company_id``."""
    body = f"{(n * 104_729 + 1_010_000_000) % 10**10:010d}"
    return next(body + d for d in "0123456789" if is_valid_company_id(body + d))


# --- reference data ---------------------------------------------------------------------------

class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n % 10000:04d}")
    name = factory.Sequence(lambda n: f"استان آزمایشی {n}")
    name_en = factory.Sequence(lambda n: f"Test province {n}")


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"C{n % 10**7:07d}")
    name = factory.Sequence(lambda n: f"شهرستان {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    """A provincial agency; pass ``economic_sectors=[...]`` to set the sectors it covers."""

    class Meta:
        model = Agency
        skip_postgeneration_save = True

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"سازمان آزمایشی {n}")

    @factory.post_generation
    def economic_sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.economic_sectors.set(extracted)


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup
        django_get_or_create = ("province",)

    province = factory.SubFactory(ProvinceFactory)
    name = factory.LazyAttribute(lambda o: f"کارگروه اشتغال {o.province.name}")


class BankFactory(factory.django.DjangoModelFactory):
    """An agent bank; ``provinces=[...]`` lists where it has branches (none by default)."""

    class Meta:
        model = Bank
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"bank-{n}")
    name = factory.Sequence(lambda n: f"بانک آزمایشی {n}")
    is_demo = True

    @factory.post_generation
    def provinces(self, create, extracted, **kwargs):
        if create and extracted:
            self.provinces.set(extracted)


class EconomicSectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EconomicSector
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"sector-{n}")
    row = factory.Sequence(lambda n: 1000 + n % 30000)
    name = factory.Sequence(lambda n: f"بخش آزمایشی {n}")
    name_en = factory.Sequence(lambda n: f"Test sector {n}")

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.agencies.set(extracted)


class PrioritySectorFactory(factory.django.DjangoModelFactory):
    """A priority sector (رسته) of a province, entered by an officer (source ``officer``)."""

    class Meta:
        model = PrioritySector

    province = factory.SubFactory(ProvinceFactory)
    source = PrioritySector.Source.OFFICER
    rank = factory.Sequence(lambda n: 1 + n % 30000)
    name = factory.Sequence(lambda n: f"رسته آزمایشی {n}")
    economic_sector = factory.SubFactory(EconomicSectorFactory)


class BudgetYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetYear
        django_get_or_create = ("year",)

    year = 1398


class ProvinceAllocationFactory(factory.django.DjangoModelFactory):
    """A province's budget row; amounts in rials (Table 6 figures × 10⁹ by default: Kermanshah)."""

    class Meta:
        model = ProvinceAllocation

    province = factory.SubFactory(ProvinceFactory)
    budget_year = factory.SubFactory(BudgetYearFactory)
    new_jobs = 18_900
    grants_rials = 850 * 10**9
    loans_rials = 9_240 * 10**9
    interest_subsidy_rials = 283 * 10**9


class SectorAllocationFactory(factory.django.DjangoModelFactory):
    """An economic sector's budget row; amounts in rials (Table 8's agriculture × 10⁹ by default)."""

    class Meta:
        model = SectorAllocation

    economic_sector = factory.SubFactory(EconomicSectorFactory)
    budget_year = factory.SubFactory(BudgetYearFactory)
    new_jobs = 9_454
    grants_rials = 1_381 * 10**9
    loans_rials = 9_658 * 10**9
    interest_subsidy_rials = 513 * 10**9


# --- accounts ---------------------------------------------------------------------------------

class UserFactory(factory.django.DjangoModelFactory):
    """An account with password ``PASSWORD``; the subclasses set the role and its scope."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"کاربر {n}")
    role = Role.APPLICANT
    password = factory.django.Password(PASSWORD)


class AgencyOfficerFactory(UserFactory):
    role = Role.AGENCY_OFFICER
    agency = factory.SubFactory(AgencyFactory)


class WorkingGroupSecretaryFactory(UserFactory):
    role = Role.WORKING_GROUP_SECRETARY
    province = factory.SubFactory(ProvinceFactory)


class ProvincialManagerFactory(UserFactory):
    role = Role.PROVINCIAL_MANAGER
    province = factory.SubFactory(ProvinceFactory)


class BankOfficerFactory(UserFactory):
    """A bank officer; ``bank_provinces=[...]`` narrows the account to those provinces."""

    role = Role.BANK_OFFICER
    bank = factory.SubFactory(BankFactory)

    @factory.post_generation
    def bank_provinces(self, create, extracted, **kwargs):
        if create and extracted:
            self.bank_provinces.set(extracted)


class MinistryStaffFactory(UserFactory):
    role = Role.MINISTRY_STAFF


class SystemAdminFactory(UserFactory):
    """A system administrator as the role makes one: staff (``User.save`` sets it), not a superuser."""

    role = Role.SYSTEM_ADMIN


# --- applicants and calls (through the services) -------------------------------------------------

class ApplicantFactory(factory.Factory):
    """An applicant registered through ``services.applicant_register``: a natural person with a
    valid national ID by default. Returns the ``Applicant``; its account is ``.user``."""

    class Meta:
        model = Applicant

    username = factory.Sequence(lambda n: f"applicant{n}")
    password = PASSWORD
    name = factory.Sequence(lambda n: f"متقاضی آزمایشی {n}")
    national_id = factory.Sequence(national_id)
    person_kind = Applicant.PersonKind.NATURAL
    ownership = Applicant.Ownership.PRIVATE
    mobile = "09120000000"

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.applicant_register(**kwargs)

    @classmethod
    def _build(cls, model_class, **kwargs):
        raise NotImplementedError("applicants are registered through services.applicant_register")


class CallFactory(factory.Factory):
    """A call published through ``services.call_publish`` by an officer of ``agency``, open from
    yesterday to 90 days from today (Tehran dates). ``priority_sectors`` defaults to one new
    priority sector of the agency's province."""

    class Meta:
        model = Call

    agency = factory.SubFactory(AgencyFactory)
    actor = factory.LazyAttribute(lambda o: AgencyOfficerFactory(agency=o.agency))
    title = factory.Sequence(lambda n: f"فراخوان آزمایشی {n}")
    priority_sectors = factory.LazyAttribute(lambda o: [PrioritySectorFactory(province=o.agency.province)])
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))

    @classmethod
    def _create(cls, model_class, *, agency, **kwargs):
        return services.call_publish(**kwargs)

    @classmethod
    def _build(cls, model_class, **kwargs):
        raise NotImplementedError("calls are published through services.call_publish")
