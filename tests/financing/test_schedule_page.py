"""The subsidy schedule on the application's page and as an .xlsx download
(``financing.schedule_display``, ``views.schedule_xlsx``; issue 7 "Display", C27)."""

import io

import jdatetime
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.normalization import to_persian_digits
from financing import services
from financing.models import ApplicationDocument
from financing.schedule_display import month_labels
from tests.factories import Figures
from tests.uploads import pdf
from tests.web import as_user
from tests.world import contract_input

# Month 1 of tests.world.contract_input (5,510,000,000 rials, 18 % and 8 %, 12 months' grace):
# interest only, 1.5 % and 0.666…% of the principal.
MONTH_1 = {"bank": 82_650_000, "applicant": 36_733_333, "subsidy": 45_916_667}


def fa_number(value):
    return to_persian_digits(f"{value:,}".replace(",", "\u066c"))


def first_month_label(signed_on):
    """Independently of the code: the Jalali month after the signing month, Persian digits."""
    signed = jdatetime.date.fromgregorian(date=signed_on)
    year, month = (signed.year + 1, 1) if signed.month == 12 else (signed.year, signed.month + 1)
    return f"{jdatetime.date.j_months_fa[month - 1]} {to_persian_digits(year)}"


def sign(world, application, **changes):
    """Sign ``contract_input(**changes)`` on an application in ``bank_approved``."""
    services.document_add(actor=world.owner, application_id=application.pk,
                          kind=ApplicationDocument.Kind.BANK_DOCUMENT, uploaded_file=pdf("bank.pdf", "مدارک"))
    services.application_sign_contract(actor=world.bank_officer_1, application_id=application.pk,
                                       contract=contract_input(**changes))
    application.refresh_from_db()
    return application


def workbook_of(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


# --- month labels ------------------------------------------------------------------------------------

def test_month_one_is_the_month_after_signing():
    signed_on = jdatetime.date(1404, 1, 15).togregorian()
    labels = month_labels(signed_on, 13)
    assert labels[:2] == ["اردیبهشت ۱۴۰۴", "خرداد ۱۴۰۴"]
    assert labels[10:] == ["اسفند ۱۴۰۴", "فروردین ۱۴۰۵", "اردیبهشت ۱۴۰۵"]


def test_a_contract_signed_in_esfand_starts_in_farvardin_of_the_next_year():
    labels = month_labels(jdatetime.date(1403, 12, 30).togregorian(), 120)
    assert labels[0] == "فروردین ۱۴۰۴"
    assert labels[119] == "اسفند ۱۴۱۳"
    assert len(labels) == 120


# --- the page --------------------------------------------------------------------------------------

def test_page_shows_each_month_and_the_totals(client, world, advance_to):
    application = advance_to("contracted")
    contract = application.contract
    assert contract.subsidy_committed_rials == Figures.SUBSIDY
    response = as_user(client, world.owner).get(reverse("financing:application", args=[application.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="subsidy-schedule"' in html
    assert html.count("<tr data-month=") == 60
    month_1 = html.split('<tr data-month="1">')[1].split("</tr>")[0]
    assert first_month_label(contract.signed_on) in month_1
    for amount in (MONTH_1["bank"], MONTH_1["applicant"], MONTH_1["subsidy"]):
        assert fa_number(amount) in month_1
    totals = html.split('data-testid="schedule-totals">')[1].split("</tr>")[0]
    assert fa_number(Figures.SUBSIDY) in totals  # ۱٬۸۶۳٬۳۷۰٬۱۹۷
    assert reverse("financing:schedule_xlsx", args=[application.pk]) in html


def test_page_without_a_contract_shows_no_schedule(client, world, advance_to):
    application = advance_to("bank_approved")
    response = as_user(client, world.owner).get(reverse("financing:application", args=[application.pk]))
    assert response.status_code == 200
    assert 'data-testid="subsidy-schedule"' not in response.content.decode()


def test_page_query_count_does_not_grow_with_the_term(client, world, advance_to):
    short = advance_to("contracted")
    long = sign(world, advance_to("bank_approved"), term_months=120, bank_reference="BNK-CONTRACT-120")
    assert long.contract.term_months == 120
    as_user(client, world.owner)
    counts = []
    for application in (short, long):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("financing:application", args=[application.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert response.content.decode().count("<tr data-month=") == 120
    assert counts[0] == counts[1]


# --- the download ----------------------------------------------------------------------------------

def test_xlsx_is_right_to_left_with_jalali_months_and_the_committed_total(client, world, advance_to):
    application = advance_to("contracted")
    contract = application.contract
    response = as_user(client, world.owner).get(reverse("financing:schedule_xlsx", args=[application.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment")
    sheet = workbook_of(response)
    assert sheet.sheet_view.rightToLeft is True
    assert sheet["B1"].value == application.title
    assert sheet["B2"].value == application.tracking_code
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r[1] == "ماه شمسی"))
    months, totals = rows[header + 1:-1], rows[-1]
    assert len(months) == 60
    assert months[0] == (1, first_month_label(contract.signed_on), MONTH_1["bank"], MONTH_1["bank"],
                         MONTH_1["applicant"], MONTH_1["applicant"], MONTH_1["subsidy"])
    assert totals[1] == "جمع"
    assert totals[6] == contract.subsidy_committed_rials == Figures.SUBSIDY
    assert sum(m[6] for m in months) == totals[6]
    assert sheet.cell(sheet.max_row, 7).number_format == "#,##0"


def test_xlsx_of_a_viewer_in_scope(client, world, advance_to):
    application = advance_to("contracted")
    for user in (world.agency_officer_a, world.secretary_a, world.bank_officer_1, world.ministry):
        response = as_user(client, user).get(reverse("financing:schedule_xlsx", args=[application.pk]))
        assert response.status_code == 200, user


@pytest.mark.parametrize("who", ["other_owner", "agency_officer_b", "secretary_b", "manager_b", "bank_officer_2"])
def test_xlsx_outside_the_scope_is_404(client, world, advance_to, who):
    application = advance_to("contracted")
    response = as_user(client, getattr(world, who)).get(reverse("financing:schedule_xlsx", args=[application.pk]))
    assert response.status_code == 404


def test_xlsx_without_a_contract_is_404(client, world, advance_to):
    application = advance_to("bank_approved")
    response = as_user(client, world.owner).get(reverse("financing:schedule_xlsx", args=[application.pk]))
    assert response.status_code == 404


def test_xlsx_needs_a_login(client, world, advance_to):
    application = advance_to("contracted")
    response = client.get(reverse("financing:schedule_xlsx", args=[application.pk]))
    assert response.status_code == 302

