"""Documents with lines: the held-out worlds with their ERP export as order lines
(``bench/datagen_documents.py``), scored against the same order-level truth.

    python -m bench.lines_quality               # quality: 2 worlds × 2 head styles
    python -m bench.lines_quality --speed 100000  # seconds for 100k orders × 3 tables

Prints per world and style: documents read from the ERP lines (against orders planted),
orders F1 and conflicts F1 (overall and per kind), as ``bench.heldout_quality`` does.
"""

from __future__ import annotations

import csv
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.datagen_documents import STYLES, as_lines, world
from bench.datagen_heldout import FILES, WORLDS, generate, write
from bench.heldout_quality import evaluate


def quality(count: int = 1000, seed: int = 5) -> dict[str, dict[str, float]]:
    every = {}
    for name in WORLDS:
        for style in STYLES:
            with tempfile.TemporaryDirectory() as folder:
                data = Path(folder) / "data"
                lines = world(name, style, data, count, seed)
                results = evaluate(name, data, Path(folder) / "out")
                erp = Path(FILES[name]["erp"]).stem
                with open(Path(folder) / "out" / "links.csv", encoding="utf-8") as stream:
                    documents = sum(1 for row in csv.DictReader(stream) if row["table"] == erp)
            orders, conflicts = results["orders"], results["conflicts"]
            print(
                f"lines {name} {style}: {lines:,} lines read as {documents:,} documents; "
                f"orders F1 {orders['f1']:.3f}; conflicts F1 {conflicts['f1']:.3f} "
                f"(P {conflicts['precision']:.3f} R {conflicts['recall']:.3f}, "
                f"{conflicts['predicted']}/{conflicts['true']})"
            )
            every[f"lines {name} {style}"] = {
                "lines": lines,
                "documents": documents,
                **{f"{kind} {k}": v for kind, r in results.items() for k, v in r.items()},
            }
    return every


def speed(count: int = 100_000, seed: int = 5) -> dict[str, float]:
    """``concord reconcile`` on 100k orders: the ERP as about 220k order lines (CSV,
    repeated heads), CRM and OA per order, timed as a separate process."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        paths = write("kingdee", generate("kingdee", count, seed), data, seed)
        erp = paths["erp"].with_suffix(".csv")
        lines = as_lines("kingdee", paths["erp"], "repeated", seed, out=erp)
        sources = [f"erp={erp}", f"crm={paths['crm']}", f"oa={paths['oa']}"]
        command = [sys.executable, "-m", "app", "reconcile", "--quiet", "--out"]
        clock = time.perf_counter()
        subprocess.run([*command, str(Path(folder) / "out"), *sources], check=True)
        seconds = time.perf_counter() - clock
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"lines speed: {count:,} orders, ERP as {lines:,} lines + CRM + OA: "
        f"{seconds:.1f} s, peak {peak:,.0f} MB"
    )
    return {"orders": count, "lines": lines, "seconds": round(seconds, 1), "peak_mb": peak}


def main() -> dict[str, object]:
    return {"quality": quality()}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--speed"]:
        speed(int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
    else:
        quality()
