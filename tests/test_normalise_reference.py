"""Document numbers (and references found in free text), product codes, addresses."""

from __future__ import annotations

import pytest

from app.normalise import (
    find_references,
    looks_like_reference,
    normalise_address,
    normalise_product_code,
    normalise_reference,
)


@pytest.mark.parametrize(
    "raw",
    [
        "CRM-2026-00123",
        "crm202600123",
        "CRM 2026 00123",
        "CRM_2026_00123",
        "CRM/2026/00123",
        "CRM.2026.00123",
        "ＣＲＭ－２０２６－００１２３",
        " crm-2026-00123 ",
        "CRM#2026#00123",
    ],
)
def test_reference_spellings_agree(raw: str) -> None:
    assert normalise_reference(raw) == "CRM202600123"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("00123", "00123"),  # leading zeros kept
        ("SO-0001", "SO0001"),
        ("so20260301001", "SO20260301001"),
        ("", ""),
    ],
)
def test_normalise_reference(raw: str, expected: str) -> None:
    assert normalise_reference(raw) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("CRM202600123", "CRM202600124"),
        ("CRM-2026-00123", "CRM-2026-0123"),  # a dropped zero is a different number
        ("SO001", "PO001"),
    ],
)
def test_different_references_stay_different(a: str, b: str) -> None:
    assert normalise_reference(a) != normalise_reference(b)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("关于华为技术有限公司销售合同的审批(CRM-2026-00123)", ["CRM202600123"]),
        ("SO20260301001号订单付款", ["SO20260301001"]),
        ("关于（ＣＲＭ－２０２６－００１２３）的审批", ["CRM202600123"]),
        ("合同CRM-2026-00123与订单SO-2026-0456付款", ["CRM202600123", "SO20260456"]),
        ("重复 CRM-2026-00123 crm202600123", ["CRM202600123"]),
        ("PO#12345 已到货", ["PO12345"]),
        ("合同No.2026001付款", ["2026001"]),  # a label prefix is not part of the number
        ("Ref:20260012", ["20260012"]),
        ("NO20260012", ["NO20260012"]),  # without a dot, NO may be a real prefix
        ("凭证 12345678901 已过账", ["12345678901"]),  # bare digits, not a mobile
        ("客户电话13812345678", []),  # a phone number
        ("座机01012345678", []),
        ("日期20260305", []),  # a date
        ("代码914403001922038216", []),  # a USCC
        ("代码91440300708461136T", []),
        ("2026-03-05 付款 1,234,567.00 元", []),
        ("版本 v1.2.3", []),
        ("abc12345@example.com", []),  # part of an e-mail address
        ("AB1234 四位数字不够", []),
        ("TOOLONGPREFIX12345", []),
        ("", []),
    ],
)
def test_find_references(text: str, expected: list[str]) -> None:
    assert find_references(text) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CRM-2026-00123", True),
        ("SO20260301001", True),
        ("CRM 2026 00123", True),
        ("12345678901", True),
        ("SO001", False),  # too few digits
        ("13812345678", False),
        ("20260305", False),
        ("华为技术", False),
        ("CRM-2026-00123 and more", False),
        ("", False),
    ],
)
def test_looks_like_reference(raw: str, expected: bool) -> None:
    assert looks_like_reference(raw) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AB-12-X", "AB12X"),
        ("ab12x", "AB12X"),
        ("AB 12 X", "AB12X"),
        ("ab_12/x.", "AB12X"),
        ("ＡＢ－１２", "AB12"),
        ("M6x20", "M6X20"),
        ("", ""),
    ],
)
def test_normalise_product_code(raw: str, expected: str) -> None:
    assert normalise_product_code(raw) == expected


def test_different_product_codes_stay_different() -> None:
    assert normalise_product_code("AB-12") != normalise_product_code("AB-13")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("北京市海淀区中关村大街1号", "北京市海淀区中关村大街1号"),
        ("中国北京市海淀区中关村大街1号", "北京市海淀区中关村大街1号"),
        ("中华人民共和国 北京市 海淀区", "北京市海淀区"),
        ("北京市 海淀区，中关村大街 1 号", "北京市海淀区中关村大街1号"),
        ("科技园3号楼501室", "科技园3栋501室"),
        ("科技园3栋501室", "科技园3栋501室"),
        ("科技园3幢501室", "科技园3栋501室"),
        ("科技园3#楼501室", "科技园3栋501室"),
        ("科技园3#501", "科技园3号501"),
        ("北京市朝陽區", "北京市朝阳区"),
        ("ＮＯ．１ Ｍａｉｎ Ｓｔ．", "no1mainst"),
        ("中国", "中国"),
        ("", ""),
    ],
)
def test_normalise_address(raw: str, expected: str) -> None:
    assert normalise_address(raw) == expected


def test_different_addresses_stay_different() -> None:
    assert normalise_address("科技园3栋501室") != normalise_address("科技园3栋502室")
