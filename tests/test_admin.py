"""The Django admin, in Persian, for ministry staff; states are never edited there (C17)."""

import pytest
from django.urls import reverse

from accounts.models import Role, User
from tests.support import as_user, register_applicant, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry(db):
    return User.objects.create_user("ministry", password="x", role=Role.MINISTRY_STAFF)


def test_ministry_staff_use_the_admin_in_persian(client, ministry, chain_world):
    assert ministry.is_staff
    as_user(client, ministry)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="fa"' in body and 'dir="rtl"' in body
    assert "استان‌ها" in body
    assert client.get(reverse("admin:programs_province_changelist")).status_code == 200
    assert client.get(reverse("admin:sectors_prioritysector_changelist")).status_code == 200


def test_applications_are_read_only_in_the_admin(client, ministry, chain_world):
    from financing.models import InvestmentApplication

    register_applicant(client)
    submit(client, chain_world["IR-05"]["call"], chain_world["IR-05"]["county"], chain_world["IR-05"]["sector"])
    application = InvestmentApplication.objects.get()
    as_user(client, ministry)
    url = reverse("admin:financing_investmentapplication_change", args=[application.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"state": "closed", "title": "x"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == "submitted"


def test_applicants_and_officers_cannot_enter_the_admin(client, chain_world):
    applicant = register_applicant(client)
    for user in (applicant, chain_world["IR-05"]["officer"]):
        as_user(client, user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_system_admin_manages_accounts_but_not_business_data(client, chain_world):
    admin_user = User.objects.create_user("sysadmin", password="x", role=Role.SYSTEM_ADMIN)
    as_user(client, admin_user)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:financing_investmentapplication_changelist")).status_code == 403
    assert client.get(reverse("admin:programs_province_changelist")).status_code == 403


def test_user_role_needs_its_scope(chain_world):
    from django.core.exceptions import ValidationError

    officer = User(username="nobody", role=Role.AGENCY_OFFICER)
    with pytest.raises(ValidationError) as error:
        officer.full_clean(exclude=["password"])
    assert "agency" in error.value.message_dict
    officer = User(username="twoscopes", role=Role.BANK_OFFICER, bank=chain_world["IR-05"]["bank"],
                   province=chain_world["IR-05"]["province"])
    with pytest.raises(ValidationError) as error:
        officer.full_clean(exclude=["password"])
    assert "province" in error.value.message_dict



@pytest.mark.parametrize("action", ["bulk_application_start_agency_review", "bulk_application_approve_by_agency"])
def test_admin_bulk_actions_go_through_the_services_and_their_permissions(client, ministry, chain_world, action):
    """C17 in the admin: ministry staff may not take an agency's step, in bulk or not."""
    from accounts.models import AuditRecord
    from financing.models import InvestmentApplication

    w = chain_world["IR-05"]
    register_applicant(client)
    submit(client, w["call"], w["county"], w["sector"])
    application = InvestmentApplication.objects.get()
    as_user(client, ministry)
    response = client.post(reverse("admin:financing_investmentapplication_changelist"),
                           {"action": action, "_selected_action": [application.pk]}, follow=True)
    assert response.status_code == 200
    assert "۱ طرح: رد شد" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "submitted"
    assert AuditRecord.objects.filter(object_id=application.pk).exclude(action="submit").count() == 0


def test_admin_lists_show_jalali_dates_and_persian_digits(client, ministry, chain_world):
    import datetime

    from financing.models import InvestmentApplication

    w = chain_world["IR-05"]
    register_applicant(client)
    submit(client, w["call"], w["county"], w["sector"])
    InvestmentApplication.objects.update(submitted_at=datetime.datetime(2025, 3, 20, 20, 45, tzinfo=datetime.UTC))
    as_user(client, ministry)
    body = client.get(reverse("admin:financing_investmentapplication_changelist")).content.decode()
    assert "۱۴۰۴/۰۱/۰۱ ۰۰:۱۵" in body  # C05, in the admin too
    assert "۵٬۵۱۰٬۰۰۰٬۰۰۰" in body
    assert "5510000000" not in body and "2025" not in body


def test_admin_forms_take_persian_input_like_the_rest_of_the_portal(client, ministry, chain_world):
    """One normalisation layer: Arabic letters folded, rials with any digits, Jalali dates (C03, C07, C11)."""
    from programs.models import BudgetYear, Programme, ProvinceAllocation
    from sectors.models import PrioritySector

    w = chain_world["IR-05"]
    as_user(client, ministry)
    response = client.post(reverse("admin:sectors_prioritysector_add"), {
        "province": w["province"].pk, "source": "officer", "rank": "7", "name": "رسته آزمون علي‌",
        "name_en": "", "economic_sector": w["sector"].economic_sector_id, "county_scope": "", "plan": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert PrioritySector.objects.filter(name="رسته آزمون علی").exists()

    response = client.post(reverse("admin:programs_budgetyear_add"), {"year": "2026"})
    assert response.status_code == 200 and not BudgetYear.objects.filter(year=2026).exists()
    response = client.post(reverse("admin:programs_budgetyear_add"), {"year": "۱۴۰۴"})
    assert response.status_code == 302
    year = BudgetYear.objects.get(year=1404)

    response = client.post(reverse("admin:programs_provinceallocation_add"), {
        "province": w["province"].pk, "budget_year": year.pk, "new_jobs": "۱۰۰", "grants_rials": "۵۵۱٬۰۰۰٬۰۰۰",
        "loans_rials": "551,000,000", "interest_subsidy_rials": "٥٥١٬٠٠٠٬٠٠٠"})
    assert response.status_code == 302, response.content.decode()[:3000]
    allocation = ProvinceAllocation.objects.get(budget_year=year)
    assert (allocation.grants_rials, allocation.loans_rials, allocation.interest_subsidy_rials) == (551_000_000,) * 3

    response = client.post(reverse("admin:programs_programme_add"), {
        "name": "برنامه آزمون", "start_date": "۱۴۰۳/۱۲/۳۰", "new_jobs_target": "66000",
        "retained_jobs_target": "11000", "institutions_target": "24", "cost_per_job_rials": "551000000",
        "per_capita_income_growth_percent": "25"})
    assert response.status_code == 302, response.content.decode()[:3000]
    import datetime

    assert Programme.objects.get(name="برنامه آزمون").start_date == datetime.date(2025, 3, 20)
