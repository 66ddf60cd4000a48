"""Term-frequency adjustment of exact agreement in the match model."""

from __future__ import annotations

import numpy as np

from app.match.model import TF_CLIP, FieldModel, MatchModel, PairLevels


def _model(kind: str) -> MatchModel:
    m = np.array([0.05, 0.05, 0.1, 0.8])
    u = np.array([0.9, 0.07, 0.03, 1e-4])
    return MatchModel("a", "b", [FieldModel("f", kind, m, u)], prior=0.5)


def _weights(kind: str, share: float) -> float:
    """The weight of one pair agreeing exactly on a value held by ``share`` of records."""
    pairs = PairLevels(
        np.array([0]), np.array([0]), {"f": np.array([3], dtype=np.int8)}, {"f": np.array([share])}
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
