"""Read workbooks: xlsx, xlsm, xlsb, xls and ods, through python-calamine.

calamine parses in native code and gives typed cells; we turn each into the text a user
sees (whole numbers without ".0", dates as ISO) and keep the grid position of every
value. Workbooks are checked before parsing: a zip whose parts inflate beyond reason or
whose XML declares entities is refused rather than expanded.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine as calamine

from app.errors import InputError
from app.sources.assemble import assemble
from app.sources.guards import check_extent
from app.sources.layout import HEAD_WINDOW, find_layout
from app.sources.table import Table

MAX_INFLATED = 2 * 1024**3  # bytes a workbook may expand to
MAX_RATIO = 200  # inflated / compressed size of one part, beyond which it is a bomb
_ENTITY_SCAN = 4096


def check_zip(path: Path) -> None:
    """Refuse zip bombs and XML entity declarations before any parser sees the file."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if total > MAX_INFLATED or (info.file_size > 50 * 1024**2 and ratio > MAX_RATIO):
                    raise InputError(
                        f"the workbook would expand to an unreasonable size (part {info.filename})",
                        path=path,
                        hint="this is not a normal export; open it in Excel and save a copy",
                    )
                if info.filename.endswith((".xml", ".rels")) and info.file_size:
                    with archive.open(info) as part:
                        start = part.read(_ENTITY_SCAN)
                    if b"<!ENTITY" in start or b"<!DOCTYPE" in start:
                        raise InputError(
                            f"the workbook declares XML entities (part {info.filename}), "
                            "which Excel never writes",
                            path=path,
                            hint="open it in Excel and save a copy, or ask the sender",
                        )
                    if info.filename.startswith("xl/worksheets/"):
                        check_extent(path, info.filename, _reader(archive, info))
    except zipfile.BadZipFile:
        raise InputError(
            "the workbook is damaged (not a valid zip archive)",
            path=path,
            hint="open it in Excel and save it again, or export again",
        ) from None
    except (zlib.error, EOFError, OSError) as error:  # a part's compressed bytes are broken
        raise InputError(
            f"the workbook is damaged ({short_error(error)})",
            path=path,
            hint="open it in Excel and save it again, or export again",
        ) from None


def _reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], Iterator[bytes]]:
    """Opens a part afresh on each call and yields it in chunks."""

    def chunks() -> Iterator[bytes]:
        with archive.open(info) as part:
            while chunk := part.read(16 * 1024**2):
                yield chunk

    return chunks


def open_workbook(path: Path, data: bytes | None = None) -> calamine.CalamineWorkbook:
    """The workbook at ``path``, or read from ``data`` (its bytes, already read)."""
    try:
        if data is not None:
            return calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise InputError(
            "the workbook is password-protected",
            path=path,
            hint="open it in Excel, remove the password (File → Info → Protect Workbook) "
            "and save a copy",
        ) from None
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as error:  # several unrelated types, and a Rust panic (BaseException)
        raise InputError(
            f"the workbook cannot be read ({short_error(error)})",
            path=path,
            hint="open it in Excel and save it again as .xlsx, or export again",
        ) from None


def short_error(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:120]


def worksheet_names(workbook: calamine.CalamineWorkbook) -> list[str]:
    """Visible worksheets (not chart sheets), in workbook order."""
    names = []
    for meta in workbook.sheets_metadata:
        if meta.typ != calamine.SheetTypeEnum.WorkSheet:
            continue
        if meta.visible != calamine.SheetVisibleEnum.Visible:
            continue
        names.append(meta.name)
    return names


def cell_text(value: object) -> str:
    """The text Excel shows for a typed cell (general format)."""
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            if abs(value) >= 1e15:  # Excel itself holds only 15 significant digits
                return format(Decimal(f"{value:.15g}"), "f")
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return _duration_text(value)
    return "" if value is None else str(value)


def _duration_text(value: dt.timedelta) -> str:
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def _fill_merged(
    grid: list[list[object]], merged: list[tuple[int, int, int, int]], below: int
) -> None:
    """Copy each merged range's value into all its cells, for ranges in the data area."""
    for r0, c0, r1, c1 in merged:
        if r0 < below or r0 >= len(grid):
            continue
        value = grid[r0][c0] if c0 < len(grid[r0]) else ""
        for r in range(r0, min(r1 + 1, len(grid))):
            row = grid[r]
            for c in range(c0, min(c1 + 1, len(row))):
                row[c] = value


def _used_positions(names: list[str], rows: list[list[object]]) -> list[int]:
    """Column positions up to the last named one, and beyond it those holding a value: a
    stray value at XFD4 should not cost sixteen thousand empty columns."""
    named = max((p + 1 for p, name in enumerate(names) if name), default=0)
    extra: set[int] = set()
    for row in rows:
        for offset, value in enumerate(row[named : len(names)]):
            if value is not None and (value.strip() if type(value) is str else True):
                extra.add(named + offset)
    return [*range(named), *sorted(extra)]


def read_sheet(path: Path, workbook: calamine.CalamineWorkbook, name: str) -> Table:
    """One worksheet as a table."""
    try:
        sheet = workbook.get_sheet_by_name(name)
        grid: list[list[object]] = sheet.to_python(skip_empty_area=False)
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as error:  # a Rust panic is a BaseException
        raise InputError(
            f"the sheet cannot be read ({short_error(error)})",
            path=path,
            sheet=name,
            hint="open the workbook in Excel and save it again",
        ) from None
    head = [[cell_text(v) for v in row] for row in grid[:HEAD_WINDOW]]
    layout = find_layout(head, merged, path=path, sheet=name)
    start = layout.data_start
    _fill_merged(grid, merged, start)
    width = len(layout.names)
    body_rows = grid[start:]
    columns: dict[int, list[str]] = {}
    for position in _used_positions(layout.names, body_rows):
        values = [row[position] if position < len(row) else "" for row in body_rows]
        columns[position] = [v if type(v) is str else cell_text(v) for v in values]
    body = pd.DataFrame({p: pd.Series(v, dtype="str") for p, v in columns.items()})
    if not width:
        body = pd.DataFrame(index=range(len(body_rows)))
    rows = np.arange(start + 1, start + 1 + len(body_rows), dtype=np.int64)
    return assemble(
        path=path,
        sheet=name,
        layout=layout,
        head=head,
        body=body,
        rows=rows,
        encoding=None,
        delimiter=None,
        file_format=path.suffix.lower().lstrip(".") or "xlsx",
    )


def iter_sheets(path: Path, sheet: str | None = None) -> Iterator[Table | InputError]:
    """Each data sheet of a workbook as a table, or the error that stopped it.

    With ``sheet`` given, only that sheet (raising when it is missing).
    """
    if zipfile.is_zipfile(path):
        check_zip(path)
    workbook = open_workbook(path)
    names = worksheet_names(workbook)
    if sheet is not None:
        if sheet not in workbook.sheet_names:
            raise InputError(
                f"there is no sheet named {sheet!r}",
                path=path,
                hint="sheets in this workbook: "
                + ", ".join(workbook.sheet_names[:12])
                + (" …" if len(workbook.sheet_names) > 12 else ""),
            )
        names = [sheet]
    for name in names:
        try:
            yield read_sheet(path, workbook, name)
        except InputError as error:
            if sheet is not None:
                raise
            yield error
