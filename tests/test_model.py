"""Term-frequency adjustment of exact agreement in the match model."""

from __future__ import annotations

import numpy as np
import pytest

from app.match.compare import KINDS, MISSING
from app.match.model import TF_CLIP, FieldModel, MatchModel, PairLevels


def _model(kind: str) -> MatchModel:
    m, u = [0.05, 0.05, 0.1, 0.8], [0.9, 0.07, 0.03, 1e-4]
    if kind == "company":  # "same name, other region" before "equal"
        m, u = [*m[:3], 0.02, *m[3:]], [*u[:3], 1e-6, *u[3:]]
    return MatchModel("a", "b", [FieldModel("f", kind, np.array(m), np.array(u))], prior=0.5)


def _weights(kind: str, share: float, level: int | None = None) -> float:
    """The weight of one pair at ``level`` (default: exact agreement) on a value held by
    ``share`` of records."""
    top = len(KINDS[kind].levels) - 1
    pairs = PairLevels(
        np.array([0]),
        np.array([0]),
        {"f": np.array([top if level is None else level], dtype=np.int8)},
        {"f": np.array([share])},
    )
    return float(_model(kind).weights(pairs)[0])


def test_a_rare_company_name_weighs_more_a_common_one_less() -> None:
    plain = float(np.log2(0.8 / 1e-4))
    assert _weights("company", 1e-7) == plain + TF_CLIP
    assert _weights("company", 1e-2) == plain - TF_CLIP


def test_a_rare_person_name_weighs_no_more_than_any_other_a_common_one_less() -> None:
    """Two companies' contacts share a rare-looking name often enough among a million
    records that rarity is no evidence; commonness still is (张伟)."""
    plain = float(np.log2(0.8 / 1e-4))
    assert _weights("name", 1e-7) == plain
    assert _weights("name", 1e-2) == plain - TF_CLIP


def test_the_same_company_name_in_another_region_is_no_evidence_for_a_match() -> None:
    """Random pairs almost never share a trade name, so its u alone would make 华信科技 of
    成都 and 华信科技 of 北京 strong evidence (log2(0.02 / 1e-6) bits); a name is registered
    per region, so the level adds nothing and the other fields decide."""
    other_region = KINDS["company"].levels.index("same name, other region")
    assert _model("company").fields[0].bits[other_region] == 0.0
    assert _weights("company", 1e-7, other_region) == 0.0  # the prior of 0.5 adds 0 bits
    very_similar = KINDS["company"].levels.index("very similar")
    assert _model("company").fields[0].bits[very_similar] > 0  # the others as estimated


def test_differently_named_companies_sharing_only_an_address_stay_below_review() -> None:
    """Two companies in one office building share an address (rare among random pairs, so
    worth many bits) but not a name: without a name or a registered identifier agreeing,
    the pair stays below the review band. A shared USCC still makes the match; the
    explanation adds up to the weight either way."""
    from app.match.model import NAMES_DIFFER, probability

    company = FieldModel("customer", "company", np.array([0.01, 0.02, 0.05, 0.0, 0.92]),
                         np.array([0.99, 0.007, 0.002, 1e-6, 1e-5]))  # fmt: skip
    address = FieldModel("address", "text", np.array([0.1, 0.2, 0.1, 0.6]),
                         np.array([0.97, 0.02, 0.01, 1e-7]))  # fmt: skip
    uscc = FieldModel("uscc", "exact", np.array([0.01, 0.99]), np.array([1.0, 1e-7]))
    model = MatchModel("erp", "erp", [company, address, uscc], prior=0.05)
    levels = {
        "customer": np.array([0, 0, 4], dtype=np.int8),  # different, different, equal
        "address": np.array([3, 3, 3], dtype=np.int8),  # the same building
        "uscc": np.array([MISSING, 1, MISSING], dtype=np.int8),
    }
    pairs = PairLevels(np.arange(3), np.arange(3), levels, {})
    plain = model.weights(pairs)
    assert plain[0] > 0  # the address alone outweighs the names

    model.named_by, model.identifiers = ("customer",), ("uscc",)
    weights = model.weights(pairs)
    assert weights[0] == NAMES_DIFFER and probability(weights)[0] < 0.5
    assert weights[1] == plain[1] and weights[2] == plain[2]  # a shared USCC, a shared name
    for k in range(3):
        assert sum(c.bits for c in model.explain(pairs, k)) == pytest.approx(weights[k])
    assert model.explain(pairs, 0)[-1].field == "names differ"
