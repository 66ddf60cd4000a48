"""The dedupe chaining guard: its shortcuts (pairs settled up front, by chunk, from the
known pairs' bounds) decide exactly as asking about every pair would."""

from __future__ import annotations

import numpy as np
import pytest

from app.reconcile import groups
from app.reconcile.groups import Group, Node, ScoredPairs, _Forest, _ordered_edges, clusters

SIZES = {"erp": 300, "crm": 250}


def _probability(a: str, i: np.ndarray, b: str, j: np.ndarray) -> np.ndarray:
    """A fixed probability for any pair, the same either way round: records of one
    "company" (row // 4) match well, others now and then."""
    ka, kb = i // 4 + (a == "crm") * 7, j // 4 + (b == "crm") * 7
    seed = (np.minimum(ka, kb) * 7919 + np.maximum(ka, kb) * 104729) % 1000 / 1000
    return np.where(ka == kb, 0.6 + 0.4 * seed, 0.9 * seed**3)


def _world() -> tuple[list[ScoredPairs], list[tuple[str, str]]]:
    """Candidate pairs of both tables and within each, scored by ``_probability``."""
    rng = np.random.default_rng(5)
    scored = []
    for a, b in (("erp", "erp"), ("erp", "crm"), ("crm", "crm")):
        i = rng.integers(0, SIZES[a], 3_000)
        j = np.clip(i + rng.integers(-12, 12, 3_000), 0, SIZES[b] - 1)
        if a == b:
            i, j = np.minimum(i, j), np.maximum(i, j)
        keys = np.unique(i * SIZES[b] + j)
        i, j = keys // SIZES[b], keys % SIZES[b]
        if a == b:
            i, j = i[i != j], j[i != j]
        p = _probability(a, i, b, j)
        scored.append(ScoredPairs(a, b, i, j, np.log2(p / (1 - p)), p))
    return scored, []


def _named(forest: _Forest, node: int) -> Node:
    table = max(k for k, start in enumerate(forest.starts[:-1]) if start <= node)
    return forest.labels[table], node - forest.starts[table]


def _reference(scored: list[ScoredPairs], review: float) -> list[Group]:
    """The guard without shortcuts: every pair between two groups asked each time."""
    forest = _Forest(SIZES)
    for x, y, p in _ordered_edges(forest, scored, review):
        rx, ry = forest.find(x), forest.find(y)
        if rx == ry:
            continue
        left, right = forest.group(rx), forest.group(ry)
        if p < 1.0 and (len(left) > 1 or len(right) > 1):
            a: list[Node] = [_named(forest, n) for n in left for _ in right]
            b: list[Node] = [_named(forest, n) for _ in left for n in right]
            total = sum(
                float(_probability(la, np.array([ia]), lb, np.array([ib]))[0])
                for (la, ia), (lb, ib) in zip(a, b, strict=True)
            )
            if total / len(a) < review:
                continue
        forest.union(rx, ry, (x, y, p))
    return forest.groups(0.95)


def _shape(found: list[Group]) -> list[tuple[list[Node], float]]:
    return sorted((g.members, g.probability) for g in found)


@pytest.mark.parametrize(("limit", "chunk"), [(40, 4_096), (5, 64), (3, 7)])
def test_the_guard_decides_as_asking_every_pair_would(
    monkeypatch: pytest.MonkeyPatch, limit: int, chunk: int
) -> None:
    """Large components and small chunks force every path: pairs settled up front, by
    chunk (all across a few groups, or edge by edge), and compared when asked."""
    monkeypatch.setattr(groups, "COMPONENT_LIMIT", limit)
    monkeypatch.setattr(groups, "CHUNK", chunk)
    monkeypatch.setattr(groups, "CHUNK_COMPONENT", min(limit, 12))
    scored, _ = _world()
    asked: list[int] = []

    def score(a: str, i: np.ndarray, b: str, j: np.ndarray) -> np.ndarray:
        asked.append(len(i))
        return _probability(a, i, b, j)

    found = clusters(SIZES, scored, 0.5, 0.95, score)
    expected = _reference(scored, 0.5)
    assert _shape(found) == _shape(expected)
    assert sum(len(g.members) > 2 for g in found) > 20  # clusters were guarded, not pairs
    assert asked  # pairs that were no candidates were compared


def _pair(a: str, b: str, p: float, contradicts: bool | None = None) -> ScoredPairs:
    one = np.array([0])
    flag = None if contradicts is None else np.array([contradicts])
    return ScoredPairs(a, b, one, one, np.array([np.log2(p / (1 - p))]), np.array([p]), flag)


@pytest.mark.parametrize("contradicts", [None, False, True])
def test_records_whose_references_contradict_are_not_joined_through_a_third(contradicts):
    """The ERP order matches its OA approval and, more weakly, a CRM contract of the same
    customer and week; the approval quotes another contract. That contract is its own
    deal (won, never submitted), not a member of the order's."""
    scored = [
        _pair("erp", "oa", 0.99),
        _pair("erp", "crm", 0.83),
        _pair("crm", "oa", 0.06, contradicts),
    ]
    found = sorted(
        sorted(g.members)
        for g in groups.one_to_one({"erp": 1, "crm": 1, "oa": 1}, scored, 0.5, 0.9)
    )
    if contradicts:
        assert found == [[("crm", 0)], [("erp", 0), ("oa", 0)]]
    else:  # no reference on one side, or the same: nothing says they differ
        assert found == [[("crm", 0), ("erp", 0), ("oa", 0)]]


def test_a_contradiction_does_not_undo_a_strong_match_of_its_own():
    """References differ, but everything else agrees so well that the pair matches on
    its own (a typo in the quoted number): it is joined, for review of the reference."""
    scored = [_pair("crm", "oa", 0.97, True)]
    (group,) = groups.one_to_one({"crm": 1, "oa": 1}, scored, 0.5, 0.9)
    assert sorted(group.members) == [("crm", 0), ("oa", 0)]
