"""Import speed: a 1,000,000-row CSV and a 200,000-row xlsx, read into tables.

Each measurement runs in a fresh subprocess so its peak memory (ru_maxrss) is its own.
Prints seconds, rows per second and peak memory; files are generated once into
bench/data and reused.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
HEADER = ["订单编号", "客户名称", "联系电话", "订单金额", "下单日期", "订单状态", "备注", "地址"]
STATUSES = ["已审核", "未审核", "已关闭", "审批中"]


def _row(rng: random.Random, k: int) -> list[object]:
    return [
        f"SO{k:08d}",
        f"北京{rng.choice('华信鼎盛恒通瑞丰金桥')}{k % 5000}科技有限公司",
        f"138{rng.randrange(10**8):08d}",
        f"{rng.random() * 100000:.2f}",
        f"2026-{1 + k % 12:02d}-{1 + k % 28:02d}",
        rng.choice(STATUSES),
        "加急, 请尽快发货" if k % 7 == 0 else "",
        f"北京市海淀区中关村大街{k % 300}号",
    ]


def make_csv(rows: int) -> Path:
    path = DATA / f"orders_{rows}.csv"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1)
    with open(path, "w", encoding="gb18030", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(_row(rng, k) for k in range(rows))
    return path


def make_xlsx(rows: int) -> Path:
    from openpyxl import Workbook

    path = DATA / f"orders_{rows}.xlsx"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("销售订单")
    sheet.append(["销售订单列表"])
    sheet.append(["导出时间：2026-11-24 18:00"])
    sheet.append(HEADER)
    for k in range(rows):
        row = _row(rng, k)
        row[3] = float(row[3])  # type: ignore[arg-type]
        sheet.append(row)
    workbook.save(path)
    return path


MEASURE = """
import json, resource, sys, time
from app.sources import read_tables
started = time.perf_counter()
(table,) = read_tables(sys.argv[1])
seconds = time.perf_counter() - started
print(json.dumps({"rows": len(table), "seconds": seconds,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(path: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], check=True, capture_output=True, text=True
    )
    return json.loads(output.stdout)


def main() -> dict[str, dict[str, float]]:
    results = {}
    for name, path in (
        ("csv 1,000,000 rows (GB18030)", make_csv(1_000_000)),
        ("xlsx 200,000 rows", make_xlsx(200_000)),
    ):
        figures = measure(path)
        figures["rows_per_second"] = figures["rows"] / figures["seconds"]
        results[name] = figures
        print(
            f"read {name}: {figures['seconds']:.2f} s, {figures['rows_per_second']:,.0f} rows/s, "
            f"peak {figures['peak_mb']:,.0f} MB"
        )
    return results


if __name__ == "__main__":
    main()
