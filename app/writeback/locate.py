"""Find a record's cell by key and column name, the way the importer named them.

A change names its cell by record key and column name, never by position alone: rows
move between exports. The column names here are rebuilt with the importer's own rules
(a two-row header joined as "parent/child", repeats numbered), so a change made from an
import finds its cell again, or is refused with a message that says what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.decide.changes import Change, Target
from app.errors import InputError
from app.sources.layout import (  # the importer's own naming, so names match exactly
    _clean_name,
    _is_second_header,
    _join_header,
    unique_names,
)
from app.writeback.files import StaleCell, StaleTargetError


def header_schemes(
    upper: list[str] | None, lower: list[str], merged: Sequence[tuple[int, int]] = ()
) -> list[list[str]]:
    """The column names the importer could have given, most likely first.

    ``lower`` is the text of the header row (``Target.header_row``), ``upper`` the row
    above it, ``merged`` the column spans of merged cells starting in ``upper``. The
    importer names a single header row as it is and joins a two-row header as
    "parent/child"; it decides which with the same test used here.
    """
    width = max(len(lower), len(upper or []))
    lower = lower + [""] * (width - len(lower))
    single = unique_names([_clean_name(text) for text in lower])
    if upper is None:
        return [single, [text.strip() for text in lower]]
    rows = [upper + [""] * (width - len(upper)), lower]
    spans = [(0, c0, 0, c1) for c0, c1 in merged]
    joined = unique_names(_join_header(rows, [0, 1], spans))
    schemes = [joined, single] if _is_second_header(rows, 0, spans) else [single, joined]
    return [*schemes, [text.strip() for text in lower]]


def find_column(schemes: list[list[str]], name: str) -> int | None:
    """The 0-based position of the column called ``name`` under the first scheme naming it."""
    wanted = {name, name.strip(), _clean_name(name)}
    for names in schemes:
        for position, candidate in enumerate(names):
            if candidate in wanted:
                return position
    return None


def unknown_column(
    path: Path, target: Target, name: str, what: str, schemes: list[list[str]]
) -> InputError:
    shown = [n for n in schemes[0] if n]
    return InputError(
        f"{what} {name!r} not found in header row {target.header_row}",
        path=path,
        sheet=target.sheet,
        column=name,
        hint="the file's columns changed since the import; import it again. Columns there: "
        + ", ".join(shown[:15])
        + (" …" if len(shown) > 15 else ""),
    )


def missing_key(path: Path, target: Target, change: Change) -> InputError:
    return InputError(
        f"no record with {target.key_column} = {change.key!r}",
        path=path,
        sheet=target.sheet,
        row=change.row,
        column=target.key_column,
        hint="the record was deleted or its key changed since the import; import the file "
        "again and review this fix",
    )


def rows_of(path: Path, target: Target, change: Change, found: list[Line]) -> list[int]:
    """The rows a change goes to among those of its record: the record's one row; in a
    table of document lines every row that carries the document number (a head field,
    never a blank continuation cell), or the one line the change names."""
    if change.line is not None:
        column, value = change.line
        rows = [line.row for line in found if line.value(column).strip() == value.strip()]
        if len(rows) != 1:
            raise InputError(
                f"document {change.key!r} has {len(rows)} lines whose {column} is {value!r}",
                path=path,
                sheet=target.sheet,
                column=column,
                hint="nothing was written; import the file again and review this document",
            )
        return rows
    rows = [line.row for line in found if line.keyed]
    if not rows:
        raise missing_key(path, target, change)
    if len(rows) > 1 and not target.lines:
        raise duplicate_key(path, target, change, rows)
    return rows


@dataclass(frozen=True)
class Line:
    """A row of a record: its number, whether the key stands on it (a continuation line
    of a document leaves it blank), and its cells by header."""

    row: int
    keyed: bool
    value: Callable[[str], str]


def duplicate_key(path: Path, target: Target, change: Change, rows: list[int]) -> InputError:
    shown = ", ".join(str(r) for r in rows[:5]) + (" …" if len(rows) > 5 else "")
    return InputError(
        f"{len(rows)} records have {target.key_column} = {change.key!r} (rows {shown})",
        path=path,
        sheet=target.sheet,
        column=target.key_column,
        hint="nothing was written; make the key unique in the file, or choose a key column "
        "whose values are unique",
    )


def stale_error(path: Path, target: Target, total: int, cells: list[StaleCell]) -> StaleTargetError:
    shown = "; ".join(
        f"{c.key} {c.column}: expected {c.expected!r}, now {c.found!r}" for c in cells[:3]
    )
    more = f" and {len(cells) - 3} more" if len(cells) > 3 else ""
    return StaleTargetError(
        f"{len(cells)} of {total} cells changed since the import, nothing was written "
        f"({shown}{more})",
        path=path,
        sheet=target.sheet,
        hint="import the file again and review these records",
        stale=cells,
    )
