"""Quality on the held-out worlds of ``bench/datagen_heldout.py`` (a Kingdee-like and a
U8/Salesforce/DingTalk-like one): orders F1 and conflicts precision / recall / F1, overall
and per kind, scored as (field, table, record) rows against the planted truth, with the
commonest false positives and misses listed by (field, column, kind).

The files go in under their own names with no configuration at all.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.datagen_heldout import FILES, WORLDS, generate, write
from bench.metrics import pairs, scores

KINDS = (
    "money",
    "date",
    "number",
    "status",
    "exact",
    "booked_without_approval",
    "contradiction",
    "approved_not_booked",
    "won_not_submitted",
)


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def evaluate(world: str, folder: Path, out: Path, shown: int = 8) -> dict[str, dict[str, float]]:
    from app.cli import main

    tables = {Path(name).stem: table for table, name in FILES[world].items()}
    paths = [str(folder / name) for name in FILES[world].values()]
    assert main(["reconcile", "--quiet", "--out", str(out), *paths]) == 0
    links = {(tables[r["table"]], r["record_id"]): r["entity_id"] for r in _read(out / "links.csv")}
    planted = _read(folder / "truth" / "conflicts.csv")
    orders = {
        (r["table"], r["record_id"]): r["entity_id"] for r in _read(folder / "truth" / "orders.csv")
    }
    found = _read(out / "conflicts.csv")
    for row in found:
        row["table"] = tables.get(row["table"], row["table"])

    def rows(which: list[dict[str, str]], kind: str | None = None) -> set[tuple[str, str, str]]:
        return {
            (r["field"], r["table"], r["record_id"])
            for r in which
            if kind is None or r["kind"] == kind
        }

    results = {
        "orders": scores(pairs(links, True), pairs(orders, True)),
        "conflicts": scores(rows(found), rows(planted)),
    }
    for kind in KINDS:
        results[kind] = scores(rows(found, kind), rows(planted, kind))
    truth, seen = rows(planted), rows(found)
    wrong = [r for r in found if (r["field"], r["table"], r["record_id"]) not in truth]
    missed = [r for r in planted if (r["field"], r["table"], r["record_id"]) not in seen]
    for title, bad in (("false positives", wrong), ("misses", missed)):
        counts = Counter((r["field"], r["table"], r["column"], r["kind"]) for r in bad)
        print(f"  {world} {title}: {len(bad)}")
        for (name, table, column, kind), count in counts.most_common(shown):
            examples = [
                f"{r['record_id']}={r['value']!r}"
                for r in bad
                if (r["field"], r["table"], r["column"], r["kind"]) == (name, table, column, kind)
            ][:3]
            print(f"    {count:4d}  {name} / {table}.{column} / {kind}: {', '.join(examples)}")
    return results


def show(world: str, results: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    line = ", ".join(
        f"{name} F1 {r['f1']:.3f} (P {r['precision']:.3f} R {r['recall']:.3f}, "
        f"{r['predicted']}/{r['true']})"
        for name, r in results.items()
        if r["predicted"] or r["true"]
    )
    print(f"held-out {world}: {line}")
    return {f"heldout {world} {name}": r for name, r in results.items()}


def main(worlds: tuple[str, ...] = WORLDS, seed: int = 5) -> dict[str, dict[str, float]]:
    every = {}
    for world in worlds:
        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder) / "data"
            write(world, generate(world, 1000, seed), data, seed)
            every.update(show(world, evaluate(world, data, Path(folder) / "out")))
    return every


if __name__ == "__main__":
    main(tuple(sys.argv[1:]) or WORLDS)
