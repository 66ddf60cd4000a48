"""Documents with lines: the held-out worlds with their ERP export as order lines
(``bench/datagen_documents.py``), scored against the same order-level truth.

    python -m bench.lines_quality               # quality: 2 worlds × 2 head styles
    python -m bench.lines_quality --speed 100000  # seconds: 100k orders, ~300k ERP lines

Prints per world and style: documents read from the ERP lines (against orders planted),
orders F1 and conflicts F1 (overall and per kind), as ``bench.heldout_quality`` does.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from app.sources import load
from bench.datagen import generate, write_samples
from bench.datagen_documents import STYLES, world
from bench.datagen_heldout import FILES, WORLDS
from bench.heldout_quality import evaluate
from bench.quality import sources
from bench.scale import DATA, run


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


def order_lines(orders: pd.DataFrame, seed: int) -> pd.DataFrame:
    """An order table (one row per order, ``bench.datagen``'s ERP) as 1 to 5 lines per
    order, 3 on average: 价税合计 split to the cent, the quantity as far as it goes, a
    product per line, the head repeated on every line (Kingdee)."""
    rng = np.random.default_rng(seed)
    quantity = orders["数量"].astype(int).to_numpy()
    cents = np.round(orders["价税合计"].astype(float).to_numpy() * 100).astype(np.int64)
    count = np.minimum(rng.integers(1, 6, len(orders)), np.maximum(1, cents))
    lines = orders.loc[orders.index.repeat(count)].reset_index(drop=True)
    order = np.repeat(np.arange(len(orders)), count)
    position = np.arange(len(order)) - np.repeat(np.cumsum(count) - count, count)
    last = position == count[order] - 1
    share_q = np.maximum(1, quantity[order] // count[order])
    share_c = cents[order] // count[order]
    rest = np.maximum(1, quantity[order] - share_q * (count[order] - 1))
    lines["数量"] = np.where(last, rest, share_q)  # an order of 1 piece: 1 on each line
    line_cents = np.where(last, cents[order] - share_c * (count[order] - 1), share_c)
    lines["价税合计"] = [f"{c / 100:.2f}" for c in line_cents.tolist()]
    lines["物料编码"] = lines["物料编码"].str.cat(position.astype(str), sep=".")
    lines["含税单价"] = [
        f"{c / 100 / q:.4f}" for c, q in zip(line_cents, lines["数量"], strict=True)
    ]
    return lines


def speed(count: int = 100_000, seed: int = 5) -> dict[str, float]:
    """``concord reconcile`` on the own-data world of ``count`` orders, the ERP as
    about three lines per order (GB18030 CSV), CRM and OA per order, as one process."""
    folder = DATA / f"datagen_{count}"
    if not (folder / "truth" / "orders.csv").exists():
        write_samples(
            generate(n_customers=count // 20, n_orders=count, seed=seed), folder, fast=True
        )
    erp = folder / "erp_lines.csv"
    if not erp.exists():
        orders = load(sources(folder, ("erp",))[0].split("=", 1)[1]).frame
        order_lines(orders, seed).to_csv(erp, index=False, encoding="gb18030")
    with open(erp, encoding="gb18030") as stream:
        lines = sum(1 for _ in stream) - 1
    figures = run(
        ["reconcile", f"erp={erp}", *sources(folder, ("crm", "oa"))],
        folder / "truth" / "orders.csv",
    )
    print(
        f"lines speed: {count:,} orders, ERP as {lines:,} lines + CRM + OA: "
        f"{figures['seconds']:.1f} s, peak {figures['peak_mb']:,.0f} MB, F1 {figures['f1']:.4f}"
    )
    return {"orders": count, "lines": lines, **figures}


def main() -> dict[str, object]:
    return {"quality": quality()}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--speed"]:
        speed(int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
    else:
        quality()
