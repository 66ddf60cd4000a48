"""Stable identity across runs: a record is its table plus key, its content a hash.

Tomorrow's export of the same order has the same key; if any of its values changed, its
content hash changes, which is how a decision made on yesterday's values knows to ask
for a re-check instead of silently applying.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.reconcile.output import record_ids
from app.sources.table import Table

RecordKey = tuple[str, str]  # (table label, record key)


def content_hashes(table: Table) -> list[str]:
    """Per row, a 16-hex-digit hash of every raw value, in column order (vectorised)."""
    hashed = pd.util.hash_pandas_object(table.frame, index=False).to_numpy(dtype=np.uint64)
    return [f"{value:016x}" for value in hashed.tolist()]


class Identities:
    """Keys and content hashes of every record of a run, and the way back to rows."""

    def __init__(self, tables: list[Table], keys: dict[str, str | None]) -> None:
        self.keys: dict[str, list[str]] = {
            t.label: record_ids(t, keys.get(t.label)) for t in tables
        }
        self.hashes: dict[str, list[str]] = {t.label: content_hashes(t) for t in tables}
        self._rows: dict[str, dict[str, int]] = {}
        for label, keys_ in self.keys.items():
            rows: dict[str, int] = {}
            for row, key in enumerate(keys_):
                rows.setdefault(key, row)
            self._rows[label] = rows

    def row(self, label: str, key: str) -> int | None:
        return self._rows.get(label, {}).get(key)

    def key(self, label: str, row: int) -> RecordKey:
        return label, self.keys[label][row]

    def unchanged(self, label: str, key: str, content_hash: str) -> bool:
        row = self.row(label, key)
        return row is not None and self.hashes[label][row] == content_hash
