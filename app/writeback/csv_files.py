"""Write fixes into a CSV, TSV or TXT export, changing only the changed fields' bytes.

The file is read exactly as the importer reads it (same encoding detection, same
delimiter sniffing, records as a spreadsheet counts them, a quoted newline inside its
record), and every field's position in the text is kept. A change replaces just that
field's span: the byte-order mark, the encoding, the quoting of every other field, the
line endings (CRLF stays CRLF) and the presence or absence of a final newline are
untouched, because those bytes are copied, not rewritten. A changed field is quoted when
it was quoted before or when its new value needs it; a value a spreadsheet would run as
a formula gets a leading quote.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from app.decide.changes import Change, Target
from app.errors import InputError
from app.formulas import is_neutralised, neutralise
from app.sources.csv_reader import sniff_delimiter
from app.sources.encoding import bom, detect_encoding
from app.sources.table import column_letter
from app.writeback.cell_values import same_value
from app.writeback.csv_records import Field, record_at, scan_column
from app.writeback.files import CellEdit, Edit, StaleCell
from app.writeback.locate import (
    Line,
    find_column,
    header_schemes,
    rows_of,
    unknown_column,
)

_SNIFF_CHARS = 1024 * 1024  # the head the importer sniffs covers its header window


def edit_csv(path: Path, data: bytes, target: Target, changes: Sequence[Change]) -> Edit:
    """Plan ``changes`` in the delimited file ``data`` (the bytes of ``path``) and splice."""
    text, codec, bom_length = _decode(path, data)
    delimiter = sniff_delimiter(text[:_SNIFF_CHARS], path.suffix.lower())
    head: list[list[str]] = []
    pos = 0
    while len(head) < target.header_row and pos < len(text):
        fields, pos = record_at(text, pos, delimiter)
        head.append([f.value for f in fields])
    if len(head) < target.header_row:
        raise InputError(
            f"the file has fewer than {target.header_row} rows; the header is gone",
            path=path,
            hint="import the file again",
        )
    schemes = header_schemes(head[-2] if len(head) > 1 else None, head[-1])
    key_col = find_column(schemes, target.key_column)
    if key_col is None:
        raise unknown_column(path, target, target.key_column, "key column", schemes)
    wanted = {c.key.strip() for c in changes}
    rows, count = _key_rows(text, delimiter, pos, key_col, target, wanted)
    edits, stale, spans = _plan(path, target, changes, schemes, rows, codec)
    if stale:
        return Edit(edits, stale, None)
    new_text, content = _splice(path, text, data, bom_length, codec, delimiter, spans)
    _verify(path, new_text, delimiter, spans, count)
    return Edit(edits, [], content)


def _decode(path: Path, data: bytes) -> tuple[str, str, int]:
    """The text after any byte-order mark, the codec, and the mark's length."""
    encoding = detect_encoding(data)
    if encoding is None:
        raise InputError("this is not a text table (binary data or an unknown encoding)", path=path)
    marked = bom(data)
    bom_length = marked[1] if marked else 0
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        return data[bom_length:].decode(codec), codec, bom_length
    except UnicodeDecodeError:
        raise InputError(f"the file is not valid {codec} text", path=path) from None


def _key_rows(
    text: str,
    delimiter: str,
    pos: int,
    key_col: int,
    target: Target,
    wanted: set[str],
) -> tuple[dict[str, list[tuple[int, bool, list[Field]]]], int]:
    """Data records (from ``pos``) whose key is one of ``wanted``, with their 1-based
    rows and whether the key stands on them (for a table of document lines, a blank key
    continues the document above); and the number of records in the file."""
    found: dict[str, list[tuple[int, bool, list[Field]]]] = {}
    row, current = target.header_row, ""
    rows = enumerate(scan_column(text, delimiter, key_col, pos), target.header_row + 1)
    for row, (start, key) in rows:
        keyed = bool(key.strip())
        if keyed:
            current = key.strip()
        owner = key.strip() if keyed or not target.lines else current
        if owner in wanted:
            found.setdefault(owner, []).append((row, keyed, record_at(text, start, delimiter)[0]))
    return found, row


_Spans = dict[tuple[int, int], tuple[str, list[Field]]]  # (row, col) → new value, record


def _plan(
    path: Path,
    target: Target,
    changes: Sequence[Change],
    schemes: list[list[str]],
    rows: dict[str, list[tuple[int, bool, list[Field]]]],
    codec: str,
) -> tuple[list[CellEdit], list[StaleCell], _Spans]:
    edits: list[CellEdit] = []
    stale: list[StaleCell] = []
    spans: _Spans = {}
    for change in changes:
        col = find_column(schemes, change.column)
        if col is None:
            raise unknown_column(path, target, change.column, "column", schemes)
        found = {r: fields for r, _keyed, fields in rows.get(change.key.strip(), [])}
        lines = [
            Line(r, keyed, _cells(path, target, schemes, fields))
            for r, keyed, fields in rows.get(change.key.strip(), [])
        ]
        for row in rows_of(path, target, change, lines):
            fields = found[row]
            if (row, col) in spans:
                current = spans[(row, col)][0]
            else:
                current = fields[col].value if col < len(fields) else ""
            if not (same_value(current, change.old) or is_neutralised(current, change.old)):
                stale.append(StaleCell(change.key, change.column, change.old, current))
                continue
            new = neutralise(change.new)
            _check_encodable(path, new, codec, row, column_letter(col))
            spans[(row, col)] = (new, fields)
            edits.append(CellEdit(row, column_letter(col), current, new, change))
    return edits, stale, spans


def _cells(
    path: Path, target: Target, schemes: list[list[str]], fields: list[Field]
) -> Callable[[str], str]:
    """A record's cell text by column name."""

    def value(name: str) -> str:
        col = find_column(schemes, name)
        if col is None:
            raise unknown_column(path, target, name, "column", schemes)
        return fields[col].value if col < len(fields) else ""

    return value


def _check_encodable(path: Path, value: str, codec: str, row: int, column: str) -> None:
    try:
        value.encode(codec)
    except UnicodeEncodeError as error:
        raise InputError(
            f"the new value holds {value[error.start : error.end]!r}, which this file's "
            f"encoding ({codec}) cannot store",
            path=path,
            row=row,
            column=column,
            hint="change the value, or save the file as UTF-8 and import it again",
        ) from None


def _needs_quotes(value: str, delimiter: str) -> bool:
    return any(ch in value for ch in (delimiter, '"', "\r", "\n"))


def _quotes_by_style(fields: list[Field], delimiter: str) -> bool:
    """Whether the exporter quotes fields that do not need it (quote-all style)."""
    return any(f.quoted and not _needs_quotes(f.value, delimiter) for f in fields)


def _field_text(value: str, delimiter: str, quoted: bool) -> str:
    if quoted or _needs_quotes(value, delimiter):
        return '"' + value.replace('"', '""') + '"'
    return value


def _replacements(spans: _Spans, delimiter: str) -> list[tuple[int, int, int, str]]:
    """(start, end, order, text) of every splice; fields a short record lacks are added.

    A new value is quoted when it needs quotes, or when its field was quoted by the
    exporter's style rather than by need: so quote-all files stay quote-all, and a
    value that needed quotes only for a comma loses them with the comma (which makes a
    rollback byte-exact).
    """
    result: list[tuple[int, int, int, str]] = []
    missing: dict[int, dict[int, str]] = {}
    records: dict[int, list[Field]] = {}
    for (row, col), (value, fields) in spans.items():
        if col < len(fields):
            field = fields[col]
            styled = field.quoted and (
                not _needs_quotes(field.value, delimiter) or _quotes_by_style(fields, delimiter)
            )
            result.append((field.start, field.end, 0, _field_text(value, delimiter, styled)))
        else:
            missing.setdefault(row, {})[col] = value
            records[row] = fields
    for row, values in missing.items():
        fields = records[row]
        styled = _quotes_by_style(fields, delimiter)
        tail = "".join(
            delimiter + (_field_text(values[c], delimiter, styled) if c in values else "")
            for c in range(len(fields), max(values) + 1)
        )
        result.append((fields[-1].end, fields[-1].end, 1, tail))
    return sorted(result)


def _splice(
    path: Path,
    text: str,
    data: bytes,
    bom_length: int,
    codec: str,
    delimiter: str,
    spans: _Spans,
) -> tuple[str, bytes]:
    """The new text and bytes: the original bytes between changed fields, copied.

    Each copied stretch is checked to be what its text encodes to, so a codec that does
    not round-trip is refused instead of shifting the splice.
    """
    texts: list[str] = []
    pieces = [data[:bom_length]]
    char, byte = 0, bom_length
    for start, end, _order, replacement in _replacements(spans, delimiter):
        gap, old = text[char:start].encode(codec), text[start:end].encode(codec)
        if data[byte : byte + len(gap) + len(old)] != gap + old:
            raise _not_exact(path, codec)
        pieces += [data[byte : byte + len(gap)], replacement.encode(codec)]
        texts += [text[char:start], replacement]
        byte += len(gap) + len(old)
        char = end
    if text[char:].encode(codec) != data[byte:]:
        raise _not_exact(path, codec)
    pieces.append(data[byte:])
    texts.append(text[char:])
    return "".join(texts), b"".join(pieces)


def _not_exact(path: Path, codec: str) -> InputError:
    return InputError(
        f"the file cannot be rewritten exactly in its encoding ({codec})",
        path=path,
        hint="save it as UTF-8 CSV, import it again, then write back",
    )


def _verify(path: Path, text: str, delimiter: str, spans: _Spans, records: int) -> None:
    """Read the new text back: as many records as before, each changed field as planned."""
    wanted: dict[int, dict[int, str]] = {}
    for (row, col), (value, _fields) in spans.items():
        wanted.setdefault(row, {})[col] = value
    wrong, row = False, 0
    for row, (start, _first) in enumerate(scan_column(text, delimiter, 0), start=1):
        if row in wanted:
            fields = record_at(text, start, delimiter)[0]
            for col, value in wanted.pop(row).items():
                wrong |= col >= len(fields) or fields[col].value != value
    if wrong or wanted or row != records:  # a bug here must never reach the user's file
        raise InputError(
            "the rewritten file would not read back as intended; nothing was written",
            path=path,
            hint="please report this file to support",
        )
