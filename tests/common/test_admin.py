"""The Persian admin base classes (``common.admin``): change lists show Jalali dates and Persian
digits, and forms take input the way the rest of the portal does (one normalisation layer)."""

import datetime

import pytest
from django.urls import reverse

from financing.models import InvestmentApplication
from programs.models import BudgetYear, Programme, ProvinceAllocation
from sectors.models import PrioritySector
from tests.web import as_user, post_application, register_applicant

pytestmark = pytest.mark.django_db


def test_admin_lists_show_jalali_dates_and_persian_digits(client, world):
    register_applicant(client)
    post_application(client, world)
    InvestmentApplication.objects.update(submitted_at=datetime.datetime(2025, 3, 20, 20, 45, tzinfo=datetime.UTC))
    as_user(client, world.ministry)
    body = client.get(reverse("admin:financing_investmentapplication_changelist")).content.decode()
    assert "۱۴۰۴/۰۱/۰۱ ۰۰:۱۵" in body  # C05, in the admin too
    assert "۵٬۵۱۰٬۰۰۰٬۰۰۰" in body
    assert "5510000000" not in body and "2025" not in body


def test_admin_forms_take_persian_input_like_the_rest_of_the_portal(client, world):
    """One normalisation layer: Arabic letters folded, rials with any digits, Jalali dates (C03, C07, C11)."""
    as_user(client, world.ministry)
    response = client.post(reverse("admin:sectors_prioritysector_add"), {
        "province": world.province_a.pk, "source": "officer", "rank": "7", "name": "رسته آزمون علي‌",
        "name_en": "", "economic_sector": world.sector.pk, "county_scope": "", "plan": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert PrioritySector.objects.filter(name="رسته آزمون علی").exists()

    response = client.post(reverse("admin:programs_budgetyear_add"), {"year": "2026"})
    assert response.status_code == 200 and not BudgetYear.objects.filter(year=2026).exists()
    response = client.post(reverse("admin:programs_budgetyear_add"), {"year": "۱۴۰۴"})
    assert response.status_code == 302
    year = BudgetYear.objects.get(year=1404)

    response = client.post(reverse("admin:programs_provinceallocation_add"), {
        "province": world.province_a.pk, "budget_year": year.pk, "new_jobs": "۱۰۰", "grants_rials": "۵۵۱٬۰۰۰٬۰۰۰",
        "loans_rials": "551,000,000", "interest_subsidy_rials": "٥٥١٬٠٠٠٬٠٠٠"})
    assert response.status_code == 302, response.content.decode()[:3000]
    allocation = ProvinceAllocation.objects.get(budget_year=year)
    assert (allocation.grants_rials, allocation.loans_rials, allocation.interest_subsidy_rials) == (551_000_000,) * 3

    response = client.post(reverse("admin:programs_programme_add"), {
        "name": "برنامه آزمون", "start_date": "۱۴۰۳/۱۲/۳۰", "new_jobs_target": "66000",
        "retained_jobs_target": "11000", "institutions_target": "24", "cost_per_job_rials": "551000000",
        "per_capita_income_growth_percent": "25"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Programme.objects.get(name="برنامه آزمون").start_date == datetime.date(2025, 3, 20)
