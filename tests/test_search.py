"""Search finds a name or a title in any spelling (C08, C11, C12): in the officers' list and the admin."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role, User
from financing.models import Applicant, InvestmentApplication
from tests.support import as_user, register_applicant, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def titled(client, chain_world):
    """Two applications: «طرح‌های اشتغال‌زا» by «علی کریمی» (typed on an Arabic keyboard), and another."""
    w = chain_world["IR-05"]
    register_applicant(client)  # "علي كريمي" with Arabic ي/ك
    submit(client, w["call"], w["county"], w["sector"], title="طرح‌های اشتغال‌زا‌")
    client.logout()
    register_applicant(client, username="sara", national_id="0019876548")
    User.objects.filter(username="sara").update(first_name="سارا")
    Applicant.objects.filter(user__username="sara").update(name="سارا رستمی", search_text="سارا رستمی")
    submit(client, w["call"], w["county"], w["sector"], title="گلخانه سبزی")
    return w


def found(client, query, url=None):
    response = client.get(url or reverse("financing:applications"), {"q": query})
    assert response.status_code == 200
    return sorted(InvestmentApplication.objects.filter(
        pk__in=re.findall(r'data-application="(\d+)"', response.content.decode())).values_list("title", flat=True))


def test_the_title_is_stored_with_its_half_spaces_and_no_trailing_one(titled):
    assert InvestmentApplication.objects.filter(title="طرح‌های اشتغال‌زا").count() == 1


@pytest.mark.parametrize("query", ["طرح های اشتغال زا", "طرح‌های", "اشتغال‌زا", "علی", "علي", "كريمي", "  علی   کریمی "])
def test_list_search_matches_every_spelling(client, titled, query):
    as_user(client, titled["officer"])
    assert found(client, query) == ["طرح‌های اشتغال‌زا"]


def test_list_search_by_tracking_code_digits_in_persian(client, titled):
    from tests.support import act

    application = InvestmentApplication.objects.get(title="گلخانه سبزی")
    as_user(client, titled["officer"])
    act(client, application, "start_agency_review")
    act(client, application, "approve_by_agency")
    application.refresh_from_db()
    typed = application.tracking_code[:8].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert found(client, typed) == ["گلخانه سبزی"]


def test_admin_search_matches_every_spelling(client, titled):
    ministry = User.objects.create_user("ministry", password="x", role=Role.MINISTRY_STAFF)
    as_user(client, ministry)
    url = reverse("admin:financing_investmentapplication_changelist")
    for query in ("علي", "طرح های اشتغال زا", "۰۰۴۲۱۵۸۷۳۷"):
        body = client.get(url, {"q": query}).content.decode()
        assert "طرح‌های اشتغال‌زا" in body and "گلخانه سبزی" not in body, query
    url = reverse("admin:financing_applicant_changelist")
    for query in ("٠٠٤٢١٥٨٧٣٧", "0042158737", "كريمي"):
        body = client.get(url, {"q": query}).content.decode()
        assert "علی کریمی" in body and "سارا رستمی" not in body, query


def test_a_company_typed_on_an_arabic_keyboard_is_a_duplicate(client, db):
    from financing.services import applicant_register

    applicant_register(username="kian", password=None, name="شرکت کیان", national_id="10101047291",
                       person_kind="legal", ownership="cooperative")
    response = client.post(reverse("financing:register"), {
        "username": "kian2", "name": "شركت كيان", "person_kind": "legal", "ownership": "cooperative",
        "national_id": "10102094584", "password1": "Kaleh-pass-1398", "password2": "Kaleh-pass-1398"})
    assert response.status_code == 400
    assert "شرکتی با همین نام قبلاً ثبت شده است." in response.content.decode()
    assert Applicant.objects.count() == 1
