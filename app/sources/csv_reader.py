"""Read CSV, TSV and TXT exports.

The head of the file (a few dozen records) is parsed with the standard ``csv`` module to
find the delimiter and the header; the body is parsed by pandas' C parser into Arrow-backed
string columns, which keeps a million-row export fast and compact. Records are counted as a
spreadsheet shows them (a quoted newline stays inside its record), so row numbers match
what the user sees when opening the file in Excel.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from app.errors import InputError
from app.sources.assemble import assemble
from app.sources.encoding import bom, detect_encoding, is_utf8, looks_binary
from app.sources.layout import HEAD_WINDOW, find_layout
from app.sources.table import Table

DELIMITERS = (",", "\t", ";", "|")
_HEAD_BYTES = 256 * 1024
csv.field_size_limit(64 * 1024 * 1024)


@dataclass(frozen=True)
class Dialect:
    encoding: str
    delimiter: str
    bom_length: int


def read_csv(
    path: Path, data: bytes, *, encoding: str | None = None, delimiter: str | None = None
) -> Table:
    """Parse a delimited text export already read into ``data``."""
    encoding = encoding or detect_encoding(data)
    if encoding is None:
        raise InputError(
            "this is not a text table (binary data, or an unknown encoding)",
            path=path,
            hint="export the data again as CSV or Excel",
        )
    marked = bom(data)
    bom_length = marked[1] if marked else 0
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    head_text, delimiter, head_records, offsets = _head(data, bom_length, encoding, delimiter, path)
    layout = find_layout(head_records, path=path)
    start = layout.data_start  # 0-based record index of the first data record
    width = len(layout.names)
    _check_width(head_records[start:], layout.names, path, start)
    if start >= len(head_records):
        body = pd.DataFrame({i: pd.Series([], dtype="str") for i in range(width)})
    else:
        char_offset = offsets[start]
        byte_offset = bom_length + len(head_text[:char_offset].encode(encoding))
        body = _parse_body(
            data, byte_offset, Dialect(encoding, delimiter, bom_length), width, path, start
        )
    rows = np.arange(start + 1, start + 1 + len(body), dtype=np.int64)
    return assemble(
        path=path,
        sheet=None,
        layout=layout,
        head=head_records,
        body=body,
        rows=rows,
        encoding=marked[0] if marked else encoding,
        delimiter=delimiter,
        file_format="csv",
    )


def _check_width(records: list[list[str]], names: list[str], path: Path, start: int) -> None:
    """Refuse records with values beyond the last named column: a value holding an
    unquoted delimiter has shifted them. (Empty trailing fields are harmless.)"""
    named = max((i + 1 for i, name in enumerate(names) if name), default=1)
    for index, record in enumerate(records):
        if any(cell.strip() for cell in record[named:]):
            raise _ragged(path, start + index + 1, len(record), named)


def _ragged(path: Path, row: int, values: int, width: int) -> InputError:
    return InputError(
        f"this row has {values} values but the header names {width} columns",
        path=path,
        row=row,
        hint="a value probably contains the delimiter without quotes; quote it or export again",
    )


def _head(
    data: bytes, bom_length: int, encoding: str, delimiter: str | None, path: Path
) -> tuple[str, str, list[list[str]], list[int]]:
    """Decode enough of the file for the header window; sniff the delimiter there."""
    size = _HEAD_BYTES
    while True:
        chunk = data[bom_length : bom_length + size]
        final = bom_length + size >= len(data)
        try:
            text = codecs.getincrementaldecoder(encoding)(errors="strict").decode(chunk, final)
        except UnicodeDecodeError as error:
            raise InputError(
                f"the file is not valid {encoding} text (byte {bom_length + error.start})",
                path=path,
                hint="save it again as UTF-8 or GB18030 CSV",
            ) from None
        if looks_binary(text):
            raise InputError(
                "this is not a text table (it holds binary data)",
                path=path,
                hint="export the data again as CSV or Excel",
            )
        sniffed = delimiter or sniff_delimiter(text, path.suffix.lower())
        records, offsets = _parse_records(text, sniffed, HEAD_WINDOW + 1)
        if final or len(records) > HEAD_WINDOW:
            if not final:
                text = text[: offsets[HEAD_WINDOW]]
            return text, sniffed, records[:HEAD_WINDOW], offsets[:HEAD_WINDOW]
        size *= 4


class _CountingLines:
    """Feeds lines to ``csv.reader`` while tracking how many characters were consumed."""

    def __init__(self, text: str) -> None:
        self.lines = iter(text.splitlines(keepends=True))
        self.consumed = 0

    def __iter__(self) -> _CountingLines:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.consumed += len(line)
        return line


def _parse_records(text: str, delimiter: str, limit: int) -> tuple[list[list[str]], list[int]]:
    """The first ``limit`` records of ``text`` and the character offset each starts at."""
    lines = _CountingLines(text)
    reader = csv.reader(lines, delimiter=delimiter)
    records: list[list[str]] = []
    offsets: list[int] = []
    start = 0
    try:
        for record in reader:
            records.append(record)
            offsets.append(start)
            start = lines.consumed
            if len(records) >= limit:
                break
    except csv.Error:
        pass  # an unterminated quote at the cut; the records before it are whole
    return records, offsets


def sniff_delimiter(text: str, suffix: str = "") -> str:
    """The delimiter that splits the head records into the most consistent width."""
    if suffix == ".tsv":
        return "\t"
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        if delimiter not in text:
            continue
        records, _ = _parse_records(text, delimiter, HEAD_WINDOW)
        widths = [len(r) for r in records if any(cell.strip() for cell in r)]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        if common < 2:
            continue
        score = sum(1 for w in widths if w == common) * 100 + common
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _parse_body(
    data: bytes, offset: int, dialect: Dialect, width: int, path: Path, start: int
) -> pd.DataFrame:
    """Every record from ``offset`` on, as ``width`` string columns.

    Three parsers, fastest first: Arrow (multi-threaded; used when every record has the
    header's width and there are no blank lines, whose positions it would drop), pandas'
    C parser (pads short records, keeps blank lines), and the ``csv`` module, which finds
    the exact record that does not fit.
    """
    body = _utf8_body(data[offset:], dialect.encoding, path, start)
    frame = _parse_with_arrow(body, dialect.delimiter, width)
    if frame is not None:
        return frame
    try:
        frame = pd.read_csv(
            io.BytesIO(body),
            sep=dialect.delimiter,
            header=None,
            names=list(range(width)),
            index_col=False,
            dtype=str,
            na_filter=False,
            keep_default_na=False,
            skip_blank_lines=False,
            encoding="utf-8",
            engine="c",
            quoting=csv.QUOTE_MINIMAL,
            on_bad_lines="error",
            low_memory=False,
        )
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError):
        return _parse_body_exactly(body, dialect.delimiter, width, path, start)
    return frame.fillna("")


def _utf8_body(body: bytes, encoding: str, path: Path, start: int) -> bytes:
    """The body re-encoded as UTF-8; bytes that are not ``encoding`` (past the head, which
    was checked already) are refused with the row they sit in."""
    try:
        if encoding != "utf-8":
            return body.decode(encoding).encode("utf-8")
        if not is_utf8(body):
            body.decode("utf-8")
        return body
    except UnicodeDecodeError as error:
        row = start + 1 + body[: error.start].decode(encoding, errors="replace").count("\n")
        raise InputError(
            f"the file is not valid {encoding} text",
            path=path,
            row=row,
            hint="save it again as UTF-8 or GB18030 CSV",
        ) from None


def _parse_with_arrow(body: bytes, delimiter: str, width: int) -> pd.DataFrame | None:
    if b"\n\n" in body or b"\n\r\n" in body or b"\r\r" in body:
        return None
    names = [str(i) for i in range(width)]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(body),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    frame = table.to_pandas()
    frame.columns = list(range(width))
    return frame


def _parse_body_exactly(
    body: bytes, delimiter: str, width: int, path: Path, start: int
) -> pd.DataFrame:
    """The slow path for ragged files: find the exact record that does not fit."""
    text = body.decode("utf-8")
    columns: list[list[str]] = [[] for _ in range(width)]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for index, record in enumerate(reader):
            if len(record) > width and any(cell.strip() for cell in record[width:]):
                raise _ragged(path, start + index + 1, len(record), width)
            record = record[:width] + [""] * (width - len(record))
            for column, value in zip(columns, record, strict=True):
                column.append(value)
    except csv.Error as error:
        raise InputError(
            f"the file cannot be parsed as {delimiter!r}-separated text ({error})",
            path=path,
            row=start + reader.line_num,
            hint="check the quotes around that row, or export again",
        ) from None
    return pd.DataFrame({i: pd.Series(col, dtype="str") for i, col in enumerate(columns)})
