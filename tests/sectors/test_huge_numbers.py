"""The officer's priority-sector form refuses a 5,000-digit number in any field with a Persian
message, never a 500, and adds nothing (issue 6)."""

import pytest

from sectors.forms import PrioritySectorForm
from sectors.models import PrioritySector
from tests.web import post_huge_numbers

pytestmark = pytest.mark.django_db

MESSAGES = {
    "new_jobs": "عدد بیش از حد بزرگ است.",
    "economic_sector": "بخش اقتصادی انتخاب‌شده معتبر نیست.",
    "county": "شهرستان انتخاب‌شده در این استان نیست.",
}


def test_the_priority_sector_form(client, world):
    client.force_login(world.agency_officer_a)
    before = PrioritySector.objects.count()
    payload = {"name": "زنبورداری", "economic_sector": world.sector.pk}
    for field, response in post_huge_numbers(client, "/sectors/new/", payload, list(MESSAGES)):
        assert response.status_code == 400, field
        assert MESSAGES[field] in response.content.decode(), field
    assert PrioritySector.objects.count() == before
    for field, response in post_huge_numbers(client, "/sectors/new/", payload, PrioritySectorForm.base_fields):
        assert response.status_code in (302, 400), field
