"""Stock lists as real exports write them: what ``concord reconcile`` makes of an ERP's
即时库存 / 现存量查询, a WMS export and a count sheet (app.reconcile.inventory).
"""

from __future__ import annotations

import csv
import json

import pytest

from app.cli import main
from app.reconcile.inventory import is_stock, warehouse_name
from app.reconcile.pipeline import RECONCILE, link_tables
from app.reconcile.settings import settings_from
from app.sources import load
from tests.conftest import write_xlsx


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def tables(tmp_path, **sources):
    """Each LABEL=(header, rows) as a CSV file, loaded under its label."""
    loaded = []
    for label, (header, rows) in sources.items():
        table = load(str(write_csv(tmp_path / f"{label}.csv", header, rows)))
        table.label = label
        loaded.append(table)
    return loaded


def reconcile(loaded, **tolerance):
    return link_tables(loaded, RECONCILE, settings_from({"tolerance": tolerance}))


def lines(result):
    """The groups as sorted (label, file row) members, file rows as the export shows them."""
    rows = {t.label: t.rows for t in result.tables}
    return sorted(sorted((m[0], int(rows[m[0]][m[1]])) for m in g.members) for g in result.groups)


ERP = ["物料编码", "物料名称", "仓库", "批号", "库存数量"]
WMS = ["SKU", "Warehouse", "On Hand"]


def test_three_spellings_of_a_code_are_one_product_line(tmp_path):
    loaded = tables(
        tmp_path,
        erp=(ERP, [["AB-1002", "螺丝", "1号仓库", "B1", "10"]]),
        wms=(WMS, [["ab1002", "1号仓", "10"]]),
        count=(["物料代码", "仓库名称", "实盘数量"], [["ＡＢ 1002", "１号仓", "10"]]),
    )
    assert is_stock(loaded)
    result = reconcile(loaded)
    assert lines(result) == [[("count", 2), ("erp", 2), ("wms", 2)]]
    assert result.conflicts == [] and result.inventory["accuracy"] == 1.0


def test_warehouses_stay_apart_and_batches_are_summed(tmp_path):
    loaded = tables(
        tmp_path,
        erp=(
            ERP,
            [
                ["AB-1002", "螺丝", "1号仓库", "B1", "100"],
                ["AB-1002", "螺丝", "1号仓库", "B2", "20"],
                ["AB-1002", "螺丝", "2号仓库", "B1", "7"],
            ],
        ),
        wms=(WMS, [["ab1002", "1号仓", "120"], ["ab1002", "2号仓", "7"]]),
    )
    result = reconcile(loaded)
    assert lines(result) == [[("erp", 2), ("wms", 2)], [("erp", 4), ("wms", 3)]]
    assert result.table("erp").frame["库存数量"].tolist() == ["120", "7"]
    assert result.table("erp").lines.rows.tolist() == [2, 3, 4]  # every batch row kept
    assert result.conflicts == []


def test_a_difference_beyond_the_tolerance_is_a_quantity_conflict(tmp_path):
    loaded = tables(
        tmp_path,
        erp=(ERP, [["AB-1", "a", "1号仓", "", "100"], ["AB-2", "b", "1号仓", "", "10"]]),
        wms=(WMS, [["ab1", "1号仓", "98"], ["ab2", "1号仓", "10"]]),
    )
    (conflict,) = reconcile(loaded).conflicts
    assert conflict.kind == "number" and sorted(conflict.members) == [("erp", 0), ("wms", 0)]
    assert reconcile(loaded, quantity=2).conflicts == []
    assert reconcile(loaded, quantity_percent=2).conflicts == []
    assert len(reconcile(loaded, quantity=1.5).conflicts) == 1


def test_accuracy_is_the_share_of_reference_lines_that_agree_everywhere(tmp_path):
    """Six ERP lines: two differ, one is missing in the WMS, three agree; the WMS's own
    extra line is an orphan that does not count."""
    erp_rows = [
        ["P1", "", "A仓", "", "5"], ["P2", "", "A仓", "", "5"], ["P3", "", "A仓", "", "5"],
        ["P1", "", "B仓", "", "5"], ["P2", "", "B仓", "", "5"], ["P3", "", "B仓", "", "5"],
    ]  # fmt: skip
    wms_rows = [
        ["p1", "A仓库", "5"], ["p2", "A仓库", "4"], ["p3", "A仓库", "5"],
        ["p1", "B仓库", "5"], ["p2", "B仓库", "6"], ["p9", "B仓库", "1"],
    ]  # fmt: skip
    result = reconcile(tables(tmp_path, erp=(ERP, erp_rows), wms=(WMS, wms_rows)))
    assert result.inventory["product_lines"] == 6 and result.inventory["agreeing"] == 3
    assert result.inventory["accuracy"] == 0.5
    assert result.inventory["by_warehouse"] == {"A仓": round(2 / 3, 4), "B仓": round(1 / 3, 4)}
    orphans = [g for g in lines(result) if len(g) == 1]
    assert orphans == [[("erp", 7)], [("wms", 7)]]  # P3 in B仓, and the WMS's p9


def test_the_command_reads_an_erp_workbook_with_title_and_totals(tmp_path):
    erp = write_xlsx(
        tmp_path / "即时库存.xlsx",
        {
            "即时库存": [
                ["即时库存查询"],
                ERP,
                ["AB-1002", "螺丝", "1号仓库", "B1", 100],
                ["AB-1002", "螺丝", "1号仓库", "B2", 20],
                ["AB-1003", "螺母", "1号仓库", "B1", 50],
                ["合计", "", "", "", 170],
            ]
        },
    )
    wms = write_csv(
        tmp_path / "wms.csv", WMS, [["ab1002", "1号仓", "120"], ["AB 1003", "1号仓", "49"]]
    )
    count = write_xlsx(
        tmp_path / "盘点表.xlsx",
        {"盘点": [["物料编码", "仓库", "账面数量", "实盘数量"], ["AB1002", "1号仓库", 120, 120]]},
    )
    out = tmp_path / "out"
    sources = [f"erp={erp}", f"wms={wms}", f"count={count}"]
    assert main(["reconcile", "--quiet", "--out", str(out), *sources]) == 0
    with open(out / "links.csv", encoding="utf-8") as stream:
        links = list(csv.DictReader(stream))
    assert sorted((r["table"], r["record_id"]) for r in links) == [
        ("count", "AB1002"), ("erp", "AB-1002"), ("erp", "AB-1003"),
        ("wms", "AB 1003"), ("wms", "ab1002"),
    ]  # fmt: skip
    with open(out / "conflicts.csv", encoding="utf-8") as stream:
        found = {(r["table"], r["column"], r["value"], r["kind"]) for r in csv.DictReader(stream)}
    assert found == {("erp", "库存数量", "50", "number"), ("wms", "On Hand", "49", "number")}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["tables"]["erp"]["rows"] == 2 and summary["tables"]["erp"]["lines"] == 3
    assert summary["inventory"]["accuracy"] == 0.5  # AB-1002 agrees everywhere, AB-1003 not
    assert summary["inventory"]["by_warehouse"] == {"1号仓库": 0.5}


# As real exports write them: which quantity, which warehouse column, padding, owners.


def test_kingdee_on_hand_is_compared_not_the_available_quantity(tmp_path):
    header = ["物料编码", "物料名称", "仓库", "仓位", "库存状态", "库存量(主单位)", "可用量(主单位)"]  # fmt: skip
    loaded = tables(
        tmp_path,
        erp=(header, [["AB-1002", "螺丝", "1号仓", "A-01", "可用", "120", "80"]]),
        wms=(["SKU", "Warehouse", "Qty On Hand", "Qty Allocated", "Qty Available"],
             [["ab1002", "1号仓库", "120", "40", "80"]]),
    )  # fmt: skip
    result = reconcile(loaded)
    field = next(f for f in result.mapping.fields if f.name == "stock")
    assert field.columns == {"erp": "库存量(主单位)", "wms": "Qty On Hand"}


def test_u8_warehouse_names_are_compared_when_it_also_lists_codes(tmp_path):
    header = ["仓库编码", "仓库名称", "存货编码", "存货名称", "现存数量", "可用数量"]
    loaded = tables(
        tmp_path,
        erp=(header, [["01", "成品仓", "AB1002", "螺丝", "120", "100"]]),
        wms=(WMS, [["ab1002", "成品仓库", "120"]]),
    )
    result = reconcile(loaded)
    assert lines(result) == [[("erp", 2), ("wms", 2)]] and result.conflicts == []


def test_zero_padded_codes_are_one_product(tmp_path):
    loaded = tables(
        tmp_path,
        erp=(ERP, [["0001002", "", "1号仓", "", "5"], ["AB-01003", "", "1号仓", "", "6"]]),
        wms=(WMS, [["1002", "1号仓", "5"], ["AB-1003", "1号仓", "6"]]),
    )
    assert lines(reconcile(loaded)) == [[("erp", 2), ("wms", 2)], [("erp", 3), ("wms", 3)]]


def test_zero_padding_that_tells_two_products_apart_is_kept(tmp_path):
    loaded = tables(
        tmp_path,
        erp=(ERP, [["AB-01", "", "1号仓", "", "5"], ["AB-1", "", "1号仓", "", "6"]]),
        wms=(WMS, [["ab01", "1号仓", "5"], ["ab1", "1号仓", "6"]]),
    )
    result = reconcile(loaded)
    assert lines(result) == [[("erp", 2), ("wms", 2)], [("erp", 3), ("wms", 3)]]
    assert result.conflicts == []


def test_warehouse_numbers_in_words_or_padded_are_one_warehouse(tmp_path):
    loaded = tables(
        tmp_path,
        erp=(ERP, [["AB-1", "", "一号仓", "", "5"], ["AB-1", "", "WH01", "", "6"]]),
        wms=(WMS, [["ab1", "1号仓库", "5"], ["ab1", "wh1", "6"]]),
    )
    assert lines(reconcile(loaded)) == [[("erp", 2), ("wms", 2)], [("erp", 3), ("wms", 3)]]


def test_a_wms_export_naming_its_client_is_a_stock_list(tmp_path):
    loaded = tables(
        tmp_path,
        erp=(ERP, [["AB-1", "", "1号仓", "", "5"]]),
        wms=(["Client", "SKU", "Warehouse", "On Hand"], [["ACME", "ab1", "1号仓库", "5"]]),
    )
    assert is_stock(loaded)


def test_a_row_without_a_code_leaves_the_warehouses_apart(tmp_path):
    loaded = tables(
        tmp_path,
        erp=(
            ERP,
            [
                ["AB-1", "", "1号仓", "B1", "5"],
                ["AB-1", "", "1号仓", "B2", "1"],
                ["", "", "1号仓", "", "3"],
                ["AB-1", "", "2号仓", "B1", "4"],
            ],
        ),
        wms=(WMS, [["ab1", "1号仓", "6"], ["ab1", "2号仓", "4"]]),
    )
    result = reconcile(loaded)
    assert lines(result) == [[("erp", 2), ("wms", 2)], [("erp", 4)], [("erp", 5), ("wms", 3)]]
    assert result.conflicts == []


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("1号仓库", "1"), ("一号仓", "1"), ("1#仓", "1"), ("２＃库", "2"), ("第一仓库", "1"),
        ("十二号仓", "12"), ("二十号库", "20"), ("成品仓库", "成品"), ("成品库", "成品"),
        ("WH01", "WH1"), ("wh 1", "WH1"), ("仓库", "仓库"), ("A仓", "A"),
    ],
)  # fmt: skip
def test_warehouse_names_are_read_the_way_every_system_writes_them(written, read):
    assert warehouse_name(written) == read


def test_the_on_hand_quantity_is_compared_beside_frozen_incoming_and_difference_columns(
    tmp_path,
):
    loaded = tables(
        tmp_path,
        erp=(["存货代码", "仓库名称", "其中冻结数量", "现存数量", "到货/在检数量", "可用数量"],
             [["AB1", "成品仓", "3", "120", "5", "117"]]),
        count=(["序号", "物料代码", "仓库", "账面数量", "差异数量", "实盘数量"],
               [["1", "ab-1", "成品库", "120", "-2", "118"]]),
    )  # fmt: skip
    result = reconcile(loaded)
    field = next(f for f in result.mapping.fields if f.name == "stock")
    assert field.columns == {"erp": "现存数量", "count": "实盘数量"}
    (conflict,) = result.conflicts
    assert sorted(conflict.members) == [("count", 0), ("erp", 0)]
