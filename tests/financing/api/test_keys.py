"""Issuing and revoking bank API keys (issue 8, "Authentication"): ``manage.py bank_api_key`` and
the admin of ministry staff; the key is shown once and only its hash is kept. And the rate limit
per key ("Limits and audit")."""

import datetime
import io

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework_api_key.models import APIKey

from financing.api.base import ApiKeyThrottle
from financing.api.models import BankApiKey

from .conftest import client_with_key, issue_key

LIST = "/api/v1/applications/"
ADMIN = "/admin/financing/bankapikey/"


def command(*args):
    out = io.StringIO()
    call_command("bank_api_key", *args, stdout=out)
    return out.getvalue()


# --- the command -----------------------------------------------------------------------------------

def test_the_command_issues_a_key_that_works_and_prints_it_once(world):
    output = command("issue", "bank_officer_1", "--name", "core banking", "--expires-days", "30")
    key = output.strip().splitlines()[-1]

    api_key = BankApiKey.objects.get(user=world.bank_officer_1)
    assert key.startswith(api_key.prefix + ".") and key not in api_key.hashed_key
    assert api_key.name == "core banking" and api_key.created_by is None
    assert abs(api_key.expiry_date - (timezone.now() + datetime.timedelta(days=30))) < datetime.timedelta(minutes=1)
    assert client_with_key(key).get(LIST).status_code == 200
    assert key not in command("list", "bank_officer_1")


def test_the_command_lists_and_revokes(world):
    key = command("issue", "bank_officer_1").strip().splitlines()[-1]
    prefix = key.split(".")[0]
    assert f"{prefix}  active" in command("list", "bank_officer_1")

    assert "Revoked" in command("revoke", prefix)

    assert f"{prefix}  revoked" in command("list", "bank_officer_1")
    assert client_with_key(key).get(LIST).status_code == 401
    assert "already revoked" in command("revoke", prefix)


@pytest.mark.parametrize(("args", "message"), [
    (("issue", "ministry"), "bank officer"),
    (("issue", "nobody"), "No account"),
    (("issue", "bank_officer_1", "--expires-days", "0"), "یک روز"),
    (("revoke", "zzzzzzzz"), "No key"),
    (("list", "nobody"), "No account"),
])
def test_the_command_refuses_clearly(world, args, message):
    with pytest.raises(CommandError) as refused:
        command(*args)
    assert message in str(refused.value) or message == "bank officer" and "کارشناس بانک" in str(refused.value)


# --- the admin -----------------------------------------------------------------------------------

def test_ministry_staff_issue_a_key_in_the_admin_shown_once(client, world):
    client.force_login(world.ministry)
    form = client.get(f"{ADMIN}add/").context["adminform"].form
    assert set(form.fields["user"].queryset) == {world.bank_officer_1, world.bank_officer_2}

    response = client.post(f"{ADMIN}add/", {"name": "core banking", "user": world.bank_officer_1.pk,
                                            "expires_on": "۱۴۳۰/۰۱/۰۱"})

    assert response.status_code == 302
    api_key = BankApiKey.objects.get()
    assert (api_key.user, api_key.created_by) == (world.bank_officer_1, world.ministry)
    assert api_key.expiry_date.year == 2051  # the end of 1430-01-01 in Tehran is 2051-03-22
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    key = next(word for word in shown[0].split() if word.startswith(api_key.prefix + "."))
    assert client_with_key(key).get(LIST).status_code == 200
    assert key in client.get(ADMIN).content.decode()  # the next page shows the message, once
    page = client.get(f"{ADMIN}{api_key.pk}/change/").content.decode()
    assert key not in page and api_key.prefix in page


def test_the_admin_refuses_a_key_for_another_role(client, world):
    client.force_login(world.ministry)
    response = client.post(f"{ADMIN}add/", {"name": "x", "user": world.ministry.pk})
    assert response.status_code == 200 and response.context["adminform"].form.errors["user"]
    assert not BankApiKey.objects.exists()


def test_ministry_staff_revoke_keys_in_the_admin(client, world):
    api_key, key = issue_key(world.bank_officer_1)
    client.force_login(world.ministry)

    response = client.post(ADMIN, {"action": "revoke", "_selected_action": [api_key.pk]})

    assert response.status_code == 302
    assert BankApiKey.objects.get().revoked
    assert client_with_key(key).get(LIST).status_code == 401


def test_the_calls_are_listed_read_only_and_the_library_keys_are_hidden(client, world):
    client.force_login(world.ministry)
    assert client.get("/admin/financing/apicallrecord/").status_code == 200
    assert client.get("/admin/financing/apicallrecord/add/").status_code == 403
    assert not admin.site.is_registered(APIKey)


def test_other_staff_cannot_issue_keys(client, world):
    client.force_login(world.admin)  # a system administrator manages accounts only
    assert client.get(f"{ADMIN}add/").status_code == 403


# --- the rate limit ------------------------------------------------------------------------------

def test_a_key_over_its_rate_gets_429_in_the_error_shape(world, monkeypatch):
    monkeypatch.setattr(ApiKeyThrottle, "THROTTLE_RATES", {"bank_api": "2/minute"})
    first = client_with_key(issue_key(world.bank_officer_1)[1])
    second = client_with_key(issue_key(world.bank_officer_1)[1])

    assert [first.get(LIST).status_code for _n in range(2)] == [200, 200]
    response = first.get(LIST)

    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled" and body["message"] and body["fields"] == {}
    assert 0 < int(response["Retry-After"]) <= 60
    assert second.get(LIST).status_code == 200  # the limit is per key
