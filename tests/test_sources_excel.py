"""Workbooks: typed cells as text, dates, layouts, merged headers, sheets."""

from __future__ import annotations

import datetime as dt

import pytest

from app.errors import InputError
from app.sources import SourceSpec, load_source, read_tables
from tests.conftest import CORPUS


def tables(path, sheet=None):
    return [t for t in read_tables(path, sheet) if not isinstance(t, InputError)]


def test_kingdee_like_sheet(xlsx):
    rows = [
        ["销售订单列表"],
        ["日期范围：2026-09-01 至 2026-11-24"],
        [],
        ["单据编号", "单据日期", "客户名称", "数量", "价税合计", "审核状态"],
        ["XSDD-001", dt.datetime(2026, 9, 5), "北京华信科技有限公司", 3, 1200.5, "已审核"],
        ["XSDD-002", dt.datetime(2026, 9, 6, 14, 30), "上海鼎盛贸易有限公司", 1, 980.0, "未审核"],
        ["合计", None, None, 4, 2180.5, None],
    ]
    path = xlsx({"销售订单": rows}, merged={"销售订单": ["A1:F1"]})
    (table,) = tables(path)
    assert table.sheet == "销售订单"
    assert table.header_rows == (4,)
    assert table.rows.tolist() == [5, 6]
    assert table.frame["单据日期"].tolist() == ["2026-09-05", "2026-09-06 14:30:00"]
    assert table.frame["数量"].tolist() == ["3", "1"]
    assert table.frame["价税合计"].tolist() == ["1200.5", "980"]
    assert [(s.row, s.reason) for s in table.skipped] == [
        (1, "title"),
        (2, "title"),
        (3, "blank"),
        (7, "totals"),
    ]
    assert str(table.cell(1, "价税合计")) == "book.xlsx 销售订单!E6"


def test_merged_two_row_header(xlsx):
    rows = [
        ["客户", "金额", None, "日期"],
        [None, "含税", "不含税", None],
        ["甲公司", 117, 100, "2026-01-05"],
    ]
    path = xlsx({"S": rows}, merged={"S": ["B1:C1", "A1:A2", "D1:D2"]})
    (table,) = tables(path)
    assert [c.name for c in table.columns] == ["客户", "金额/含税", "金额/不含税", "日期"]
    assert table.header_rows == (1, 2)
    assert table.rows.tolist() == [3]


def test_merged_data_cells_apply_to_every_row(xlsx):
    rows = [["客户", "订单号"], ["甲公司", "A1"], [None, "A2"], ["乙公司", "A3"]]
    path = xlsx({"S": rows}, merged={"S": ["A2:A3"]})
    (table,) = tables(path)
    assert table.frame["客户"].tolist() == ["甲公司", "甲公司", "乙公司"]


def test_long_numbers_stored_as_excel_numbers_are_reported(xlsx):
    rows = [["证件号", "名称"], [110101199003071234, "甲"], [320102198805122345, "乙"]]
    (table,) = tables(xlsx({"S": rows}))
    assert table.frame["证件号"].tolist() == ["110101199003071000", "320102198805122000"]
    assert [w.column for w in table.warnings] == ["证件号"]


def test_every_data_sheet_and_sheet_choice(xlsx):
    path = xlsx(
        {
            "说明": [["本文件由系统导出"]],
            "客户档案": [["客户编码", "客户名称"], ["C1", "甲"], ["C2", "乙"]],
            "销售订单": [["单据编号", "客户编码"], ["S1", "C1"], ["S2", "C1"], ["S3", "C2"]],
        }
    )
    found = read_tables(path)
    assert [(t.sheet, len(t)) for t in found] == [("说明", 0), ("客户档案", 2), ("销售订单", 3)]
    assert [t.sheet for t in tables(path, "客户档案")] == ["客户档案"]
    assert load_source(SourceSpec.parse(f"erp={path}")).sheet == "销售订单"  # the largest
    assert load_source(SourceSpec.parse(f"{path}#客户档案")).label == "book"


def test_missing_sheet_names_the_sheets(xlsx):
    path = xlsx({"客户档案": [["客户编码"], ["C1"]]})
    with pytest.raises(InputError, match="客户档案"):
        read_tables(path, "订单")


def test_source_spec_parsing(tmp_path):
    spec = SourceSpec.parse("erp=exports/ERP.xlsx#销售订单")
    assert (spec.label, spec.path.name, spec.sheet) == ("erp", "ERP.xlsx", "销售订单")
    assert SourceSpec.parse("CRM订单.csv").label == "CRM订单"


@pytest.mark.corpus
@pytest.mark.skipif(
    not CORPUS.exists(), reason="the shared workbook corpus is not beside the project"
)
@pytest.mark.parametrize(
    "name",
    [
        "merged_range.xls",
        "number_rows_repeated.ods",
        "issue_182.xlsb",
        "OOM_alloc2.xls",
        "minimal_package.xlsx",
    ],
)
def test_other_workbook_formats(name):
    found = read_tables(CORPUS / name)
    assert any(not isinstance(t, InputError) and len(t) for t in found)
