"""Helpers of the bank API's action tests: POST an action with an ``Idempotency-Key``, and the
JSON bodies of a valid request for each action (rials, ISO and Jalali dates)."""

import datetime
import uuid

import jdatetime
from django.utils import timezone

from tests.factories import Figures

ACTIONS = ("start-review", "approve", "reject", "cancel", "contract", "disbursements", "confirm-operation")


def url(pk, action):
    return f"/api/v1/applications/{pk}/{action}/"


def post(client, pk, action, body=None, *, key=None, **extra):
    """POST ``body`` (JSON) to ``action`` of application ``pk`` with ``Idempotency-Key: key`` (a new
    UUID unless given; ``key=""`` sends none)."""
    key = str(uuid.uuid4()) if key is None else key
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url(pk, action), body if body is not None else {}, format="json", **headers, **extra)


def days_ago(days) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def jalali(day: datetime.date) -> str:
    return jdatetime.date.fromgregorian(date=day).strftime("%Y-%m-%d")


def contract_body(**changes):
    """The contract of ``tests.world.contract_input``: 5,510,000,000 rials at 18 % with 10 points,
    60 months with 12 of grace, signed 60 days ago (sent in Jalali)."""
    body = {"contract_number": "BNK-CONTRACT-1", "principal_rials": Figures.PRINCIPAL, "interest_rate_percent": "18",
            "subsidy_rate_percent": "10", "term_months": 60, "grace_months": 12, "planned_tranches": 2,
            "signed_date_jalali": jalali(days_ago(60))}
    body.update(changes)
    return body


def tranche_body(amount=Figures.FIRST_TRANCHE, **changes):
    body = {"amount_rials": amount, "paid_date": days_ago(50).isoformat(), "bank_reference": "BNK-7781"}
    body.update(changes)
    return body


# A valid body of each action (the state decides whether it may run).
BODIES = {
    "start-review": {},
    "approve": {"approved_loan_rials": Figures.PRINCIPAL},
    "reject": {"reason": "طرح توجیهی قابل قبول نیست."},
    "cancel": {"reason": "متقاضی مدارک را کامل نکرد."},
    "contract": contract_body(),
    "disbursements": tranche_body(),
    "confirm-operation": {},
}
