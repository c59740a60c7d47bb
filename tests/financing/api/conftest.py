"""Fixtures of the bank API's tests: API clients holding a key of a world's bank officer."""

import pytest
from rest_framework.test import APIClient

from financing.api.models import BankApiKey


def issue_key(user, name="core banking"):
    """A new API key of ``user``: ``(BankApiKey, the key in clear)``."""
    return BankApiKey.objects.create_key(name=name, user=user)


def client_with_key(key):
    """A DRF test client sending ``Authorization: Api-Key <key>``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.fixture
def bank1_api(world):
    """An API client of ``bank_officer_1`` (bank 1, both provinces)."""
    return client_with_key(issue_key(world.bank_officer_1)[1])


@pytest.fixture
def bank2_api(world):
    """An API client of ``bank_officer_2`` (bank 2)."""
    return client_with_key(issue_key(world.bank_officer_2)[1])
