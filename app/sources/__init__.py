"""Step 1 of the data flow: read exports into tables with provenance.

The facade is :func:`read_tables` (every table in a file) and :func:`load_source` (one
table named by a ``[LABEL=]PATH[#SHEET]`` source spec). Format is decided by the file's
bytes, not its name: Chinese ERPs happily write tab-separated text or HTML into ``.xls``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from app.errors import InputError
from app.sources.csv_reader import read_csv
from app.sources.excel_reader import iter_sheets
from app.sources.files import read_regular
from app.sources.guards import check_compound
from app.sources.table import Cell, Column, DataWarning, SkippedRow, Table

__all__ = [
    "Cell",
    "Column",
    "DataWarning",
    "SkippedRow",
    "SourceSpec",
    "Table",
    "load",
    "load_source",
    "only_tables",
    "read_tables",
    "sniff_format",
]

MAX_FILE_SIZE = 4 * 1024**3
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(head: bytes) -> str:
    """``workbook``, ``text`` or the name of a format we refuse, from the first bytes."""
    if head.startswith(b"PK\x03\x04") or head.startswith(_OLE):
        return "workbook"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return "html"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    return "text"


def _read_bytes(path: Path) -> bytes:
    data = read_regular(path, MAX_FILE_SIZE)
    if not data:
        raise InputError("the file is empty (0 bytes)", path=path, hint="export it again")
    return data


def read_tables(path: Path | str, sheet: str | None = None) -> list[Table | InputError]:
    """Every table in a file: one for a text export, one per data sheet of a workbook.

    Sheets that hold no table come back as the :class:`InputError` saying why, so a
    caller listing a workbook can show them; a file that cannot be read at all raises.
    """
    path = Path(path)
    data = _read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    kind = sniff_format(data[:512])
    if kind == "workbook":
        if data.startswith(_OLE):
            check_compound(path, data)
        del data
        found = list(iter_sheets(path, sheet))
        for table in found:
            if isinstance(table, Table):
                table.file_hash = digest
        return found
    if kind != "text":
        names = {"html": "a web page (HTML)", "pdf": "a PDF document", "image": "an image"}
        raise InputError(
            f"this file is {names[kind]}, not a table",
            path=path,
            hint="open it in Excel and save it as .xlsx or .csv",
        )
    if sheet is not None:
        raise InputError(
            f"a text file has no sheets (asked for {sheet!r})",
            path=path,
            hint="leave out the #SHEET part",
        )
    table = read_csv(path, data)
    table.file_hash = digest
    return [table]


def only_tables(found: list[Table | InputError], path: Path) -> list[Table]:
    """The tables :func:`read_tables` found; none at all raises why (the first sheet's
    reason, or that the workbook has no sheets)."""
    tables = [t for t in found if isinstance(t, Table)]
    if tables:
        return tables
    error = next((e for e in found if isinstance(e, InputError)), None)
    if error is not None:
        raise error
    raise InputError(
        "the workbook has no sheet with data",
        path=path,
        hint="check that the export holds rows",
    )


def _exists(text: str) -> bool:
    try:
        return Path(text).exists()
    except (OSError, ValueError):  # a name too long, a NUL
        return False


@dataclass(frozen=True)
class SourceSpec:
    """A table named on the command line: ``[LABEL=]PATH[#SHEET]``."""

    label: str
    path: Path
    sheet: str | None = None

    @classmethod
    def parse(cls, text: str) -> SourceSpec:
        """Split ``[LABEL=]PATH[#SHEET]``. A file name may itself hold ``=`` or ``#``:
        of the readings, the first whose path exists wins (whole text first)."""
        readings = [("", text)]
        if "=" in text:
            label, rest = text.split("=", 1)
            if not any(sep in label for sep in ("/", "\\")):
                readings.append((label, rest))
        choices = []
        for label, rest in readings:
            choices.append((label, rest, None))
            for at in (i for i, ch in enumerate(rest) if ch == "#"):
                choices.append((label, rest[:at], rest[at + 1 :]))
        chosen = next((c for c in choices if c[1] and _exists(c[1])), None)
        if chosen is None:  # nothing exists: the plain reading, to name the missing file
            label, rest = readings[-1]
            path_text, _, sheet = rest.rpartition("#") if "#" in rest else (rest, "", "")
            chosen = (label, path_text, sheet or None)
        label, path_text, sheet = chosen
        if not path_text.strip():
            raise InputError(
                f"the source {text!r} names no file",
                hint="write it as [LABEL=]PATH[#SHEET]",
            )
        path = Path(path_text)
        return cls(label or path.stem, path, sheet or None)


def load(text: str) -> Table:
    """The table a command-line SOURCE names: a file (``[LABEL=]PATH[#SHEET]``) or a
    database table or query (``[LABEL=]URL#TABLE``, ``[LABEL=]URL#SELECT …``)."""
    from app.sources.database import is_database_source, read_database_source

    if is_database_source(text):
        return read_database_source(text)
    return load_source(SourceSpec.parse(text))


def load_source(spec: SourceSpec) -> Table:
    """The one table a spec names; without a sheet, the workbook's largest data sheet."""
    tables = only_tables(read_tables(spec.path, spec.sheet), spec.path)
    table = max(tables, key=len)
    if not len(table):
        raise InputError(
            "the table has a header but no data rows",
            path=spec.path,
            sheet=table.sheet,
            hint="export again with the rows included",
        )
    table.label = spec.label
    return table
