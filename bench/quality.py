"""Quality on our own ERP + CRM + OA world: orders and customers F1, conflicts P/R.

Scores the command-line output (links.csv, conflicts.csv) against the truth written beside
the data. Pairs are counted across tables for orders (reconcile) and within and across
tables for customers (dedupe); conflicts as (field, table, record) rows.
"""

from __future__ import annotations

import csv
import tempfile
import time
from pathlib import Path

from bench.datagen import TABLES, generate, write_samples
from bench.metrics import pairs, scores


def _links(path: Path) -> dict[tuple[str, str], str]:
    with open(path, encoding="utf-8") as stream:
        return {(r["table"], r["record_id"]): r["entity_id"] for r in csv.DictReader(stream)}


def _conflicts(path: Path, kind: str | None = None) -> set[tuple[str, str, str]]:
    """(field, table, record) rows of a conflicts file, of one ``kind`` if given."""
    with open(path, encoding="utf-8") as stream:
        return {
            (r["field"], r["table"], r["record_id"])
            for r in csv.DictReader(stream)
            if kind is None or r["kind"] == kind
        }


CHAIN_KINDS = (
    "booked_without_approval",
    "contradiction",
    "approved_not_booked",
    "won_not_submitted",
)


def sources(folder: Path, labels: tuple[str, ...]) -> list[str]:
    """Command-line sources of the world's tables in ``folder``."""
    out = []
    for label in labels:
        spec = TABLES[label]
        out.append(f"{label}={folder / spec.file}" + (f"#{spec.sheet}" if spec.sheet else ""))
    return out


def evaluate(folder: Path, out: Path) -> dict[str, dict[str, float]]:
    from app.cli import main

    commands = {
        "orders": sources(folder, ("erp", "crm", "oa")),
        "customers": sources(folder, ("erp_customers", "crm_customers")),
    }
    results = {}
    for name, mode, cross in (("orders", "reconcile", True), ("customers", "dedupe", False)):
        started = time.perf_counter()
        assert main([mode, "--quiet", "--out", str(out / name), *commands[name]]) == 0
        seconds = time.perf_counter() - started
        found = _links(out / name / "links.csv")
        truth = _links(folder / "truth" / f"{name}.csv")
        results[name] = {**scores(pairs(found, cross), pairs(truth, cross)), "seconds": seconds}
    found, truth = out / "orders" / "conflicts.csv", folder / "truth" / "conflicts.csv"
    results["conflicts"] = scores(_conflicts(found), _conflicts(truth))
    for kind in CHAIN_KINDS:
        planted = _conflicts(truth, kind)
        if planted:
            results[kind] = scores(_conflicts(found, kind), planted)
    return results


def main(seeds: tuple[int, ...] = (7, 11, 23)) -> dict[str, dict[str, float]]:
    """The demo world (seed 7) and two more worlds of the same kind."""
    every = {}
    for seed in seeds:
        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder) / "data"
            write_samples(generate(n_customers=250, n_orders=1000, seed=seed), data)
            results = evaluate(data, Path(folder) / "out")
        every.update(show("own data", seed, results))
    return every


def show(what: str, seed: int, results: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Print one world's figures; returns them keyed "name (seed N)" for results.json."""
    for name, figures in results.items():
        print(
            f"{what} seed {seed} {name}: F1 {figures['f1']:.4f} "
            f"(precision {figures['precision']:.4f}, recall {figures['recall']:.4f})"
        )
    return {f"{name} (seed {seed})": figures for name, figures in results.items()}


if __name__ == "__main__":
    main()
