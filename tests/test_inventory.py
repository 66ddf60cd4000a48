"""Stock lists: product lines joined on code and warehouse, quantities compared, accuracy."""

from __future__ import annotations

import csv
import json

from app.cli import main
from app.reconcile.inventory import is_stock
from app.reconcile.pipeline import RECONCILE, link_tables
from app.reconcile.settings import settings_from
from app.sources import load
from app.usecases.runs import run_counts


def write_csv(path, header, rows, encoding="utf-8-sig"):
    with open(path, "w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def stock_world(tmp_path):
    """ERP stock with batches; a WMS in English with other code and warehouse spellings;
    a count sheet with book and counted quantities."""
    erp = write_csv(
        tmp_path / "即时库存.csv",
        ["物料编码", "物料名称", "仓库", "批号", "库存数量"],
        [
            ["AB-1002", "螺丝", "1号仓库", "B1", "100"],
            ["AB-1002", "螺丝", "1号仓库", "B2", "20"],  # one product line: 120
            ["AB-1003", "螺母", "1号仓库", "B1", "50"],
            ["AB-1002", "螺丝", "2号仓库", "B1", "7"],  # another warehouse: its own line
            ["CD-7", "垫片", "2号仓库", "B1", "3"],
        ],
        encoding="gb18030",
    )
    wms = write_csv(
        tmp_path / "wms.csv",
        ["SKU", "Warehouse", "On Hand"],
        [["ab1002", "1号仓", "120"], ["AB 1003", "1号仓", "48"], ["ab-1002", "２号仓", "7"]],
    )
    count = write_csv(
        tmp_path / "盘点表.csv",
        ["物料代码", "仓库名称", "账面数量", "实盘数量"],
        [["AB1002", "1号仓库", "120", "120"], ["ab.1003", "1号仓库", "50", "50"],
         ["AB1002", "2号仓库", "7", "6"], ["CD7", "2号仓库", "3", "3"]],
    )  # fmt: skip
    return erp, wms, count


def _load(path, label):
    table = load(str(path))
    table.label = label
    return table


def test_three_spellings_of_a_code_are_one_product_line_per_warehouse(tmp_path):
    erp, wms, _count = stock_world(tmp_path)
    tables = [_load(erp, "erp"), _load(wms, "wms")]
    assert is_stock(tables)
    result = link_tables(tables, RECONCILE, settings_from({}))
    erp_table = result.table("erp")
    assert len(erp_table) == 4 and erp_table.frame["库存数量"].tolist() == ["120", "50", "7", "3"]
    groups = sorted(sorted(g.members) for g in result.groups)
    assert groups == [
        [("erp", 0), ("wms", 0)],
        [("erp", 1), ("wms", 1)],
        [("erp", 2), ("wms", 2)],
        [("erp", 3)],  # CD-7 is in the ERP only
    ]
    (conflict,) = result.conflicts
    assert conflict.field == "stock" and sorted(conflict.members) == [("erp", 1), ("wms", 1)]
    assert result.inventory["accuracy"] == 0.5  # AB-1002 twice of four ERP product lines
    assert result.inventory["by_warehouse"] == {"1号仓库": 0.5, "2号仓库": 0.5}
    assert run_counts(result).inventory_accuracy == 0.5


def test_a_count_sheet_is_compared_by_its_counted_quantity(tmp_path):
    erp, _wms, count = stock_world(tmp_path)
    result = link_tables([_load(erp, "erp"), _load(count, "count")], RECONCILE, settings_from({}))
    assert result.mapping.field_of("count", "实盘数量").name == "stock"
    (conflict,) = result.conflicts
    assert sorted(conflict.members) == [("count", 2), ("erp", 2)]  # AB1002 in 2号: 7 ≠ 6
    assert result.inventory["agreeing"] == 3 and result.inventory["product_lines"] == 4


def test_a_quantity_within_the_tolerance_agrees(tmp_path):
    erp, wms, _count = stock_world(tmp_path)
    tables = [_load(erp, "erp"), _load(wms, "wms")]
    assert len(link_tables(tables, RECONCILE, settings_from({})).conflicts) == 1  # 50 ≠ 48
    for tolerance in ({"quantity": 2}, {"quantity_percent": 5}):
        result = link_tables(tables, RECONCILE, settings_from({"tolerance": tolerance}))
        assert result.conflicts == [] and result.inventory["accuracy"] == 0.75


def test_reconcile_writes_stock_conflicts_and_accuracy(tmp_path):
    erp, wms, count = stock_world(tmp_path)
    out = tmp_path / "out"
    sources = [f"erp={erp}", f"wms={wms}", f"count={count}"]
    assert main(["reconcile", "--quiet", "--out", str(out), *sources]) == 0
    with open(out / "conflicts.csv", encoding="utf-8") as stream:
        found = {(r["table"], r["column"], r["value"]) for r in csv.DictReader(stream)}
    assert ("wms", "On Hand", "48") in found and ("count", "实盘数量", "6") in found
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    # of the ERP's four product lines only AB-1002 in 1号仓库 agrees everywhere
    assert summary["inventory"]["accuracy"] == 0.25
    assert summary["inventory"]["reference"] == "erp"


def test_tables_of_orders_are_no_stock_lists(tmp_path):
    orders = write_csv(
        tmp_path / "orders.csv",
        ["订单编号", "客户名称", "物料编码", "数量"],
        [["SO1", "甲公司", "AB1", "2"]],
    )
    erp, _wms, _count = stock_world(tmp_path)
    assert not is_stock([_load(erp, "erp"), _load(orders, "orders")])
