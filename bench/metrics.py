"""Pairwise precision, recall and F1 of a clustering against the truth."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations

Record = tuple[str, str]  # (table, record id)


def pairs(clusters: Mapping[Record, str], cross_only: bool = False) -> set[tuple[Record, Record]]:
    """Every pair of records that share a cluster id (optionally only across tables)."""
    members: dict[str, list[Record]] = {}
    for record, cluster in clusters.items():
        members.setdefault(cluster, []).append(record)
    found = set()
    for group in members.values():
        for a, b in combinations(sorted(group), 2):
            if cross_only and a[0] == b[0]:
                continue
            found.add((a, b))
    return found


def scores(
    predicted: Iterable[tuple[Record, Record]], truth: Iterable[tuple[Record, Record]]
) -> dict[str, float]:
    predicted, truth = set(predicted), set(truth)
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "predicted": len(predicted),
        "true": len(truth),
    }
