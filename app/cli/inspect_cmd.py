"""``concord inspect [--json] FILE...``: the tables in files and what their columns are."""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

from app.cli.text import clip, render
from app.errors import InputError
from app.mapping.align import align, rekey
from app.mapping.detect import TableProfile, profile_table
from app.mapping.profiles import ProfileStore, profile_with_store
from app.reconcile.lines import as_documents
from app.sources import SourceSpec, Table, only_tables, read_tables
from app.sources.table import Lines


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "inspect",
        help="show the tables in files: encoding, header row, rows, column types",
        description="Show every table found in the files: encoding, header row, number of "
        "data rows, key column, and per column its semantic type, confidence and samples.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="PATH or PATH#SHEET")
    parser.add_argument("--json", action="store_true", help="print a JSON array instead")
    parser.set_defaults(run=run)


def describe(source: str, table: Table, profile: TableProfile) -> dict[str, Any]:
    """The JSON object of one table (the documented ``inspect --json`` contract)."""
    lines = table.lines
    return {
        "source": source,
        "sheet": table.sheet,
        "encoding": table.encoding,
        "header_row": table.header_row,
        "rows": len(table),
        "key_column": profile.key,
        "key_reason": profile.key_reason,
        "documents": None
        if lines is None
        else {
            "column": lines.column,
            "lines": len(lines.frame),
            "summed": list(lines.summed),
            "line_columns": list(lines.line_columns),
            "filled_down": list(lines.filled),
        },
        "columns": [
            {
                "name": c.name,
                "type": str(c.type),
                "confidence": c.confidence,
                "samples": c.samples,
            }
            for c in profile.columns
        ],
    }


def _skipped_summary(table: Table) -> str:
    groups: dict[str, list[int]] = {}
    for row in table.skipped:
        groups.setdefault(row.reason, []).append(row.row)
    parts = []
    for reason, rows in groups.items():
        shown = ", ".join(str(r) for r in rows[:5]) + (" …" if len(rows) > 5 else "")
        parts.append(f"{reason} row{'s' if len(rows) > 1 else ''} {shown}")
    return "; ".join(parts)


def _documents_summary(lines: Lines) -> str:
    """How a line table was read: by which column, what is summed, what stays per line."""
    said = [f"lines of documents by {lines.column}"]
    if lines.filled:
        said.append(
            "head fields filled down from each document's first line: " + ", ".join(lines.filled)
        )
    if lines.summed:
        said.append("summed per document: " + ", ".join(lines.summed))
    if lines.line_columns:
        said.append("per line: " + ", ".join(lines.line_columns))
    return "; ".join(said)


def print_table(source: str, table: Table, profile: TableProfile) -> None:
    where = f"{source}#{table.sheet}" if table.sheet else source
    facts = [
        table.encoding or table.file_format,
        f"header row {table.header_row}",
        f"{len(table):,} rows",
        f"key {profile.key or '—'}: {profile.key_reason}",
    ]
    lines = table.lines
    if lines is not None:
        facts[2] = f"{len(table):,} documents of {len(lines.frame):,} lines"
    print(f"{where}  ({'; '.join(facts)})")
    if lines is not None:
        print(f"  {_documents_summary(lines)}")
    if table.skipped:
        print(f"  skipped: {_skipped_summary(table)}")
    for warning in table.warnings:
        print(f"  warning: column {warning.column}: {warning.message}")
    rows = [
        [
            clip(c.name, 24),
            str(c.type),
            f"{c.confidence:.2f}",
            " | ".join(clip(s, 22) for s in c.samples),
        ]
        for c in profile.columns
    ]
    print(render(["column", "type", "conf", "samples"], rows))
    print()


def run(args: argparse.Namespace) -> int:
    failed = False
    store = ProfileStore()
    found_tables: list[tuple[str, Table, TableProfile]] = []
    for text in args.files:
        try:
            spec = SourceSpec.parse(text)
            found = read_tables(spec.path, spec.sheet)
            only_tables(found, spec.path)
        except InputError as error:
            print(f"concord: {error}", file=sys.stderr)
            failed = True
            continue
        for item in found:
            if isinstance(item, InputError):
                print(f"concord: note: {item}", file=sys.stderr)
                continue
            item = as_documents(item)
            profile = profile_table(item)
            profile_with_store(profile, [c.name for c in item.columns], store)
            found_tables.append((str(spec.path), item, profile))
    _rekey_across(found_tables)
    if args.json:
        described = []
        for source, item, profile in found_tables:
            described.append(describe(source, item, profile))
            for warning in item.warnings:
                print(
                    f"concord: warning: {Path(source).name} column {warning.column}: "
                    f"{warning.message}",
                    file=sys.stderr,
                )
        json.dump(described, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for source, item, profile in found_tables:
            print_table(source, item, profile)
    return 1 if failed else 0


def _rekey_across(found: list[tuple[str, Table, TableProfile]]) -> None:
    """With several tables, a table's key is the identifier the others refer to (as a
    reconciliation of them would take it)."""
    found = [(source, table, profile) for source, table, profile in found if len(table)]
    if len(found) < 2:
        return
    tables = [copy.copy(table) for _, table, _ in found]
    for number, table in enumerate(tables):
        table.label = f"{table.label}#{table.sheet}" if table.sheet else table.label
        if [t.label for t in tables].count(table.label) > 1:
            table.label = f"{table.label}#{number}"
    rekey(align(tables, [profile for _, _, profile in found]))
