"""The fixtures every test may take. They only declare: what they build comes from the helper
modules (``tests.world``, ``tests.factories``), which tests import directly.

- ``world``: the one world of test data (``tests.world``), rebuilt for every test;
- ``advance_to(state, province="a", applicant=None, bank=None)``: a new application of the world
  driven through the services to ``state`` (``tests.world.advance``);
- ``programme_data``: the real programme loaded from ``fixtures/``; ``make_user``: accounts
  scoped to its provinces;
- and, for every test, an empty cache and an empty SMS outbox.
"""

import pytest

from accounts import sms
from accounts.models import Role
from programs.models import Agency, Province
from sectors.loading import load_programme
from tests.factories import (
    AgencyOfficerFactory,
    ApplicantFactory,
    BankOfficerFactory,
    MinistryStaffFactory,
    ProvincialManagerFactory,
    SystemAdminFactory,
    WorkingGroupSecretaryFactory,
)
from tests.sms_backends import FailingSmsBackend, FlakySmsBackend
from tests.world import advance, build_world


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and other cached state never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    """The local SMS outbox and the test gateways' counters start empty in every test (Django
    empties ``mail.outbox`` itself)."""
    sms.outbox.clear()
    FailingSmsBackend.calls = FlakySmsBackend.calls = 0


@pytest.fixture
def world(db):
    """The one world (``tests.world.World``), rebuilt for every test inside its transaction."""
    return build_world()


@pytest.fixture
def advance_to(world):
    """``advance_to(state, *, province="a", applicant=None, bank=None)``: ``tests.world.advance``
    on this test's world."""

    def advance_to(state, *, province="a", applicant=None, bank=None):
        return advance(world, state, province=province, applicant=applicant, bank=bank)

    return advance_to


@pytest.fixture
def programme_data(db):
    """The programme loaded through ``sectors.loading.load_programme``; returns its ``LoadReport``."""
    return load_programme()


# The factory of each role's account, and the scope it takes: "agency", "province" or none.
_ROLE_FACTORIES = {
    Role.APPLICANT: (lambda **fields: ApplicantFactory(**fields).user, None),
    Role.AGENCY_OFFICER: (AgencyOfficerFactory, "agency"),
    Role.WORKING_GROUP_SECRETARY: (WorkingGroupSecretaryFactory, "province"),
    Role.PROVINCIAL_MANAGER: (ProvincialManagerFactory, "province"),
    Role.BANK_OFFICER: (BankOfficerFactory, None),
    Role.MINISTRY_STAFF: (MinistryStaffFactory, None),
    Role.SYSTEM_ADMIN: (SystemAdminFactory, None),
}


@pytest.fixture
def make_user(programme_data):
    """``make_user(role, province_code=None, username=None)``: an account of ``role`` in the loaded
    programme.

    An agency officer belongs to the province's agriculture organisation (``irNN-agriculture``);
    a working-group secretary or provincial manager to the province itself; a bank officer to a
    bank of its own.
    """

    def make(role, province_code=None, username=None):
        factory, scope = _ROLE_FACTORIES[role]
        fields = {"username": username} if username else {}
        if scope == "agency":
            fields["agency"] = Agency.objects.get(code=f"{province_code.lower().replace('-', '')}-agriculture")
        elif scope == "province":
            fields["province"] = Province.objects.get(code=province_code)
        return factory(**fields)

    return make


@pytest.fixture
def postgres_only(db):
    """Skip the test unless the database is PostgreSQL (where a 32-bit column overflows, rows lock
    and the Persian collation exists)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
