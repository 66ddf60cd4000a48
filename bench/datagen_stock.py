"""Stock lists as the real exports write them, for ``bench.stock_quality``.

One set of product lines (a product in a warehouse) seen by three systems:

- the ERP's 即时库存 (Kingdee-like xlsx): a title and a filter line above the header,
  one row per batch and bin, ``库存量(主单位)`` beside ``可用量(主单位)``, a 合计 row;
  codes zero-padded (``AB-01002``), warehouses 一号仓, 二号仓, 成品仓库, 原料仓;
- a WMS export (CSV, English headers): the client of each line, one row per bin,
  ``Qty On Hand``, ``Qty Allocated``, ``Qty Available``; codes unpadded and folded
  (``ab1002``, ``AB_1002``), warehouses 1号仓库, 2号仓库, 成品仓, 原料仓库; some
  quantities written with thousands separators;
- a count sheet (盘点表, xlsx): a title, 序号, 账面数量 and 实盘数量; codes spaced or
  in full width (``AB 1002``, ``ＡＢ－01002``), warehouses 1#仓, 2#库, 成品库, 原料库.

Planted: the WMS differs on some lines, the count on others, the WMS lacks some lines and
holds a few the ERP does not. Truth: the (table, record id) rows of every product line
whose quantities differ, and the true inventory accuracy overall and per warehouse (the
share of the ERP's lines that every system holds in the same quantity).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

# Each warehouse as the ERP, the WMS and the count sheet name it.
WAREHOUSES = (
    ("一号仓", "1号仓库", "1#仓"),
    ("二号仓", "2号仓库", "2#库"),
    ("成品仓库", "成品仓", "成品库"),
    ("原料仓", "原料仓库", "原料库"),
)
NAMES = ("螺丝", "螺母", "垫片", "轴承", "电机", "电缆", "铜排", "阀门", "法兰", "滤芯")
CLIENTS = ("总部", "华东分公司")
PLANTED = {"wms_differs": 0.06, "count_differs": 0.05, "wms_missing": 0.02}
WMS_ONLY = 0.01  # lines the WMS holds and the ERP does not
ERP_COLUMNS = (
    "物料编码", "物料名称", "规格型号", "仓库", "仓位", "批号", "单位", "库存量(主单位)",
    "可用量(主单位)",
)  # fmt: skip
WMS_COLUMNS = (
    "Client", "SKU", "Description", "Warehouse", "Bin", "Qty On Hand", "Qty Allocated",
    "Qty Available",
)  # fmt: skip
COUNT_COLUMNS = ("序号", "物料编码", "物料名称", "仓库", "账面数量", "实盘数量")
FILES = {"erp": "即时库存.xlsx", "wms": "wms_onhand.csv", "count": "盘点表.xlsx"}
_WIDE = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


@dataclass
class World:
    """The rows of each file and the truth."""

    erp: list[list[object]] = field(default_factory=list)
    wms: list[list[object]] = field(default_factory=list)
    count: list[list[object]] = field(default_factory=list)
    differing: set[tuple[str, str]] = field(default_factory=set)  # (table, record id)
    lines: int = 0  # the ERP's product lines
    agreeing: int = 0
    by_warehouse: dict[str, list[int]] = field(default_factory=dict)  # ERP name → [lines, agree]

    @property
    def accuracy(self) -> float:
        return self.agreeing / self.lines

    def warehouse_accuracy(self) -> dict[str, float]:
        return {name: agree / total for name, (total, agree) in self.by_warehouse.items()}


def _spellings(rng: random.Random, family: str, number: int) -> tuple[str, str, str]:
    """The ERP's code, the WMS's and the count sheet's: AB-01002, ab1002, AB 1002."""
    erp = f"{family}-{number:05d}"
    wms = f"{family.lower()}{number}" if rng.random() < 0.7 else f"{family}_{number}"
    if rng.random() < 0.7:
        count = f"{family} {number}"
    else:
        count = f"{family}-{number:05d}".translate(_WIDE)
    return erp, wms, count


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    if parts == 1 or total < parts:
        return [total]
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _off(rng: random.Random, quantity: int) -> int:
    return max(0, quantity + rng.choice((-1, 1)) * rng.randrange(1, 40))


def _wms_number(rng: random.Random, quantity: int) -> str:
    return f"{quantity:,}" if rng.random() < 0.3 else str(quantity)


def generate(lines: int, seed: int = 7) -> World:
    """``lines`` product lines of the ERP (a third of the products in two warehouses)."""
    rng = random.Random(seed)
    families = [f"{a}{b}" for a in "ABCDEFGH" for b in "KLMNPQRST"]
    plan: list[tuple[int, int]] = []  # (product, warehouse)
    product = 0
    while len(plan) < lines:
        for place in rng.sample(range(len(WAREHOUSES)), 2 if rng.random() < 0.3 else 1):
            plan.append((product, place))
        product += 1
    plan = plan[:lines]
    extra = [(product + k, rng.randrange(len(WAREHOUSES))) for k in range(int(lines * WMS_ONLY))]
    world = World()
    header = {"erp": 3, "wms": 1, "count": 2}  # data starts below these rows
    wms_lines: list[tuple[str, int, list[list[object]]]] = []  # (place, line number, its rows)
    differing: list[tuple[int, bool, str, str]] = []  # (line, in the WMS, ERP id, count id)
    for line, (k, place) in enumerate([*plan, *extra]):
        in_erp = k < product
        family, number = families[k % len(families)], 1000 + k // len(families)
        erp_code, wms_code, count_code = _spellings(random.Random(f"{seed}:{k}"), family, number)
        name, spec = NAMES[k % len(NAMES)], f"M{3 + k % 27}"
        erp_place, wms_place, count_place = WAREHOUSES[place]
        quantity = rng.randrange(0, 5000)
        erp_id = f"row:{header['erp'] + len(world.erp) + 1}"
        if in_erp:
            for b, part in enumerate(_split(rng, quantity, rng.choice((1, 1, 1, 2, 3)))):
                available = max(0, part - rng.randrange(0, 50))
                bin_ = f"{chr(65 + place)}-{b + 1:02d}"
                world.erp.append(
                    [erp_code, name, spec, erp_place, bin_, f"PH{k:05d}{b}", "个", part, available]
                )
        roll = rng.random() if in_erp else 1.0
        wms_quantity, count_quantity = quantity, quantity
        in_wms = True
        if roll < PLANTED["wms_differs"]:
            wms_quantity = _off(rng, quantity)
        elif roll < PLANTED["wms_differs"] + PLANTED["count_differs"]:
            count_quantity = _off(rng, quantity)
        elif roll < sum(PLANTED.values()):
            in_wms = False
        if in_wms:
            client = CLIENTS[k % len(CLIENTS)]
            rows: list[list[object]] = []
            for b, part in enumerate(_split(rng, wms_quantity, rng.choice((1, 1, 2)))):
                allocated = rng.randrange(0, part + 1) if part else 0
                rows.append(
                    [client, wms_code, f"{name} {spec}", wms_place, f"{place + 1}-{b + 1:02d}",
                     _wms_number(rng, part), allocated, part - allocated]
                )  # fmt: skip
            wms_lines.append((wms_place, line, rows))
        if not in_erp:
            continue
        count_id = str(len(world.count) + 1)  # its 序号, the sheet's key
        world.count.append([int(count_id), count_code, name, count_place, quantity, count_quantity])
        world.lines += 1
        differs = wms_quantity != quantity or count_quantity != quantity
        agrees = in_wms and not differs
        world.agreeing += agrees
        counts = world.by_warehouse.setdefault(erp_place, [0, 0])
        counts[0] += 1
        counts[1] += agrees
        if differs:
            differing.append((line, in_wms, erp_id, count_id))
    # The WMS lists its lines by warehouse and line, not in the ERP's order.
    wms_ids = {}
    for _place, line, rows in sorted(wms_lines, key=lambda item: item[:2]):
        wms_ids[line] = f"row:{header['wms'] + len(world.wms) + 1}"
        world.wms.extend(rows)
    for line, in_wms, erp_id, count_id in differing:
        world.differing.update({("erp", erp_id), ("count", count_id)})
        if in_wms:
            world.differing.add(("wms", wms_ids[line]))
    return world


def _workbook(
    path: Path, titles: list[list[str]], header: tuple[str, ...], rows: list[list[object]]
) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    for row in (*titles, list(header), *rows):
        sheet.append(list(row))
    book.save(path)


def write(world: World, folder: Path) -> dict[str, Path]:
    """The three files in ``folder``; their paths by table label."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {label: folder / name for label, name in FILES.items()}
    total = sum(int(r[7]) for r in world.erp)  # type: ignore[call-overload]
    _workbook(
        paths["erp"],
        [["即时库存查询"], ["库存组织：总部    仓库：全部"]],
        ERP_COLUMNS,
        [*world.erp, ["合计", "", "", "", "", "", "", total, ""]],
    )
    with open(paths["wms"], "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(WMS_COLUMNS)
        writer.writerows(world.wms)
    _workbook(paths["count"], [["2026年11月盘点表"]], COUNT_COLUMNS, world.count)
    return paths
