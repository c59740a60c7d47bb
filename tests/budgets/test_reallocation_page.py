"""Re-allocation ``/budgets/reallocate/``: ministry staff move money between two lines with a
reason, typed the way Iranians type amounts (C07); refusals are shown on the form with the input
kept; the same form submitted twice moves the money once; nobody else may use it."""

import re
import uuid

import pytest

from budgets.models import Fund, LedgerEntry
from budgets.services import budget_reallocate
from common import jalali
from financing.models import ApplicationState as S
from tests.factories import Figures
from tests.web import as_user
from tests.world import allocate_world_budget

from .pages import line_figures, world_line

URL = "/budgets/reallocate/"
BUDGET = Figures.WORLD_BUDGET


def form_data(source, target, amount="۲۵۰٬۰۰۰٬۰۰۰٬۰۰۰", reason="جذب کند طرح‌ها در استان الف", transfer=None):
    return {"from_line": source.pk, "to_line": target.pk, "amount_rials": amount, "reason": reason,
            "transfer": str(transfer or uuid.uuid4())}


def test_ministry_moves_money_between_two_provinces(client, world):
    source, target = world_line(world.province_a), world_line(world.province_b)
    client = as_user(client, world.ministry)
    response = client.post(URL, form_data(source, target))
    assert response.status_code == 302
    assert response["Location"] == f"/budgets/?year={jalali.current_year()}"
    moved = LedgerEntry.objects.filter(kind__startswith="reallocate").order_by("kind")
    assert [(e.line_id, e.kind, e.amount_rials, e.reason) for e in moved] == [
        (target.pk, "reallocate_in", 250_000_000_000, "جذب کند طرح‌ها در استان الف"),
        (source.pk, "reallocate_out", 250_000_000_000, "جذب کند طرح‌ها در استان الف")]
    assert moved[0].transfer == moved[1].transfer and moved[0].actor == world.ministry
    html = client.get(response["Location"]).content.decode()
    assert "۲۵۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال از" in html  # the success message
    assert line_figures(html, source) == {"allocated": BUDGET - 250_000_000_000, "committed": 0, "paid": 0,
                                          "remaining": BUDGET - 250_000_000_000}
    assert line_figures(html, target)["allocated"] == BUDGET + 250_000_000_000


@pytest.mark.parametrize("amount", ["۲۵۰٬۰۰۰٬۰۰۰٬۰۰۰", "٢٥٠٬٠٠٠٬٠٠٠٬٠٠٠", "250,000,000,000", "۲۵۰۰۰۰۰۰۰۰۰۰"])
def test_amounts_typed_in_any_digits_are_the_same_rials(client, world, amount):
    source, target = world_line(world.province_a), world_line(world.province_b)
    response = as_user(client, world.ministry).post(URL, form_data(source, target, amount=amount))
    assert response.status_code == 302
    assert LedgerEntry.objects.get(kind="reallocate_out").amount_rials == 250_000_000_000


def test_more_than_the_source_has_left_is_refused_on_the_form(client, world, advance_to):
    advance_to(S.BANK_APPROVED)  # 5,510,000,000 committed on A's loan line
    source, target = world_line(world.province_a), world_line(world.province_b)
    asked = BUDGET - 5_510_000_000 + 1
    typed = f"{asked:,}".translate(str.maketrans("0123456789,", "۰۱۲۳۴۵۶۷۸۹٬"))
    response = as_user(client, world.ministry).post(URL, form_data(source, target, amount=typed))
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(r'data-field="amount_rials">(.*?)</div>', html).group(1)
    assert "کافی نیست" in error and "۹۹۹٬۹۹۴٬۴۹۰٬۰۰۰٬۰۰۰" in error and "۹۹۹٬۹۹۴٬۴۹۰٬۰۰۰٬۰۰۱" in error
    assert f'value="{typed}"' in html  # the typed amount is kept
    assert "جذب کند طرح‌ها در استان الف</textarea>" in html
    assert not LedgerEntry.objects.filter(kind__startswith="reallocate").exists()


def test_a_reason_is_required(client, world):
    source, target = world_line(world.province_a), world_line(world.province_b)
    response = as_user(client, world.ministry).post(URL, form_data(source, target, reason="  "))
    assert response.status_code == 400
    assert 'data-field="reason"' in response.content.decode()
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(("pair", "message"), [
    (("a", "sector"), "دو استان یا دو بخش"),
    (("a_loans", "b_grants"), "یک نوع اعتبار"),
    (("a", "a"), "مبدأ و مقصد یکی است"),
    (("a", "b_last_year"), "یک سال"),
])
def test_lines_that_do_not_pair_are_refused(client, world, pair, message):
    allocate_world_budget(world.province_a, world.province_b, world.sector, year=jalali.current_year() - 1)
    lines = {
        "a": world_line(world.province_a), "a_loans": world_line(world.province_a),
        "sector": world_line(world.sector), "b_grants": world_line(world.province_b, Fund.GRANTS),
        "b_last_year": world_line(world.province_b, year=jalali.current_year() - 1),
    }
    response = as_user(client, world.ministry).post(URL, form_data(lines[pair[0]], lines[pair[1]]))
    assert response.status_code == 400
    assert message in re.search(r'data-field="to_line">(.*?)</div>', response.content.decode()).group(1)
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("amount", ["۲۵۰٫۵", "abc", "0", "9" * 30])
def test_amounts_that_are_not_whole_rials_are_refused(client, world, amount):
    source, target = world_line(world.province_a), world_line(world.province_b)
    response = as_user(client, world.ministry).post(URL, form_data(source, target, amount=amount))
    assert response.status_code == 400
    assert 'data-field="amount_rials"' in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_the_same_form_submitted_twice_moves_the_money_once(client, world):
    source, target = world_line(world.province_a), world_line(world.province_b)
    client = as_user(client, world.ministry)
    data = form_data(source, target)
    assert client.post(URL, data).status_code == 302
    again = client.post(URL, data, follow=True)
    assert again.status_code == 200
    assert "پیش‌تر ثبت شده است" in again.content.decode()
    assert LedgerEntry.objects.filter(kind="reallocate_out").count() == 1
    assert line_figures(again.content.decode(), source)["allocated"] == BUDGET - 250_000_000_000


def test_the_service_refuses_a_transfer_id_already_used(world):
    from common.errors import Conflict

    source, target = world_line(world.province_a), world_line(world.province_b)
    transfer = uuid.uuid4()
    budget_reallocate(actor=world.ministry, from_line_id=source.pk, to_line_id=target.pk, amount_rials=1,
                      reason="آزمون", transfer=transfer)
    with pytest.raises(Conflict):
        budget_reallocate(actor=world.ministry, from_line_id=target.pk, to_line_id=source.pk, amount_rials=1,
                          reason="آزمون", transfer=transfer)
    assert LedgerEntry.objects.count() == 2


def test_the_form_offers_every_line_with_what_it_has_left(client, world):
    response = as_user(client, world.ministry).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r'<option value="\d+"', html)) == 2 * 9  # both selects, 9 lines each
    assert "(مانده ۱٬۰۰۰٬۰۰۰ میلیارد ریال)" in html
    assert re.search(r'name="transfer" value="[0-9a-f-]{36}"', html)


@pytest.mark.parametrize("who", ["agency_officer_a", "secretary_a", "manager_a", "owner", "bank_officer_1", "admin"])
def test_only_ministry_staff_may_reallocate(client, world, who):
    source, target = world_line(world.province_a), world_line(world.province_b)
    client = as_user(client, getattr(world, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(source, target)).status_code == 403
    assert not LedgerEntry.objects.exists()


def test_huge_numbers_in_any_field_are_refused_not_a_server_error(client, world):
    from tests.web import post_huge_numbers

    source, target = world_line(world.province_a), world_line(world.province_b)
    client = as_user(client, world.ministry)
    for field, response in post_huge_numbers(client, URL, form_data(source, target),
                                             ["from_line", "to_line", "amount_rials"]):
        assert response.status_code == 400, field
    for field, response in post_huge_numbers(client, "/budgets/", {}, ["year"], method="get"):
        assert response.status_code == 200, field
    assert not LedgerEntry.objects.exists()
