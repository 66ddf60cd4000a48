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
