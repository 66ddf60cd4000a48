"""Business document numbers (keys and references): CRM-2026-00123 == crm202600123.

Systems copy each other's numbers with their own separators and case, so a reference is
compared upper-cased without separators; its digits, leading zeros included, are kept as
they are. OA approvals often carry the number only inside a title
("关于...销售合同的审批(CRM-2026-00123)"); :func:`find_references` digs it out.

A reference token is an ASCII letter prefix of 1-6 letters followed by digits (groups may be
joined by - _ / . #) with at least 5 digits in all, or a run of at least 8 digits that is
not a phone number, a date (yyyymmdd, yyyymmddHHMMSS) or a unified social credit code.
A prefix that is only a label (No., Nr., Ref:, ID#) is dropped: No.2026001 is 2026001.
"""

from __future__ import annotations

import re

from app.normalise.dates import parse_datetime
from app.normalise.phone import is_full_number
from app.normalise.text import fold, settle
from app.normalise.uscc import is_valid_uscc

__all__ = ["find_references", "looks_like_reference", "normalise_reference"]

_SEPARATORS = re.compile(r"[\s\-_/.#]+")
# A run of ASCII letters and digits, with single separators inside it.
# A run of ASCII letters and digits, with single separators inside it; not part of an
# e-mail address.
_CHUNK = re.compile(r"(?<![0-9a-z@])[0-9a-z]+(?:[-_/.#:][0-9a-z]+)*(?![0-9a-z@])")
_PREFIXED = re.compile(r"([a-z]{1,6})([-_/.#:]?)(\d+(?:[-_/.]\d+)*)")
_DIGIT_RUN = re.compile(r"\d{8,}")
_NON_DIGIT = re.compile(r"\D+")
_LABELS = frozenset(("no", "nr", "num", "ref", "id"))
_MIN_PREFIXED_DIGITS = 5


def _once(s: str) -> str:
    return _SEPARATORS.sub("", fold(s)).upper()


def normalise_reference(s: str) -> str:
    """Folded, upper case, without separators (- _ / . # and spaces); digits untouched."""
    if s.isascii() and s.isalnum():  # most keys: KH0100000, 001679bab485683
        return s.upper()
    return settle(_once, s)


def _is_other_number(digits: str) -> bool:
    """Whether a bare digit run is a phone number, a date or a USCC rather than a key."""
    if is_full_number(digits):
        return True
    if len(digits) in (8, 14) and parse_datetime(digits) is not None:
        return True
    return len(digits) == 18 and is_valid_uscc(digits)


def _token(chunk: str) -> str:
    """The normalised reference a chunk of ASCII letters and digits is, or ""."""
    prefixed = _PREFIXED.fullmatch(chunk)
    if prefixed:
        prefix, separator, number = prefixed.groups()
        digits = _NON_DIGIT.sub("", number)
        if prefix in _LABELS and separator in (".", ":", "#"):
            return digits if len(digits) >= _MIN_PREFIXED_DIGITS else ""
        return (prefix + digits).upper() if len(digits) >= _MIN_PREFIXED_DIGITS else ""
    if _DIGIT_RUN.fullmatch(chunk) and not _is_other_number(chunk):
        return chunk
    return ""


def find_references(text: str) -> list[str]:
    """The normalised reference tokens inside free text, de-duplicated, in order."""
    folded = fold(text)
    found: list[str] = []
    for chunk in _CHUNK.findall(folded):
        if len(chunk) == 18 and is_valid_uscc(chunk):
            continue
        token = _token(chunk)
        if token and token not in found:
            found.append(token)
    return found


def looks_like_reference(s: str) -> bool:
    """Whether the whole cell is one reference token (see the module docstring)."""
    folded = fold(s).replace(" ", "-")
    return bool(folded) and _CHUNK.fullmatch(folded) is not None and bool(_token(folded))
