"""Staff notices in the portal (roles.md, "Who is told"): ``staff_notify`` stores a portal notice per
active account plus an email where there is an address; the header shows the unread count in one
query; the list is the user's own; opening one (POST) marks it read and goes to its target."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.context_processors import notices
from accounts.models import Notification
from accounts.selectors import notices_for, unread_notice_count
from accounts.services import notice_mark_read, staff_notify
from accounts.views import target_url
from common.errors import NotFound
from financing.models import ApplicationState
from interventions.models import Intervention, InterventionState
from tests.factories import AgencyOfficerFactory
from tests.interventions.helpers import advance_intervention
from tests.web import as_user

PORTAL, EMAIL = Notification.Channel.PORTAL, Notification.Channel.EMAIL
LIST_URL = reverse("accounts:notices")


def notify(users, target, n=1, event="approve"):
    """``n`` notices to each of ``users`` about ``target``; returns the portal rows, oldest first."""
    rows = []
    for i in range(n):
        rows += staff_notify(users=users, target=target, event=event, subject=f"اعلان {i + 1}", body=f"متن {i + 1}")
    return [row for row in rows if row.channel == PORTAL]


def open_url(notice):
    return reverse("accounts:notice_open", args=[notice.pk])


def notice_queries(queries):
    return [q["sql"] for q in queries if "accounts_notification" in q["sql"]]


# --- staff_notify -----------------------------------------------------------------------------

def test_an_email_row_only_for_an_account_with_an_address(world, django_capture_on_commit_callbacks):
    with_address = AgencyOfficerFactory(agency=world.agency_a, email="officer@example.ir")
    without = world.agency_officer_a

    with django_capture_on_commit_callbacks() as callbacks:
        rows = staff_notify(users=[with_address, without], target=world.province_a, event="approve",
                            subject="مصوب شد", body="متن")

    assert [(r.user, r.channel, r.recipient, r.status) for r in rows] == [
        (with_address, PORTAL, with_address.username, Notification.Status.SENT),
        (with_address, EMAIL, "officer@example.ir", Notification.Status.QUEUED),
        (without, PORTAL, without.username, Notification.Status.SENT),
    ]
    assert len(callbacks) == 1  # only the email is sent, after commit
    assert all(r.read_at is None for r in rows)


def test_inactive_accounts_are_not_notified(world):
    world.agency_officer_b.is_active = False
    world.agency_officer_b.save(update_fields=["is_active"])

    rows = staff_notify(users=[world.agency_officer_a, world.agency_officer_b], target=world.province_a,
                        event="approve", subject="s", body="b")

    assert [r.user for r in rows] == [world.agency_officer_a]
    assert not Notification.objects.filter(user=world.agency_officer_b).exists()


# --- the header's count -----------------------------------------------------------------------

def test_the_header_shows_the_real_unread_count_in_one_query(client, world):
    officer = world.agency_officer_a
    first, *_ = notify([officer], world.province_a, n=3)
    notify([world.agency_officer_b], world.province_a, n=2)  # somebody else's
    staff_notify(users=[AgencyOfficerFactory(agency=world.agency_a, email="x@example.ir")],
                 target=world.province_a, event="approve", subject="s", body="b")
    notice_mark_read(user=officer, notice_id=first.pk)
    as_user(client, officer)

    with CaptureQueriesContext(connection) as queries:
        html = client.get("/program/").content.decode()

    badge = html.split('data-testid="unread-count"', 1)[1].split("</a>", 1)[0]
    assert '<span aria-hidden="true">۲</span>' in badge
    assert "۲ اعلان خوانده‌نشده" in badge
    assert len(notice_queries(queries)) == 1
    assert unread_notice_count(officer) == 2


def test_the_header_count_costs_one_query_however_many_notices(client, world):
    officer = world.agency_officer_a
    notify([officer], world.province_a, n=1)
    as_user(client, officer)
    with CaptureQueriesContext(connection) as few:
        client.get("/program/")
    notify([officer], world.province_a, n=30)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/program/").content.decode()

    assert len(many) == len(few)
    assert "۳۱ اعلان خوانده‌نشده" in html


def test_no_badge_when_everything_is_read(client, world):
    officer = world.agency_officer_a
    (notice,) = notify([officer], world.province_a)
    notice_mark_read(user=officer, notice_id=notice.pk)

    html = as_user(client, officer).get("/program/").content.decode()

    assert 'data-testid="nav-notices"' in html
    assert 'data-testid="unread-count"' not in html


def test_the_context_processor_queries_once_and_never_for_anonymous_users_or_applicants(
        world, django_assert_num_queries):
    officer = world.agency_officer_a
    notify([officer], world.province_a, n=4)
    request = RequestFactory().get("/program/")

    request.user = officer
    context = notices(request)
    with django_assert_num_queries(1):
        assert (context["receives_notices"](), context["unread_notice_count"](), context["unread_notice_count"]()) == (
            True, 4, 4)

    for user in (AnonymousUser(), world.owner):
        request.user = user
        context = notices(request)
        with django_assert_num_queries(0):
            assert (context["receives_notices"](), context["unread_notice_count"]()) == (False, 0)


def test_anonymous_pages_never_ask_for_notices(client, world):
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/program/").content.decode()

    assert notice_queries(queries) == []
    assert 'data-testid="nav-notices"' not in html


# --- the list -----------------------------------------------------------------------------------

def test_the_list_holds_only_the_users_portal_notices_newest_first_unread_marked(client, world):
    officer = world.agency_officer_a
    older, newer = notify([officer], world.province_a, n=2)
    notice_mark_read(user=officer, notice_id=older.pk)
    notify([world.agency_officer_b], world.province_a)  # somebody else's
    email = Notification.objects.create(
        user=officer, channel=EMAIL, recipient="o@example.ir", subject="ایمیل", body="b",
        content_type=ContentType.objects.get_for_model(world.province_a), object_id=world.province_a.pk, event="x")

    html = as_user(client, officer).get(LIST_URL).content.decode()

    assert list(notices_for(officer)) == [newer, older]
    listed = [chunk.split('"', 1)[0] for chunk in html.split('data-notice="')[1:]]
    assert listed == [str(newer.pk), str(older.pk)]
    assert str(email.pk) not in listed
    assert html.count('data-testid="unread-mark"') == 1
    assert f'data-notice="{newer.pk}" data-unread="1"' in html
    assert f'data-notice="{older.pk}" data-unread' not in html
    # Viewing the list marks nothing read.
    newer.refresh_from_db()
    assert newer.read_at is None


def test_the_list_is_paged_and_its_queries_do_not_grow(client, world):
    officer = world.agency_officer_a
    notify([officer], world.province_a, n=2)
    as_user(client, officer)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    notify([officer], world.province_a, n=28)
    with CaptureQueriesContext(connection) as many:
        html = client.get(LIST_URL).content.decode()

    assert len(many) == len(few)
    assert html.count('data-notice="') == 25  # common.paging.PAGE_SIZE
    assert "صفحه ۱ از ۲" in html


def test_the_list_needs_a_login(client, world):
    response = client.get(LIST_URL)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


# --- opening a notice ---------------------------------------------------------------------------

def test_opening_marks_read_and_goes_to_the_application(client, world, advance_to):
    app = advance_to(ApplicationState.AGENCY_REVIEW)
    officer = world.agency_officer_a
    (notice,) = notify([officer], app)

    response = as_user(client, officer).post(open_url(notice))

    assert response.status_code == 302
    assert response.url == reverse("financing:application", args=[app.pk]) == f"/applications/{app.pk}/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert unread_notice_count(officer) == 0


def test_the_ministry_reads_and_opens_the_notice_of_a_submitted_intervention(client, world):
    intervention = advance_intervention(world, InterventionState.DOCUMENTS_SUBMITTED)
    (notice,) = notices_for(world.ministry)
    as_user(client, world.ministry)

    html = client.get(LIST_URL).content.decode()
    response = client.post(open_url(notice))

    assert (notice.object_id, notice.event) == (intervention.pk, "submit_documents")
    assert "اقدام توسعه‌ای " + str(intervention.pk).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in html
    assert "ارسال مستندات اجرایی" in html  # the event's label from the intervention workflow
    assert (response.status_code, response.url) == (302, f"/interventions/{intervention.pk}/")
    assert unread_notice_count(world.ministry) == 0


def test_a_notice_of_an_intervention_links_to_the_interventions_page(world):
    (notice,) = notify([world.ministry], world.province_a)
    notice.content_type = ContentType.objects.get_for_model(Intervention)
    notice.object_id = 4321

    assert target_url(notice) == "/interventions/4321/"


def test_a_target_without_a_page_opens_back_to_the_list(client, world):
    (notice,) = notify([world.agency_officer_a], world.province_a)

    response = as_user(client, world.agency_officer_a).post(open_url(notice))

    assert (response.status_code, response.url) == (302, LIST_URL)


def test_opening_twice_keeps_the_first_reading_time(client, world):
    officer = world.agency_officer_a
    (notice,) = notify([officer], world.province_a)
    first = notice_mark_read(user=officer, notice_id=notice.pk).read_at

    as_user(client, officer).post(open_url(notice))

    notice.refresh_from_db()
    assert notice.read_at == first


def test_a_get_does_not_mark_the_notice_read(client, world):
    officer = world.agency_officer_a
    (notice,) = notify([officer], world.province_a)

    response = as_user(client, officer).get(open_url(notice))

    assert response.status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None
    assert unread_notice_count(officer) == 1


def test_another_users_notice_is_404_and_stays_unread(client, world):
    (theirs,) = notify([world.agency_officer_b], world.province_a)

    response = as_user(client, world.agency_officer_a).post(open_url(theirs))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    with pytest.raises(NotFound):
        notice_mark_read(user=world.agency_officer_a, notice_id=theirs.pk)


def test_an_email_row_cannot_be_opened_as_a_notice(client, world):
    user = AgencyOfficerFactory(agency=world.agency_a, email="o@example.ir")
    email = next(r for r in staff_notify(users=[user], target=world.province_a, event="x", subject="s", body="b")
                 if r.channel == EMAIL)

    assert as_user(client, user).post(open_url(email)).status_code == 404
    email.refresh_from_db()
    assert email.read_at is None


# --- the navigation -------------------------------------------------------------------------------

STAFF_LINKS = ('data-testid="nav-interventions"', 'data-testid="nav-timetable"', 'data-testid="nav-coverage"')


@pytest.mark.parametrize("who", ["agency_officer_a", "secretary_a", "manager_a", "ministry"])
def test_programme_staff_see_the_interventions_timetable_and_coverage_links(client, world, who):
    html = as_user(client, getattr(world, who)).get("/program/").content.decode()

    for link in STAFF_LINKS:
        assert link in html
    assert 'href="/interventions/"' in html and 'href="/timetable/"' in html and 'href="/coverage/"' in html


@pytest.mark.parametrize("who", ["owner", "bank_officer_1", "admin", None])
def test_other_roles_do_not_get_those_links(client, world, who):
    if who:
        as_user(client, getattr(world, who))
    html = client.get("/program/").content.decode()

    for link in STAFF_LINKS:
        assert link not in html
