"""Fixtures for the programme-data tests: the real programme loaded from ``fixtures/`` and accounts
scoped to its provinces. Import the ones a test module uses (they are not in ``conftest.py``)."""

import pytest

from accounts.models import Role, User
from programs.models import Agency, Province
from sectors.loading import load_programme


@pytest.fixture
def programme_data(db):
    """The programme loaded through ``sectors.loading.load_programme``; returns its ``LoadReport``."""
    return load_programme()


@pytest.fixture
def make_user(programme_data):
    """``make_user(role, province_code=None, username=None)``: an account of ``role``.

    An agency officer belongs to the province's agriculture organisation (``irNN-agriculture``);
    a working-group secretary or provincial manager to the province itself.
    """
    counter = iter(range(1, 1000))

    def make(role, province_code=None, username=None):
        fields = {"role": role}
        if role == Role.AGENCY_OFFICER:
            fields["agency"] = Agency.objects.get(code=f"{province_code.lower().replace('-', '')}-agriculture")
        elif province_code:
            fields["province"] = Province.objects.get(code=province_code)
        return User.objects.create_user(username=username or f"{role}-{next(counter)}", password="x", **fields)

    return make
