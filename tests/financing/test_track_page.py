"""The public tracking page (§9 step 4, C13, C20): it shows an application's state, its steps and who
acts next, never personal data; it answers every input without a server error, and shows dates in
Tehran's Jalali calendar."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AuditRecord
from financing import tracking

pytestmark = pytest.mark.django_db


def test_track_page_shows_state_steps_and_next_actor_without_personal_data(client, tracked):
    code = tracked.tracking_code
    typed = "-".join(code[i : i + 4] for i in range(0, 16, 4)).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    response = client.get(reverse("financing:track"), {"code": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-state="agency_approved"' in body
    assert "دبیر کارگروه اشتغال استان" in body  # the next step's actor
    assert body.count("<li>") >= 3  # submitted, agency review, approved
    for secret in ("کریمی", "0042158737", "۰۰۴۲۱۵۸۷۳۷", "۵٬۵۱۰٬۰۰۰٬۰۰۰", "5510000000", "09121234567"):
        assert secret not in body
    # The code is shown in groups of four inside a left-to-right isolate (C13).
    grouped = tracking.grouped(code)
    assert f'<bdi dir="ltr">{grouped}</bdi>' in body


@pytest.mark.parametrize("typed, message, status", [
    ("12", "کد رهگیری ۱۶ رقم است", 400),
    ("<script>alert(1)</script>", "کد رهگیری ۱۶ رقم است", 400),
    ("x" * 500, "کد رهگیری ۱۶ رقم است", 400),
    ("\x00\x01", "کد رهگیری ۱۶ رقم است", 400),
])
def test_track_page_junk_input(client, db, typed, message, status):
    response = client.get(reverse("financing:track"), {"code": typed})
    assert response.status_code == status
    assert message in response.content.decode()


def test_track_page_mistyped_and_unknown_codes(client, tracked):
    code = tracked.tracking_code
    mistyped = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
    response = client.get(reverse("financing:track"), {"code": mistyped})
    assert response.status_code == 400
    assert "یکی از رقم‌ها اشتباه است" in response.content.decode()
    unknown = tracking.generate()
    while unknown == code:
        unknown = tracking.generate()
    response = client.get(reverse("financing:track"), {"code": unknown})
    assert response.status_code == 404
    assert "پیدا نشد" in response.content.decode()


def test_track_page_dates_are_tehran_jalali(client, tracked):
    """C05: 2025-03-20T20:45:00Z is 00:15 on 1404-01-01 in Tehran."""
    AuditRecord.objects.filter(object_id=tracked.pk, action="submit").update(
        at=datetime.datetime(2025, 3, 20, 20, 45, tzinfo=datetime.UTC))
    body = client.get(reverse("financing:track"), {"code": tracked.tracking_code}).content.decode()
    assert "۱۴۰۴/۰۱/۰۱ ۰۰:۱۵" in body
    assert "۱۴۰۳/۱۲/۳۰" not in body
