"""Write a :class:`bench.datagen.World` as the files a clerk gets, plus ``truth/``.

- ``ERP销售数据.xlsx``: sheets 客户档案 (header on row 3) and 销售订单 (header on row 4),
  title lines above, real Excel dates, a blank row in the middle, a 合计 row.
- ``CRM客户.csv`` and ``CRM订单.csv``: GB18030, CRLF line endings.
- ``OA审批.xlsx``: sheet 审批记录, one title line; amounts as numbers and as text, submit
  times as real datetimes and as text.

Workbooks are re-packed with fixed timestamps so the same world gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from bench.datagen import World

EXPORTED = datetime(2026, 11, 24, 18, 0, 5)
FILES = {
    "erp": "ERP销售数据.xlsx",
    "crm_customers": "CRM客户.csv",
    "crm": "CRM订单.csv",
    "oa": "OA审批.xlsx",
}


@dataclass(frozen=True)
class TableSpec:
    """Where a table of the world lives: file, sheet (None for CSV), key column."""

    file: str
    sheet: str | None
    key: str
    attribute: str  # the World field holding it


TABLES = {
    "erp": TableSpec(FILES["erp"], "销售订单", "单据编号", "erp_orders"),
    "crm": TableSpec(FILES["crm"], None, "订单编号", "crm_orders"),
    "oa": TableSpec(FILES["oa"], "审批记录", "审批编号", "oa_approvals"),
    "erp_customers": TableSpec(FILES["erp"], "客户档案", "客户编码", "erp_customers"),
    "crm_customers": TableSpec(FILES["crm_customers"], None, "客户ID", "crm_customers"),
}


@dataclass(frozen=True)
class SheetLayout:
    titles: tuple[str, ...]
    formats: dict[str, str] = field(default_factory=dict)  # column -> number format
    totals: tuple[str, ...] = ()
    blank_row: bool = False


LAYOUTS = {
    "erp_customers": SheetLayout(("客户档案", "导出时间：2026-11-24 18:00:05    操作员：王芳")),
    "erp": SheetLayout(
        ("销售订单列表", "日期范围：2026-09-01 至 2026-11-24", "币别：人民币    单位：元"),
        {"单据日期": "yyyy-mm-dd", "含税单价": "#,##0.00", "价税合计": "#,##0.00"},
        totals=("数量", "价税合计"),
        blank_row=True,
    ),
    "oa": SheetLayout(
        ("销售合同审批记录（导出时间：2026-11-24 18:02）",),
        {"金额": "#,##0.00", "提交时间": "yyyy-mm-dd hh:mm"},
    ),
}
TRUTH_README = """# Ground truth of the demo data

Made by `bench/datagen.py` (`python -m bench.make_samples`) together with the files beside
this folder. `orders.csv` lists every order record as `entity_id,table,record_id`: `erp` is
ERP销售数据.xlsx#销售订单 (单据编号), `crm` is CRM订单.csv (订单编号), `oa` is OA审批.xlsx
(审批编号); the records of one deal share `entity_id`, a record alone is an orphan.
`customers.csv` does the same for the customer records: `erp_customers` is
ERP销售数据.xlsx#客户档案 (客户编码), `crm_customers` is CRM客户.csv (客户ID); all codes and
accounts of one real company share `entity_id`, and a branch (分公司) is a company of its own.
`conflicts.csv` (`entity_id,field,table,record_id,kind`) lists every planted disagreement
with one row per record of the deal: `amount` (kind `money`) and `date` (kind `date`) with
all three records present, and `status` rows for every deal whose document chain is out of
step, of kind `booked_without_approval` (ERP approved or closed while the OA approval is
pending, rejected, withdrawn or missing), `contradiction` (approved in one system, rejected or
cancelled in another), `approved_not_booked` (OA approved, or CRM won with no OA record, while
the ERP order is still pending more than 2 days after, counted to 2026-11-24) or
`won_not_submitted` (CRM won, no OA record, more than 2 days before). Planted per deal: ERP amount differs from CRM and OA 4 % (discount, digit typo,
tax), OA rejected or withdrawn while ERP approved 3 %, ERP booked more than a week after
the CRM order 1 %, CRM order never booked in ERP 4 %, ERP order without approval 4 %, OA
approval without CRM order 2 %. Everything else differs by format only (¥12,345.00 against
12345, four date forms, 审批中 against 未审核, 已关闭 against 已成交, spelling of names),
and is not a conflict; recent deals are often still pending somewhere, and those a clerk
would chase show up as chain exceptions. This set: {counts}.
"""


def write_samples(world: World, out_dir: Path | str, fast: bool = False) -> dict[str, Path]:
    """Write the four exports and ``truth/`` into ``out_dir``; returns paths by FILES key.

    ``fast`` streams the workbooks (openpyxl write-only: same cells, no styling), for
    benchmark worlds of 100,000 orders and more.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sheets = {"erp": [("erp_customers", world.erp_customers), ("erp", world.erp_orders)]}
    sheets["oa"] = [("oa", world.oa_approvals)]
    for name, tables in sheets.items():
        workbook = Workbook(write_only=fast)
        if not fast:
            workbook.remove(workbook.active)
        for table, frame in tables:
            sheet = workbook.create_sheet(TABLES[table].sheet)
            rows = _sheet_rows(LAYOUTS[table], frame)
            if fast:
                _plain(sheet, rows)
            else:
                _styled(sheet, LAYOUTS[table], frame, rows)
        save_stable(workbook, out / FILES[name])
    _write_csv(out / FILES["crm_customers"], world.crm_customers, "gb18030", "\r\n")
    _write_csv(out / FILES["crm"], world.crm_orders, "gb18030", "\r\n")
    truth = out / "truth"
    truth.mkdir(exist_ok=True)
    _write_csv(truth / "customers.csv", world.truth_customers, "utf-8", "\n")
    _write_csv(truth / "orders.csv", world.truth_orders, "utf-8", "\n")
    _write_csv(truth / "conflicts.csv", world.truth_conflicts, "utf-8", "\n")
    counts = ", ".join(f"{p} {n}" for p, n in world.problem_counts().items())
    (truth / "README.md").write_bytes(TRUTH_README.format(counts=counts).encode("utf-8"))
    return {name: out / file for name, file in FILES.items()}


def _sheet_rows(layout: SheetLayout, frame: pd.DataFrame) -> Iterator[list[object]]:
    """Title lines, header, records ("" as an empty cell), maybe a blank row and totals."""
    for title in layout.titles:
        yield [title]
    yield list(frame.columns)
    blank_at = round(len(frame) * 0.37) if layout.blank_row else -1
    for index, record in enumerate(frame.itertuples(index=False, name=None)):
        if index == blank_at:
            yield []
        yield [None if value == "" else value for value in record]
    if layout.totals:
        totals: list[object] = [None] * len(frame.columns)
        totals[0] = "合计"
        for column in layout.totals:
            totals[frame.columns.get_loc(column)] = round(sum(frame[column]), 2)
        yield totals


def _plain(sheet, rows: Iterator[list[object]]) -> None:
    for row in rows:
        sheet.append(row)


def _styled(sheet, layout: SheetLayout, frame: pd.DataFrame, rows: Iterator[list[object]]) -> None:
    """As an ERP shows it: merged bold title, shaded header, frozen panes, number formats."""
    _plain(sheet, rows)
    header = len(layout.titles) + 1
    width = len(frame.columns)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    thin = Side(style="thin", color="999999")
    for column, name in enumerate(frame.columns, start=1):
        cell = sheet.cell(header, column)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        sheet.column_dimensions[get_column_letter(column)].width = _width(name, frame[name])
        fmt = layout.formats.get(name)
        for row in range(header + 1, sheet.max_row + 1) if fmt else ():
            if isinstance(sheet.cell(row, column).value, (int, float, datetime)):
                sheet.cell(row, column).number_format = fmt
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    if layout.totals:
        for column in range(1, width + 1):
            sheet.cell(sheet.max_row, column).font = Font(bold=True)


def _width(name: str, values: pd.Series) -> float:
    """Column width from the header and the first values (CJK characters count double)."""
    texts = [name, *(str(v) for v in values.iloc[:200])]
    longest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in t) for t in texts)
    return min(max(longest + 2, 8), 48)


def save_stable(workbook: Workbook, path: Path) -> None:
    """Save with a fixed modification time in docProps/core.xml and on every zip entry."""
    workbook.properties.creator = "Concord demo"
    workbook.properties.created = EXPORTED
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = EXPORTED.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            entry = zipfile.ZipInfo(info.filename, date_time=EXPORTED.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, data)


def _write_csv(path: Path, frame: pd.DataFrame, encoding: str, newline: str) -> None:
    with open(path, "w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, lineterminator=newline)
        writer.writerow(frame.columns)
        writer.writerows(frame.itertuples(index=False, name=None))
