"""Write-back speed: 10,000 fixes into a 100,000-row xlsx and into a PostgreSQL table.

Both include every safety step (hash and lock checks, the optimistic old-value check,
backup and atomic replace for the file; one transaction for the database).
"""

from __future__ import annotations

import multiprocessing
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from openpyxl import Workbook, load_workbook

from app.decide.changes import Change, Target
from app.sources import read_tables
from app.writeback.preview import apply_file_changes
from app.writeback.sql import apply_sql_changes

ROWS, FIXES = 100_000, 10_000
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _amount(k: int) -> float:
    return round(100 + k * 1.25, 2)


def _workbook(folder: Path) -> tuple[Target, list[Change]]:
    """A 100,000-row ERP order sheet and 10,000 amount fixes spread over it."""
    path = folder / "erp.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("销售订单")
    sheet.append(["单据编号", "客户名称", "价税合计", "审核状态"])
    for k in range(ROWS):
        sheet.append([f"SO{k:07d}", f"客户{k % 997}", _amount(k), "已审核"])
    workbook.save(path)
    (table,) = read_tables(path)
    target = Target("xlsx", str(path), "销售订单", "单据编号", 1, table.file_hash)
    changes = [
        Change(
            target,
            f"SO{k:07d}",
            "价税合计",
            table.frame["价税合计"].iloc[k],
            str(_amount(k) + 1),
            "bench",
        )
        for k in range(0, ROWS, ROWS // FIXES)
    ]
    return target, changes


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _concord(target: Target, changes: list[Change]) -> tuple[float, float]:
    started = time.perf_counter()
    result = apply_file_changes(target, changes)
    seconds = time.perf_counter() - started
    assert len(result.cells) == FIXES
    return seconds, _peak_mb()


def _whole_workbook(target: Target, changes: list[Change]) -> tuple[float, float]:
    """The peer: the workbook loaded into openpyxl, the cells set and saved whole — how
    Concord wrote back before (it dropped what openpyxl does not model)."""
    started = time.perf_counter()
    workbook = load_workbook(target.location)
    sheet = workbook[target.sheet]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    for change in changes:
        sheet.cell(rows[change.key], 3).value = float(change.new)
    workbook.save(Path(target.location).with_suffix(".whole.xlsx"))
    return time.perf_counter() - started, _peak_mb()


def xlsx(folder: Path) -> dict[str, float]:
    """Both ways on the same workbook, each in a fresh process (so peak memory is its own)."""
    target, changes = _workbook(folder)
    context = multiprocessing.get_context("spawn")
    figures: dict[str, float] = {"fixes": FIXES, "rows": ROWS}
    for name, way in (("whole", _whole_workbook), ("seconds", _concord)):
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            seconds, peak = pool.submit(way, target, changes).result()
        figures[name], figures[f"{name}_peak_mb"] = seconds, peak
    figures["speedup"] = figures["whole"] / figures["seconds"]
    return figures


def postgres() -> dict[str, float] | None:
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(POSTGRES, connect_args={"connect_timeout": 3})
        with engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS bench_orders"))
            connection.execute(
                sa.text("CREATE TABLE bench_orders (id text PRIMARY KEY, amount numeric(14,2))")
            )
            connection.execute(
                sa.text(
                    "INSERT INTO bench_orders SELECT 'SO' || lpad(g::text, 7, '0'), "
                    "round((100 + g * 1.25)::numeric, 2) FROM generate_series(0, :n) g"
                ),
                {"n": ROWS - 1},
            )
    except sa.exc.OperationalError:
        print("PostgreSQL not reachable on 127.0.0.1:5432: skipped")
        return None
    target = Target("sql", POSTGRES, "bench_orders", "id")
    changes = [
        Change(
            target, f"SO{k:07d}", "amount", f"{_amount(k):.2f}", f"{_amount(k) + 1:.2f}", "bench"
        )
        for k in range(0, ROWS, ROWS // FIXES)
    ]
    started = time.perf_counter()
    result = apply_sql_changes(target, changes)
    seconds = time.perf_counter() - started
    assert result.updated == FIXES
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE bench_orders"))
    return {"seconds": seconds, "fixes": FIXES, "rows": ROWS}


def main() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        file_figures = xlsx(Path(folder))
    print(
        f"write-back {FIXES:,} fixes into a {ROWS:,}-row xlsx: {file_figures['seconds']:.1f} s, "
        f"peak {file_figures['seconds_peak_mb']:.0f} MB; the workbook saved whole by openpyxl: "
        f"{file_figures['whole']:.1f} s, peak {file_figures['whole_peak_mb']:.0f} MB "
        f"({file_figures['speedup']:.1f}x)"
    )
    database = postgres()
    if database:
        print(
            f"write-back {FIXES:,} fixes into a {ROWS:,}-row PostgreSQL table: {database['seconds']:.1f} s"
        )
    return {"xlsx": file_figures, "postgresql": database}


if __name__ == "__main__":
    main()
