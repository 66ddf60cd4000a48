"""Quality on vendor-style exports (U8, Salesforce, DingTalk; ``bench/datagen_styles.py``):
orders F1, all conflicts, and each chain exception kind, scored as (field, table, record)
rows against the planted truth. The files go in under their own names (no labels given),
so telling which system is which is part of the test.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from bench.datagen_styles import FILES, generate, write
from bench.metrics import pairs, scores
from bench.quality import show

KINDS = (
    "money",
    "date",
    "booked_without_approval",
    "contradiction",
    "approved_not_booked",
    "won_not_submitted",
)
_TABLE = {Path(name).stem: table for table, name in FILES.items()}


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def _rows(path: Path, kind: str | None = None) -> set[tuple[str, str, str]]:
    return {
        (r["field"], _TABLE.get(r["table"], r["table"]), r["record_id"])
        for r in _read(path)
        if kind is None or r["kind"] == kind
    }


def evaluate(folder: Path, out: Path) -> dict[str, dict[str, float]]:
    from app.cli import main

    paths = [str(folder / name) for name in FILES.values()]
    assert main(["reconcile", "--quiet", "--out", str(out), *paths]) == 0
    links = {(_TABLE[r["table"]], r["record_id"]): r["entity_id"] for r in _read(out / "links.csv")}
    truth = {
        (r["table"], r["record_id"]): r["entity_id"] for r in _read(folder / "truth" / "orders.csv")
    }
    found, planted = out / "conflicts.csv", folder / "truth" / "conflicts.csv"
    results = {
        "orders": scores(pairs(links, True), pairs(truth, True)),
        "conflicts": scores(_rows(found), _rows(planted)),
    }
    for kind in KINDS:
        results[kind] = scores(_rows(found, kind), _rows(planted, kind))
    return results


def main(seeds: tuple[int, ...] = (7, 11, 23)) -> dict[str, dict[str, float]]:
    every = {}
    for seed in seeds:
        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder) / "data"
            write(generate(1000, seed), data, seed)
            results = evaluate(data, Path(folder) / "out")
        every.update(show("vendor styles", seed, results))
    return every


if __name__ == "__main__":
    main()
