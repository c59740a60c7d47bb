"""The bank API's list and detail (issue 8): scoped to the key's bank, filtered, paged by a stable
cursor, and the application in full with real figures."""

import datetime

import jdatetime
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from financing.models import ApplicationState, InvestmentApplication

S = ApplicationState
LIST = "/api/v1/applications/"


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def assert_invalid(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["message"] and body["message_en"]
    assert list(body["fields"]) == [field]


# --- scope ------------------------------------------------------------------------------------------

def test_each_bank_lists_only_the_applications_referred_to_it(world, advance_to, bank1_api, bank2_api):
    mine = advance_to(S.REFERRED_TO_BANK)
    theirs = advance_to(S.BANK_REVIEW, province="b", bank=world.bank_2)
    advance_to(S.WORKING_GROUP_REVIEW)  # not referred yet: no bank sees it

    assert ids(bank1_api.get(LIST)) == [mine.pk]
    assert ids(bank2_api.get(LIST)) == [theirs.pk]


def test_a_row_carries_the_application_summary(world, advance_to, bank1_api):
    app = advance_to(S.BANK_APPROVED)

    row = bank1_api.get(LIST).json()["results"][0]

    submitted = timezone.localtime(app.submitted_at)
    assert row == {
        "id": app.pk, "tracking_code": app.tracking_code, "state": "bank_approved",
        "state_label": "تأییدشده توسط بانک عامل",
        "province": {"id": world.province_a.pk, "code": "TSTA", "name": "استان الف"},
        "county": {"id": world.county_a.pk, "name": "شهرستان الف"},
        "priority_sector": {"id": world.priority_a.pk, "name": "دامپروری"},
        "economic_sector": {"id": world.sector.pk, "code": "test-agriculture", "name": "کشاورزی آزمایشی"},
        "title": "پرورش دام سبک", "requested_loan_rials": 6_000_000_000, "approved_loan_rials": 5_510_000_000,
        "planned_new_jobs": 12, "planned_retained_jobs": 4, "priority_score": app.priority_score,
        "submitted_at": submitted.isoformat(),
        "submitted_at_jalali": jdatetime.datetime.fromgregorian(datetime=submitted).strftime("%Y-%m-%dT%H:%M:%S")
        + "+03:30",
        "updated_at": timezone.localtime(app.updated_at).isoformat(),
        "updated_at_jalali": row["updated_at_jalali"],
    }
    assert len(app.tracking_code) == 16


def test_the_detail_answers_404_outside_the_banks_scope(world, advance_to, bank1_api, bank2_api):
    referred = advance_to(S.REFERRED_TO_BANK)
    not_referred = advance_to(S.WORKING_GROUP_REVIEW)

    assert bank1_api.get(f"{LIST}{referred.pk}/").status_code == 200
    for client, pk in ((bank2_api, referred.pk), (bank1_api, not_referred.pk), (bank1_api, 10**6),
                       (bank1_api, 99999999999999999999)):
        response = client.get(f"{LIST}{pk}/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_instants_are_given_in_tehran_time_in_both_calendars():
    from financing.api.serializers import jalali_datetime_text

    assert jalali_datetime_text(datetime.datetime(2025, 3, 20, 20, 45, tzinfo=datetime.UTC)) == \
        "1404-01-01T00:15:00+03:30"  # C05: 1404-01-01 in Tehran, not 1403-12-30


# --- filters ---------------------------------------------------------------------------------------

@pytest.fixture
def three(world, advance_to):
    """Three applications of bank 1: referred (A), in review (B), approved (A)."""
    return (advance_to(S.REFERRED_TO_BANK), advance_to(S.BANK_REVIEW, province="b"),
            advance_to(S.BANK_APPROVED))


def test_filter_by_one_or_several_states(three, bank1_api):
    referred, review, approved = three
    assert ids(bank1_api.get(LIST, {"state": "bank_review"})) == [review.pk]
    assert sorted(ids(bank1_api.get(LIST, {"state": ["bank_review", "bank_approved"]}))) == [review.pk, approved.pk]
    assert sorted(ids(bank1_api.get(LIST, {"state": "referred_to_bank,bank_approved"}))) == [referred.pk,
                                                                                              approved.pk]


def test_filter_by_province_id_or_code_sector_and_economic_sector(world, three, bank1_api):
    referred, review, approved = three
    in_a = sorted([referred.pk, approved.pk])
    assert sorted(ids(bank1_api.get(LIST, {"province": world.province_a.pk}))) == in_a
    assert sorted(ids(bank1_api.get(LIST, {"province": "tsta"}))) == in_a
    assert ids(bank1_api.get(LIST, {"province": "IR-99"})) == []
    assert ids(bank1_api.get(LIST, {"priority_sector": world.priority_b.pk})) == [review.pk]
    assert len(ids(bank1_api.get(LIST, {"economic_sector": "test-agriculture"}))) == 3
    assert len(ids(bank1_api.get(LIST, {"economic_sector": str(world.sector.pk)}))) == 3


def test_updated_since_takes_iso_or_jalali_in_any_digits(three, bank1_api):
    referred, review, approved = three
    base = timezone.make_aware(datetime.datetime(2025, 3, 21, 10, 0))  # 1404-01-01 10:00 Tehran
    for offset, app in enumerate(three):
        InvestmentApplication.objects.filter(pk=app.pk).update(updated_at=base + datetime.timedelta(hours=offset))

    assert ids(bank1_api.get(LIST, {"updated_since": "2025-03-21T11:00:00+03:30"})) == [review.pk, approved.pk]
    assert ids(bank1_api.get(LIST, {"updated_since": "2025-03-21T07:30:00Z"})) == [review.pk, approved.pk]
    # A "+" sent unencoded in a query string arrives as a space.
    assert ids(bank1_api.get(f"{LIST}?updated_since=2025-03-21T11:00:00+03:30")) == [review.pk, approved.pk]
    assert ids(bank1_api.get(LIST, {"updated_since": "۱۴۰۴/۰۱/۰۱ ۱۲:۰۰"})) == [approved.pk]
    assert ids(bank1_api.get(LIST, {"updated_since": "١٤٠٤-٠١-٠١T11:00"})) == [review.pk, approved.pk]
    assert len(ids(bank1_api.get(LIST, {"updated_since": "1404-01-01"}))) == 3
    assert ids(bank1_api.get(LIST, {"updated_since": "1404-01-02"})) == []


@pytest.mark.parametrize(("params", "field"), [
    ({"updated_since": "yesterday"}, "updated_since"),
    ({"updated_since": "1404-12-30"}, "updated_since"),  # no such Jalali day
    ({"updated_since": "2025-02-30T10:00"}, "updated_since"),
    ({"updated_since": "0999-01-01"}, "updated_since"),
    ({"state": "approved"}, "state.0"),
    ({"province": "<script>"}, "province"),
    ({"province": "99999999999999999999"}, "province"),
    ({"priority_sector": "abc"}, "priority_sector"),
    ({"priority_sector": "9" * 30}, "priority_sector"),
    ({"page_size": "0"}, "page_size"),
    ({"page_size": "201"}, "page_size"),
    ({"page_size": "many"}, "page_size"),
    ({"cursor": "not-a-cursor"}, "cursor"),
])
def test_a_bad_filter_is_a_400_in_the_error_shape(world, bank1_api, params, field):
    assert_invalid(bank1_api.get(LIST, params), field)


def test_page_size_and_ids_take_persian_digits(three, bank1_api):
    response = bank1_api.get(LIST, {"page_size": "۲"})
    assert len(ids(response)) == 2 and response.json()["next"]


# --- paging (C19) ----------------------------------------------------------------------------------

def referred_copies(app, count):
    """``count`` copies of ``app`` (bulk-created), the same bank, state and figures."""
    copies = []
    for _n in range(count):
        copy = InvestmentApplication.objects.get(pk=app.pk)
        copy.pk = copy.id = None
        copy.tracking_code = None
        copies.append(copy)
    InvestmentApplication.objects.bulk_create(copies)
    return InvestmentApplication.objects.filter(bank=app.bank).order_by("id")


def walk(client, params=None, direction="next", url=LIST):
    """Every page from ``url`` with ``params`` along ``direction``: the ids, page by page."""
    pages = []
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        pages.append([row["id"] for row in response.json()["results"]])
        url = response.json()[direction]
        if not url:
            return pages
        response = client.get(url)


def test_cursor_paging_is_stable_when_many_rows_share_updated_at(advance_to, bank1_api):
    apps = referred_copies(advance_to(S.REFERRED_TO_BANK), 40)
    InvestmentApplication.objects.filter(pk__in=apps.values("pk")).update(
        updated_at=timezone.make_aware(datetime.datetime(2025, 4, 1, 10, 0)))

    pages = walk(bank1_api, {"page_size": 7})

    assert [len(page) for page in pages] == [7, 7, 7, 7, 7, 6]
    assert sum(pages, []) == sorted(app.pk for app in apps)


def test_a_row_changed_during_the_walk_comes_again_and_none_is_skipped(advance_to, bank1_api):
    apps = referred_copies(advance_to(S.REFERRED_TO_BANK), 9)
    InvestmentApplication.objects.update(updated_at=timezone.make_aware(datetime.datetime(2025, 4, 1, 10, 0)))
    all_ids = [app.pk for app in apps]

    first = bank1_api.get(LIST, {"page_size": 5}).json()
    InvestmentApplication.objects.filter(pk=all_ids[1]).update(updated_at=timezone.now())
    rest = walk(bank1_api, url=first["next"])

    seen = [row["id"] for row in first["results"]] + sum(rest, [])
    assert seen == all_ids + [all_ids[1]]


def test_previous_goes_back_to_the_same_page(advance_to, bank1_api):
    apps = referred_copies(advance_to(S.REFERRED_TO_BANK), 11)
    InvestmentApplication.objects.update(updated_at=timezone.make_aware(datetime.datetime(2025, 4, 1, 10, 0)))

    first = bank1_api.get(LIST, {"page_size": 4}).json()
    second = bank1_api.get(first["next"]).json()
    back = bank1_api.get(second["previous"]).json()

    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]
    assert back["previous"] is None and first["previous"] is None
    assert len(apps) == 12


def test_the_list_runs_as_many_queries_for_200_rows_as_for_25(advance_to, bank1_api):
    referred_copies(advance_to(S.REFERRED_TO_BANK), 204)
    counts = {}
    for size in (25, 200):
        with CaptureQueriesContext(connection) as queries:
            response = bank1_api.get(LIST, {"page_size": size})
        assert len(response.json()["results"]) == size
        counts[size] = len(queries)
    # The key, its account, the officer's provinces, the page: four queries at any size.
    assert counts[25] == counts[200] <= 4


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_cursor_at_the_ends_of_time_is_a_400(bank1_api, world, moment):
    import base64
    from urllib.parse import quote

    cursor = base64.b64encode(f"r=0&p={quote(moment)}|1".encode()).decode()
    response = bank1_api.get("/api/v1/applications/", {"cursor": cursor})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
