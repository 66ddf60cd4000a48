"""Write a :class:`bench.world.World` as the exports a clerk gets, plus the ground truth.

- ``ERP销售数据.xlsx``: Kingdee-like, sheets 客户档案 (header on row 3) and 销售订单 (header
  on row 4), title and export lines above, real Excel dates, a blank row, a 合计 row.
- ``CRM客户.csv`` and ``CRM订单.csv``: GB18030 with CRLF line endings.
- ``OA审批.xlsx``: sheet 审批记录 with a title line, amounts as numbers and as text, submit
  times as real datetimes and as text.
- ``truth/``: customers.csv, orders.csv, conflicts.csv and a README.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bench.world import World

EXPORTED = datetime(2026, 11, 24, 18, 0, 5)
FILES = {
    "erp": "ERP销售数据.xlsx",
    "crm_accounts": "CRM客户.csv",
    "crm_orders": "CRM订单.csv",
    "oa": "OA审批.xlsx",
}
TRUTH_README = """# Ground truth of the demo data

Made by `bench/world.py` with the same seed as the files beside this folder.

- `orders.csv` — `entity_id,table,record_id` for every order record: `erp` is
  ERP销售数据.xlsx#销售订单 (单据编号), `crm` is CRM订单.csv (订单编号), `oa` is OA审批.xlsx
  (审批编号). Records of one deal share `entity_id`; a record alone is an orphan.
- `customers.csv` — `entity_id,table,record_id` for every customer record: `erp_customers`
  is ERP销售数据.xlsx#客户档案 (客户编码), `crm_customers` is CRM客户.csv (客户ID). All codes
  and accounts of one real company share `entity_id`; a branch (分公司) is its own company.
- `conflicts.csv` — `entity_id,field,table,record_id`: every planted disagreement, one row
  per record of the deal that holds the field (`amount`, `status` or `date`).

Planted, per deal: CRM order never booked in ERP 4 %; ERP order without approval 4 %; an
approval whose order never came 2 %; amount differs in ERP 4 %; OA rejected or withdrawn
while ERP approved 3 %; ERP booked more than a week after the CRM order 1 %. Everything
else differs by format only (amounts as ¥12,345.00 / 12345.00元 / 1.2万, dates in four
forms, 审批中 against 未审核, names with and without city, legal form, traditional
characters, typos).
"""


def _workbook() -> Workbook:
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "Concord demo"
    workbook.properties.created = EXPORTED
    workbook.properties.modified = EXPORTED
    return workbook


def _cell(sheet: Any, value: object, bold: bool = False) -> object:
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = (
            "yyyy-mm-dd" if value.time() == datetime.min.time() else "yyyy-mm-dd hh:mm"
        )
        return cell
    if bold:
        cell = WriteOnlyCell(sheet, value)
        cell.font = Font(bold=True)
        return cell
    return value


def _sheet(
    workbook: Workbook,
    name: str,
    titles: Sequence[str],
    rows: list[dict[str, object]],
    totals: Sequence[str] = (),
    blank_at: int | None = None,
) -> None:
    """A sheet as exported: titles, a bold header, rows (one blank among them), totals.
    Written in openpyxl's streaming mode, so 100,000 rows take seconds."""
    sheet = workbook.create_sheet(name)
    header = list(rows[0])
    for column in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    for index, title in enumerate(titles):
        sheet.append([_cell(sheet, title, bold=index == 0)])
    sheet.append([_cell(sheet, h, bold=True) for h in header])
    for index, row in enumerate(rows):
        if index == blank_at:
            sheet.append([])
        sheet.append([_cell(sheet, row[h]) for h in header])
    if totals:
        sums: list[object] = [
            round(sum(float(r[h]) for r in rows), 2) if h in totals else None
            for h in header  # type: ignore[arg-type]
        ]
        sums[0] = "合计"
        sheet.append(sums)


def _csv(path: Path, rows: list[dict[str, object]]) -> None:
    with open(path, "w", encoding="gb18030", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def _truth(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_world(world: World, out: Path) -> dict[str, Path]:
    """Write every export and the truth into ``out``; returns the export paths by name."""
    out.mkdir(parents=True, exist_ok=True)
    erp = _workbook()
    _sheet(
        erp,
        "客户档案",
        ["客户档案", "导出时间：2026-11-24 18:00:05    操作员：王芳"],
        world.erp_customers,
    )
    _sheet(
        erp,
        "销售订单",
        ["销售订单列表", "日期范围：2026-09-01 至 2026-11-24", ""],
        world.erp_orders,
        totals=("数量", "价税合计"),
        blank_at=len(world.erp_orders) // 2,
    )
    erp.save(out / FILES["erp"])
    _csv(out / FILES["crm_accounts"], world.crm_accounts)
    _csv(out / FILES["crm_orders"], world.crm_orders)
    oa = _workbook()
    _sheet(oa, "审批记录", ["销售合同审批记录（导出）"], world.oa_approvals)
    oa.save(out / FILES["oa"])
    truth = out / "truth"
    truth.mkdir(exist_ok=True)
    _truth(truth / "customers.csv", ["entity_id", "table", "record_id"], world.customer_truth)
    _truth(truth / "orders.csv", ["entity_id", "table", "record_id"], world.order_truth)
    _truth(
        truth / "conflicts.csv", ["entity_id", "field", "table", "record_id"], world.conflict_truth
    )
    (truth / "README.md").write_text(TRUTH_README, encoding="utf-8")
    return {name: out / file for name, file in FILES.items()}


def sources(paths: dict[str, Path]) -> dict[str, list[str]]:
    """The command-line sources of the orders and the customers reconciliations."""
    return {
        "orders": [
            f"erp={paths['erp']}#销售订单",
            f"crm={paths['crm_orders']}",
            f"oa={paths['oa']}",
        ],
        "customers": [
            f"erp_customers={paths['erp']}#客户档案",
            f"crm_customers={paths['crm_accounts']}",
        ],
    }


def write_order_csvs(world: World, out: Path) -> tuple[Path, Path]:
    """ERP and CRM orders as plain CSV, for the large two-table runs."""
    out.mkdir(parents=True, exist_ok=True)
    erp = [
        {k: (v.date().isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
        for row in world.erp_orders
    ]
    _csv(out / "erp_orders.csv", erp)
    _csv(out / "crm_orders.csv", world.crm_orders)
    return out / "erp_orders.csv", out / "crm_orders.csv"
