"""Column-at-a-time string tests in native code (Arrow), for million-row tables.

pandas sends patterns with ``\\s`` or ``\\d`` on non-ASCII text back to Python's ``re``,
one call per cell; these helpers call Arrow's RE2 directly, so write the patterns with
explicit ASCII classes (``[0-9]``, ``[ \\t]``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def arrow(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    return pa.array(values, type=pa.large_string(), from_pandas=True)


def matches(values: pd.Series, pattern: str) -> np.ndarray:
    """Boolean mask: where ``pattern`` matches (anchor it yourself with ``^``/``$``)."""
    result = pc.match_substring_regex(arrow(values), pattern)
    return np.asarray(pc.fill_null(result, False), dtype=bool)


def is_blank(values: pd.Series) -> np.ndarray:
    """Boolean mask: empty or white space only."""
    trimmed = pc.utf8_trim_whitespace(arrow(values))
    return np.asarray(pc.fill_null(pc.equal(pc.utf8_length(trimmed), 0), True), dtype=bool)


def plain_numbers(values: pd.Series) -> tuple[np.ndarray, int]:
    """The number each cell writes plainly (spaces, thousands separators and a currency
    sign allowed; NaN otherwise) and the most decimals any of them writes."""
    text = pc.replace_substring_regex(pc.utf8_trim_whitespace(arrow(values)), r"[,，¥￥ \t]", "")
    plain = pc.fill_null(
        pc.match_substring_regex(text, r"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)$"), False
    )
    numbers = pc.cast(pc.if_else(plain, text, None), pa.float64())
    dot = pc.find_substring(text, ".")
    places = pc.max(
        pc.if_else(
            pc.and_(plain, pc.greater_equal(dot, 0)),
            pc.subtract(pc.subtract(pc.binary_length(text), dot), 1),
            0,
        )
    ).as_py()
    return np.asarray(pc.fill_null(numbers, np.nan), dtype=float), int(places or 0)
