"""Where the table sits in a sheet: title lines, the header row(s), totals and footers.

Exports put a title ("销售订单列表"), metadata ("导出时间：…") and blank lines above the
header, sometimes a two-row header whose upper row is merged across column groups, and a
合计 row or a "制表人：" footer below the data. :func:`find_layout` looks at the first rows
of a sheet (as text) and decides which row is the header; :func:`totals_mask` and
:func:`footer_count` find the rows below the data that are not records.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.errors import InputError
from app.sources.table import column_letter
from app.sources.vector import is_blank, matches

HEAD_WINDOW = 40  # rows looked at to find the header

_NUMBER = re.compile(r"^[\s¥￥$€+\-(（]*[\d,，.]+%?[)）]?\s*(元|万元|万)?$")
_DATEISH = re.compile(r"^\d{2,4}[-/.年]\d{1,2}[-/.月]\d{1,2}")
_LONG_DIGITS = re.compile(r"\d{5,}")
_METADATA = re.compile(r"[:：]\s*\S")
_TOTALS = (  # a string for Arrow's regex engine (see totals_mask)
    r"(?i)^[ \t\x{3000}]*(合 *计|小 *计|总 *计|总 *合 *计|本页合计|本页小计|累 *计|汇 *总|"
    r"grand +total|sub-?total|totals?|sum)[ \t\x{3000}]*[:：]?[ \t\x{3000}]*$"
)
_FOOTER = re.compile(
    r"^\s*(制表|制单|审核|打印|复核|财务|经办|负责人|备注|说明|注)[^:：]{0,6}[:：]"
)


@dataclass(frozen=True)
class Layout:
    """The header of a sheet: which rows it spans and the column names it gives."""

    header_rows: tuple[int, ...]  # 0-based indices into the grid
    names: list[str]  # one per column position, "" where the header is empty
    skipped_above: tuple[int, ...]  # 0-based rows above the header (title, metadata, blank)

    @property
    def data_start(self) -> int:
        return self.header_rows[-1] + 1


def _is_label(value: str) -> bool:
    """Whether a cell reads like a column name rather than a data value."""
    text = value.strip()
    if not text or len(text) > 40:
        return False
    if _NUMBER.match(text) or _DATEISH.match(text) or _LONG_DIGITS.search(text):
        return False
    return not _METADATA.search(text)


def _filled(row: Sequence[str]) -> list[int]:
    return [i for i, value in enumerate(row) if value.strip()]


def _header_score(row: Sequence[str], width: int) -> float:
    """0..1: how much this row looks like a header of a table ``width`` columns wide."""
    filled = _filled(row)
    if not filled:
        return 0.0
    labels = [row[i] for i in filled if _is_label(row[i])]
    if len(labels) < len(filled) * 0.8:
        return 0.0
    if len({label.strip() for label in labels}) < len(labels) * 0.7:
        return 0.0
    needed = 1 if width == 1 else max(2, int(width * 0.5 + 0.5))
    if len(filled) < needed:
        return 0.0
    return len(filled) / width


def _is_data_row(rows: list[list[str]], index: int) -> bool:
    """A mostly-text row is still data when its numbers sit over numeric columns
    (a headerless list of people: "1788, McNally, Henry")."""
    below = [row for row in rows[index + 1 : index + 11] if _filled(row)]
    if not below:
        return False
    for col, value in enumerate(rows[index]):
        text = value.strip()
        if not text or _is_label(text):
            continue
        column = [row[col].strip() for row in below if row[col].strip()]
        if column and sum(not _is_label(v) for v in column) >= 0.8 * len(column):
            return True
    return False


def _data_width(grid: Sequence[Sequence[str]], start: int) -> int:
    """A robust width of the rows from ``start``: the 80th percentile of filled cells."""
    counts = sorted(len(_filled(row)) for row in grid[start : start + HEAD_WINDOW] if _filled(row))
    if not counts:
        return 0
    return counts[min(len(counts) - 1, int(len(counts) * 0.8))]


def find_layout(
    grid: Sequence[Sequence[str]],
    merged: Sequence[tuple[int, int, int, int]] = (),
    *,
    path: object = None,
    sheet: str | None = None,
) -> Layout:
    """Find the header in the first rows of a sheet.

    ``grid`` holds the first rows as text (ragged rows allowed). ``merged`` lists merged
    ranges as 0-based inclusive ``(row0, col0, row1, col1)``. Raises :class:`InputError`
    when no row reads like a header.
    """
    rows = [list(row) for row in grid[:HEAD_WINDOW]]
    width = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    if not any(_filled(row) for row in rows):
        raise InputError(
            "the sheet is empty",
            path=path,
            sheet=sheet,
            hint="pick the sheet that holds the data or export again",
        )
    header = None
    for index, row in enumerate(rows):
        if not _filled(row):
            continue
        table_width = max(_data_width(rows, index), len(_filled(row)))
        if _header_score(row, table_width) > 0 and not _is_data_row(rows, index):
            header = index
            break
    if header is None:
        first = next(i for i, row in enumerate(rows) if _filled(row))
        raise InputError(
            "no header row found: the first rows hold values, not column names",
            path=path,
            sheet=sheet,
            row=first + 1,
            hint="add a row of column names above the data",
        )
    header_rows = [header]
    if _is_second_header(rows, header, merged):
        header_rows.append(header + 1)
    names = _join_header(rows, header_rows, merged)
    skipped = tuple(i for i in range(header))
    return Layout(tuple(header_rows), names, skipped)


def _merged_in_row(merged: Sequence[tuple[int, int, int, int]], row: int) -> list[tuple[int, int]]:
    """Column spans of ranges that start in ``row`` and cover several columns."""
    return [(c0, c1) for r0, c0, _r1, c1 in merged if r0 == row and c1 > c0]


def _is_second_header(
    rows: list[list[str]], header: int, merged: Sequence[tuple[int, int, int, int]]
) -> bool:
    """Whether the row below the header is a sub-header (a two-row header)."""
    if header + 1 >= len(rows):
        return False
    upper, lower = rows[header], rows[header + 1]
    lower_filled = _filled(lower)
    if not lower_filled or any(not _is_label(lower[i]) for i in lower_filled):
        return False
    if _merged_in_row(merged, header):
        return True
    gaps_filled = [i for i in lower_filled if not upper[i].strip()]
    # A sub-header names columns the upper row leaves open (under a merged group label)
    # and leaves open the columns the upper row names alone (merged down).
    return bool(gaps_filled) and any(not lower[i].strip() for i in _filled(upper))


def _join_header(
    rows: list[list[str]], header_rows: list[int], merged: Sequence[tuple[int, int, int, int]]
) -> list[str]:
    width = len(rows[0]) if rows else 0
    upper = [_clean_name(value) for value in rows[header_rows[0]]]
    if len(header_rows) == 1:
        return upper
    lower = [_clean_name(value) for value in rows[header_rows[1]]]
    spans = _merged_in_row(merged, header_rows[0])
    group = list(upper)
    if spans:
        for c0, c1 in spans:
            for col in range(c0, min(c1 + 1, width)):
                group[col] = upper[c0]
    else:  # no merge information (CSV): a group label runs until the next label
        current = ""
        for col in range(width):
            if upper[col]:
                current = upper[col]
            elif lower[col]:
                group[col] = current
    names = []
    for col in range(width):
        parent, child = group[col], lower[col]
        if parent and child and parent != child:
            names.append(f"{parent}/{child}")
        else:
            names.append(child or parent)
    return names


def _clean_name(value: str) -> str:
    printable = "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    return " ".join(printable.replace("\u3000", " ").split())


def unique_names(names: Sequence[str]) -> list[str]:
    """Column names a user can tell apart: unnamed columns get their letter, repeats a count."""
    seen: dict[str, int] = {}
    result = []
    for position, name in enumerate(names):
        name = name or f"Column {column_letter(position)}"
        count = seen.get(name, 0) + 1
        seen[name] = count
        result.append(name if count == 1 else f"{name} ({count})")
    return result


def blank_mask(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty or white space."""
    mask = np.ones(len(frame), dtype=bool)
    for name in frame.columns:
        mask &= is_blank(frame[name])
    return mask


def totals_mask(frame: pd.DataFrame, columns: int = 3) -> np.ndarray:
    """Rows labelled as totals (合计/小计/总计/Total) in one of their first columns."""
    mask = np.zeros(len(frame), dtype=bool)
    for name in list(frame.columns)[:columns]:
        mask |= matches(frame[name], _TOTALS)
    return mask


def footer_count(frame: pd.DataFrame, limit: int = 10) -> int:
    """How many rows at the bottom are sign-off lines ("制表人：…") rather than data."""
    if len(frame.columns) < 2:
        return 0
    found = 0
    for offset in range(1, min(limit, len(frame)) + 1):
        cells = [str(v) for v in frame.iloc[len(frame) - offset].tolist() if str(v).strip()]
        if not cells:
            continue
        if len(cells) <= max(1, len(frame.columns) // 4) and _FOOTER.match(cells[0]):
            found = offset
            continue
        break
    return found
