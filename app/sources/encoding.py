"""Which text encoding a CSV export uses.

Order of evidence: a byte-order mark; strict UTF-8 over the whole file; GB18030 (which
covers GBK and GB2312, the usual encodings of Kingdee and Yonyou exports); then
charset-normalizer's best guess for anything else (Big5, Shift-JIS, cp1252…). Binary
data is refused instead of being decoded into nonsense.
"""

from __future__ import annotations

import codecs

import pyarrow as pa
from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_OK = {"\t", "\n", "\r", "\f", "\x1a"}


def bom(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces and the mark's length."""
    for mark, name in _BOMS:
        if data.startswith(mark):
            return name, len(mark)
    return None


def is_utf8(data: bytes) -> bool:
    """Strict UTF-8 validity, checked by Arrow in native code (fast on large files)."""
    if data.isascii():
        return True
    try:
        pa.array([data], pa.large_binary()).cast(pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return False
    return True


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def looks_binary(text: str) -> bool:
    """Whether decoded text is really binary data (NULs, many control characters)."""
    sample = text[:65536]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ch < " " and ch not in _CONTROL_OK)
    return controls > max(8, len(sample) // 200)


def utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 exports without a mark show a NUL in every other byte of ASCII text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    odd_nuls = sample[1::2].count(0) / (len(sample) // 2)
    even_nuls = sample[0::2].count(0) / ((len(sample) + 1) // 2)
    if odd_nuls > 0.4 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def detect_encoding(data: bytes) -> str | None:
    """The encoding of ``data``, or None when it is not text in any encoding we trust."""
    marked = bom(data)
    if marked:
        return marked[0]
    if is_utf8(data):
        return "utf-8"
    wide = utf16_without_bom(data)
    if wide and _decodes(data, wide):
        return wide
    if b"\x00" in data[:65536]:
        return None
    if _decodes(data, "gb18030"):
        return "gb18030"
    best = from_bytes(data[:1_000_000]).best()
    if best is None:
        return None
    name = str(best.encoding)
    return name if _decodes(data, name) else None
