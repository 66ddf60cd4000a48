"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

Eighteen characters from a 31-symbol alphabet (digits and upper-case letters without
I, O, S, V, Z); the last one is a check character over the first seventeen. A valid check
makes a column unmistakably a USCC, and a failed one flags a typo worth showing.
"""

from __future__ import annotations

import re

from app.normalise.text import fold, settle

__all__ = ["is_valid_uscc", "normalise_uscc", "uscc_check_char"]

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {ch: i for i, ch in enumerate(USCC_CHARSET)}
_SEPARATORS = re.compile(r"[\s\-_.·/]+")


def _once(s: str) -> str:
    return _SEPARATORS.sub("", fold(s)).upper()


def normalise_uscc(s: str) -> str:
    """Upper case, full-width folded, spaces, dashes, dots and slashes removed."""
    return settle(_once, s)


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters, or "" when they are not 17 from the
    USCC alphabet."""
    if len(first17) != 17:
        return ""
    total = 0
    for ch, weight in zip(first17, USCC_WEIGHTS, strict=True):
        value = _VALUE.get(ch)
        if value is None:
            return ""
        total += value * weight
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_uscc(s: str) -> bool:
    """Whether the normalised cell is 18 USCC characters with a correct check character."""
    code = normalise_uscc(s)
    return len(code) == 18 and uscc_check_char(code[:17]) == code[17]
