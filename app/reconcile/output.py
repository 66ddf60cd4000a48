"""The files ``concord reconcile`` and ``concord dedupe`` write (the documented contract).

- ``links.csv``: ``entity_id,table,record_id`` — every input record exactly once.
- ``conflicts.csv``: ``entity_id,field,table,record_id,column,value`` — one row per record
  and field where a group disagrees; ``column`` is the source header, ``value`` the raw text.
- ``summary.json``: per table rows, key column and column → field mapping; totals; seconds.

Files are written to temporary names and renamed into place, so a reader never sees half
a file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from app.formulas import csv_value
from app.reconcile.pipeline import RECONCILE, LinkResult
from app.sources.table import Table


def record_ids(table: Table, key: str | None) -> list[str]:
    """The key column's values, or ``row:N`` with N the 1-based row in the file."""
    if key is not None:
        return table.values(key).str.strip().tolist()
    return [f"row:{int(r)}" for r in table.rows]


def entity_ids(result: LinkResult) -> list[str]:
    width = max(6, len(str(len(result.groups))))
    return [f"E{index + 1:0{width}d}" for index in range(len(result.groups))]


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _csv(header: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180 line ends: a value holding "\r" is quoted
    writer.writerow([csv_value(h) for h in header])
    writer.writerows([csv_value(v) for v in row] for row in rows)
    return buffer.getvalue()


def summary(result: LinkResult, seconds: float) -> dict[str, Any]:
    labels = [t.label for t in result.tables]
    complete = sum(1 for g in result.groups if g.tables() == set(labels))
    tables = {}
    for table in result.tables:
        profile = result.mapping.profiles[table.label]
        columns = {}
        for column in profile.columns:
            found = result.mapping.field_of(table.label, column.name)
            columns[column.name] = found.name if found is not None else None
        tables[table.label] = {
            "source": str(table.path),
            "sheet": table.sheet,
            "rows": len(table),
            "key_column": profile.key,
            "columns": columns,
            "types": {c.name: str(c.type) for c in profile.columns},
        }
    totals = {
        "entities": len(result.groups),
        "complete_groups": complete,
        "orphans": sum(1 for g in result.groups if g.tables() != set(labels))
        if result.mode == RECONCILE
        else None,
        "duplicate_groups": sum(1 for g in result.groups if len(g.members) > 1),
        "conflicts": len(result.conflicts),
        "candidates": result.candidates,
        "auto": sum(1 for g in result.groups if g.band == "auto"),
        "review": sum(1 for g in result.groups if g.band == "review"),
    }
    return {
        "mode": result.mode,
        "tables": tables,
        "totals": totals,
        "candidates": {
            f"{p.a}~{p.b}": {"pairs": len(p.levels.i), "rules": p.rules} for p in result.pairs
        },
        "seconds": round(seconds, 3),
        "stages": {k: round(v, 3) for k, v in result.timings.items()},
    }


def write_outputs(result: LinkResult, out: Path, seconds: float) -> None:
    out.mkdir(parents=True, exist_ok=True)
    ids = {t.label: record_ids(t, result.mapping.profiles[t.label].key) for t in result.tables}
    order = {t.label: k for k, t in enumerate(result.tables)}
    entities = entity_ids(result)
    links = []
    for entity, group in zip(entities, result.groups, strict=True):
        for label, row in sorted(group.members, key=lambda m: (order[m[0]], m[1])):
            links.append([entity, label, ids[label][row]])
    conflict_rows = []
    for conflict in result.conflicts:
        values = result.prepared.fields[conflict.field]
        for label, row in conflict.members:
            column = values.field.columns[label]
            raw = result.table(label).values(column).iloc[row]
            conflict_rows.append(
                [entities[conflict.group], conflict.field, label, ids[label][row], column, raw]
            )
    _write_atomically(out / "links.csv", _csv(["entity_id", "table", "record_id"], links))
    _write_atomically(
        out / "conflicts.csv",
        _csv(["entity_id", "field", "table", "record_id", "column", "value"], conflict_rows),
    )
    text = json.dumps(summary(result, seconds), ensure_ascii=False, indent=2) + "\n"
    _write_atomically(out / "summary.json", text)
