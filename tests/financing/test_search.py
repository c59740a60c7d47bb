"""Search finds a name or a title in any spelling (C08, C11, C12): in the officers' list and the admin."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from financing.models import Applicant, InvestmentApplication
from tests.web import act, as_user, post_application, register_applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def titled(client, world):
    """Two applications in province A: «طرح‌های اشتغال‌زا» by «علی کریمی» (typed on an Arabic
    keyboard), and «گلخانه سبزی» by «سارا رستمی»."""
    register_applicant(client)  # "علي كريمي" with Arabic ي/ك
    post_application(client, world, title="طرح‌های اشتغال‌زا‌")
    client.logout()
    register_applicant(client, username="sara", national_id="0019876548")
    User.objects.filter(username="sara").update(first_name="سارا")
    Applicant.objects.filter(user__username="sara").update(name="سارا رستمی", search_text="سارا رستمی")
    post_application(client, world, title="گلخانه سبزی")
    return world


def found(client, query, url=None):
    response = client.get(url or reverse("financing:applications"), {"q": query})
    assert response.status_code == 200
    return sorted(InvestmentApplication.objects.filter(
        pk__in=re.findall(r'data-application="(\d+)"', response.content.decode())).values_list("title", flat=True))


def test_the_title_is_stored_with_its_half_spaces_and_no_trailing_one(titled):
    assert InvestmentApplication.objects.filter(title="طرح‌های اشتغال‌زا").count() == 1


@pytest.mark.parametrize("query", ["طرح های اشتغال زا", "طرح‌های", "اشتغال‌زا", "علی", "علي", "كريمي", "  علی   کریمی "])
def test_list_search_matches_every_spelling(client, titled, query):
    as_user(client, titled.agency_officer_a)
    assert found(client, query) == ["طرح‌های اشتغال‌زا"]


def test_list_search_by_tracking_code_digits_in_persian(client, titled):
    application = InvestmentApplication.objects.get(title="گلخانه سبزی")
    as_user(client, titled.agency_officer_a)
    act(client, application, "start_agency_review")
    act(client, application, "approve_by_agency")
    application.refresh_from_db()
    typed = application.tracking_code[:8].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert found(client, typed) == ["گلخانه سبزی"]


def test_admin_search_matches_every_spelling(client, titled):
    as_user(client, titled.ministry)
    url = reverse("admin:financing_investmentapplication_changelist")
    for query in ("علي", "طرح های اشتغال زا", "۰۰۴۲۱۵۸۷۳۷"):
        body = client.get(url, {"q": query}).content.decode()
        assert "طرح‌های اشتغال‌زا" in body and "گلخانه سبزی" not in body, query
    url = reverse("admin:financing_applicant_changelist")
    for query in ("٠٠٤٢١٥٨٧٣٧", "0042158737", "كريمي"):
        body = client.get(url, {"q": query}).content.decode()
        assert "علی کریمی" in body and "سارا رستمی" not in body, query
