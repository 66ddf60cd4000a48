"""Speed and memory at scale, end to end from the files.

- 100,000 orders in each of ERP (xlsx), CRM (GB18030 CSV) and OA (xlsx), three tables.
- Two tables (ERP and CRM orders as CSV) at 10k, 100k and 1M records, so the growth shows.

Each run is a separate ``concord reconcile`` process; its wall time and peak resident
memory are measured from outside. Data is generated once into bench/data.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.world import generate
from bench.world_files import sources, write_order_csvs, write_world

DATA = Path(__file__).resolve().parent / "data"


def run(args: list[str]) -> dict[str, float]:
    """Wall seconds and peak RSS (MB) of one concord process, plus its summary."""
    with tempfile.TemporaryDirectory() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "app", *args[:1], "--quiet", "--out", out, *args[1:]], check=True
        )
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        summary = json.loads((Path(out) / "summary.json").read_text(encoding="utf-8"))
    if peak <= before:
        print("  (peak memory below an earlier run's; figure is an upper bound)")
    return {
        "seconds": seconds,
        "peak_mb": peak / 1024,
        "candidates": summary["totals"]["candidates"],
        "entities": summary["totals"]["entities"],
    }


def three_tables(orders: int = 100_000) -> dict[str, float]:
    folder = DATA / f"world_{orders}"
    if not (folder / "truth" / "orders.csv").exists():
        write_world(generate(n_customers=orders // 20, n_orders=orders, seed=5), folder)
    paths = {
        name: folder / file
        for name, file in {
            "erp": "ERP销售数据.xlsx",
            "crm_accounts": "CRM客户.csv",
            "crm_orders": "CRM订单.csv",
            "oa": "OA审批.xlsx",
        }.items()
    }
    figures = run(["reconcile", *sources(paths)["orders"]])
    print(
        f"3 tables × {orders:,} orders (xlsx, csv, xlsx): {figures['seconds']:.1f} s, "
        f"peak {figures['peak_mb']:,.0f} MB, {figures['candidates']:,} candidate pairs"
    )
    return figures


def two_tables(
    sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000),
) -> dict[int, dict[str, float]]:
    curve = {}
    for size in sizes:
        folder = DATA / f"orders_csv_{size}"
        erp, crm = folder / "erp_orders.csv", folder / "crm_orders.csv"
        if not crm.exists():
            write_order_csvs(
                generate(n_customers=max(250, size // 20), n_orders=size, seed=9), folder
            )
        curve[size] = run(["reconcile", f"erp={erp}", f"crm={crm}"])
        figures = curve[size]
        print(
            f"2 tables × {size:,} (csv): {figures['seconds']:.1f} s, peak {figures['peak_mb']:,.0f} MB, "
            f"{figures['candidates']:,} candidate pairs"
        )
    return curve


def main() -> dict[str, object]:
    return {"three_tables_100k": three_tables(), "two_tables": two_tables()}


if __name__ == "__main__":
    main()
