"""Stock accuracy: an ERP's 即时库存, a WMS export and a count sheet of the same products,
product codes in three spellings, warehouses in two, quantity differences planted.

    python -m bench.inventory_quality [PRODUCTS]

Scored as (table, record) rows of stock conflicts against the planted ones, and the
inventory accuracy measured against the true one.
"""

from __future__ import annotations

import csv
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from bench.metrics import scores

WAREHOUSES = (("1号仓库", "1号仓"), ("2号仓库", "２号仓"), ("成品仓库", "成品仓"))
NAMES = ("螺丝", "螺母", "垫片", "轴承", "电机", "电缆", "铜排", "阀门", "法兰", "滤芯")
PLANTED = {"wms_differs": 0.08, "count_differs": 0.05, "wms_missing": 0.02}


def _spellings(rng: random.Random, family: str, number: int) -> tuple[str, str, str]:
    """The ERP's code, the WMS's and the count sheet's: AB-1002, ab1002, AB 1002."""
    erp = f"{family}-{number:04d}"
    wms = f"{family.lower()}{number:04d}" if rng.random() < 0.7 else f"{family}_{number:04d}"
    count = f"{family} {number:04d}" if rng.random() < 0.7 else f"{family.lower()}-{number:04d}"
    return erp, wms, count


def generate(products: int, seed: int, folder: Path) -> dict[str, object]:
    """Write the three files in ``folder``; the truth: conflict rows and true accuracy."""
    rng = random.Random(seed)
    families = [f"{a}{b}" for a in "ABCDEFGH" for b in "KLMNPQRST"]
    erp_rows: list[list[object]] = []
    wms_rows: list[list[object]] = []
    count_rows: list[list[object]] = []
    planted: set[tuple[str, str]] = set()
    agreeing = 0
    header_rows = {"erp": 3, "wms": 1, "count": 2}  # data starts below these rows
    lines = []  # (product, warehouse): a third of the products are kept in two
    for k in range(products):
        for place in rng.sample(WAREHOUSES, 2 if rng.random() < 0.3 else 1):
            lines.append((k, place))
            if len(lines) == products:
                break
        if len(lines) == products:
            break
    for k, place in lines:
        family, number = families[k % len(families)], 1000 + k // len(families)
        erp_code, wms_code, count_code = _spellings(random.Random(f"{seed}:{k}"), family, number)
        name = f"{NAMES[k % len(NAMES)]} M{3 + k % 27}"
        quantity = rng.randrange(0, 5000)
        batches = _split(rng, quantity, rng.choice((1, 1, 1, 2, 3)))
        rows = {"erp": f"row:{header_rows['erp'] + len(erp_rows) + 1}"}
        for b, part in enumerate(batches):  # the batches of a product line stand together
            erp_rows.append([erp_code, name, place[0], f"PH{k:05d}{b}", part])
        plan = rng.random()
        wms_quantity, count_quantity, in_wms = quantity, quantity, True
        if plan < PLANTED["wms_differs"]:
            wms_quantity = max(0, quantity + rng.choice((-1, 1)) * rng.randrange(1, 40))
        elif plan < PLANTED["wms_differs"] + PLANTED["count_differs"]:
            count_quantity = max(0, quantity + rng.choice((-1, 1)) * rng.randrange(1, 40))
        elif plan < sum(PLANTED.values()):
            in_wms = False
        if in_wms:
            rows["wms"] = f"row:{header_rows['wms'] + len(wms_rows) + 1}"
            wms_rows.append([wms_code, place[1], wms_quantity])
        rows["count"] = f"row:{header_rows['count'] + len(count_rows) + 1}"
        count_rows.append([count_code, place[0], quantity, count_quantity])
        differs = wms_quantity != quantity or count_quantity != quantity
        if differs and (in_wms or count_quantity != quantity):
            planted.update((table, record) for table, record in rows.items())
        agreeing += in_wms and not differs
    _workbook(
        folder / "即时库存.xlsx",
        [["即时库存查询"], ["仓库：全部"]],
        ["物料编码", "物料名称", "仓库", "批号", "库存数量"],
        [*erp_rows, ["合计", "", "", "", sum(int(r[4]) for r in erp_rows)]],  # type: ignore[call-overload]
    )
    with open(folder / "wms_onhand.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["SKU", "Warehouse", "On Hand"])
        writer.writerows(wms_rows)
    _workbook(
        folder / "盘点表.xlsx",
        [["2026年11月盘点表"]],
        ["物料代码", "仓库名称", "账面数量", "实盘数量"],
        count_rows,
    )
    return {"planted": planted, "accuracy": agreeing / products}


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    if parts == 1 or total < parts:
        return [total]
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _workbook(
    path: Path, titles: list[list[str]], header: list[str], rows: list[list[object]]
) -> None:
    book = Workbook()
    sheet = book.active
    for row in (*titles, header, *rows):
        sheet.append(list(row))
    book.save(path)


def main(products: int = 20_000, seed: int = 3) -> dict[str, float]:
    from app.cli import main as concord

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        truth = generate(products, seed, folder)
        sources = [
            f"erp={folder / '即时库存.xlsx'}",
            f"wms={folder / 'wms_onhand.csv'}",
            f"count={folder / '盘点表.xlsx'}",
        ]
        clock = time.perf_counter()
        assert concord(["reconcile", "--quiet", "--out", str(folder / "out"), *sources]) == 0
        seconds = time.perf_counter() - clock
        with open(folder / "out" / "conflicts.csv", encoding="utf-8") as stream:
            found = {(r["table"], r["record_id"]) for r in csv.DictReader(stream)}
        summary = json.loads((folder / "out" / "summary.json").read_text(encoding="utf-8"))
    result = scores(found, truth["planted"])  # type: ignore[arg-type]
    result.update(
        accuracy=summary["inventory"]["accuracy"],
        true_accuracy=round(float(truth["accuracy"]), 4),  # type: ignore[arg-type]
        seconds=round(seconds, 1),
    )
    print(
        f"stock: {products:,} product lines × 3 tables: conflicts F1 {result['f1']:.3f} "
        f"(P {result['precision']:.3f} R {result['recall']:.3f}); inventory accuracy "
        f"{result['accuracy']:.2%} (true {result['true_accuracy']:.2%}); {seconds:.1f} s"
    )
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
