"""Speed and memory at scale, end to end from the files.

- 100,000 orders in each of ERP (xlsx), CRM (GB18030 CSV) and OA (xlsx), three tables.
- Two tables (ERP and CRM orders as CSV) at 10k, 100k and 1M records, so the growth shows.
- A customer dedupe of ERP + CRM masters (GB18030 CSV) in clusters of up to five records
  (``bench/datagen_clusters.py``) at 100k, 1M and 2M records, with F1 and the scaling
  exponent (the slope of log time against log records).
- The same dedupe on an independent world (``bench/datagen_masters.py``: mostly one ERP
  code and one CRM account per company, trade names shared across cities), at 100k and
  about 2M records (1.1M ERP codes and 0.95M CRM accounts).

Each run is a separate ``concord reconcile`` process; its wall time and peak resident
memory are measured from outside. Data is generated once into bench/data.
"""

from __future__ import annotations

import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

from bench import datagen_clusters, datagen_masters
from bench.datagen import generate, write_samples
from bench.metrics import cluster_scores
from bench.quality import sources

DATA = Path(__file__).resolve().parent / "data"


def run(args: list[str], truth: Path | None = None) -> dict[str, float]:
    """Wall seconds and peak memory (MB; the process and its engine workers together) of
    one concord process, plus its summary and, given the truth, the pairwise precision,
    recall and F1 of its links."""
    with tempfile.TemporaryDirectory() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        command = [sys.executable, "-m", "app", *args[:1], "--quiet", "--out", out, *args[1:]]
        process = subprocess.Popen(command)
        tree = 0.0
        while process.poll() is None:
            tree = max(tree, _tree_rss(process.pid))
            time.sleep(0.2)
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, command)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        summary = json.loads((Path(out) / "summary.json").read_text(encoding="utf-8"))
        quality = {}
        if truth is not None:
            found = pd.read_csv(Path(out) / "links.csv", dtype=str, keep_default_na=False)
            expected = pd.read_csv(truth, dtype=str, keep_default_na=False)
            quality = cluster_scores(found, expected)
    if not tree and peak <= before:
        print("  (peak memory below an earlier run's; figure is an upper bound)")
    return {
        "seconds": seconds,
        "peak_mb": tree or peak / 1024,  # sampled every 0.2 s; rusage knows no workers
        "candidates": summary["totals"]["candidates"],
        "entities": summary["totals"]["entities"],
        **quality,
    }


def _tree_rss(pid: int) -> float:
    """Resident MB of a process and all its descendants, now."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


def three_tables(orders: int = 100_000) -> dict[str, float]:
    folder = DATA / f"datagen_{orders}"
    if not (folder / "truth" / "orders.csv").exists():
        write_samples(
            generate(n_customers=orders // 20, n_orders=orders, seed=5), folder, fast=True
        )
    figures = run(
        ["reconcile", *sources(folder, ("erp", "crm", "oa"))], folder / "truth" / "orders.csv"
    )
    print(
        f"3 tables × {orders:,} orders (xlsx, csv, xlsx): {figures['seconds']:.1f} s, "
        f"peak {figures['peak_mb']:,.0f} MB, {figures['candidates']:,} candidate pairs, "
        f"F1 {figures['f1']:.4f}"
    )
    return figures


def _order_csvs(size: int, folder: Path) -> tuple[Path, Path]:
    """ERP and CRM orders of a world as plain CSV (the large two-table runs)."""
    erp, crm = folder / "erp_orders.csv", folder / "crm_orders.csv"
    if not crm.exists():
        folder.mkdir(parents=True, exist_ok=True)
        world = generate(n_customers=max(250, size // 20), n_orders=size, seed=9)
        orders = world.erp_orders.map(lambda v: v.date().isoformat() if hasattr(v, "date") else v)
        orders.to_csv(erp, index=False, encoding="gb18030")
        world.crm_orders.to_csv(crm, index=False, encoding="gb18030")
    return erp, crm


def two_tables(
    sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000),
) -> dict[int, dict[str, float]]:
    curve = {}
    for size in sizes:
        erp, crm = _order_csvs(size, DATA / f"datagen_csv_{size}")
        curve[size] = run(["reconcile", f"erp={erp}", f"crm={crm}"])
        figures = curve[size]
        print(
            f"2 tables × {size:,} (csv): {figures['seconds']:.1f} s, peak {figures['peak_mb']:,.0f} MB, "
            f"{figures['candidates']:,} candidate pairs"
        )
    return curve


def _dedupe(folder: Path, erp: Path, crm: Path, what: str) -> dict[str, float]:
    """One dedupe of an ERP and a CRM customer file against the folder's truth, printed."""
    figures = run(["dedupe", f"erp={erp}", f"crm={crm}"], folder / "truth" / "customers.csv")
    print(
        f"dedupe {what}: {figures['seconds']:.1f} s, peak {figures['peak_mb']:,.0f} MB, "
        f"F1 {figures['f1']:.4f} (P {figures['precision']:.4f} / R {figures['recall']:.4f}), "
        f"{figures['candidates']:,} candidate pairs"
    )
    return figures


def dedupe(
    sizes: tuple[int, ...] = (100_000, 1_000_000, 2_000_000), seed: int = 7
) -> dict[str, object]:
    """The clustered customer-master dedupe at each size, and its scaling exponent."""
    curve: dict[int, dict[str, float]] = {}
    for size in sizes:
        folder = DATA / f"clusters_{size}_{seed}"
        if not (folder / "truth" / "customers.csv").exists():
            datagen_clusters.write(datagen_clusters.generate(size, seed), folder)
        erp, crm = folder / "erp_customers.csv", folder / "crm_customers.csv"
        curve[size] = _dedupe(folder, erp, crm, f"{size:,} customer rows (clusters of 1-5)")
    exponent = _exponent({size: f["seconds"] for size, f in curve.items()})
    if not math.isnan(exponent):
        print(f"dedupe scaling exponent (time ∝ records^k): k = {exponent:.2f}")
    return {"curve": curve, "exponent": exponent}


def masters(
    sizes: tuple[int, ...] = (100_000, 2_000_000), seed: int = 3
) -> dict[int, dict[str, float]]:
    """The customer dedupe on the independent master-data world, at each size."""
    curve: dict[int, dict[str, float]] = {}
    for size in sizes:
        folder = DATA / f"masters_{size}_{seed}"
        if not (folder / "truth" / "customers.csv").exists():
            datagen_masters.write(datagen_masters.generate(size, seed), folder)
        erp, crm = folder / "erp_masters.csv", folder / "crm_accounts.csv"
        curve[size] = _dedupe(folder, erp, crm, f"{size:,} master records (independent world)")
    return curve


def _exponent(seconds: dict[int, float]) -> float:
    """The least-squares slope of log seconds against log records."""
    if len(seconds) < 2:
        return math.nan
    x, y = np.log(list(seconds)), np.log(list(seconds.values()))
    return float(np.polyfit(x, y, 1)[0])


def main() -> dict[str, object]:
    return {
        "three_tables_100k": three_tables(),
        "two_tables": two_tables(),
        "dedupe_clusters": dedupe(),
        "dedupe_masters": masters(),
    }


if __name__ == "__main__":
    main()
