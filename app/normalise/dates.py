"""Dates and times in every form the exports use, to ``date``/``datetime`` and ISO text.

Rules where a form is ambiguous (documented because a user will meet them):

* A four-digit number, or one above 31, is the year. With the year first the order is
  Y-M-D. With the year last: ``.`` means D.M.Y (European); ``/`` and ``-`` mean M/D/Y (the
  US order Excel writes) unless the first number is above 12, then D/M/Y.
* Two-digit years: ``/`` means M/D/YY (again D/M/YY when the first number is above 12);
  ``-`` and ``.`` mean YY-M-D, the Chinese order (26-3-5 → 2026-03-05). 00-68 are 20xx,
  69-99 are 19xx, as in Python's ``%y``.
* A cell that is only a number is a date only as ``yyyymmdd`` (8 digits),
  ``yyyymmddHHMMSS`` (14 digits) or an Excel serial day number between 20000 and 80000
  (1954-10-03 to 2119-01-11), fraction as time of day. Other numbers (quantities, IDs)
  are not dates.
* Time zones are read and ignored: the wall-clock time is kept.

Impossible dates (2026-02-30) give None; nothing here raises.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

from app.normalise.text import fold

__all__ = [
    "excel_serial_to_datetime",
    "normalise_date",
    "normalise_datetime",
    "parse_date",
    "parse_datetime",
]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATES = (
    re.compile(r"(?P<a>\d{1,4})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})(?!\d)"),
    re.compile(r"(?P<y>\d{2,4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"),
    re.compile(rf"(?P<d>\d{{1,2}}){_ORDINAL}[\s\-/.]*{_MONTH}[\s\-/.,]*(?P<y>\d{{2,4}})(?!\d)"),
    re.compile(rf"{_MONTH}[\s\-/.]*(?P<d>\d{{1,2}}){_ORDINAL}[\s,\-/.]+(?P<y>\d{{2,4}})(?!\d)"),
    re.compile(rf"(?P<y>\d{{4}})[\s\-/.]*{_MONTH}[\s\-/.]*(?P<d>\d{{1,2}})(?!\d)"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?!\d)"),
)
_COMPACT_DATETIME = re.compile(r"\d{8}t\d{6}")
_TIME = re.compile(
    r"(?:(?P<pre>上午|下午|晚上|中午|凌晨|早上)\s*)?"
    r"(?P<h>\d{1,2})\s*(?::|时|点)\s*(?P<mi>\d{1,2})"
    r"(?:\s*(?::|分)\s*(?P<s>\d{1,2})(?:[.,](?P<frac>\d{1,9}))?)?\s*(?:秒|分)?"
    r"\s*(?P<post>am|pm|a\.m\.|p\.m\.)?"
    r"\s*(?:z|utc|gmt)?\s*(?:[+-]\d{2}:?\d{2})?\s*(?:\([^()]*\))?"
)
_WEEKDAY = re.compile(
    r"[(]?(?:(?:星期|周|礼拜)[一二三四五六日天]|\b(?:mon(?:day)?|tue(?:s(?:day)?)?|"
    r"wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b\.?)[)]?,?"
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SERIAL_RANGE = (20000, 80000)
_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)


def excel_serial_to_datetime(x: float, epoch_1904: bool = False) -> datetime | None:
    """The datetime of an Excel serial day number, or None outside Excel's range.

    In the 1900 system serial 1 is 1900-01-01 and 60 is Lotus's phantom 1900-02-29,
    which does not exist (None). The fraction is the time of day, to the second.
    """
    try:
        value = float(x)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(value):
        return None
    if epoch_1904:
        if not 0 <= value < 2957004:
            return None
        base = _EPOCH_1904
    else:
        if not 1 <= value < 2958466 or 60 <= value < 61:
            return None
        base = _EPOCH_1900 if value >= 61 else _EPOCH_1900 + timedelta(days=1)
    days = math.floor(value)
    seconds = round((value - days) * 86400)
    try:
        return base + timedelta(days=days, seconds=seconds)
    except OverflowError:
        return None


def _year(text: str) -> int | None:
    if len(text) == 4:
        return int(text)
    if len(text) <= 2:
        yy = int(text)
        return 2000 + yy if yy <= 68 else 1900 + yy
    return None


def _numeric_ymd(a: str, sep: str, b: str, c: str) -> tuple[int, int, int] | None:
    """(year, month, day) of three numbers, by the rules in the module docstring."""
    ia, ib, ic = int(a), int(b), int(c)
    if len(a) >= 3 or ia > 31:
        year, month, day = _year(a), ib, ic
        if len(c) > 2:
            return None
    elif len(c) >= 3 or ic > 31 or sep == "/":
        year = _year(c)
        if sep == "." or ia > 12:
            day, month = ia, ib
        else:
            month, day = ia, ib
    else:
        year, month, day = _year(a), ib, ic
    return None if year is None else (year, month, day)


def _ymd(match: re.Match[str]) -> tuple[int, int, int] | None:
    groups = match.groupdict()
    if groups.get("sep"):
        return _numeric_ymd(groups["a"], groups["sep"], groups["b"], groups["c"])
    year = _year(groups["y"])
    month = _MONTHS[groups["mon"][:3]] if groups.get("mon") else int(groups["m"])
    return None if year is None else (year, month, int(groups["d"]))


def _time(rest: str) -> tuple[int, int, int, int] | None:
    """(hour, minute, second, microsecond) of the text after a date; midnight if none."""
    rest = rest.strip().removeprefix("t").strip()
    if not rest:
        return 0, 0, 0, 0
    match = _TIME.fullmatch(rest)
    if match is None:
        return None
    hour = int(match["h"])
    marker = match["pre"] or match["post"] or ""
    afternoon = marker in ("下午", "晚上", "pm", "p.m.") and hour < 12
    if afternoon or (marker == "中午" and hour < 11):
        hour += 12
    elif marker in ("上午", "凌晨", "早上", "am", "a.m.") and hour == 12:
        hour = 0
    micro = int((match["frac"] or "")[:6].ljust(6, "0"))
    return hour, int(match["mi"]), int(match["s"] or 0), micro


def _parse(text: str) -> datetime | None:
    if _NUMBER.fullmatch(text):
        return _parse_number(text)
    compact = _COMPACT_DATETIME.fullmatch(text)
    if compact:
        return _digits_datetime(text.replace("t", ""))
    text = " ".join(_WEEKDAY.sub(" ", text).split())
    for pattern in _DATES:
        match = pattern.match(text)
        if match is None:
            continue
        ymd = _ymd(match)
        hms = _time(text[match.end() :])
        if ymd is not None and hms is not None:
            result = _build(ymd, hms)
            if result is not None:
                return result
    return None


def _parse_number(text: str) -> datetime | None:
    if "." not in text and len(text) in (8, 14):
        return _digits_datetime(text)
    if len(text) > 20:
        return None
    value = float(text)
    if not _SERIAL_RANGE[0] <= value < _SERIAL_RANGE[1]:
        return None
    return excel_serial_to_datetime(value)


def _build(
    ymd: tuple[int, int, int], hms: tuple[int, int, int, int] = (0, 0, 0, 0)
) -> datetime | None:
    """The datetime of a (year, month, day) and an (hour, minute, second, µs), if it exists."""
    try:
        return datetime(*ymd, *hms)
    except (ValueError, OverflowError):
        return None


def _digits_datetime(digits: str) -> datetime | None:
    """``yyyymmdd`` or ``yyyymmddHHMMSS``."""
    ymd = (int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    if len(digits) == 8:
        return _build(ymd)
    return _build(ymd, (int(digits[8:10]), int(digits[10:12]), int(digits[12:14]), 0))


# A date as most exports write it, 2025-11-03 or 2025-11-03 13:19:18: read at once
_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?: (\d\d):(\d\d):(\d\d))?", re.ASCII)


def parse_datetime(s: str) -> datetime | None:
    """The date and time in a cell (midnight when it has no time), or None."""
    iso = _ISO.fullmatch(s)
    if iso:  # :func:`_parse` reads it the same, several times slower
        year, month, day, *clock = (int(part or 0) for part in iso.groups())
        moment = _build((year, month, day), (*clock, 0))
        if moment is not None:
            return moment
    text = fold(s)
    if not text or len(text) > 80:
        return None
    return _parse(text)


def parse_date(s: str) -> date | None:
    """The date in a cell (its time, if any, dropped), or None."""
    moment = parse_datetime(s)
    return moment.date() if moment else None


def normalise_date(s: str) -> str:
    """``YYYY-MM-DD``; the folded cell when it holds no date."""
    moment = parse_datetime(s)
    return moment.date().isoformat() if moment else fold(s)


def normalise_datetime(s: str) -> str:
    """``YYYY-MM-DD HH:MM:SS`` (seconds truncated); the folded cell when it holds no date."""
    moment = parse_datetime(s)
    if moment is None:
        return fold(s)
    return f"{moment.date().isoformat()} {moment:%H:%M:%S}"
