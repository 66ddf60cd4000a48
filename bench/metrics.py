"""Pairwise precision, recall and F1 of a clustering against the truth."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations

import numpy as np
import pandas as pd

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


def cluster_scores(found: pd.DataFrame, truth: pd.DataFrame) -> dict[str, float]:
    """Pairwise scores of two clusterings given as frames (table, record_id, entity_id),
    counted per cluster instead of pair by pair, so millions of records fit. A record
    missing from ``found`` counts as alone."""
    keys = ["table", "record_id"]
    both = truth[[*keys, "entity_id"]].merge(
        found[[*keys, "entity_id"]], on=keys, how="left", suffixes=("_true", "_found")
    )
    alone = both["entity_id_found"].isna()
    both.loc[alone, "entity_id_found"] = (
        "alone:" + both.loc[alone, "table"] + both.loc[alone, "record_id"]
    )

    def linked(columns: list[str]) -> int:
        sizes = both.groupby(columns, sort=False).size().to_numpy(dtype=np.int64)
        return int((sizes * (sizes - 1) // 2).sum())

    hits = linked(["entity_id_true", "entity_id_found"])
    predicted, true = linked(["entity_id_found"]), linked(["entity_id_true"])
    precision = hits / predicted if predicted else 1.0
    recall = hits / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "predicted": predicted,
        "true": true,
    }
