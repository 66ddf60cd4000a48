"""Plain-text tables for the terminal that line up with Chinese characters."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if width(text) <= limit:
        return text
    out, used = "", 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1:
            break
        out, used = out + ch, used + w
    return out + "…"


def pad(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def render(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> str:
    sizes = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [indent + "  ".join(pad(c, s) for c, s in zip(header, sizes, strict=True)).rstrip()]
    for row in rows:
        lines.append(
            indent + "  ".join(pad(c, s) for c, s in zip(row, sizes, strict=True)).rstrip()
        )
    return "\n".join(lines)
