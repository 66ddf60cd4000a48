"""Checks on a workbook's structure before the native parser sees it.

calamine holds a sheet as one dense grid from its first to its last cell, and follows a
compound file's sector chains as they are written: a stray cell at XFD1048576 asks for
hundreds of gigabytes (the process aborts), a chain that loops never ends. Both are
found here cheaply and refused as damaged, with what to do.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from app.errors import InputError
from app.sources.table import column_letter

MAX_ROWS = 1_048_576  # Excel's own limits
MAX_COLUMNS = 16_384
MAX_CELLS = 100_000_000  # a grid beyond this is no export we can hold in memory

_CELL = re.compile(rb'\sr="([A-Z]+)([0-9]+)"')
_WIDE = re.compile(rb'\sr="([A-Z]{3,})([0-9]+)"')
_TWO_LETTERS = re.compile(rb'\sr="[A-Z]{2}[0-9]')
_ROW = re.compile(rb'\sr="([0-9]+)"')
_DIGITS = [re.compile(rb'\sr="[A-Z]*[0-9]{%d}' % n) for n in range(1, 9)]  # 8: beyond
_CHUNK = 16 * 1024**2
_OVERLAP = 64


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _chunks(stream: Iterable[bytes]) -> Iterable[bytes]:
    """Chunks that overlap a little, so no reference is cut in two."""
    tail = b""
    for chunk in stream:
        yield tail + chunk
        tail = chunk[-_OVERLAP:]


def sheet_extent(open_part: Callable[[], Iterable[bytes]]) -> tuple[int, int]:
    """An upper bound on a worksheet's grid (rows, columns) from its XML in chunks: cheap
    when the sheet is small, exact (a second pass) when the bound would be too large."""
    wide = rows = digits = 0
    two_letters = False
    for chunk in _chunks(open_part()):
        for match in _WIDE.finditer(chunk):
            wide = max(wide, _column_number(match.group(1)))
        two_letters = two_letters or _TWO_LETTERS.search(chunk) is not None
        for match in _ROW.finditer(chunk):
            rows = max(rows, int(match.group(1)))
        while digits < len(_DIGITS) and _DIGITS[digits].search(chunk):
            digits += 1
        if digits >= len(_DIGITS) or wide > MAX_COLUMNS:
            return max(rows, 10**digits - 1), max(wide, 1)  # beyond Excel: no need to look on
    width = wide or (702 if two_letters else 26)
    height = max(rows, 10**digits - 1)
    if width * height <= MAX_CELLS and height <= MAX_ROWS:
        return height, width
    low_row, high_row, low_column, high_column = MAX_ROWS + 1, 0, MAX_COLUMNS + 1, 0
    for chunk in _chunks(open_part()):
        found = _CELL.findall(chunk)
        if not found:
            continue
        numbers = [int(row) for _, row in found]
        columns = [_column_number(letters) for letters, _ in set(found)]
        low_row, high_row = min(low_row, min(numbers)), max(high_row, max(numbers))
        low_column, high_column = min(low_column, min(columns)), max(high_column, max(columns))
    if not high_row:
        return rows, 0
    return max(high_row, rows) - low_row + 1, high_column - low_column + 1


def check_extent(path: Path, part: str, open_part: Callable[[], Iterable[bytes]]) -> None:
    """Refuse a worksheet whose cells reach beyond Excel's grid or beyond memory."""
    height, width = sheet_extent(open_part)
    if height > MAX_ROWS or width > MAX_COLUMNS:
        raise InputError(
            f"a sheet ({part}) has cells beyond Excel's last row or column "
            f"({height:,} rows, {width:,} columns)",
            path=path,
            hint="this is not a normal export; open it in Excel and save a copy",
        )
    if height * width > MAX_CELLS:
        raise InputError(
            f"a sheet ({part}) spans {height:,} rows by {width:,} columns "
            f"(to column {column_letter(width - 1)}), too large to read",
            path=path,
            hint="delete the empty rows and columns after the data in Excel (a stray value "
            "far away stretches the sheet), or save it as CSV",
        )


# --- compound files (.xls, encrypted packages) ----------------------------------------------

_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE
_SPECIAL = 0xFFFFFFFA  # ids from here up are markers, not sectors
_BOOKS = ("Workbook", "Book", "WORKBOOK", "BOOK")


def _damaged(path: Path, what: str) -> InputError:
    return InputError(
        f"the workbook is damaged ({what})",
        path=path,
        hint="open it in Excel and save it again, or export again",
    )


def check_compound(path: Path, data: bytes) -> None:
    """Refuse a compound file whose sector chains loop."""
    if len(data) < 512:
        raise _damaged(path, "the file is cut short")
    shift, mini_shift = struct.unpack_from("<HH", data, 30)
    if shift not in (9, 12) or mini_shift != 6:
        raise _damaged(path, "its header is not that of an Office file")
    size = 1 << shift
    sectors = max(0, (len(data) - size) // size)
    n_fat, directory = struct.unpack_from("<II", data, 44)
    mini_fat, n_mini = struct.unpack_from("<II", data, 60)
    difat, n_difat = struct.unpack_from("<II", data, 68)
    if n_fat > sectors or n_mini > sectors or n_difat > sectors:
        raise _damaged(path, "its header counts more sectors than the file holds")

    def sector(sid: int) -> bytes:
        return data[(sid + 1) * size : (sid + 2) * size]

    fat_ids = list(struct.unpack_from("<109I", data, 76))[: min(n_fat, 109)]
    seen: set[int] = set()
    while len(fat_ids) < n_fat:
        if difat >= _SPECIAL or difat in seen:
            raise _damaged(path, "its sector table is incomplete or loops")
        seen.add(difat)
        if difat >= sectors:
            raise _damaged(path, "its sector table points beyond the end of the file")
        entries = struct.unpack(f"<{size // 4}I", sector(difat))
        fat_ids.extend(entries[:-1])
        difat = entries[-1]
    table = b"".join(sector(sid) for sid in fat_ids[:n_fat])
    fat = np.frombuffer(table[: len(table) // 4 * 4], dtype="<u4")

    def chain(start: int, what: str) -> int:
        """The sectors of a chain; refuses one that comes back to a sector it passed
        (calamine would follow it for ever). One that runs out of the file is left to
        calamine, which says so."""
        sid, visited = start, set()
        while sid < _SPECIAL and sid < len(fat):
            if sid in visited:
                raise _damaged(path, f"the chain of {what} loops")
            visited.add(sid)
            sid = int(fat[sid])
        return len(visited)

    chain(directory, "the directory")
    if n_mini:
        chain(mini_fat, "the small-stream table")
    table = b"".join(sector(sid) for sid in _walk(fat, directory, sectors))
    for k in range(len(table) // 128):
        entry = table[k * 128 : (k + 1) * 128]
        start, length = struct.unpack_from("<II", entry, 116)
        if entry[66] in (2, 5) and start < _SPECIAL:  # a stream, or the root's mini stream
            held = chain(start, "a stream") * size
            name = entry[: max(0, struct.unpack_from("<H", entry, 64)[0] - 2)]
            if name.decode("utf-16-le", "replace") in _BOOKS and length >= 4096 > held:
                # calamine panics (and writes the panic to the terminal) on a book stream
                # that claims more than it holds
                raise _damaged(path, "its workbook stream is cut short")


def _walk(fat: np.ndarray, start: int, sectors: int) -> list[int]:
    ids, sid = [], start
    while sid < _SPECIAL and sid < sectors and len(ids) <= sectors:
        ids.append(sid)
        sid = int(fat[sid])
    return ids
