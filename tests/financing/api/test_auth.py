"""The bank API's keys at the door (issue 8, "Authentication"): no key, a wrong, revoked or expired
one, or one whose account is no longer an active bank officer, gets 401 in the one error shape."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from financing.models import ApplicationState

from .conftest import client_with_key, issue_key

LIST = "/api/v1/applications/"


def assert_401(response, code):
    assert response.status_code == 401, response.content
    body = response.json()
    assert set(body) == {"code", "message", "message_en", "fields"}
    assert body["code"] == code and body["fields"] == {}
    assert body["message"] and body["message_en"]
    assert response["WWW-Authenticate"] == "Api-Key"
    return body


def test_no_key_is_401_with_www_authenticate(world):
    body = assert_401(APIClient().get(LIST), "not_authenticated")
    assert body["message_en"] == "Send a valid API key: Authorization: Api-Key <key>."


@pytest.mark.parametrize("header", [
    "Api-Key wrong.key", "Api-Key ", "Bearer abc.def", "Api-Key abcdefgh", "Api-Key ﻿۱۲۳.۴۵۶", "Token x",
])
def test_a_wrong_key_or_scheme_is_401(world, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    assert_401(client.get(LIST), "authentication_failed")


def test_a_key_with_the_right_prefix_and_a_wrong_secret_is_401(world):
    api_key, key = issue_key(world.bank_officer_1)
    assert_401(client_with_key(f"{api_key.prefix}.{'x' * 32}").get(LIST), "authentication_failed")
    assert client_with_key(key).get(LIST).status_code == 200


def test_a_revoked_key_is_401(world):
    api_key, key = issue_key(world.bank_officer_1)
    api_key.revoked = True
    api_key.save()
    assert_401(client_with_key(key).get(LIST), "authentication_failed")


def test_an_expired_key_is_401(world):
    api_key, key = issue_key(world.bank_officer_1)
    api_key.expiry_date = timezone.now() - datetime.timedelta(seconds=1)
    api_key.save()
    assert_401(client_with_key(key).get(LIST), "authentication_failed")


def test_a_key_not_yet_expired_works(world):
    api_key, key = issue_key(world.bank_officer_1)
    api_key.expiry_date = timezone.now() + datetime.timedelta(days=1)
    api_key.save()
    assert client_with_key(key).get(LIST).status_code == 200


def test_a_key_of_a_deactivated_officer_is_401(world):
    _api_key, key = issue_key(world.bank_officer_1)
    world.bank_officer_1.is_active = False
    world.bank_officer_1.save()
    assert_401(client_with_key(key).get(LIST), "authentication_failed")


@pytest.mark.parametrize("account", ["ministry", "agency_officer_a", "owner"])
def test_a_key_of_an_account_that_is_not_a_bank_officer_is_401(world, account):
    _api_key, key = issue_key(getattr(world, account))
    assert_401(client_with_key(key).get(LIST), "authentication_failed")


def test_every_read_needs_a_key(world, advance_to):
    app = advance_to(ApplicationState.CONTRACTED)
    document = app.documents.first()
    anonymous = APIClient()
    for path in (f"{LIST}{app.pk}/", f"{LIST}{app.pk}/subsidy/", f"{LIST}{app.pk}/documents/{document.pk}/"):
        assert_401(anonymous.get(path), "not_authenticated")


def test_a_session_login_is_not_a_key(client, world):
    client.force_login(world.bank_officer_1)
    assert client.get(LIST).status_code == 401


def test_the_scheme_is_case_insensitive(world, advance_to):
    from .conftest import client_with_key, issue_key

    key = issue_key(world.bank_officer_1)[1]
    client = client_with_key(key)
    client.credentials(HTTP_AUTHORIZATION=f"api-key {key}")
    assert client.get("/api/v1/applications/").status_code == 200
