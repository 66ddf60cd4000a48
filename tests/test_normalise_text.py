"""Folding, punctuation stripping and the normaliser registry."""

from __future__ import annotations

import pytest

from app.mapping.types import SemanticType
from app.normalise import (
    NORMALISERS,
    fold,
    normalise_company,
    normalise_money,
    normalise_reference,
    normalise_text,
    normaliser_for,
    strip_punct,
)
from app.normalise.text import settle


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("   ", ""),
        ("ＡＢＣ１２３", "abc123"),  # full-width letters and digits
        ("華為技術有限公司", "华为技术有限公司"),  # traditional → simplified
        ("臺灣", "台湾"),
        ("  Hello\u3000\u3000World \t\n", "hello world"),  # ideographic space, tabs
        ("a\u00a0b", "a b"),  # no-break space
        ("\ufeff客户名称", "客户名称"),  # BOM left in the first cell
        ("a\u200bb", "ab"),  # zero-width space
        ("（北京）", "(北京)"),  # full-width brackets
        ("ＣＲＭ－２０２６", "crm-2026"),
        ("x\x00y", "xy"),  # control characters dropped
        ("ﬁle", "file"),  # ligature
        ("Straße", "straße"),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_fold_survives_lone_surrogates() -> None:
    assert fold("a\udcff北京") == "a\ufffd北京"


def test_fold_long_text_is_not_cached_but_folded() -> None:
    text = "華為 " * 200
    assert fold(text) == ("华为 " * 200).strip()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("华为（技术）有限公司！", "华为技术有限公司"),
        ("a-b_c.d e/f", "abcdef"),
        ("¥1,234.50", "123450"),
        ("《合同》、“条款”", "合同条款"),
        ("", ""),
    ],
)
def test_strip_punct(raw: str, expected: str) -> None:
    assert strip_punct(raw) == expected


def test_normalise_text_is_fold() -> None:
    assert normalise_text("  華為　ＡＢＣ ") == "华为 abc"


def test_settle_reapplies_until_stable() -> None:
    assert settle(lambda s: s.replace("éé", "é"), "é" * 4) == "é"
    assert settle(lambda s: s.replace("aa", "a"), "aaaa") == "aa"  # ASCII: one pass


def test_registry_covers_every_semantic_type() -> None:
    assert set(NORMALISERS) == {t.value for t in SemanticType}


@pytest.mark.parametrize(
    ("type_name", "function"),
    [
        ("company", normalise_company),
        ("key", normalise_reference),
        ("reference", normalise_reference),
        ("money", normalise_money),
        ("text", normalise_text),
        (SemanticType.COMPANY, normalise_company),
        ("no such type", normalise_text),
    ],
)
def test_normaliser_for(type_name: str, function: object) -> None:
    assert normaliser_for(type_name) is function
