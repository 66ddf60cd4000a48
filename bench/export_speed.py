"""Export speed: the settlement workbook of 20,000 receipts and a 100,000-row sheet
through the xlsx writer every export shares (``app/reports/xlsx.py``).

    python -m bench.export_speed
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from app.reconcile.settle import settle
from app.reports.settlements import write_settlement_workbook
from app.reports.xlsx import write_rows
from app.sources import load
from bench.datagen_settle import generate, write

ROWS = 100_000


def main(receipts: int = 20_000, rows: int = ROWS) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        paths = write(generate(receipts), folder)
        ledger = settle(load(str(paths["payments"])), load(str(paths["invoices"])))
        clock = time.perf_counter()
        write_settlement_workbook(folder / "settlements.xlsx", ledger)
        workbook = time.perf_counter() - clock
        table = [
            [f"R{k:06d}", "北京华信科技有限公司", f"={k}", 1234.5 + k, None, "settled"]
            for k in range(rows)
        ]
        clock = time.perf_counter()
        write_rows(
            folder / "rows.xlsx", "Rows", ["id", "customer", "note", "amount", "x", "s"], table
        )
        sheet = time.perf_counter() - clock
    print(
        f"export: settlement workbook of {receipts:,} receipts {workbook:.1f} s; "
        f"{rows:,} rows × 6 columns {sheet:.1f} s"
    )
    return {"settlement_workbook_seconds": round(workbook, 2), "rows_seconds": round(sheet, 2)}


if __name__ == "__main__":
    main()
