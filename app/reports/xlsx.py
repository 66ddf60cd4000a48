"""Workbooks a supervisor can read: bold frozen header, filters, widths that fit, number
and date formats. Written to a temporary file and renamed, never half a file.

Whatever text reaches a workbook — user names, job and file names, source values typed
by anyone — is written so the save never fails and Excel reads the text back: control
characters that XML cannot hold are escaped the OOXML way, text beyond a cell's limit
is cut with a note saying so, and sheet titles are made into titles Excel accepts."""

from __future__ import annotations

import csv
import math
import numbers
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
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

CELL_LIMIT = 32_767  # characters in one cell: Excel's limit (openpyxl cuts silently)
TITLE_LIMIT = 31  # characters in a sheet title
# What XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF), a
# carriage return (which an XML reader turns into a line feed), and text that already
# looks like an OOXML escape: all written as _xHHHH_, as Excel writes them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_CUT_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{0,4})?$")
_TITLE_REFUSED = re.compile(r"[\\/*?:\[\]\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
RESERVED_TITLES = ("history",)  # Excel keeps this sheet name for itself


def worksheet_text(text: str) -> str:
    """``text`` as a worksheet cell holds it, read back by Excel exactly: characters XML
    cannot carry (\\x01, ESC, …) or would lose (a carriage return) as OOXML escapes
    (``_x001B_``; a literal ``_xHHHH_`` keeps its underscore as ``_x005F_``); beyond
    Excel's 32,767 characters, cut with a note of the full length (the CSV export keeps
    all of it)."""
    if _NOT_XML.search(text):
        text = _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    if len(text) > CELL_LIMIT:
        note = f" … [cut: {len(text):,} characters in all]"
        text = _CUT_ESCAPE.sub("", text[: CELL_LIMIT - len(note)]) + note
    return text


def cell_value(value: Any) -> Any:
    """A value openpyxl writes as data whatever it is: text through
    :func:`worksheet_text`, numbers, dates and times as they are (a NaN or an infinity,
    which a worksheet cannot hold, as its text), anything else as its text."""
    if value is None or isinstance(value, bool | date | time | timedelta):
        return value
    if isinstance(value, numbers.Real | Decimal):
        return value if math.isfinite(value) else str(value)
    return worksheet_text(value if isinstance(value, str) else str(value))


def sheet_titles(names: Iterable[str]) -> list[str]:
    """Titles Excel accepts for sheets named ``names``, in their order: characters it
    refuses (``\\ / * ? : [ ]`` and control characters) as "_", no apostrophe at either
    end, never empty nor "History", at most 31 characters, and no two alike ignoring case
    (a later one gets " (2)", " (3)", … within the 31)."""
    titles: list[str] = []
    taken = set(RESERVED_TITLES)
    for name in names:
        base = _TITLE_REFUSED.sub("_", name).strip("'")[:TITLE_LIMIT].strip("'") or "Sheet"
        title, count = base, 1
        while title.casefold() in taken:
            count += 1
            suffix = f" ({count})"
            title = base[: TITLE_LIMIT - len(suffix)].rstrip("'") + suffix
        taken.add(title.casefold())
        titles.append(title)
    return titles


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
    sheet.append([cell_value(h) for h in header])
    for cell, given in zip(sheet[1], header, strict=False):
        keep_text(cell, given)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    widths = [_display_width(h) for h in header]
    for number, row in enumerate(rows, start=2):
        # Cell by cell: looking a row up again (sheet[sheet.max_row]) walks every cell
        # written so far, which made a sheet of 25,000 rows take minutes.
        for column, given in enumerate(row, start=1):
            keep_text(sheet.cell(row=number, column=column, value=cell_value(given)), given)
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


def write_sheet_workbook(
    path: Path, sheets: Mapping[str, Sheet] | Sequence[tuple[str, Sheet]]
) -> Path:
    """A workbook with one formatted sheet per entry (sheet name → header, rows; pairs
    when two sheets may share a name); each name made a title Excel accepts, distinct
    from the others (:func:`sheet_titles`)."""
    entries = list(sheets.items() if isinstance(sheets, Mapping) else sheets)
    workbook = Workbook()
    workbook.remove(workbook.active)
    titles = sheet_titles(name for name, _ in entries)
    for title, (_, (header, rows)) in zip(titles, entries, strict=True):
        fill_sheet(workbook.create_sheet(title), header, rows)
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
        # a lone surrogate (a file name that was not UTF-8) as its escape, not a failure
        with os.fdopen(
            handle, "w", encoding="utf-8-sig", errors="backslashreplace", newline=""
        ) as stream:
            writer = csv.writer(stream)
            writer.writerow([csv_value(h) for h in header])
            writer.writerows([csv_value(v) for v in row] for row in rows)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
