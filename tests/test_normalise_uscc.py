"""Unified social credit codes: normalisation and the GB 32100-2015 check character."""

from __future__ import annotations

import pytest

from app.normalise import is_valid_uscc, normalise_uscc, uscc_check_char
from app.normalise.uscc import USCC_CHARSET, USCC_WEIGHTS

# Published codes of well-known companies (Huawei, Tencent, Alibaba China).
REAL = ["914403001922038216", "91440300708461136T", "91330100716105852F"]


def _with_check(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def test_reference_implementation_of_the_check() -> None:
    """The check character written out from the standard, compared on a few bodies."""
    for body in ("91110108MA01ABCD2", "12100000400000018", "Y1000000000000000"):
        total = sum(USCC_CHARSET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
        assert uscc_check_char(body) == USCC_CHARSET[(31 - total % 31) % 31]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code: str) -> None:
    assert is_valid_uscc(code)
    assert uscc_check_char(code[:17]) == code[17]


@pytest.mark.parametrize(
    "code",
    [
        _with_check("91110108MA01ABCD2"),
        _with_check("52100000500012345"),  # 民政: a social organisation
        _with_check("12100000400000018"),  # 机构编制: a public institution
        _with_check("92440300L12345678"),  # 个体工商户
        _with_check("Y1000000000000000"),
    ],
)
def test_computed_codes_are_valid(code: str) -> None:
    assert len(code) == 18
    assert is_valid_uscc(code)


def test_a_check_of_31_becomes_0() -> None:
    """Find a body whose weighted sum is a multiple of 31: its check character is 0."""
    for n in range(10**5):
        body = f"91110000{n:09d}"
        if (
            sum(USCC_CHARSET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True)) % 31
            == 0
        ):
            assert uscc_check_char(body) == "0"
            assert is_valid_uscc(body + "0")
            return
    pytest.fail("no body with a sum divisible by 31")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91440300708461136t", "91440300708461136T"),
        (" 9144 0300 7084 6113 6T ", "91440300708461136T"),
        ("914403-0070846-1136T", "91440300708461136T"),
        ("９１４４０３００７０８４６１１３６Ｔ", "91440300708461136T"),
        ("", ""),
    ],
)
def test_normalise_uscc(raw: str, expected: str) -> None:
    assert normalise_uscc(raw) == expected
    if expected:
        assert is_valid_uscc(raw)


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038217",  # wrong check character
        "914403001922038226",  # one digit changed
        "914403001922083216",  # two digits swapped
        "91440300192203821",  # too short
        "9144030019220382166",  # too long
        "91440300192203821I",  # I is not in the alphabet
        "9144030019220382O6",  # O is not in the alphabet
        "91440300S92203821",  # 17 characters with an S
        "",
        "abc",
    ],
)
def test_corrupted_codes_are_invalid(code: str) -> None:
    assert not is_valid_uscc(code)


@pytest.mark.parametrize("body", ["", "123", "9144030019220382I", "91440300192203821X"])
def test_check_char_of_a_bad_body_is_empty(body: str) -> None:
    assert uscc_check_char(body) == ""
