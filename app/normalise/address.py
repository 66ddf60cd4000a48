"""Addresses: compared as one run of letters and digits, building words unified.

Deliberately simple — addresses are matched fuzzily later, not parsed. Spaces and
punctuation go, a leading 中国 goes (every address here is in China unless it says
otherwise), and the several words for a building number agree: 3号楼 = 3栋 = 3幢 = 3#楼.
"""

from __future__ import annotations

from app.normalise.text import fold, settle, strip_punct

__all__ = ["normalise_address"]

_COUNTRY_PREFIXES = ("中华人民共和国", "中国", "china", "prc")
_BUILDING = (("号楼", "栋"), ("幢", "栋"), ("座楼", "座"))


def _once(s: str) -> str:
    text = fold(s).replace("#", "号")
    text = strip_punct(text)
    for old, new in _BUILDING:
        text = text.replace(old, new)
    stripped = True
    while stripped:
        stripped = False
        for prefix in _COUNTRY_PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix) :]
                stripped = True
    return text


def normalise_address(s: str) -> str:
    """Folded, no spaces or punctuation, ``#`` as 号, 号楼/幢 as 栋, no leading 中国."""
    return settle(_once, s)
