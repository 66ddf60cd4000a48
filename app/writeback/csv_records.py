"""Records of delimited text with the position of every field, as ``csv`` reads them.

Write-back splices new values into the original text, so it needs what the ``csv``
module does not give: where each field starts and ends, and whether it was quoted.
The rules are the ``csv`` module's default dialect (what the importer parses with):
records end at CR, LF or CRLF outside quotes, ``""`` inside quotes is one quote, and
text after a closing quote joins the field (non-strict).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

_NEWLINE = re.compile(r"\r\n|\r|\n")


class Field(NamedTuple):
    """One field of a record: its value as the ``csv`` module reads it, and its span."""

    value: str
    start: int  # character offsets into the text, quotes included
    end: int
    quoted: bool


@functools.lru_cache(maxsize=8)
def _patterns(delimiter: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    d = re.escape(delimiter)
    return re.compile(rf'"((?:[^"]+|"")*)"?([^{d}\r\n]*)'), re.compile(rf"[^{d}\r\n]*")


def record_at(text: str, pos: int, delimiter: str) -> tuple[list[Field], int]:
    """The record starting at ``pos``, and where the next one starts."""
    quoted, plain = _patterns(delimiter)
    size = len(text)
    fields: list[Field] = []
    while True:
        if text.startswith('"', pos):
            match = quoted.match(text, pos)
            assert match is not None  # the pattern matches any text after a quote
            value = match[1].replace('""', '"') + match[2]
            fields.append(Field(value, pos, match.end(), True))
        else:
            match = plain.match(text, pos)
            assert match is not None  # the pattern matches the empty string
            fields.append(Field(match[0], pos, match.end(), False))
        pos = match.end()
        if pos < size and text[pos] == delimiter:
            pos += 1
            continue
        return fields, pos + (2 if text.startswith("\r\n", pos) else 1)


def iter_records(text: str, delimiter: str, pos: int = 0) -> Iterator[list[Field]]:
    """Every record of ``text`` from ``pos`` on."""
    while pos < len(text):
        fields, pos = record_at(text, pos, delimiter)
        yield fields


def scan_column(text: str, delimiter: str, column: int, pos: int = 0) -> Iterator[tuple[int, str]]:
    """(start, value of field ``column``) of every record from ``pos`` on.

    Fast where it matters: a line without a quote is one record, split in native code;
    only records holding quotes go through :func:`record_at`.
    """
    size = len(text)
    while pos < size:
        line = _NEWLINE.search(text, pos)
        end, after = (line.start(), line.end()) if line else (size, size)
        if text.find('"', pos, end) < 0:
            parts = text[pos:end].split(delimiter, column + 1)
            yield pos, parts[column] if column < len(parts) else ""
            pos = after
        else:
            fields, following = record_at(text, pos, delimiter)
            yield pos, fields[column].value if column < len(fields) else ""
            pos = following
