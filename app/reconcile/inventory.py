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
# A table of records about documents or customers is no stock list.
_NOT_STOCK = frozenset({"order_no", "approval_no", "customer", "supplier"})
# Of several quantity columns (a count sheet's 账面数量 and 实盘数量), the counted one.
_COUNTED = re.compile(r"实盘|盘点|实存|counted|count qty|physical", re.IGNORECASE)
_WAREHOUSE_SUFFIX = re.compile(r"(仓库|仓|库)$")


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
    if _NOT_STOCK & set(concepts):
        return None
    codes, quantities = concepts.get("product_code"), concepts.get("quantity")
    if not codes or not quantities:
        return None
    quantity = next((q for q in quantities if _COUNTED.search(q)), quantities[-1])
    return StockColumns(codes[0], quantity, (concepts.get("warehouse") or [None])[0])


def is_stock(tables: list[Table]) -> bool:
    """Whether every table (two or more) is a stock list."""
    return len(tables) >= 2 and all(stock_columns(t) is not None for t in tables)


def _warehouse(text: str) -> str:
    folded = fold(text).replace(" ", "").upper()
    return _WAREHOUSE_SUFFIX.sub("", folded)


def product_keys(table: Table, by_warehouse: bool) -> np.ndarray:
    """Each row's product line: normalised code, and warehouse where compared."""
    columns = stock_columns(table)
    assert columns is not None
    codes = map_unique(table.values(columns.code), normalise_product_code).astype(str)
    if not by_warehouse or columns.warehouse is None:
        return codes
    places = map_unique(table.values(columns.warehouse), _warehouse).astype(str)
    return np.char.add(np.char.add(codes, "@"), places)


def by_product(tables: list[Table]) -> list[Table]:
    """Each stock table with one row per product line, its quantities summed (every
    row kept behind it, as a document's lines are). Warehouses are compared when every
    table names them."""
    warehouses = all(stock_columns(t).warehouse is not None for t in tables)  # type: ignore[union-attr]
    summed = []
    for table in tables:
        keys = product_keys(table, warehouses)
        ids, _ = pd.factorize(keys)
        if len(np.unique(ids)) == len(ids):
            summed.append(table)
            continue
        summed.append(collapse(table, stock_columns(table).code, ids))  # type: ignore[union-attr]
    return summed


def product_groups(tables: list[Table]) -> list[Group]:
    """One group per product line, holding each table's row of it (at most one)."""
    warehouses = all(stock_columns(t).warehouse is not None for t in tables)  # type: ignore[union-attr]
    members: dict[str, list[tuple[str, int]]] = {}
    for table in tables:
        for row, key in enumerate(product_keys(table, warehouses).tolist()):
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
