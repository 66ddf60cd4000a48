"""Workbooks a supervisor can read: bold frozen header, filters, widths that fit, number
and date formats. Written to a temporary file and renamed, never half a file."""

from __future__ import annotations

import csv
import os
import tempfile
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.errors import InputError
from app.formulas import csv_value, keep_text

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.0%"

Sheet = tuple[Sequence[str], Sequence[Sequence[Any]]]


def _display_width(value: Any) -> int:
    text = str(value) if value is not None else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text[:80])


def _number_format(header: str, value: Any) -> str | None:
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, float):
        return PERCENT_FORMAT if "rate" in header.lower() or "率" in header else MONEY_FORMAT
    return None


def fill_sheet(sheet: Any, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A formatted table; every value is data, never a formula (see :mod:`app.formulas`)."""
    sheet.append(list(header))
    for cell in sheet[1]:
        keep_text(cell)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    widths = [_display_width(h) for h in header]
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            keep_text(cell)
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _display_width(value))
    for index, name in enumerate(header, start=1):
        sample = next(
            (r[index - 1] for r in rows if index - 1 < len(r) and r[index - 1] is not None), None
        )
        fmt = _number_format(name, sample)
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = fmt
        sheet.column_dimensions[get_column_letter(index)].width = min(
            60, max(8, widths[index - 1] + 2)
        )
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"


def check_out(path: Path) -> None:
    """Refuse an output path that is a folder, or whose folder does not exist."""
    if path.is_dir():
        raise InputError("this is a folder, not a file to write", path=path, hint="name a file")
    if not path.parent.is_dir():
        raise InputError(
            f"the folder {path.parent} does not exist", path=path, hint="create it first"
        )


def save_atomically(workbook: Workbook, path: Path) -> Path:
    check_out(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        workbook.save(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_sheet_workbook(path: Path, sheets: dict[str, Sheet]) -> Path:
    """A workbook with one formatted sheet per entry (sheet name → header, rows)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows) in sheets.items():
        fill_sheet(workbook.create_sheet(name[:31]), header, rows)
    return save_atomically(workbook, path)


def write_rows(
    path: Path,
    name: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    about: Sequence[Sequence[Any]] = (),
) -> Path:
    """One table as a formatted .xlsx sheet called ``name`` (with ``about``, item and
    value rows such as the audit anchor, on a sheet "About"), or for any other suffix as
    CSV in UTF-8 with a BOM (so Excel opens Chinese text right); replaced atomically."""
    if path.suffix.lower() == ".xlsx":
        sheets: dict[str, Sheet] = {name: (header, rows)}
        if about:
            sheets["About"] = (["Item", "Value"], about)
        return write_sheet_workbook(path, sheets)
    check_out(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".csv", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow([csv_value(h) for h in header])
            writer.writerows([csv_value(v) for v in row] for row in rows)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
