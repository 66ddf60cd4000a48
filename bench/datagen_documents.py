"""Line-level ERP exports: the held-out worlds' sales orders (``bench/datagen_heldout.py``)
written as order lines, the way a Kingdee 序时簿 or a U8 order list holds them.

Each order becomes 1 to 5 lines (2.2 on average): its product, quantity and amounts are
split over several products so that the lines add up to the order to the cent, and each
line carries its own delivery date. Two styles of head:

- ``repeated`` — number, date, customer, status … on every line (Kingdee);
- ``blank`` — on the first line only, blank below, with a 小计 row after some orders (U8).

The CRM and OA exports and the truth stay as the held-out world wrote them: per order.
So document F1 and conflicts F1 are scored against order-level truth, and a line table
read as documents must score as the order table did.
"""

from __future__ import annotations

import csv
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook

from bench.datagen_heldout import _TITLES, FILES, generate, write

STYLES = ("repeated", "blank")

# Per world: the ERP columns that belong to a line, the amounts split over the lines,
# the quantity, the unit prices recomputed per line, and the line's delivery date.
_LINES = {
    "kingdee": {
        "product": ("物料编码", "物料名称"),
        "amounts": ("金额", "税额", "价税合计"),
        "quantity": "销售数量",
        "prices": {"含税单价": "价税合计"},
        "other": ("税率(%)",),
        "delivery": "交货日期",
    },
    "u8": {
        "product": ("存货编码", "存货名称"),
        "amounts": ("无税金额", "税额", "价税合计"),
        "quantity": "数量",
        "prices": {"无税单价": "无税金额", "含税单价": "价税合计"},
        "other": (),
        "delivery": "预发货日期",
    },
}
_GOODS = [
    ("螺纹钢", "HRB400"),
    ("冷轧板", "SPCC"),
    ("铝型材", "6063"),
    ("铜排", "T2"),
    ("不锈钢管", "304"),
    ("轴承", "6205"),
    ("减速机", "R37"),
    ("电机", "Y2-90"),
    ("配电柜", "GGD"),
    ("电缆", "YJV"),
]
LINE_COUNTS = (1, 1, 1, 2, 2, 3, 3, 4, 5)  # 2.4 on average before small orders cap them


def _cents_split(rng: random.Random, cents: int, parts: int) -> list[int]:
    """``cents`` in ``parts`` positive pieces that add up to it exactly."""
    if parts <= 1 or cents < parts:
        return [cents]
    cuts = sorted(rng.sample(range(1, cents), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, cents], strict=True)]


def _number(value: object) -> float:
    return float(str(value).replace(",", "")) if value not in (None, "") else 0.0


def _lines(rng: random.Random, world: str, row: dict[str, object]) -> list[dict[str, object]]:
    """One order row as its lines."""
    spec = _LINES[world]
    quantity = int(_number(row[spec["quantity"]])) or 1
    totals = {name: round(_number(row[name]) * 100) for name in spec["amounts"]}
    gross_name = spec["amounts"][-1]
    count = max(1, min(rng.choice(LINE_COUNTS), quantity, totals[gross_name]))
    quantities = _cents_split(rng, quantity, count)
    gross = _cents_split(rng, totals[gross_name], count)
    net_name, tax_name = spec["amounts"][0], spec["amounts"][1]
    nets = [round(g / 1.13) for g in gross[:-1]]
    nets.append(totals[net_name] - sum(nets))
    taxes = [g - n for g, n in zip(gross, nets, strict=True)]
    goods = rng.sample(range(len(_GOODS)), count)
    lines = []
    for k in range(count):
        line = dict(row)
        name, model = _GOODS[goods[k]]
        code = f"{str(row[spec['product'][0]])[:4] or 'WL'}.{goods[k]:02d}.{1000 + goods[k] * 7}"
        line[spec["product"][0]] = code
        line[spec["product"][1]] = f"{name} {model}"
        line[spec["quantity"]] = quantities[k]
        split = {gross_name: gross[k], net_name: nets[k], tax_name: taxes[k]}
        for column, cents in split.items():
            line[column] = round(cents / 100, 2)
        for price, amount in spec["prices"].items():
            line[price] = round(split[amount] / 100 / quantities[k], 4)
        day = row[spec["delivery"]]
        if isinstance(day, datetime | date):
            line[spec["delivery"]] = day + timedelta(days=rng.randrange(0, 6))
        lines.append(line)
    return lines


def _head_columns(world: str, header: list[str]) -> list[str]:
    spec = _LINES[world]
    per_line = {
        *spec["product"],
        *spec["amounts"],
        spec["quantity"],
        *spec["prices"],
        *spec["other"],
        spec["delivery"],
    }
    return [c for c in header if c not in per_line]


def as_lines(world: str, path: Path, style: str, seed: int, out: Path | None = None) -> int:
    """Rewrite the world's ERP export at ``path`` as order lines in ``style`` (to ``out``,
    default in place; a ``.csv`` ``out`` is written as GB18030 text). Returns the lines."""
    rng = random.Random(f"lines:{world}:{style}:{seed}")
    titles = _TITLES.get((world, "erp"), [])
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(c) for c in rows[len(titles)]]
    heads = _head_columns(world, header)
    spec = _LINES[world]
    written: list[list[object]] = []
    for values in rows[len(titles) + 1 :]:
        row = dict(zip(header, values, strict=True))
        lines = _lines(rng, world, row)
        for k, line in enumerate(lines):
            if style == "blank" and k:
                for column in heads:
                    line[column] = ""
            written.append([line[c] for c in header])
        if style == "blank" and len(lines) > 1 and rng.random() < 0.3:
            subtotal: dict[str, object] = dict.fromkeys(header, "")
            subtotal[header[0]] = "小计"
            for column in (*spec["amounts"], spec["quantity"]):
                subtotal[column] = round(sum(_number(line[column]) for line in lines), 2)
            written.append([subtotal[c] for c in header])
    target = out or path
    if target.suffix == ".csv":
        with open(target, "w", encoding="gb18030", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows([_text(v) for v in row] for row in written)
    else:
        book = Workbook()
        lines_sheet = book.active
        lines_sheet.title = sheet.title
        for title in titles:
            lines_sheet.append(title)
        lines_sheet.append(header)
        for row in written:
            lines_sheet.append(row)
        book.save(target)
    return sum(1 for row in written if row[0] != "小计")


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d}"
    return "" if value is None else str(value)


def world(world: str, style: str, folder: Path, count: int = 1000, seed: int = 5) -> int:
    """The held-out world in ``folder`` with its ERP export as lines; returns the lines."""
    write(world, generate(world, count, seed), folder, seed)
    return as_lines(world, folder / FILES[world]["erp"], style, seed)
