"""Folding shared by every normaliser: width, script, case and spacing.

Exports from Chinese systems mix full-width and half-width forms, traditional and
simplified characters, ideographic spaces and invisible marks; none of that is ever a real
difference between two values. :func:`fold` removes it and is the first step of every other
normaliser, so it is cached and has an ASCII fast path.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Protocol

__all__ = ["fold", "normalise_text", "settle", "strip_punct", "word_list"]

# Zero-width and soft-hyphen marks copied along with cells, and C0/C1 control characters
# other than whitespace: junk that no viewer shows, dropped outright.
_INVISIBLE = re.compile(
    "[{}]".format(
        "".join(
            re.escape(chr(c))
            for c in [0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]
            + [c for c in range(0x20) if chr(c) not in "\t\n\v\f\r\x1c\x1d\x1e\x1f"]
            + list(range(0x7F, 0x85))
            + list(range(0x86, 0xA0))
        )
    )
)  # a pattern, not a translate table: translate is slow on non-ASCII text
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Everything that is not a letter or digit in any script: punctuation, symbols, spaces,
# the underscore, combining marks.
_NOT_ALNUM = re.compile(r"[\W_]+")
_CACHE_LIMIT = 256  # longer strings (free text) are folded without caching


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _t2s() -> _Converter:
    """The OpenCC traditional → simplified converter, built once on first use."""
    import opencc

    converter: _Converter = opencc.OpenCC("t2s")
    return converter


def _to_simplified(text: str) -> str:
    try:
        return _t2s().convert(text)
    except (UnicodeError, ValueError):  # lone surrogates from a lossy decode
        return _t2s().convert(_SURROGATE.sub("\ufffd", text))


def _fold_once(s: str) -> str:
    if s.isascii():
        return " ".join(_INVISIBLE.sub("", s).lower().split())
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", s))
    text = " ".join(text.split())  # before t2s, so it sees the final spacing
    text = _to_simplified(text).lower()
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=32768)
def _fold_cached(s: str) -> str:
    return _fold_uncached(s)


def _fold_uncached(s: str) -> str:
    folded = _fold_once(s)
    if folded != s and not folded.isascii():  # unchanged input is stable already
        # Case mapping and script conversion can, rarely, expose a character that a second
        # pass would change again; repeat until stable so that fold(fold(x)) == fold(x).
        for _ in range(3):
            again = _fold_once(folded)
            if again == folded:
                break
            folded = again
    return folded


def fold(s: str) -> str:
    """Fold a raw cell for comparison: NFKC width folding, traditional → simplified,
    lower case, every run of whitespace as one space, stripped; invisible marks removed.

    Idempotent and total: any ``str`` is accepted, ``""`` gives ``""``.
    """
    if not s:
        return ""
    if len(s) > _CACHE_LIMIT:
        return _fold_uncached(s)
    return _fold_cached(s)


def strip_punct(s: str) -> str:
    """Keep only letters and digits (any script): punctuation, symbols and spaces go."""
    return _NOT_ALNUM.sub("", s)


def settle(once: Callable[[str], str], s: str) -> str:
    """``once(s)``, re-applied while that still changes it (a few times at most).

    Normalisers that remove characters after folding can, for rare non-ASCII input, make
    a new NFKC composition or a new traditional-character context that another pass would
    fold differently. Settling keeps every normaliser idempotent; ASCII results are
    returned at once, as the ASCII steps are stable by construction.
    """
    out = once(s)
    if out == s or out.isascii():  # once(s) == s: another pass would give s again
        return out
    for _ in range(4):
        again = once(out)
        if again == out:
            break
        out = again
    return out


def normalise_text(s: str) -> str:
    """Free text compares after folding and nothing else."""
    return fold(s)


def word_list(text: str) -> list[str]:
    """The whitespace-separated words of a literal, so that long vocabularies stay readable."""
    return text.split()
