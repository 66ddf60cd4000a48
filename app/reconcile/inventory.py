"""Stock: quantities per product (and warehouse) in two or more systems.

An ERP's 即时库存 or 现存量 against a WMS export or a count sheet (盘点表). Each table
holds a product code, a quantity and often a warehouse. The product line is the record:
rows of one code in one warehouse (batches, bins) are summed first, then product lines
are joined on the normalised code (``AB-1002``, ``ab 1002`` and ``AB1002`` are one
product) and warehouse (``1号仓库``, ``１号仓``). Their quantities are compared within
the tolerance; inventory accuracy is the share of the first table's product lines that
every other table holds in the same quantity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.mapping.headers import match_header
from app.normalise.bulk import map_unique
from app.normalise.product import normalise_product_code
from app.normalise.text import fold
from app.reconcile.conflicts import Conflict
from app.reconcile.groups import Group
from app.reconcile.lines import collapse
from app.sources.table import Table

STOCK_FIELD = "stock"  # the field of the compared quantities
# A table of records about documents is no stock list; one naming customers or suppliers
# is one only when it also names warehouses (a WMS export's Client, the goods' owner).
_DOCUMENTS = frozenset({"order_no", "invoice_no", "approval_no"})
_PARTIES = frozenset({"customer", "supplier"})
# Of several quantity columns: the counted one of a count sheet (账面数量 and 实盘数量),
# else the first on hand (库存量, not 可用量, allocated or a count's 差异数量).
_COUNTED = re.compile(r"实盘|盘点|实存|counted|count qty|physical", re.IGNORECASE)
_NOT_ON_HAND = re.compile(
    r"可用|可销|占用|预留|锁定|冻结|在途|在检|分配|差异|盈亏|盘盈|盘亏|"
    r"available|allocated|reserved|transit|on order|difference|variance",
    re.IGNORECASE,
)
# Of several warehouse columns: not a bin, and a name before a code (仓库名称, 仓库编码).
_BIN = re.compile(r"仓位|库位|货位|储位|\bbin\b|location|slot", re.IGNORECASE)
_CODE = re.compile(r"编码|代码|编号|code|\bid\b|\bno\b", re.IGNORECASE)
_WAREHOUSE_SUFFIX = re.compile(r"(仓库|仓|库)$")
_WAREHOUSE_MARKS = re.compile(r"^第|[号#№]")
_CHINESE_NUMBER = re.compile(r"[零〇一二两三四五六七八九十]+")
_DIGITS = {
    c: d
    for d, cs in enumerate(("零〇", "一", "二两", "三", "四", "五", "六", "七", "八", "九"))
    for c in cs
}
_PADDING = re.compile(r"(?<!\d)0+(?=\d)")


@dataclass(frozen=True)
class StockColumns:
    code: str
    quantity: str
    warehouse: str | None


def stock_columns(table: Table) -> StockColumns | None:
    """The product code, quantity and warehouse columns of a stock table, or None."""
    concepts: dict[str, list[str]] = {}
    for column in table.columns:
        match = match_header(column.name)
        if match is not None:
            concepts.setdefault(match.concept.name, []).append(column.name)
    warehouses = [w for w in concepts.get("warehouse", []) if not _BIN.search(w)]
    if _DOCUMENTS & set(concepts) or (_PARTIES & set(concepts) and not warehouses):
        return None
    codes, quantities = concepts.get("product_code"), concepts.get("quantity")
    if not codes or not quantities:
        return None
    quantity = min(quantities, key=lambda q: (not _COUNTED.search(q), bool(_NOT_ON_HAND.search(q))))
    warehouse = min(warehouses, key=lambda w: bool(_CODE.search(w)), default=None)
    return StockColumns(codes[0], quantity, warehouse)


def is_stock(tables: list[Table]) -> bool:
    """Whether every table (two or more) is a stock list."""
    return len(tables) >= 2 and all(stock_columns(t) is not None for t in tables)


def _number(words: re.Match[str]) -> str:
    """一 → 1, 十二 → 12, 二十 → 20; a run that is no number of tens stays as written."""
    text = words.group()
    if "十" not in text:
        return "".join(str(_DIGITS[c]) for c in text)
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return text
    return str(_DIGITS.get(tens, 1) * 10 + _DIGITS.get(units, 0))


def warehouse_name(text: str) -> str:
    """A warehouse as every system calls it: 1号仓库, 一号仓, 1#仓 and 第1仓 are "1",
    成品仓库 and 成品库 are "成品", WH01 is WH1."""
    folded = fold(text).replace(" ", "").upper()
    bare = _WAREHOUSE_SUFFIX.sub("", folded) or folded
    bare = _CHINESE_NUMBER.sub(_number, _WAREHOUSE_MARKS.sub("", bare)) or bare
    return _PADDING.sub("", bare)


def _product_codes(tables: list[Table]) -> list[np.ndarray]:
    """Each table's normalised codes, zero padding dropped (AB-01002 is AB1002, 0001002
    is 1002) unless it tells two codes of one table apart (AB-01 and AB-1)."""
    codes = [
        map_unique(t.values(stock_columns(t).code), normalise_product_code).astype(str)  # type: ignore[union-attr]
        for t in tables
    ]
    bare = [
        map_unique(pd.Series(c), lambda code: _PADDING.sub("", code)).astype(str) for c in codes
    ]
    kept: set[str] = set()
    for table_codes, table_bare in zip(codes, bare, strict=True):
        pairs = pd.DataFrame({"code": table_codes, "bare": table_bare}).drop_duplicates()
        kept.update(pairs["bare"][pairs["bare"].duplicated()].tolist())
    return [
        np.where(np.isin(b, list(kept)), c, b) if kept else b
        for c, b in zip(codes, bare, strict=True)
    ]


def product_keys(tables: list[Table]) -> list[np.ndarray]:
    """Each table's rows as product lines: normalised code, and warehouse where every
    table names one."""
    codes = _product_codes(tables)
    columns = [stock_columns(t) for t in tables]
    if any(c is None or c.warehouse is None for c in columns):
        return codes
    keys = []
    for table, table_codes, table_columns in zip(tables, codes, columns, strict=True):
        places = map_unique(table.values(table_columns.warehouse), warehouse_name).astype(str)  # type: ignore[union-attr, arg-type]
        keys.append(np.char.add(np.char.add(table_codes, "@"), places))
    return keys


def by_product(tables: list[Table]) -> list[Table]:
    """Each stock table with one row per product line, its quantities summed (every
    row kept behind it, as a document's lines are). Warehouses are compared when every
    table names them."""
    summed = []
    for table, keys in zip(tables, product_keys(tables), strict=True):
        ids, uniques = pd.factorize(keys)
        if len(uniques) == len(ids):
            summed.append(table)
            continue
        code = stock_columns(table).code  # type: ignore[union-attr]
        summed.append(collapse(table, code, ids, blank_heads=False))
    return summed


def product_groups(tables: list[Table]) -> list[Group]:
    """One group per product line, holding each table's row of it (at most one)."""
    members: dict[str, list[tuple[str, int]]] = {}
    for table, keys in zip(tables, product_keys(tables), strict=True):
        for row, key in enumerate(keys.tolist()):
            members.setdefault(key, []).append((table.label, row))
    return [Group(rows, 1.0, "auto" if len(rows) > 1 else "none") for rows in members.values()]


def accuracy(
    groups: list[Group], conflicts: list[Conflict], tables: list[Table]
) -> dict[str, object]:
    """Inventory accuracy: of the first table's product lines, the share every other
    table holds in a quantity within the tolerance; also per warehouse."""
    labels = {t.label for t in tables}
    reference = tables[0]
    warehouse = stock_columns(reference).warehouse  # type: ignore[union-attr]
    differing = {c.group for c in conflicts}
    lines = agreeing = 0
    places: dict[str, list[int]] = {}
    for index, group in enumerate(groups):
        row = next((r for label, r in group.members if label == reference.label), None)
        if row is None:
            continue
        agrees = group.tables() == labels and index not in differing
        lines += 1
        agreeing += agrees
        if warehouse is not None:
            place = str(reference.values(warehouse).iloc[row]).strip()
            counts = places.setdefault(place, [0, 0])
            counts[0] += 1
            counts[1] += agrees
    return {
        "reference": reference.label,
        "product_lines": lines,
        "agreeing": agreeing,
        "accuracy": round(agreeing / lines, 4) if lines else None,
        "by_warehouse": {
            place: round(agree / total, 4) for place, (total, agree) in sorted(places.items())
        },
    }
