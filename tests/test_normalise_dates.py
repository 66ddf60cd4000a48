"""Dates and datetimes in every common export form, and the ambiguity rules."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.normalise import (
    excel_serial_to_datetime,
    normalise_date,
    normalise_datetime,
    parse_date,
    parse_datetime,
)

MARCH_5 = date(2026, 3, 5)


@pytest.mark.parametrize(
    "raw",
    [
        "2026-03-05",
        "2026-3-5",
        "2026/3/5",
        "2026/03/05",
        "2026.3.5",
        "20260305",
        "2026年3月5日",
        "2026年03月05日",
        "2026 年 3 月 5 日",
        "2026年3月5号",
        "2026年3月5日星期四",
        "2026年3月5日(周四)",
        "3/5/2026",  # US: month first
        "03/05/2026",
        "05.03.2026",  # European dots: day first
        "05-Mar-2026",
        "5-mar-26",
        "5 March 2026",
        "Mar 5, 2026",
        "March 5th, 2026",
        "Thu, Mar 5, 2026",
        "2026-Mar-05",
        "26-3-5",  # two-digit year, Chinese order
        "26.03.05",
        "3/5/26",  # two-digit year with slashes: US order
        "２０２６－０３－０５",
        "46086",  # Excel serial
        "2026-03-05T14:30:00",
        "2026-03-05 14:30:00.000",
        "2026-03-05 14:30",
    ],
)
def test_parse_date(raw: str) -> None:
    assert parse_date(raw) == MARCH_5
    assert normalise_date(raw) == "2026-03-05"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13/5/2026", date(2026, 5, 13)),  # first number > 12: day first
        ("5/13/2026", date(2026, 5, 13)),
        ("13-05-2026", date(2026, 5, 13)),
        ("31/12/99", date(1999, 12, 31)),
        ("99-1-1", date(1999, 1, 1)),
        ("68-1-1", date(2068, 1, 1)),
        ("69-1-1", date(1969, 1, 1)),
        ("99/3/5", date(1999, 3, 5)),  # a first number above 31 is a year
        ("2024-02-29", date(2024, 2, 29)),
        ("0026-03-05", date(26, 3, 5)),
    ],
)
def test_ambiguity_rules(raw: str, expected: date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-05T14:30:00", datetime(2026, 3, 5, 14, 30)),
        ("2026-03-05T14:30:00Z", datetime(2026, 3, 5, 14, 30)),
        ("2026-03-05T14:30:00+08:00", datetime(2026, 3, 5, 14, 30)),
        ("2026-03-05 14:30:00.123", datetime(2026, 3, 5, 14, 30, 0, 123000)),
        ("2026-03-05 14:30", datetime(2026, 3, 5, 14, 30)),
        ("2026/3/5 9:05", datetime(2026, 3, 5, 9, 5)),
        ("2026年03月05日 14:30", datetime(2026, 3, 5, 14, 30)),
        ("2026年3月5日 14时30分", datetime(2026, 3, 5, 14, 30)),
        ("2026年3月5日 14时30分05秒", datetime(2026, 3, 5, 14, 30, 5)),
        ("2026/3/5 下午2:30", datetime(2026, 3, 5, 14, 30)),
        ("2026/3/5 上午12:10", datetime(2026, 3, 5, 0, 10)),
        ("2026/3/5 中午12:10", datetime(2026, 3, 5, 12, 10)),
        ("3/5/2026 2:30 PM", datetime(2026, 3, 5, 14, 30)),
        ("3/5/2026 12:30 am", datetime(2026, 3, 5, 0, 30)),
        ("Mar 5, 2026 14:30:00", datetime(2026, 3, 5, 14, 30)),
        ("Thu Mar 05 2026 14:30:00 GMT+0800 (中国标准时间)", datetime(2026, 3, 5, 14, 30)),
        ("20260305143000", datetime(2026, 3, 5, 14, 30)),
        ("20260305 14:30", datetime(2026, 3, 5, 14, 30)),
        ("46086.5", datetime(2026, 3, 5, 12, 0)),
        ("2026-03-05", datetime(2026, 3, 5)),
    ],
)
def test_parse_datetime(raw: str, expected: datetime) -> None:
    assert parse_datetime(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "abc",
        "2026-02-30",  # no such day
        "2025-02-29",
        "2026-13-01",
        "2026-03-05 24:00",
        "2026-03-05 14:60",
        "13/13/2026",
        "2026-3",  # month only
        "2026年3月",
        "3月5日",  # no year
        "026-3-5",  # three-digit year
        "12345",  # a number outside the serial range
        "100000",
        "19999",
        "45721.5.1",
        "202603051",  # 9 digits
        "1.5",
        "2026-03-05 garbage",
        "Mar 2026",
    ],
)
def test_not_dates(raw: str) -> None:
    assert parse_date(raw) is None
    assert parse_datetime(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026/3/5", "2026-03-05 00:00:00"),
        ("2026-03-05 14:30", "2026-03-05 14:30:00"),
        ("2026-03-05 14:30:59.999", "2026-03-05 14:30:59"),  # fraction truncated
        ("46086.75", "2026-03-05 18:00:00"),
        ("not a date", "not a date"),
        ("", ""),
    ],
)
def test_normalise_datetime(raw: str, expected: str) -> None:
    assert normalise_datetime(raw) == expected


def test_normalise_date_of_a_non_date_is_folded_text() -> None:
    assert normalise_date("  待定  ") == "待定"
    assert normalise_date("2026-02-30") == "2026-02-30"


@pytest.mark.parametrize(
    ("a", "b"),
    [("2026-03-05", "2026-03-06"), ("3/5/2026", "5/3/2026"), ("2026-03-05 14:30", "2026-03-05")],
)
def test_different_moments_stay_different(a: str, b: str) -> None:
    assert normalise_datetime(a) != normalise_datetime(b)


@pytest.mark.parametrize(
    ("serial", "epoch_1904", "expected"),
    [
        (1, False, datetime(1900, 1, 1)),
        (59, False, datetime(1900, 2, 28)),
        (61, False, datetime(1900, 3, 1)),
        (46086, False, datetime(2026, 3, 5)),
        (46086.5, False, datetime(2026, 3, 5, 12)),
        (46086.999999999, False, datetime(2026, 3, 6)),  # rounds to the next midnight
        (2958465, False, datetime(9999, 12, 31)),
        (0, True, datetime(1904, 1, 1)),
        (44624, True, datetime(2026, 3, 5)),
    ],
)
def test_excel_serial_to_datetime(serial: float, epoch_1904: bool, expected: datetime) -> None:
    assert excel_serial_to_datetime(serial, epoch_1904) == expected


@pytest.mark.parametrize(
    "serial", [0, 60, -1, 2958466, float("nan"), float("inf"), float("-inf"), 1e300]
)
def test_excel_serial_out_of_range(serial: float) -> None:
    assert excel_serial_to_datetime(serial) is None
