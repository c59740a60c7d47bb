"""A budget line's page ``/budgets/lines/<id>/``: its figures and its ledger, newest first, paged,
scoped like the budget page (404 outside the user's province)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import Fund, LedgerEntry
from financing.models import ApplicationState as S
from tests.factories import Figures
from tests.web import as_user

from .pages import commit_many, world_line


def url(line):
    return f"/budgets/lines/{line.pk}/"


def entry_rows(html):
    """``[(entry id, kind, rials), …]`` of the ledger table, in the order shown."""
    return [(int(pk), kind, int(rials)) for pk, kind, rials in re.findall(
        r'data-entry="(\d+)" data-kind="(\w+)">.*?data-rials="(\d+)"', html, re.S)]


def test_the_ledger_lists_each_movement_newest_first(client, world, advance_to):
    application = advance_to(S.DISBURSING)
    line = world_line(world.province_a)
    html = as_user(client, world.secretary_a).get(url(line)).content.decode()
    newest_first = list(LedgerEntry.objects.filter(line=line).order_by("-at", "-id").values_list("pk", flat=True))
    assert entry_rows(html) == [(newest_first[0], "pay", Figures.FIRST_TRANCHE),
                                (newest_first[1], "commit", Figures.PRINCIPAL)]
    assert f'<a href="/applications/{application.pk}/">' in html
    assert "پرداخت" in html and "تعهد" in html
    assert str(world.bank_officer_1) in html
    # The line's own figures, exact rials and billions.
    amounts = html[html.index('data-testid="line-amounts"'):html.index("</table>")]
    assert "۳٬۵۱۰٬۰۰۰٬۰۰۰" in amounts and "۲٬۰۰۰٬۰۰۰٬۰۰۰" in amounts and "۳٫۵۱" in amounts


def test_a_reallocation_shows_its_reason_and_no_source(client, world):
    from budgets.services import budget_reallocate

    source, target = world_line(world.province_a), world_line(world.province_b)
    budget_reallocate(actor=world.ministry, from_line_id=source.pk, to_line_id=target.pk,
                      amount_rials=7_000_000_000, reason="جذب کمتر از برنامه در استان الف")
    html = as_user(client, world.ministry).get(url(target)).content.decode()
    assert [(kind, rials) for _pk, kind, rials in entry_rows(html)] == [("reallocate_in", 7_000_000_000)]
    assert "جذب کمتر از برنامه در استان الف" in html and "جابه‌جایی (ورود)" in html


@pytest.mark.parametrize("officer", ["agency_officer_b", "secretary_b", "manager_b"])
def test_another_provinces_line_is_not_found(client, world, officer):
    client = as_user(client, getattr(world, officer))
    assert client.get(url(world_line(world.province_a))).status_code == 404
    assert client.get(url(world_line(world.sector))).status_code == 404
    assert client.get(url(world_line(world.province_b))).status_code == 200


def test_ministry_reads_every_line_and_others_are_refused(client, world):
    assert as_user(client, world.ministry).get(url(world_line(world.sector))).status_code == 200
    assert client.get("/budgets/lines/999999999/").status_code == 404
    assert as_user(client, world.owner).get(url(world_line(world.province_a))).status_code == 403
    assert as_user(client, world.bank_officer_1).get(url(world_line(world.province_a))).status_code == 403


def test_the_ledger_is_paged_without_repeats(client, world, advance_to):
    application = advance_to(S.BANK_APPROVED)
    commit_many(world, application, 29)  # 30 entries on the province's loan line, many at one instant
    line = world_line(world.province_a)
    client = as_user(client, world.ministry)
    first = entry_rows(client.get(url(line)).content.decode())
    second = entry_rows(client.get(url(line) + "?page=2").content.decode())
    assert (len(first), len(second)) == (25, 5)
    shown = [pk for pk, _kind, _rials in first + second]
    assert shown == list(LedgerEntry.objects.filter(line=line).order_by("-at", "-id").values_list("pk", flat=True))


def test_query_count_does_not_grow_with_the_ledger(client, world, advance_to):
    application = advance_to(S.BANK_APPROVED)
    line = world_line(world.province_a, Fund.LOANS)
    client = as_user(client, world.ministry)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(line)).status_code == 200
        return len(captured)

    small = queries()
    commit_many(world, application, 299)
    assert queries() == small


@pytest.mark.parametrize("pk", ["9" * 20, "9" * 5000])
def test_an_id_too_large_for_the_database_is_not_found(client, world, pk):
    assert as_user(client, world.ministry).get(f"/budgets/lines/{pk}/").status_code == 404
