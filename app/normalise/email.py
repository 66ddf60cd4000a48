"""E-mail addresses: compared case-insensitively, without mailto: or a display name.

Addresses are folded (full-width ＠ and letters become ASCII), a Chinese full stop 。 typed
by an IME becomes a dot, and from ``张三 <zhangsan@x.com>`` or a list only the first address
is kept. The local part is lower-cased too: real systems treat it case-insensitively.
"""

from __future__ import annotations

import re

from app.normalise.text import fold

__all__ = ["is_email", "normalise_email"]

_ANGLE = re.compile(r"<([^<>]*@[^<>]*)>")
_LIST_SEPARATOR = re.compile(r"[;,，；\s/|、]+")
_MAILTO = re.compile(r"^(?:mailto:)+")
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~\-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,24}"
)


def normalise_email(s: str) -> str:
    """Canonical address: folded, lower case, no mailto:, no spaces, first of several."""
    text = fold(s).replace("。", ".")
    if not text:
        return ""
    angle = _ANGLE.search(text)
    if angle:
        text = angle.group(1)
    parts = [p for p in _LIST_SEPARATOR.split(text) if p]
    with_at = [p for p in parts if "@" in p]
    text = (with_at or parts or [""])[0]
    while True:
        cleaned = _MAILTO.sub("", text.strip("<>\"'()[]"))
        if cleaned == text:
            return text
        text = cleaned


def is_email(s: str) -> bool:
    """Whether the cell holds a plausible address (the first, if it lists several)."""
    return bool(_EMAIL.fullmatch(normalise_email(s)))
