"""A change set: the approved fixes as rows, ready to preview, export or write back.

Each :class:`Change` names one cell of a target system by record key (never by position
alone: rows move between exports) and carries the value it must still hold (``old``)
for the write to go ahead, which is how a write-back refuses to overwrite something that
changed since it was imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime


@dataclass(frozen=True)
class Target:
    """Where changes go: a file (xlsx/xlsm/csv/tsv/txt) or a database table.

    ``location`` is a file path, or a SQLAlchemy URL without password for a database.
    ``sheet`` is the worksheet (workbooks) or the table name, with schema if any
    (databases); ``key_column`` the column that identifies a record there.
    """

    kind: str  # "xlsx", "csv" or "sql"
    location: str
    sheet: str | None
    key_column: str
    header_row: int = 1  # files: the 1-based row holding the (last) header line
    file_hash: str | None = None  # files: SHA-256 of the bytes imported; refuse if changed
    # The records are documents of several rows (lines): a change to a head field goes
    # to every row that carries the record's key.
    lines: bool = False


@dataclass(frozen=True)
class Change:
    """One cell to change: in ``target``, the record whose key is ``key``, ``column``."""

    target: Target
    key: str
    column: str
    old: str
    new: str
    reason: str = ""
    proposed_by: str = ""
    approved_by: str = ""
    row: int | None = None  # files: the 1-based row where the record was at import (a hint)
    # One line of a document (``Target.lines``): the line whose column (first) holds the
    # value (second) as the file spells it, among the rows of the document.
    line: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if self.line is not None and not isinstance(self.line, tuple):  # from JSON
            object.__setattr__(self, "line", (str(self.line[0]), str(self.line[1])))

    id: int | None = None  # the fix's id in the workspace, when it came from one


@dataclass
class ChangeSet:
    changes: list[Change] = field(default_factory=list)
    created: datetime = field(default_factory=datetime.now)

    def by_target(self) -> dict[Target, list[Change]]:
        grouped: dict[Target, list[Change]] = {}
        for change in self.changes:
            grouped.setdefault(change.target, []).append(change)
        return grouped

    def inverse(self) -> ChangeSet:
        """The change set that undoes this one (old and new swapped)."""
        return ChangeSet(
            [replace(c, old=c.new, new=c.old, reason=f"rollback: {c.reason}") for c in self.changes]
        )
