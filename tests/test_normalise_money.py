"""Money and quantities: Decimal values, canonical text, Chinese capital amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.normalise import normalise_money, normalise_quantity, parse_money, parse_quantity
from app.normalise.chinese_numerals import parse_chinese_amount


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234", "1234"),
        ("1234.5", "1234.5"),
        ("0.5", "0.5"),
        (".5", "0.5"),
        ("5.", "5"),
        ("1,234.50", "1234.50"),
        ("1，234.50", "1234.50"),  # full-width comma
        ("1 234 567.89", "1234567.89"),
        ("1'234.50", "1234.50"),
        ("¥1,234.50", "1234.50"),
        ("￥1,234.50", "1234.50"),
        ("¥ 1,234.50", "1234.50"),
        ("RMB 1,000", "1000"),
        ("CNY1000.00", "1000.00"),
        ("人民币1000元", "1000"),
        ("$1,000", "1000"),
        ("US$100", "100"),
        ("12,345.00元", "12345.00"),
        ("12345元整", "12345"),
        ("-1,234.50", "-1234.50"),
        ("+1,234.50", "1234.50"),
        ("(1,234.50)", "-1234.50"),
        ("（1,234.50）", "-1234.50"),
        ("(¥1,234.50)", "-1234.50"),
        ("¥(1,234.50)", "-1234.50"),
        ("¥-1,234.50", "-1234.50"),
        ("-¥1,234.50", "-1234.50"),
        ("1234-", "-1234"),
        ("1,234.50-", "-1234.50"),
        ("−1234", "-1234"),  # U+2212 minus sign
        ("－1234", "-1234"),  # full-width hyphen
        ("1.5万", "15000"),
        ("1.5万元", "15000"),
        ("3亿", "300000000"),
        ("3亿元", "300000000"),
        ("2千元", "2000"),
        ("1.2百万", "1200000"),
        ("1.2E+3", "1200"),
        ("1.2e3", "1200"),
        ("5E-2", "0.05"),
        ("１２３４．５", "1234.5"),
        ("0", "0"),
        ("-0", "0"),
    ],
)
def test_parse_money(raw: str, expected: str) -> None:
    assert parse_money(raw) == Decimal(expected)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("壹万贰仟叁佰肆拾伍元陆角柒分", "12345.67"),
        ("壹萬貳仟參佰肆拾伍圓陸角柒分", "12345.67"),  # traditional
        ("人民币壹佰元整", "100"),
        ("叁拾元整", "30"),
        ("拾元", "10"),
        ("壹拾元", "10"),
        ("贰万零伍元", "20005"),
        ("壹仟零壹拾元", "1010"),
        ("壹亿贰仟万元", "120000000"),
        ("壹万亿元", "1000000000000"),
        ("伍角", "0.5"),
        ("伍元零伍分", "5.05"),
        ("零元", "0"),
        ("三万五千元", "35000"),
        ("两千块", "2000"),
        ("三块五", "3.5"),
        ("十五元", "15"),
    ],
)
def test_chinese_amounts(raw: str, expected: str) -> None:
    assert parse_money(raw) == Decimal(expected)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",
        "N/A",
        "nan",
        "inf",
        "Infinity",
        "12,5",  # not a thousands separator: refused rather than guessed
        "1,23,456",
        "1.234.567",
        "--5",
        "-5-",
        "(-5)",
        "5%",
        "1e30",  # too large to be an amount
        "1e-30",
        "万",
        "千元",
        "一二三",
        "五零",
        "壹贰",
        "元",
        "5个",  # units are for quantities
        "¥",
        "()",
    ],
)
def test_parse_money_refuses(raw: str) -> None:
    assert parse_money(raw) is None


def test_chinese_parser_refuses_non_numerals() -> None:
    assert parse_chinese_amount("") is None
    assert parse_chinese_amount("百千") is None
    assert parse_chinese_amount("五十三百") is None  # units out of order
    assert parse_chinese_amount("伍角伍") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12345", "12345.00"),
        ("12,345.00元", "12345.00"),
        ("¥1,234.5", "1234.50"),
        ("(1,234.50)", "-1234.50"),
        ("0.005", "0.01"),  # half up
        ("0.004", "0.00"),
        ("-0.001", "0.00"),  # no negative zero
        ("1.5万元", "15000.00"),
        ("壹万贰仟叁佰肆拾伍元陆角柒分", "12345.67"),
        ("1.2E+3", "1200.00"),
        ("N/A", "n/a"),  # not money: folded text
        ("Ｎ／Ａ", "n/a"),
        ("", ""),
    ],
)
def test_normalise_money(raw: str, expected: str) -> None:
    assert normalise_money(raw) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [("12345.00", "12345.01"), ("1234.50", "-1234.50"), ("1.5万", "1.5千"), ("壹佰元", "壹仟元")],
)
def test_different_amounts_stay_different(a: str, b: str) -> None:
    assert normalise_money(a) != normalise_money(b)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5", "5"),
        ("5.000", "5"),
        ("1,200", "1200"),
        ("1200.50", "1200.5"),
        ("5个", "5"),
        ("5 件", "5"),
        ("3 pcs", "3"),
        ("3 pcs.", "3"),
        ("2kg", "2"),
        ("2.5 KG", "2.5"),
        ("10台", "10"),
        ("1.5万件", "15000"),
        ("1.2E+3", "1200"),
        ("-3", "-3"),
        ("0.000", "0"),
        ("0.0001", "0.0001"),
        ("many", "many"),
        ("", ""),
    ],
)
def test_quantity(raw: str, expected: str) -> None:
    assert normalise_quantity(raw) == expected


def test_parse_quantity_keeps_the_value() -> None:
    assert parse_quantity("5个") == Decimal(5)
    assert parse_quantity("1.5万件") == Decimal(15000)
    assert parse_quantity("件") is None
    assert parse_quantity("三件") is None
    assert parse_quantity("5 very long unit name") is None


@pytest.mark.parametrize(
    ("header", "scale"),
    [
        ("合同金额(万元)", 10_000),
        ("合同金额（万元）", 10_000),
        ("预算（单位：万元）", 10_000),
        ("金额万元", 10_000),
        ("金额(千元)", 1_000),
        ("金额(元)", 1),
        ("价税合计", 1),
        ("万元户数", 1),  # not a unit
        ("Amount", 1),
    ],
)
def test_a_header_declares_the_unit_of_its_amounts(header, scale):
    from app.normalise.money import header_scale

    assert header_scale(header) == scale
