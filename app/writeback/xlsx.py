"""Write fixes into an xlsx/xlsm workbook, changing nothing but the target cells.

Each cell is found the way the importer read the workbook (python-calamine: the header,
the key column and the cell's old value), then written into the package's XML (see
:mod:`app.writeback.xlsx_parts`): the changed cells' ``<c>`` elements are replaced with
their style index kept, and every other part — charts, drawings, pivot caches, VBA,
printer settings, the other sheets, the stored results of formulas — is copied byte for
byte. A workbook with formulas is marked for recalculation when Excel next opens it.

A new value keeps the kind of the value it replaces (a number stays a number in the
cell's number format, a date a date), and text is stored as text, never as a formula.
Cells Excel manages as a whole — formulas, array formulas, merged cells, pivot tables,
table headers — are refused, saying which.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from xml.etree import ElementTree

import python_calamine as calamine
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils.cell import get_column_letter, range_boundaries

from app.decide.changes import Change, Target
from app.errors import InputError
from app.sources.excel_reader import cell_text, check_zip, open_workbook, short_error
from app.writeback.cell_values import same_value, typed_value
from app.writeback.files import (
    CellEdit,
    Edit,
    StaleCell,
    check_unchanged,
    read_target,
)
from app.writeback.locate import (
    Line,
    find_column,
    header_schemes,
    rows_of,
    stale_error,
    unknown_column,
)
from app.writeback.xlsx_parts import (
    CellXml,
    Managed,
    Package,
    UnexpectedPackage,
    array_ranges,
    cell_xml,
    epoch,
    has_formulas,
    managed_ranges,
    number_formats,
    put_cells,
    read_cells,
    recalculate_on_load,
    repackage,
    sheet_part,
    with_references,
)

MAX_TEXT = 32767  # characters Excel holds in one cell
_NEIGHBOURS = 20  # rows looked at above and below an empty cell to learn its column's kind
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0
_HIGHLIGHT = PatternFill(fill_type="solid", fgColor="FFFF00")
Grid = list[list[object]]
Bounds = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based)


def edit_xlsx(
    path: Path, data: bytes, target: Target, changes: Sequence[Change], *, highlight: bool = False
) -> Edit:
    """Plan ``changes`` in the workbook ``data`` (the bytes of ``path``) and render it.

    With ``highlight``, changed cells are also filled yellow and carry their old value
    in a comment (a copy for review, see :func:`highlight_copy`).
    """
    check_zip(path)
    name, grid, merged = _sheet(path, data, target)
    located = _locate(grid, merged, path, target, changes)
    try:
        with Package(data) as package:
            part = sheet_part(package, name)
            xml = with_references(package.read(part).decode("utf-8"))
            book = package.read(package.workbook).decode("utf-8")
            entries = {part: package.entry(part), "workbook": package.entry(package.workbook)}
            formats, dates = number_formats(package), epoch(package)
            formulas = has_formulas(package, part, xml)
            managed = [(m, _bounds(m.ref)) for m in managed_ranges(package, part)]
    except (
        UnexpectedPackage,
        KeyError,
        ValueError,
        UnicodeDecodeError,
        ElementTree.ParseError,
        zipfile.BadZipFile,
    ):
        raise InputError(
            "the workbook's parts are not laid out as Excel lays them out, so its cells "
            "cannot be changed safely",
            path=path,
            hint="open it in Excel and save it again as .xlsx, then import it again",
        ) from None
    coordinates = [f"{get_column_letter(col)}{row}" for _change, row, col in located]
    cells = read_cells(xml, set(coordinates))
    arrays = [(ref, _bounds(ref)) for ref in array_ranges(xml)]
    for (change, row, col), at in zip(located, coordinates, strict=True):
        _check_writable(cells.get(at), row, col, merged, arrays, managed, path, target, change)
    first_row = target.header_row + 1
    pending: dict[str, str] = {}  # coordinate → text after the earlier changes of this set
    values: dict[str, object] = {}
    edits: list[CellEdit] = []
    stale: list[StaleCell] = []
    for (change, row, col), at in zip(located, coordinates, strict=True):
        current = _value(grid, row, col)
        found = pending.get(at, cell_text(current))
        if not same_value(found, change.old):
            stale.append(StaleCell(change.key, change.column, change.old, found))
            continue
        _check_text(change.new, row, col, path, target)
        style = cells[at].style if at in cells else None
        number_format = formats[int(style)] if style and int(style) < len(formats) else "General"
        neighbours = _column_near(grid, row, col, first_row)
        values[at] = typed_value(change.new, current, number_format, neighbours)
        pending[at] = cell_text(values[at])
        edits.append(CellEdit(row, get_column_letter(col), found, pending[at], change))
    if stale:
        return Edit(edits, stale, None)
    xml = put_cells(
        xml, lambda at, style: cell_xml(at, values[at], style, dates), cells, set(values)
    )
    replaced = {entries[part]: xml.encode("utf-8")}
    if formulas:
        replaced[entries["workbook"]] = recalculate_on_load(book).encode("utf-8")
    content = repackage(data, replaced)
    if highlight:
        content = _highlighted(content, path, name, edits)
    return Edit(edits, [], content)


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


def _highlighted(content: bytes, path: Path, name: str, edits: list[CellEdit]) -> bytes:
    """The written workbook with each changed cell yellow and its old value in a comment
    (saved whole by openpyxl: it is a copy to look at, not the file itself)."""
    workbook = load_workbook(
        io.BytesIO(content), keep_vba=path.suffix.lower() == ".xlsm", rich_text=True
    )
    sheet = workbook[name]
    for edit in edits:
        cell = sheet[f"{edit.column}{edit.row}"]
        cell.fill = _HIGHLIGHT
        reason = edit.change.reason
        note = f"Concord: was {edit.old!r}" + (f"\n{reason}" if reason else "")
        if cell.comment is not None:  # keep what the author wrote
            note = f"{cell.comment.text}\n{note}"
        cell.comment = Comment(note, "Concord", width=240, height=80)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(path: Path, data: bytes, target: Target) -> tuple[str, Grid, list[Bounds]]:
    """The target sheet's name, its cells as the importer reads them (row by row from A1)
    and its merged ranges."""
    workbook = open_workbook(path, data)
    name = target.sheet or workbook.sheet_names[0]
    if name not in workbook.sheet_names:
        raise InputError(
            f"there is no sheet named {name!r}",
            path=path,
            hint="sheets in this workbook: " + ", ".join(workbook.sheet_names),
        )
    meta = next(m for m in workbook.sheets_metadata if m.name == name)
    if meta.typ != calamine.SheetTypeEnum.WorkSheet:
        raise InputError("this sheet is a chart, not a table", path=path, sheet=name)
    try:
        sheet = workbook.get_sheet_by_name(name)
        grid: Grid = sheet.to_python(skip_empty_area=False)
        ranges = sheet.merged_cell_ranges or []
    except Exception as error:  # calamine raises several unrelated types for bad files
        raise InputError(
            f"the sheet cannot be read ({short_error(error)})",
            path=path,
            sheet=name,
            hint="open the workbook in Excel and save it again",
        ) from None
    merged = [(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in ranges]
    return name, grid, merged


def _value(grid: Grid, row: int, col: int) -> object:
    """The value at a 1-based position, None for an empty cell."""
    if row > len(grid) or col > len(grid[row - 1]):
        return None
    value = grid[row - 1][col - 1]
    return None if value == "" else value


def _row_text(grid: Grid, row: int) -> list[str]:
    return [cell_text(v) for v in grid[row - 1]] if 0 < row <= len(grid) else []


def _column_near(grid: Grid, row: int, col: int, first_row: int) -> Iterator[object]:
    """The values of the column around ``row``, nearest first, data rows only."""
    for distance in range(1, _NEIGHBOURS + 1):
        for other in (row + distance, row - distance):
            if other >= first_row:
                yield _value(grid, other, col)


def _locate(
    grid: Grid, merged: list[Bounds], path: Path, target: Target, changes: Sequence[Change]
) -> list[tuple[Change, int, int]]:
    """Each change with the 1-based (row, column) of its cell, found by key and header
    (of each of its cells: a document's head field stands on every line that carries the
    document number); InputError when it cannot be."""
    top = target.header_row
    upper = _row_text(grid, top - 1) if top > 1 else None
    spans = [(c0 - 1, c1 - 1) for r0, c0, _r1, c1 in merged if r0 == top - 1 and c1 > c0]
    schemes = header_schemes(upper, _row_text(grid, top), spans)
    key_col = find_column(schemes, target.key_column)
    if key_col is None:
        raise unknown_column(path, target, target.key_column, "key column", schemes)
    wanted = {c.key.strip() for c in changes}

    def cells_of(row: int) -> Callable[[str], str]:
        def value(name: str) -> str:
            column = find_column(schemes, name)
            if column is None:
                raise unknown_column(path, target, name, "column", schemes)
            return cell_text(_value(grid, row, column + 1))

        return value

    rows: dict[str, list[Line]] = {}
    current = ""
    for row in range(top + 1, len(grid) + 1):
        key = cell_text(_value(grid, row, key_col + 1)).strip()
        keyed = bool(key)
        if keyed:
            current = key
        elif target.lines:  # a continuation line belongs to the document above it
            key = current
        if key in wanted:
            rows.setdefault(key, []).append(Line(row, keyed, cells_of(row)))
    located = []
    for change in changes:
        column = find_column(schemes, change.column)
        if column is None:
            raise unknown_column(path, target, change.column, "column", schemes)
        for row in rows_of(path, target, change, rows.get(change.key.strip(), [])):
            located.append((change, row, column + 1))
    return located


def _bounds(ref: str) -> Bounds:
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return min_row or 1, min_col or 1, max_row or 1_048_576, max_col or 16_384


def _inside(bounds: Bounds, row: int, col: int) -> bool:
    return bounds[0] <= row <= bounds[2] and bounds[1] <= col <= bounds[3]


def _check_writable(
    cell: CellXml | None,
    row: int,
    col: int,
    merged: list[Bounds],
    arrays: list[tuple[str, Bounds]],
    managed: list[tuple[Managed, Bounds]],
    path: Path,
    target: Target,
    change: Change,
) -> None:
    """Refuse a cell Excel manages as part of something larger, saying what."""
    problem = hint = ""
    if any(_inside(bounds, row, col) for bounds in merged):
        problem = "the cell is part of merged cells, which hold one value for several cells"
        hint = "unmerge those cells in Excel, import again and review this fix"
    elif (ref := next((r for r, b in arrays if _inside(b, row, col)), None)) is not None:
        problem = f"the cell is part of an array formula over {ref}"
        hint = "change the cells the formula uses instead"
    elif cell is not None and cell.formula is not None:
        shown = f" ({cell.formula[:60]})" if cell.formula else ""
        problem = f"the cell holds a formula{shown}; a value would replace it"
        hint = "change the cells the formula uses instead, or remove the formula in Excel"
    for table, bounds in managed:
        if problem or not _inside(bounds, row, col):
            continue
        if table.kind == "pivot":
            problem = f"the cell is inside the pivot table {table.name!r} ({table.ref})"
            hint = "change the pivot table's source data and refresh it in Excel"
        elif table.header_rows and row < bounds[0] + table.header_rows:
            problem = f"the cell is the header of the table {table.name!r}"
            hint = "rename the column in Excel; a fix changes data, not headers"
    if problem:
        raise InputError(
            problem, path=path, sheet=target.sheet, row=row, column=change.column, hint=hint
        )


def _check_text(text: str, row: int, col: int, path: Path, target: Target) -> None:
    problem = hint = ""
    if len(text) > MAX_TEXT:
        problem = f"the new value is {len(text)} characters long; Excel holds at most {MAX_TEXT}"
    elif _CONTROL.search(text):
        problem = "the new value holds control characters Excel cannot store"
        hint = "remove them from the value and approve it again"
    if problem:
        raise InputError(
            problem,
            path=path,
            sheet=target.sheet,
            row=row,
            column=get_column_letter(col),
            hint=hint or None,
        )
