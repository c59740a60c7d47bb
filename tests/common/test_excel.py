"""Cells of an .xlsx export read back as written (``common.excel``; field cases C27, C28)."""

import datetime
import io

import openpyxl
import pytest

from common.excel import jalali_text, set_datetime, set_rials


def round_trip(write):
    """Write cell A1 with ``write(cell)``, save the workbook, open it again and return A1."""
    workbook = openpyxl.Workbook()
    write(workbook.active["A1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer).active["A1"]


def test_c27_an_amount_past_15_digits_is_text_with_its_exact_digits():
    cell = round_trip(lambda c: set_rials(c, 12_345_678_901_234_567))
    assert cell.data_type == "s"
    assert cell.value == "12345678901234567"
    assert int(cell.value) == 12_345_678_901_234_567


def test_c27_an_amount_past_2_to_53_keeps_its_last_digit():
    cell = round_trip(lambda c: set_rials(c, 9_007_199_254_740_993))
    assert cell.value == "9007199254740993"


def test_c27_an_amount_of_15_digits_is_a_formatted_number():
    cell = round_trip(lambda c: set_rials(c, 999_999_999_999_999))
    assert cell.data_type == "n"
    assert cell.value == 999_999_999_999_999
    assert cell.number_format == "#,##0"


def test_c27_one_rial_more_is_text():
    cell = round_trip(lambda c: set_rials(c, 1_000_000_000_000_000))
    assert cell.value == "1000000000000000"


def test_c27_small_and_missing_amounts():
    assert round_trip(lambda c: set_rials(c, 0)).value == 0
    assert round_trip(lambda c: set_rials(c, 551_000_000)).value == 551_000_000
    assert round_trip(lambda c: set_rials(c, None)).value is None


def test_c28_an_aware_datetime_is_tehran_wall_clock_time():
    submitted_at = datetime.datetime(2025, 3, 21, 6, 30, tzinfo=datetime.UTC)
    cell = round_trip(lambda c: set_datetime(c, submitted_at))
    assert cell.value == datetime.datetime(2025, 3, 21, 10, 0)
    assert cell.number_format == "yyyy-mm-dd hh:mm"
    assert jalali_text(submitted_at) == "1404/01/01 10:00"


def test_c28_a_naive_datetime_is_refused():
    workbook = openpyxl.Workbook()
    with pytest.raises(ValueError):
        set_datetime(workbook.active["A1"], datetime.datetime(2025, 3, 21, 10, 0))


def test_jalali_text_of_a_date():
    assert jalali_text(datetime.date(2025, 4, 4)) == "1404/01/15"
    assert jalali_text(None) == ""
