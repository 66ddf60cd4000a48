"""Stock reconciliation of the exports of ``bench/datagen_stock.py`` (Kingdee-like 即时库存,
a WMS export, a count sheet), through ``concord reconcile``.

    python -m bench.stock_quality [LINES] [SEED]

Scored as (table, record id) rows of quantity conflicts against the planted ones (a
product line whose quantities differ puts each of its rows in conflicts.csv), and the
inventory accuracy in summary.json against the true one, overall and per warehouse.
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.datagen_stock import generate, write
from bench.metrics import scores


def main(lines: int = 50_000, seed: int = 7) -> dict[str, Any]:
    from app.cli import main as concord

    world = generate(lines, seed)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        paths = write(world, folder)
        out = folder / "out"
        clock = time.perf_counter()
        code = concord(
            ["reconcile", "--quiet", "--out", str(out), *(f"{k}={p}" for k, p in paths.items())]
        )
        seconds = time.perf_counter() - clock
        assert code == 0, f"concord reconcile exited {code}"
        with open(out / "conflicts.csv", encoding="utf-8") as stream:
            found = {(r["table"], r["record_id"]) for r in csv.DictReader(stream)}
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    inventory = summary.get("inventory") or {}
    result: dict[str, Any] = scores(found, world.differing)  # type: ignore[arg-type]
    result.update(
        lines=lines,
        accuracy=inventory.get("accuracy"),
        true_accuracy=round(world.accuracy, 4),
        by_warehouse=inventory.get("by_warehouse"),
        true_by_warehouse={k: round(v, 4) for k, v in world.warehouse_accuracy().items()},
        compared={t: _stock_column(summary, t) for t in paths},
        seconds=round(seconds, 1),
    )
    measured = f"{result['accuracy']:.2%}" if result["accuracy"] is not None else "none"
    print(
        f"stock (real export habits): {lines:,} ERP product lines × 3 tables: conflicts F1 "
        f"{result['f1']:.3f} (P {result['precision']:.3f} R {result['recall']:.3f}); "
        f"inventory accuracy {measured} (true {result['true_accuracy']:.2%}); {seconds:.1f} s"
    )
    for place, true in result["true_by_warehouse"].items():
        got = (result["by_warehouse"] or {}).get(place)
        print(f"  {place}: {got if got is None else f'{got:.2%}'} (true {true:.2%})")
    print(f"  quantities compared: {result['compared']}")
    return result


def _stock_column(summary: dict[str, Any], label: str) -> str | None:
    columns = summary["tables"].get(label, {}).get("columns", {})
    return next((column for column, name in columns.items() if name == "stock"), None)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
