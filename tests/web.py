"""Helpers that act through the portal's real pages with Django's test client, as a browser would:
register, apply to a call, take a step of the chain, switch accounts."""

from django.urls import reverse

from accounts.models import User
from tests.uploads import pdf


def as_user(client, user):
    """Log ``client`` out and in again as ``user``; returns the client."""
    client.logout()
    client.force_login(user)
    return client


def register_applicant(client, username="ali", national_id="۰۰۴۲۱۵۸۷۳۷"):
    """Register a newcomer through the registration form (name «علي كريمي» typed on an Arabic
    keyboard, the ID in Persian digits, mobile ۰۹۱۲۱۲۳۴۵۶۷) and return the account; the client is
    left logged in as them."""
    response = client.post(reverse("financing:register"), {
        "username": username, "name": "علي كريمي", "person_kind": "natural", "ownership": "private",
        "national_id": national_id, "mobile": "۰۹۱۲۱۲۳۴۵۶۷", "password1": "Kaleh-pass-1398",
        "password2": "Kaleh-pass-1398",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(username=username)


def post_application(client, world, *, province="a", **overrides):
    """Post the application form of the world's call of province ``"a"``/``"b"`` as the logged-in
    applicant: 5,510,000,000 rials asked (Persian digits), 1,000,000,000 of their own, 10 + 2 jobs,
    one PDF study; ``overrides`` replace form fields. Returns the response."""
    call, county, sector = ((world.call_a, world.county_a, world.priority_a) if province == "a"
                            else (world.call_b, world.county_b, world.priority_b))
    data = {
        "title": "گاوداری شیری ۵۰ راسی", "county": county.pk, "priority_sector": sector.pk, "project_kind": "new",
        "requested_loan_rials": "۵٬۵۱۰٬۰۰۰٬۰۰۰", "own_contribution_rials": "1,000,000,000",
        "planned_new_jobs": "۱۰", "planned_retained_jobs": "٢", "physical_progress_percent": "0",
        "feasibility_files": [pdf()],
    }
    data.update(overrides)
    return client.post(reverse("financing:apply", args=[call.pk]), data)


def act(client, application, action, **data):
    """Post the form of ``action`` on the application's page. The form says the state the page
    showed (``expected_state``): the application's state now, unless ``expected_state`` is given
    (a stale page). ``data`` are the form's other fields, without their prefix."""
    application.refresh_from_db()
    payload = {f"{action}-expected_state": application.state}
    payload.update({f"{action}-{key}": value for key, value in data.items()})
    return client.post(reverse("financing:application_action", args=[application.pk, action]), payload)


# More digits than Python's int() converts (4,300), and a number just past a 64-bit column that the
# database driver refuses: such input once answered 500 (issue 6).
HUGE_NUMBERS = ("9" * 5000, "۹" * 5000, "9" * 20)


def post_huge_numbers(client, url, payload, fields, *, method="post"):
    """Send ``payload`` to ``url`` once for every name in ``fields`` and every spelling of
    ``HUGE_NUMBERS``, that field holding the huge number. Returns ``[(field, response), …]``.

    A server error is not a response here: Django's test client raises it, so the test fails."""
    send = client.post if method == "post" else client.get
    return [(field, send(url, {**payload, field: number})) for field in fields for number in HUGE_NUMBERS]
