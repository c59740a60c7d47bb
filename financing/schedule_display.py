"""The interest-subsidy schedule of a contract as the application's page and its .xlsx download
show it (issue 7, "Display"): each month with its Jalali month, the instalment and interest at the
bank's rate and at the applicant's, the month's subsidy, and the totals.

The figures come from ``financing.schedule``; this module only labels and lays them out.
"""

import io
from dataclasses import dataclass

import jdatetime
import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from common.excel import jalali_text, set_rials
from common.jalali import MONTH_NAMES
from common.normalization import to_persian_digits

from .schedule import SubsidySchedule, subsidy_schedule


def month_labels(signed_on, count: int) -> list[str]:
    """The Jalali month of each of ``count`` months of a contract signed on the Gregorian date
    ``signed_on``: month 1 is the month after the signing month, so a contract signed on 1404/01/15
    starts ``["اردیبهشت ۱۴۰۴", "خرداد ۱۴۰۴", …]``. Persian digits."""
    signed = jdatetime.date.fromgregorian(date=signed_on)
    labels = []
    for number in range(1, count + 1):
        year, month = divmod(signed.month - 1 + number, 12)
        labels.append(f"{MONTH_NAMES[month]} {to_persian_digits(signed.year + year)}")
    return labels


@dataclass(frozen=True)
class ScheduleTable:
    """A contract's schedule for display: ``rows`` pairs each month's Jalali label with its
    ``financing.schedule.SubsidyMonth``; ``schedule`` holds the totals (rials)."""

    rows: list
    schedule: SubsidySchedule


def contract_schedule(contract) -> ScheduleTable | None:
    """The schedule of a ``LoanContract`` (``None`` for no contract), computed from its terms; no
    query. The subsidy total equals the contract's ``subsidy_committed_rials``, which the same
    computation set at signing."""
    if contract is None:
        return None
    schedule = subsidy_schedule(contract.principal_rials, contract.interest_rate_percent,
                                contract.subsidy_rate_percent, contract.term_months, contract.grace_months)
    labels = month_labels(contract.signed_on, contract.term_months)
    return ScheduleTable(rows=list(zip(labels, schedule.months, strict=True)), schedule=schedule)


AMOUNT_FIELDS = ("bank_instalment", "bank_interest", "applicant_instalment", "applicant_interest", "subsidy")


def _headers():
    return [_("شماره ماه"), _("ماه شمسی"), _("قسط با نرخ بانک (ریال)"), _("سود با نرخ بانک (ریال)"),
            _("قسط با نرخ متقاضی (ریال)"), _("سود با نرخ متقاضی (ریال)"), _("یارانه سود (ریال)")]


def schedule_workbook(application, contract) -> io.BytesIO:
    """The schedule of ``contract`` (of ``application``) as an .xlsx file, right to left: a title,
    the contract's terms, then one row per month (number, Jalali month as text, the five amounts in
    rials) and a totals row, last. Amounts are written with ``common.excel.set_rials`` (C27).
    Returns the file, rewound."""
    table = contract_schedule(contract)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("یارانه سود")
    sheet.sheet_view.rightToLeft = True

    sheet.append([_("جدول یارانه سود تسهیلات"), application.title])
    sheet["A1"].font = sheet["B1"].font = Font(bold=True)
    sheet.append([_("کد رهگیری"), application.tracking_code or ""])
    sheet.append([_("شماره قرارداد"), contract.bank_reference])
    sheet.append([_("تاریخ انعقاد"), jalali_text(contract.signed_on)])
    sheet.append([_("اصل تسهیلات (ریال)")])
    set_rials(sheet.cell(sheet.max_row, 2), contract.principal_rials)
    sheet.append([_("نرخ سود بانک (درصد)"), contract.interest_rate_percent])
    sheet.append([_("یارانه سود (واحد درصد)"), contract.subsidy_rate_percent])
    sheet.append([_("نرخ سود متقاضی (درصد)"), table.schedule.applicant_rate_percent])
    sheet.append([_("مدت بازپرداخت (ماه)"), contract.term_months])
    sheet.append([_("دوره تنفس (ماه)"), contract.grace_months])
    sheet.append([])

    sheet.append(_headers())
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for label, month in table.rows:
        sheet.append([month.number, label])
        for column, field in enumerate(AMOUNT_FIELDS, start=3):
            set_rials(sheet.cell(sheet.max_row, column), getattr(month, field))
    sheet.append(["", _("جمع")])
    totals = table.schedule
    for column, field in enumerate(AMOUNT_FIELDS, start=3):
        set_rials(sheet.cell(sheet.max_row, column), getattr(totals, f"{field}_total"))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)

    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 18
    for letter in "CDEFG":
        sheet.column_dimensions[letter].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
