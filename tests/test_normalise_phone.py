"""Phone numbers: mobiles, landlines with area codes and extensions, foreign numbers."""

from __future__ import annotations

import pytest

from app.normalise import is_phone, normalise_phone, phone_digits


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "+86 138-1234-5678",
        "0086 13812345678",
        "138 1234 5678",
        "(+86)13812345678",
        "（+86）138 1234 5678",
        "+86-13812345678",
        "86 13812345678",
        "8613812345678",
        "１３８１２３４５６７８",
        "138-1234-5678",
        "手机：13812345678",
        "Tel: +86 138 1234 5678",
        "13812345678/13987654321",
        "13812345678；13987654321",
        "13812345678,13987654321",
        "13812345678、13987654321",
        "13812345678 或 13987654321",
    ],
)
def test_mobile_spellings(raw: str) -> None:
    assert normalise_phone(raw) == "13812345678"
    assert phone_digits(raw) == "13812345678"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("010-12345678", "010-12345678"),
        ("(010)12345678", "010-12345678"),
        ("（010）12345678", "010-12345678"),
        ("010 1234 5678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("+86 10 12345678", "010-12345678"),
        ("+86 (0)10 12345678", "010-12345678"),
        ("86-21-5555-1234", "021-55551234"),
        ("0755-8888 6666", "0755-88886666"),
        ("0755-88886666", "0755-88886666"),
        ("0571 8765432", "0571-8765432"),  # 7-digit local number
        ("电话：020-87654321", "020-87654321"),
        ("fax: 010-12345678", "010-12345678"),  # the x of fax is no extension marker
    ],
)
def test_landlines(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "010-12345678转123",
        "010-12345678 转 123",
        "010-12345678分机123",
        "010-12345678 ext 123",
        "010-12345678 ext. 123",
        "010-12345678x123",
        "010-12345678 X123",
        "010-12345678,123",
        "010-12345678-123",
        "(010) 1234 5678 - 123",
        "+86 10 12345678 ext 123",
        "010-12345678#123",
    ],
)
def test_landline_extensions(raw: str) -> None:
    assert normalise_phone(raw) == "010-12345678-123"
    assert phone_digits(raw) == "01012345678"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+1 415 555 1234", "+14155551234"),
        ("+1 (415) 555-1234", "+14155551234"),
        ("001 415 555 1234", "+14155551234"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 415 555 1234 ext 12", "+14155551234-12"),
        ("+852 2123 4567", "+85221234567"),
    ],
)
def test_foreign_numbers(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("无", ""),
        ("12345", "12345"),  # too few digits: digits as they are
        ("95588", "95588"),  # bank service number
        ("400-800-8888", "4008008888"),
        ("8888 6666", "88886666"),  # local number without area code
        ("138123456789", "138123456789"),  # one digit too many: not a mobile
        ("13812345678-123", "13812345678"),  # mobiles have no extensions
    ],
)
def test_other_numbers_keep_their_digits(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("13812345678", "13812345679"),
        ("010-12345678", "010-12345679"),
        ("010-12345678", "021-12345678"),
        ("010-12345678-123", "010-12345678-124"),
        ("010-12345678-123", "010-12345678"),
        ("+14155551234", "14155551234"),
    ],
)
def test_different_numbers_stay_different(a: str, b: str) -> None:
    assert normalise_phone(a) != normalise_phone(b)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", True),
        ("+86 138-1234-5678", True),
        ("010-12345678", True),
        ("(0755) 8888 6666 转 801", True),
        ("400-800-8888", True),
        ("+1 415 555 1234", True),
        ("手机：13812345678", True),
        ("12345", False),
        ("88886666", False),  # bare local numbers are too easily something else
        ("20260305", False),
        ("138123456789012", False),
        ("SO20260301001", False),
        ("订单13812345678", False),
        ("2026-03-05", False),
        ("", False),
    ],
)
def test_is_phone(raw: str, expected: bool) -> None:
    assert is_phone(raw) is expected
