"""Roles (roles.md): each account has one role and the scope that role needs; ministry staff and
system administrators work in the Persian admin, each with their own permissions, and nobody else
enters it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role, User
from tests.web import as_user, register_applicant

pytestmark = pytest.mark.django_db


def test_user_role_needs_its_scope(world):
    officer = User(username="nobody", role=Role.AGENCY_OFFICER)
    with pytest.raises(ValidationError) as error:
        officer.full_clean(exclude=["password"])
    assert "agency" in error.value.message_dict
    officer = User(username="twoscopes", role=Role.BANK_OFFICER, bank=world.bank_1, province=world.province_a)
    with pytest.raises(ValidationError) as error:
        officer.full_clean(exclude=["password"])
    assert "province" in error.value.message_dict


def test_ministry_staff_use_the_admin_in_persian(client, world):
    assert world.ministry.is_staff
    as_user(client, world.ministry)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="fa"' in body and 'dir="rtl"' in body
    assert "استان‌ها" in body
    assert client.get(reverse("admin:programs_province_changelist")).status_code == 200
    assert client.get(reverse("admin:sectors_prioritysector_changelist")).status_code == 200


def test_applicants_and_officers_cannot_enter_the_admin(client, world):
    applicant = register_applicant(client)
    for user in (applicant, world.agency_officer_a):
        as_user(client, user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_system_admin_manages_accounts_but_not_business_data(client, world):
    assert (world.admin.role, world.admin.is_superuser) == (Role.SYSTEM_ADMIN, False)
    as_user(client, world.admin)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:financing_investmentapplication_changelist")).status_code == 403
    assert client.get(reverse("admin:programs_province_changelist")).status_code == 403
