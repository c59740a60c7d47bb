"""Applicants register themselves (roles.md): the national ID or company ID is stored canonical
(C08, C09) so the same person is recognised whatever digits they type, a company typed on an Arabic
keyboard is the same company (C11), and an email address may be given for the notices."""

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import User
from common.errors import RuleBroken
from financing import services
from financing.models import Applicant


def register(username, national_id_text, *, kind=Applicant.PersonKind.NATURAL):
    return services.applicant_register(
        username=username, password="kaleh-test-pass", name="علی کریمی", national_id=national_id_text,
        person_kind=kind, ownership=Applicant.Ownership.PRIVATE)


@pytest.mark.django_db
def test_persian_digits_are_stored_canonical():
    applicant = register("ali", "۰۰۴۲۱۵۸۷۳۷")
    assert Applicant.objects.values_list("national_id", flat=True).get(pk=applicant.pk) == "0042158737"


@pytest.mark.django_db
@pytest.mark.parametrize("second", ["0042158737", "٠٠٤٢١٥٨٧٣٧", "۰۰۴۲-۱۵۸۷۳۷"])
def test_same_person_in_other_digits_is_a_duplicate(second):
    register("ali", "۰۰۴۲۱۵۸۷۳۷")
    with pytest.raises(RuleBroken) as refused:
        register("ali2", second)
    assert (refused.value.field, str(refused.value.message)) == ("national_id", "این کد یا شناسه ملی قبلاً ثبت شده است.")
    assert Applicant.objects.count() == 1
    assert not Applicant.objects.filter(user__username="ali2").exists()


@pytest.mark.django_db
def test_invalid_national_id_creates_no_account():
    with pytest.raises(RuleBroken) as refused:
        register("ali", "0042158738")
    assert (refused.value.field, str(refused.value.message)) == (
        "national_id", "کد ملی معتبر نیست (رقم کنترل نادرست است).")
    assert not User.objects.filter(username="ali").exists()


@pytest.mark.django_db
def test_leading_zeros_survive_the_database():
    """C09: a text column, read back as the same 10 characters by the ORM and by raw SQL."""
    register("ali", "0042158737")
    register("zahra", "0019876548")
    assert Applicant._meta.get_field("national_id").get_internal_type() == "CharField"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT national_id FROM {Applicant._meta.db_table} ORDER BY national_id")
        assert [row[0] for row in cursor.fetchall()] == ["0019876548", "0042158737"]
    assert list(Applicant.objects.filter(national_id__startswith="00").order_by("national_id")
                .values_list("national_id", flat=True)) == ["0019876548", "0042158737"]


@pytest.mark.django_db
def test_legal_person_registers_with_a_company_id():
    value = "10104205379"  # the check digit 9 by the rule of tests/common/test_identifiers.py
    applicant = register("coop", value, kind=Applicant.PersonKind.LEGAL)
    assert Applicant.objects.get(pk=applicant.pk).national_id == value


def test_a_company_typed_on_an_arabic_keyboard_is_a_duplicate(client, db):
    services.applicant_register(username="kian", password=None, name="شرکت کیان", national_id="10101047291",
                                person_kind="legal", ownership="cooperative")
    response = client.post(reverse("financing:register"), {
        "username": "kian2", "name": "شركت كيان", "person_kind": "legal", "ownership": "cooperative",
        "national_id": "10102094584", "password1": "Kaleh-pass-1398", "password2": "Kaleh-pass-1398"})
    assert response.status_code == 400
    assert "شرکتی با همین نام قبلاً ثبت شده است." in response.content.decode()
    assert Applicant.objects.count() == 1


def test_an_applicant_may_give_an_email_address_when_registering(client, db):
    response = client.post(reverse("financing:register"), {
        "username": "sara", "name": "سارا رحیمی", "person_kind": "natural", "ownership": "private",
        "national_id": "۰۰۴۲۱۵۸۷۳۷", "mobile": "۰۹۱۲۱۲۳۴۵۶۷", "email": "sara@example.ir",
        "password1": "Kaleh-pass-1398", "password2": "Kaleh-pass-1398",
    })

    assert response.status_code == 302
    user = response.wsgi_request.user
    assert (user.email, user.mobile) == ("sara@example.ir", "09121234567")
