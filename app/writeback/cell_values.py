"""Cell values as text and back: comparing what a cell holds, typing what is written.

The importer shows every cell as text (``1200``, ``2026-01-05``); a change carries that
text. Comparing it with the cell now must not trip over formatting (``1200`` against
``1200.0``), and writing a new value must not turn a number column into text: a value
takes the kind of the value it replaces when it reads as one, else it stays text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from openpyxl.styles.numbers import is_date_format

_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)?(\.\d+)?([eE][+-]?\d+)?$")
_LEADING_ZERO = re.compile(r"^[+-]?0\d")
_DATE = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$"
)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DURATION = re.compile(r"^(\d+):([0-5]\d):([0-5]\d)$")
MAX_DIGITS = 15  # significant digits Excel keeps in a number


def same_value(found: str, expected: str) -> bool:
    """Whether a cell's text still is the value a change expects.

    Equal text, equal after trimming spaces, or the same number however written
    (``1200`` = ``1200.0`` = ``1,200``): a value can come back from Excel reformatted.
    """
    if found == expected or found.strip() == expected.strip():
        return True
    number, other = as_number(found), as_number(expected)
    return number is not None and number == other


def as_number(text: str) -> Decimal | None:
    """The number ``text`` spells in plain notation, or None."""
    text = text.strip()
    if not text or not _NUMBER.match(text) or not any(ch.isdigit() for ch in text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def number_value(text: str) -> int | float | None:
    """``text`` as a number Excel can hold without damage, else None.

    Leading zeros ("00123") and more than 15 significant digits (an 18-digit ID) stay
    text: as numbers they would lose exactly what makes them an identifier.
    """
    number = as_number(text)
    if number is None or _LEADING_ZERO.match(text.strip()):
        return None
    if len(number.normalize().as_tuple().digits) > MAX_DIGITS:
        return None
    if number == number.to_integral_value() and not re.search(r"[.eE]", text):
        return int(number)
    return float(number)


def date_value(text: str) -> dt.datetime | None:
    match = _DATE.match(text.strip())
    if not match:
        return None
    parts = [int(p) if p else 0 for p in match.groups()]
    try:
        return dt.datetime(*parts)  # type: ignore[arg-type]
    except ValueError:
        return None


def _time_value(text: str) -> dt.time | None:
    match = _TIME.match(text.strip())
    if not match:
        return None
    try:
        return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))
    except ValueError:
        return None


def _duration_value(text: str) -> dt.timedelta | None:
    match = _DURATION.match(text.strip())
    if not match:
        return None
    return dt.timedelta(hours=int(match[1]), minutes=int(match[2]), seconds=int(match[3]))


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dt.datetime | dt.date):
        return "date"
    if isinstance(value, dt.time):
        return "time"
    if isinstance(value, dt.timedelta):
        return "duration"
    return "text"


def cell_kind(value: object, number_format: str, neighbours: Iterable[object] = ()) -> str:
    """What kind of value a cell takes: from its value, else its number format, else the
    nearest filled cells of its column (``neighbours``, nearest first: an empty amount
    cell in an amount column)."""
    if value is not None and value != "":
        return _kind(value)
    if is_date_format(number_format):
        return "date"
    if number_format not in ("General", "@", ""):
        return "number"
    for neighbour in neighbours:
        if neighbour is not None and neighbour != "":
            return _kind(neighbour)
    return "text"


def typed_value(
    text: str, value: object, number_format: str = "General", neighbours: Iterable[object] = ()
) -> object:
    """What to store for ``text`` in a cell now holding ``value`` in ``number_format``:
    typed like that cell where it reads so (see :func:`cell_kind`); empty text empties it."""
    if text == "":
        return None
    kind = cell_kind(value, number_format, neighbours)
    typed: object = None
    if kind == "number":
        typed = number_value(text)
    elif kind == "date":
        typed = date_value(text)
    elif kind == "time":
        typed = _time_value(text)
    elif kind == "duration":
        typed = _duration_value(text)
    elif kind == "bool" and text.strip().upper() in ("TRUE", "FALSE"):
        typed = text.strip().upper() == "TRUE"
    return text if typed is None else typed
