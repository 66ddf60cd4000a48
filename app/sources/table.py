"""The imported table: raw text of every cell plus where each value came from.

A :class:`Table` keeps cells exactly as the file spelled them (write-back needs the
original text) in a columnar frame of strings; empty cells are ``""``. Provenance is
kept per table (path, sheet, encoding) and per row (the 1-based row in the file), so any
value can be traced to its cell without storing one object per cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Column:
    """One column of a table as it appears in the file."""

    name: str  # the header as the user sees it (unique within the table)
    position: int  # 0-based index in the file's rows

    @property
    def letter(self) -> str:
        return column_letter(self.position)


@dataclass(frozen=True)
class Cell:
    """The address of one value in its source file."""

    path: Path
    sheet: str | None
    row: int  # 1-based, as a spreadsheet shows it
    column: str  # letter

    def __str__(self) -> str:
        sheet = f"{self.sheet}!" if self.sheet else ""
        return f"{self.path.name} {sheet}{self.column}{self.row}"


@dataclass(frozen=True)
class SkippedRow:
    """A row of the file that is not data, with why it was left out."""

    row: int
    reason: str  # "title", "blank", "totals", "footer"
    text: str = ""


@dataclass(frozen=True)
class DataWarning:
    """Something the user should know about the data that does not stop the import."""

    column: str
    message: str
    rows: tuple[int, ...] = ()


@dataclass(frozen=True)
class Lines:
    """The lines behind a table of documents (a sales-order list with one row per order
    line, see :mod:`app.reconcile.lines`): the table's rows are its documents."""

    column: str  # the document column (单据编号): one value per document
    frame: pd.DataFrame  # every line, head fields filled down from the document's first line
    rows: np.ndarray  # the 1-based file row of each line
    document: np.ndarray  # each line's document: a row of the table of documents
    summed: tuple[str, ...] = ()  # columns whose document value is the sum of its lines
    line_columns: tuple[str, ...] = ()  # columns that differ line by line (product, price)
    filled: tuple[str, ...] = ()  # head columns left blank below the first line

    def of(self, document: int) -> np.ndarray:
        """The positions (in ``frame``) of one document's lines."""
        return np.flatnonzero(self.document == document)


@dataclass
class Table:
    """Rows of one sheet or text file, with provenance.

    ``frame`` holds one string column per :class:`Column` (same order, same names);
    ``rows`` holds the 1-based file row of each frame row.
    """

    path: Path
    sheet: str | None
    frame: pd.DataFrame
    rows: np.ndarray
    header_rows: tuple[int, ...]  # 1-based rows the header was read from
    columns: list[Column]
    encoding: str | None = None
    delimiter: str | None = None
    file_format: str = ""
    file_hash: str | None = None  # SHA-256 of the file's bytes when it was read
    skipped: list[SkippedRow] = field(default_factory=list)
    warnings: list[DataWarning] = field(default_factory=list)
    label: str = ""
    lines: Lines | None = None  # set when each row is a document of several lines
    derived: dict[object, object] = field(
        default_factory=dict, repr=False
    )  # caches of whole-column work

    def __post_init__(self) -> None:
        if not self.label:
            self.label = self.path.stem

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def header_row(self) -> int:
        """The last header row (1-based); data starts below it."""
        return self.header_rows[-1] if self.header_rows else 0

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def values(self, name: str) -> pd.Series:
        """Raw text of a column, ``""`` for empty cells."""
        return self.frame[name]

    def cell(self, index: int, name: str) -> Cell:
        """Where the value at frame position ``index`` of column ``name`` lives."""
        return Cell(self.path, self.sheet, int(self.rows[index]), self.column(name).letter)

    @property
    def display_name(self) -> str:
        return f"{self.path.name}#{self.sheet}" if self.sheet else self.path.name
