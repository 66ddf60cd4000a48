"""Quality and speed of ``concord settle`` on the world of ``bench/datagen_settle.py``.

Scored over (receipt, invoice) pairs: a pair is predicted when the receipt is settled
or partly settled on that invoice. A receipt ambiguous by construction has no true
pairs: it must go to review, so settling it counts its pairs as false positives.

    python -m bench.settle_quality [RECEIPTS] [SEED...]
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.datagen_settle import generate, write
from bench.metrics import scores

APPLIED = ("settled", "partial")


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def evaluate(folder: Path, paths: dict[str, Path], out: Path) -> dict[str, Any]:
    from app.cli import main

    started = time.perf_counter()
    assert (
        main(
            ["settle", "--quiet", "--out", str(out), str(paths["payments"]), str(paths["invoices"])]
        )
        == 0
    )
    seconds = time.perf_counter() - started
    rows = _read(out / "settlements.csv")
    receipts = {r["receipt_id"]: r for r in _read(folder / "truth" / "receipts.csv")}
    truth_rows = _read(folder / "truth" / "pairs.csv")
    truth = {
        (r["receipt_id"], r["invoice_id"]): r["applied"]
        for r in truth_rows
        if receipts[r["receipt_id"]]["ambiguous"] == "0"
    }
    found = {
        (r["payment_id"], r["invoice_id"]): r["applied"] for r in rows if r["status"] in APPLIED
    }
    status = {r["payment_id"]: r["status"] for r in rows}
    result: dict[str, Any] = scores(found, truth)
    hits = [pair for pair in found if pair in truth]
    result["applied_exact"] = sum(found[p] == truth[p] for p in hits) / len(hits) if hits else 1.0
    planted = [r for r, t in receipts.items() if t["ambiguous"] == "1"]
    result["ambiguous_planted"] = len(planted)
    result["ambiguous_flagged"] = sum(status.get(r) == "ambiguous" for r in planted)
    result["ambiguous_settled"] = sum(status.get(r) in APPLIED for r in planted)
    result["ambiguous_other"] = sum(
        s == "ambiguous" and receipts[r]["ambiguous"] == "0" for r, s in status.items()
    )
    recall = {}
    for kind in ("set", "partial"):
        pairs = {p for p in truth if receipts[p[0]]["kind"] == kind}
        recall[kind] = len(pairs & set(found)) / len(pairs) if pairs else 1.0
    result["recall_by_kind"] = recall
    result["statuses"] = dict(Counter(status.values()))
    result["receipts"] = len(receipts)
    result["seconds"] = round(seconds, 2)
    result["settle_seconds"] = json.loads((out / "summary.json").read_text())["settle_seconds"]
    return result


def main(receipts: int = 20_000, seeds: tuple[int, ...] = (7,)) -> list[dict[str, Any]]:
    results = []
    for seed in seeds:
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary)
            clock = time.perf_counter()
            world = generate(receipts, seed)
            paths = write(world, folder / "data", seed)
            made = time.perf_counter() - clock
            result = evaluate(folder / "data", paths, folder / "out")
        result["seed"], result["invoices"], result["generate_seconds"] = (
            seed,
            len(world.invoices),
            round(made, 1),
        )
        print(
            f"seed {seed}: {result['receipts']:,} receipts, {result['invoices']:,} invoices — "
            f"F1 {result['f1']:.3f} (precision {result['precision']:.3f}, recall {result['recall']:.3f}); "
            f"ambiguous flagged {result['ambiguous_flagged']}/{result['ambiguous_planted']}, "
            f"settled {result['ambiguous_settled']}; {result['seconds']:.1f} s "
            f"({result['settle_seconds']:.1f} s settling)"
        )
        print(
            "   ",
            json.dumps({k: v for k, v in result.items() if k not in ("seed",)}, ensure_ascii=False),
        )
        results.append(result)
    return results


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    main(count, tuple(int(s) for s in sys.argv[2:]) or (7,))
