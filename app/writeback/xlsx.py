"""Write fixes into an xlsx/xlsm workbook in place, with openpyxl.

The workbook is loaded with its formulas (not their cached results), VBA for .xlsm
and rich text, only the target cells are given new values, and it is saved whole:
styles, number formats, formulas, other sheets, merged cells, widths, panes, data
validation, conditional formatting, comments and defined names come back as they were.
What openpyxl cannot carry (pictures without Pillow, shapes, slicers, some Excel
extensions) is detected by comparing the parts of the old and new package and reported
as a loss, which :func:`app.writeback.preview.apply_file_changes` refuses by default.

A new value keeps the kind of the value it replaces (a number stays a number in the
cell's number format, a date a date), and text a spreadsheet would run as a formula is
stored as text with Excel's quote prefix, so it is shown, never evaluated.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from app.decide.changes import Change, Target
from app.errors import InputError
from app.formulas import looks_like_formula
from app.sources.excel_reader import cell_text, check_zip
from app.writeback.cell_values import same_value, typed_value
from app.writeback.files import (
    CellEdit,
    Edit,
    StaleCell,
    check_unchanged,
    read_target,
)
from app.writeback.locate import (
    duplicate_key,
    find_column,
    header_schemes,
    missing_key,
    stale_error,
    unknown_column,
)
from app.writeback.xlsx_parts import (
    UnexpectedPackage,
    cell_xml,
    put_cells,
    recalculate_on_load,
    repackage,
    sheet_part,
)

MAX_TEXT = 32767  # characters Excel holds in one cell
_HIGHLIGHT = PatternFill(fill_type="solid", fgColor="FFFF00")
_FEATURES = {  # what a reader of the workbook would miss, by package part
    "charts": re.compile(r"^xl/charts/chart\d+\.xml$"),
    "pictures": re.compile(r"^xl/media/"),
    "pivot tables": re.compile(r"^xl/pivotTables/[^/]+\.xml$"),
    "slicers or timelines": re.compile(r"^xl/(slicers|slicerCaches|timelines)/[^/]+\.xml$"),
    "form controls": re.compile(r"^xl/(ctrlProps|activeX)/[^/]+\.(xml|bin)$"),
    "embedded objects": re.compile(r"^xl/embeddings/"),
    "macros": re.compile(r"^xl/vbaProject\.bin$"),
    "threaded comments": re.compile(r"^xl/threadedComments/"),
    "pictures in cells": re.compile(r"^xl/richData/"),
    "tables": re.compile(r"^xl/tables/[^/]+\.xml$"),
    "comments": re.compile(r"^xl/comments(\d+\.xml|/[^/]+\.xml)$"),
    "external links": re.compile(r"^xl/externalLinks/[^/]+\.xml$"),
}
_SHAPE = re.compile(rb"<(?:\w+:)?sp[ >]")


def edit_xlsx(
    path: Path, data: bytes, target: Target, changes: Sequence[Change], *, highlight: bool = False
) -> Edit:
    """Plan ``changes`` in the workbook ``data`` (the bytes of ``path``) and render it.

    With ``highlight``, changed cells are also filled yellow and carry their old value
    in a comment (a copy for review, see :func:`highlight_copy`).
    """
    check_zip(path)
    workbook, load_warnings = _load(path, data)
    sheet = _worksheet(workbook, path, target)
    cells = _locate(sheet, data, path, target, changes)
    pending: dict[str, str] = {}  # coordinate → text after the earlier changes of this set
    edits: list[CellEdit] = []
    stale: list[StaleCell] = []
    for change, cell in zip(changes, cells, strict=True):
        found = pending.get(cell.coordinate, cell_text(cell.value))
        if not same_value(found, change.old):
            stale.append(StaleCell(change.key, change.column, change.old, found))
            continue
        _write(cell, change.new, path, target, target.header_row + 1)
        new = cell_text(cell.value)
        pending[cell.coordinate] = new
        edits.append(CellEdit(cell.row, cell.column_letter, found, new, change))
        if highlight:
            _highlight(cell, found, change.reason)
    if stale:
        return Edit(edits, stale, None)
    formulas = any(c.data_type == "f" for ws in workbook.worksheets for c in ws._cells.values())
    if not highlight:
        changed = {cell.coordinate: cell for cell in cells}  # no stale cell: all were written
        spliced = _splice(data, sheet.title, changed, workbook, formulas)
        if spliced is not None:  # only the target cells changed: nothing to lose
            return Edit(edits, [], spliced, [], _losses(data, spliced))
    content = _render(workbook, path)
    notes = list(load_warnings)
    if formulas:
        notes.append(
            "formula cells will have no stored result until the workbook is opened and "
            "saved in Excel (other programs see them empty until then)"
        )
    return Edit(edits, [], content, notes, _losses(data, content) + _dropped(load_warnings))


def _splice(
    data: bytes, title: str, cells: dict[str, Cell], workbook: Workbook, formulas: bool
) -> bytes | None:
    """The workbook with only ``cells`` rewritten in its sheet XML (see
    :mod:`app.writeback.xlsx_parts`); None for a package laid out unexpectedly, which is
    then saved whole (and checked for losses) instead."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            part = sheet_part(package, title)
            sheet = package.read(part).decode("utf-8")
            book = package.read("xl/workbook.xml").decode("utf-8")
        sheet = put_cells(
            sheet,
            lambda at, style: cell_xml(at, cells[at].value, style, workbook.epoch),
            set(cells),
        )
        replaced = {part: sheet.encode("utf-8")}
        if formulas:
            replaced["xl/workbook.xml"] = recalculate_on_load(book).encode("utf-8")
        return repackage(data, replaced)
    except (UnexpectedPackage, KeyError, ValueError, UnicodeDecodeError, ElementTree.ParseError):
        return None


def highlight_copy(target: Target, changes: Sequence[Change], out_path: Path) -> Path:
    """A copy of the workbook with ``changes`` applied, changed cells yellow, old values
    in comments: something to mail to a supervisor before the real write-back."""
    path = Path(target.location)
    if out_path.resolve() == path.resolve():
        raise InputError("the copy cannot replace the workbook itself", path=out_path)
    data = read_target(path)
    check_unchanged(target, path, data)
    edit = edit_xlsx(path, data, target, changes, highlight=True)
    if edit.content is None:
        raise stale_error(path, target, len(changes), edit.stale)
    out_path.write_bytes(edit.content)
    return out_path


def _highlight(cell: Cell, old: str, reason: str) -> None:
    cell.fill = _HIGHLIGHT
    note = f"Concord: was {old!r}" + (f"\n{reason}" if reason else "")
    if cell.comment is not None:  # keep what the author wrote
        note = f"{cell.comment.text}\n{note}"
    cell.comment = Comment(note, "Concord", width=240, height=80)


def _load(path: Path, data: bytes) -> tuple[Workbook, list[str]]:
    """The workbook with formulas, macros (xlsm) and rich text; openpyxl's warnings kept."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            workbook = load_workbook(
                io.BytesIO(data),
                keep_vba=path.suffix.lower() == ".xlsm",
                data_only=False,
                keep_links=True,
                rich_text=True,
            )
        except Exception as error:  # openpyxl raises many unrelated types for odd files
            raise InputError(
                f"the workbook cannot be opened for writing ({type(error).__name__}: "
                f"{str(error)[:100]})",
                path=path,
                hint="open it in Excel and save it again as .xlsx, then import it again",
            ) from None
    return workbook, sorted({str(w.message) for w in caught})


def _dropped(load_warnings: list[str]) -> list[str]:
    return [w for w in load_warnings if "will be removed" in w or "not supported" in w]


def _worksheet(workbook: Workbook, path: Path, target: Target) -> Worksheet:
    name = target.sheet or workbook.sheetnames[0]
    if name not in workbook.sheetnames:
        raise InputError(
            f"there is no sheet named {name!r}",
            path=path,
            hint="sheets in this workbook: " + ", ".join(workbook.sheetnames),
        )
    sheet = workbook[name]
    if not isinstance(sheet, Worksheet):
        raise InputError("this sheet is a chart, not a table", path=path, sheet=name)
    return sheet


def _row_text(sheet: Worksheet, row: int) -> list[str]:
    # Read through the cell store: openpyxl's accessors would create empty cells.
    return [
        cell_text(_shown(cell.value)) if (cell := sheet._cells.get((row, col))) else ""
        for col in range(1, sheet.max_column + 1)
    ]


def _shown(value: object) -> object:
    """An array formula as its text (openpyxl keeps it as an object), anything else as is."""
    return getattr(value, "text", value) if isinstance(value, ArrayFormula) else value


def _locate(
    sheet: Worksheet, data: bytes, path: Path, target: Target, changes: Sequence[Change]
) -> list[Cell]:
    """The cell of every change, found by key and header; InputError when it cannot be."""
    top = target.header_row
    upper = _row_text(sheet, top - 1) if top > 1 else None
    spans = [
        (r.min_col - 1, r.max_col - 1)
        for r in sheet.merged_cells.ranges
        if r.min_row == top - 1 and r.max_col > r.min_col
    ]
    schemes = header_schemes(upper, _row_text(sheet, top), spans)
    key_col = find_column(schemes, target.key_column)
    if key_col is None:
        raise unknown_column(path, target, target.key_column, "key column", schemes)
    rows = _key_rows(sheet, data, key_col + 1, top, {c.key.strip() for c in changes})
    located: list[Cell] = []
    for change in changes:
        column = find_column(schemes, change.column)
        if column is None:
            raise unknown_column(path, target, change.column, "column", schemes)
        found = rows.get(change.key.strip(), [])
        if not found:
            raise missing_key(path, target, change)
        if len(found) > 1:
            raise duplicate_key(path, target, change, found)
        cell = sheet.cell(found[0], column + 1)
        _check_writable(sheet, cell, path, target, change)
        located.append(cell)
    return located


def _key_rows(
    sheet: Worksheet, data: bytes, col: int, header_row: int, wanted: set[str]
) -> dict[str, list[int]]:
    """Rows below the header whose key cell shows one of the ``wanted`` keys."""
    cached: dict[int, object] | None = None
    rows: dict[str, list[int]] = {}
    for row in range(header_row + 1, sheet.max_row + 1):
        cell = sheet._cells.get((row, col))
        if cell is None or cell.value is None:
            continue
        value = cell.value
        if cell.data_type == "f":  # the importer saw the formula's stored result
            if cached is None:
                cached = _cached_column(data, sheet.title, col)
            value = cached.get(row)
        key = cell_text(value).strip()
        if key in wanted:
            rows.setdefault(key, []).append(row)
    return rows


def _cached_column(data: bytes, title: str, col: int) -> dict[int, object]:
    """The stored results of one column's formulas, as the importer read them."""
    workbook = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    try:
        sheet = workbook[title]
        values = sheet.iter_rows(min_col=col, max_col=col, values_only=True)
        return {row: value for row, (value,) in enumerate(values, start=1)}
    finally:
        workbook.close()


def _check_writable(
    sheet: Worksheet, cell: Cell, path: Path, target: Target, change: Change
) -> None:
    problem = None
    if isinstance(cell, MergedCell) or cell.coordinate in sheet.merged_cells:
        problem = "the cell is part of merged cells, which hold one value for several cells"
        hint = "unmerge those cells in Excel, import again and review this fix"
    elif cell.data_type == "f":
        formula = getattr(cell.value, "text", None) or str(cell.value)  # array formulas too
        problem = f"the cell holds a formula ({formula[:60]}); a value would replace it"
        hint = "change the cells the formula uses instead, or remove the formula in Excel"
    elif (inside := _inside(sheet, cell)) is not None:
        problem, hint = inside
    if problem:
        raise InputError(
            problem, path=path, sheet=target.sheet, row=cell.row, column=change.column, hint=hint
        )


def _inside(sheet: Worksheet, cell: Cell) -> tuple[str, str] | None:
    """Why a cell that Excel manages as part of something larger may not be written:
    an array formula's range, a pivot table, or an Excel table's header row."""
    for ref in getattr(sheet, "array_formulae", {}).values():
        if cell.coordinate in CellRange(ref):
            return (
                f"the cell is part of an array formula over {ref}",
                "change the cells the formula uses instead",
            )
    for pivot in getattr(sheet, "_pivots", []):
        ref = getattr(getattr(pivot, "location", None), "ref", None)
        if ref and cell.coordinate in CellRange(ref):
            return (
                f"the cell is inside the pivot table {pivot.name!r} ({ref})",
                "change the pivot table's source data and refresh it in Excel",
            )
    for table in sheet.tables.values():
        header = CellRange(table.ref)
        if table.headerRowCount != 0 and cell.row == header.min_row and cell.coordinate in header:
            return (
                f"the cell is the header of the table {table.name!r}",
                "rename the column in Excel; a fix changes data, not headers",
            )
    return None


def _write(cell: Cell, text: str, path: Path, target: Target, first_row: int) -> None:
    """Give ``cell`` the value ``text``, typed like the value it replaces."""
    if len(text) > MAX_TEXT:
        raise InputError(
            f"the new value is {len(text)} characters long; Excel holds at most {MAX_TEXT}",
            path=path,
            sheet=target.sheet,
            row=cell.row,
            column=cell.column_letter,
        )
    value = typed_value(cell, text, first_row)
    try:
        cell.value = value
    except IllegalCharacterError:
        raise InputError(
            "the new value holds control characters Excel cannot store",
            path=path,
            sheet=target.sheet,
            row=cell.row,
            column=cell.column_letter,
            hint="remove them from the value and approve it again",
        ) from None
    if isinstance(value, str):
        cell.data_type = "s"  # "=…" stays text: openpyxl would store it as a formula
        if looks_like_formula(value):
            cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell


def _render(workbook: Workbook, path: Path) -> bytes:
    buffer = io.BytesIO()
    try:
        workbook.save(buffer)
    except Exception as error:
        raise InputError(
            f"the workbook cannot be saved ({type(error).__name__}: {str(error)[:100]})",
            path=path,
            hint="open it in Excel and save it again, then import it again",
        ) from None
    return buffer.getvalue()


def _features(data: bytes) -> Counter[str]:
    found: Counter[str] = Counter()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            for feature, pattern in _FEATURES.items():
                if pattern.match(name):
                    found[feature] += 1
            if name.startswith("xl/drawings/") and name.endswith(".xml"):
                found["shapes or text boxes"] += len(_SHAPE.findall(archive.read(name)))
    return found


def _losses(before: bytes, after: bytes) -> list[str]:
    """Features of the workbook that the rewritten package no longer holds."""
    old, new = _features(before), _features(after)
    return [
        f"{feature} ({count - new[feature]} of {count})"
        for feature, count in sorted(old.items())
        if new[feature] < count
    ]
