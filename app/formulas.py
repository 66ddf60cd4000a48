"""Text a spreadsheet would run as a formula, kept text in every file Concord writes.

A value starting with ``= + - @``, a tab or a carriage return is run by Excel (and by
LibreOffice and WPS) when it opens a CSV file — the OWASP "CSV injection" — and an
openpyxl cell given text starting with ``=`` becomes a live formula. Source values and
user names reach reports, exports, templates, crosswalks, audit exports and write-backs,
so every writer keeps them text through this one module.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def is_plain_number(text: str) -> bool:
    """A number a spreadsheet reads as a number, never as a formula ("-12.5", "+3")."""
    return bool(_PLAIN_NUMBER.match(text))


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula."""
    return text.startswith(FORMULA_START)


def neutralise(text: str) -> str:
    """Text for a delimited file that no spreadsheet runs: a formula-like value gets a
    leading single quote (the OWASP recommendation). Plain numbers such as ``-12.5``
    are left alone: a spreadsheet reads them as numbers, and a quote would corrupt them.
    """
    if looks_like_formula(text) and not is_plain_number(text):
        return "'" + text
    return text


def is_neutralised(found: str, expected: str) -> bool:
    """Whether ``found`` is ``expected`` as :func:`neutralise` wrote it."""
    return found != expected and found == neutralise(expected)


def csv_value(value: Any) -> Any:
    """A value for a CSV cell: text neutralised, anything else as it is."""
    return neutralise(value) if isinstance(value, str) else value


def keep_text(cell: Any, given: Any = None) -> None:
    """An openpyxl cell given text that starts with "=" holds a live formula: make it
    text again. Any text a spreadsheet could run (``+cmd``, ``@SUM(1)``, ``-1+1``) also
    gets Excel's quote prefix, so it stays text when someone edits the cell in Excel;
    plain numbers such as ``-12.5`` are left as they are. ``given`` is the text before a
    writer escaped it for the file (a leading carriage return), when it did."""
    if not isinstance(cell.value, str):
        return
    text = given if isinstance(given, str) else cell.value
    if cell.data_type == "f":
        cell.data_type = "s"
        cell.quotePrefix = True
    elif looks_like_formula(text) and not is_plain_number(text):
        cell.quotePrefix = True
