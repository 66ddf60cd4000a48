"""The files ``concord reconcile`` and ``concord dedupe`` write (the documented contract).

- ``links.csv``: ``entity_id,table,record_id`` — every input record exactly once.
- ``conflicts.csv``: ``entity_id,field,table,record_id,column,value,kind`` — one row per
  record and field where a group disagrees; ``column`` is the source header, ``value`` the
  raw text, ``kind`` the field's kind (money, number, date, status, exact) or the chain
  exception's (then ``field`` is ``status``, ``column`` and ``value`` every status column
  and word of the record, joined with " + ").
- ``summary.json``: per table rows, key column and column → field mapping; totals; conflicts
  per kind; the chain's exceptions with the system behind and their age; seconds.

Files are written to temporary names and renamed into place, so a reader never sees half
a file.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from app.collector import few_collections
from app.formulas import FORMULA_START, csv_value, neutralise
from app.reconcile.chain import KINDS as CHAIN_KINDS
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


def write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _csv(header: list[str], rows: list[tuple[str, ...]]) -> str:
    """CSV text of rows whose text went through :func:`_cells` (or ``csv_value``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180 line ends: a value holding "\r" is quoted
    writer.writerow(_cells(header))
    writer.writerows(rows)
    return buffer.getvalue()


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    """CSV text of any values, each made safe for a spreadsheet (:func:`csv_value`)."""
    return _csv(header, [tuple(csv_value(str(v)) for v in row) for row in rows])


def _cells(values: list[str]) -> list[str]:
    """:func:`csv_value` of each text, quick for a column of millions."""
    return [neutralise(v) if v.startswith(FORMULA_START) else v for v in values]


def summary(result: LinkResult, seconds: float) -> dict[str, Any]:
    labels = {t.label for t in result.tables}
    complete = duplicates = 0
    bands: Counter[str] = Counter()
    for g in result.groups:  # one pass: a dedupe of millions has about as many groups
        bands[g.band] += 1
        duplicates += len(g.members) > 1
        complete += len(g.members) >= len(labels) and g.tables() == labels
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
        if table.lines is not None:  # its rows are documents of several lines
            tables[table.label]["lines"] = len(table.lines.frame)
            tables[table.label]["document_column"] = table.lines.column
            tables[table.label]["summed"] = list(table.lines.summed)
    totals = {
        "entities": len(result.groups),
        "complete_groups": complete,
        "orphans": len(result.groups) - complete if result.mode == RECONCILE else None,
        "duplicate_groups": duplicates,
        "conflicts": len(result.conflicts),
        "candidates": result.candidates,
        "auto": bands["auto"],
        "review": bands["review"],
    }
    kinds: dict[str, int] = {}
    for conflict in result.conflicts:
        kinds[conflict.kind] = kinds.get(conflict.kind, 0) + 1
    return {
        "mode": result.mode,
        "tables": tables,
        "totals": totals,
        "conflicts_by_kind": dict(sorted(kinds.items())),
        "chain": _chain(result),
        "inventory": result.inventory,
        "candidates": {
            f"{p.a}~{p.b}": {"pairs": len(p.levels.i), "rules": p.rules} for p in result.pairs
        },
        "seconds": round(seconds, 3),
        "stages": {k: round(v, 3) for k, v in result.timings.items()},
    }


def _chain(result: LinkResult) -> dict[str, Any] | None:
    """Which table plays which system, and every exception: kind, entity, the system
    behind, its age in days (reconcile only)."""
    if result.documents is None:
        return None
    entities = entity_ids(result)
    return {
        "roles": result.roles,
        "exceptions": [
            {
                "entity_id": entities[c.group],
                "kind": c.kind,
                "behind": c.behind,
                "age_days": c.age_days,
            }
            for c in result.conflicts
            if c.kind in CHAIN_KINDS
        ],
    }


@few_collections()
def write_outputs(result: LinkResult, out: Path, seconds: float) -> None:
    out.mkdir(parents=True, exist_ok=True)
    ids = {
        t.label: _cells(record_ids(t, result.mapping.profiles[t.label].key)) for t in result.tables
    }
    labels = {t.label: csv_value(t.label) for t in result.tables}
    safe = functools.cache(csv_value)  # field names and headers: a few, many times over
    entities = entity_ids(result)
    links = [  # a group's members come in the order of the tables, then of their rows
        (entity, labels[label], ids[label][row])
        for entity, group in zip(entities, result.groups, strict=True)
        for label, row in group.members
    ]
    conflict_rows = [
        (
            entities[conflict.group],
            safe(conflict.field),
            labels[label],
            ids[label][row],
            safe(column),
            csv_value(raw),
            conflict.kind,
        )
        for conflict in result.conflicts
        for label, row, column, raw in result.conflict_cells(conflict)
    ]
    write_atomically(out / "links.csv", _csv(["entity_id", "table", "record_id"], links))
    header = ["entity_id", "field", "table", "record_id", "column", "value", "kind"]
    write_atomically(out / "conflicts.csv", _csv(header, conflict_rows))
    text = json.dumps(summary(result, seconds), ensure_ascii=False, indent=2) + "\n"
    write_atomically(out / "summary.json", text)
