"""Align the columns of several tables into fields (DESIGN.md step 2).

A *field* is what the user compares across systems: "amount" is ERP 价税合计, CRM 订单金额
and OA 金额. Columns join a field in order of evidence:

1. identifiers by their values — an ERP 源单编号 holding CRM order numbers joins the CRM
   key, whatever the headers say, and so does an OA title that quotes them;
2. identical headers, then the same dictionary concept;
3. a column left alone joins the one field of a compatible type its table lacks.

Each table contributes at most one column to a field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from app.mapping.detect import ColumnProfile, TableProfile, sample
from app.mapping.headers import fold_header
from app.mapping.types import IDENTIFIERS, compatible
from app.mapping.types import SemanticType as T
from app.normalise import find_references, normalise_reference
from app.normalise.bulk import normalised_column
from app.sources.table import Table

OVERLAP_SAMPLE = 20_000  # values per column compared for identifier overlap
MIN_CONTAINMENT = 0.05  # share of the smaller side's values found in the other column


@dataclass
class Field:
    """Columns of different tables that hold the same kind of value."""

    name: str
    type: T
    columns: dict[str, str] = field(default_factory=dict)  # table label → column name
    confidence: float = 1.0
    embedded: frozenset[str] = frozenset()  # labels whose column carries IDs inside text

    @property
    def compared(self) -> bool:
        """Whether the field spans two tables, or several columns' worth of one (dedupe)."""
        return len(self.columns) >= 2


@dataclass
class Mapping:
    """The columns of every table, their types, and how they align into fields."""

    profiles: dict[str, TableProfile]
    fields: list[Field]

    def field_of(self, label: str, column: str) -> Field | None:
        return next((f for f in self.fields if f.columns.get(label) == column), None)

    def fields_of(self, label: str) -> list[Field]:
        return [f for f in self.fields if label in f.columns]


@dataclass(frozen=True)
class _IdValues:
    sample: frozenset[str]  # normalised IDs in a sample of the column
    full: frozenset[str] | None  # every normalised ID (None for IDs inside free text)


def _id_values(table: Table, column: str, embedded: bool) -> _IdValues:
    if embedded:
        found = {
            ref
            for value in sample(table.values(column), OVERLAP_SAMPLE)
            for ref in find_references(value)
        }
        return _IdValues(frozenset(found), None)
    everything = normalised_column(table, column, normalise_reference)
    full = frozenset(everything.tolist()) - {""}
    if len(full) <= OVERLAP_SAMPLE:
        return _IdValues(full, full)
    return _IdValues(frozenset(sample(pd.Series(sorted(full), dtype="str"), OVERLAP_SAMPLE)), full)


def _containment(x: _IdValues, y: _IdValues) -> float:
    """The share of one column's (sampled) IDs found among all of the other's."""
    shares = [
        len(a.sample & b.full) / len(a.sample) for a, b in ((x, y), (y, x)) if b.full and a.sample
    ]
    return max(shares, default=0.0)


def _embeds_references(table: Table, column: str) -> bool:
    values = sample(table.values(column), 200)
    return bool(values) and sum(1 for v in values if find_references(v)) >= 0.1 * len(values)


def _identifier_columns(
    tables: Sequence[Table], profiles: Sequence[TableProfile]
) -> list[tuple[str, str, bool]]:
    found = []
    for table, profile in zip(tables, profiles, strict=True):
        for column in profile.columns:
            if column.type in IDENTIFIERS - {T.PRODUCT_CODE}:
                found.append((table.label, column.name, False))
            elif column.type == T.TEXT and _embeds_references(table, column.name):
                found.append((table.label, column.name, True))
    return found


def _identifier_fields(tables: Sequence[Table], profiles: Sequence[TableProfile]) -> list[Field]:
    """Group identifier columns of different tables that share values."""
    by_label = {t.label: t for t in tables}
    columns = _identifier_columns(tables, profiles)
    values = {
        (label, name): _id_values(by_label[label], name, embedded)
        for label, name, embedded in columns
    }
    embedded = {(label, name) for label, name, flag in columns if flag}
    links = []
    for i, a in enumerate(columns):
        for b in columns[i + 1 :]:
            if a[0] == b[0] or (a[2] and b[2]):
                continue
            containment = _containment(values[a[:2]], values[b[:2]])
            if containment >= MIN_CONTAINMENT:
                links.append((containment, a[:2], b[:2]))
    groups: list[dict[str, str]] = []
    scores: list[float] = []
    for containment, a, b in sorted(links, reverse=True):
        group_a = next((g for g in groups if g.get(a[0]) == a[1]), None)
        group_b = next((g for g in groups if g.get(b[0]) == b[1]), None)
        if group_a is None and group_b is None:
            groups.append({a[0]: a[1], b[0]: b[1]})
            scores.append(containment)
        elif group_a is not None and group_b is None and b[0] not in group_a:
            group_a[b[0]] = b[1]
        elif group_b is not None and group_a is None and a[0] not in group_b:
            group_b[a[0]] = a[1]
    profile_of = {t.label: p for t, p in zip(tables, profiles, strict=True)}
    fields = []
    for group, score in zip(groups, scores, strict=True):
        fields.append(
            Field(
                name=_identifier_name(group, profile_of),
                type=T.REFERENCE,
                columns=dict(group),
                confidence=round(min(0.99, 0.7 + score), 2),
                embedded=frozenset(
                    label for label, name in group.items() if (label, name) in embedded
                ),
            )
        )
    return fields


def _identifier_name(group: dict[str, str], profiles: dict[str, TableProfile]) -> str:
    """Named after the table whose key it is (the ID space's owner)."""
    for label, column in group.items():
        if profiles[label].key == column:
            return f"{label}_id"
    label, column = next(iter(group.items()))
    return column


def align(tables: Sequence[Table], profiles: Sequence[TableProfile]) -> Mapping:
    """Fields across ``tables`` (also for one table: each column is its own field)."""
    fields = _identifier_fields(tables, profiles) if len(tables) > 1 else []
    taken = {(label, column) for f in fields for label, column in f.columns.items()}
    pending = [
        (table.label, column)
        for table, profile in zip(tables, profiles, strict=True)
        for column in profile.columns
        if (table.label, column.name) not in taken
    ]
    fields.extend(_fields_by_header(pending))
    _join_lonely_columns(fields, [t.label for t in tables])
    _unique_names(fields)
    return Mapping({t.label: p for t, p in zip(tables, profiles, strict=True)}, fields)


def _fields_by_header(pending: list[tuple[str, ColumnProfile]]) -> list[Field]:
    """Field names the user gave first, then identical headers, then the same dictionary
    concept, then a field each.

    A table's own key joins nothing here: keys of different tables align only by the
    values they share (see :func:`_identifier_fields`).
    """
    fields: list[Field] = []
    for grouping in ("header", "concept"):
        groups: dict[str, list[tuple[str, ColumnProfile]]] = {}
        for label, column in pending:
            if column.type == T.KEY or (grouping == "concept" and column.concept is None):
                continue
            key = fold_header(column.name) if grouping == "header" else str(column.concept)
            groups.setdefault(key, []).append((label, column))
        joined = set()
        for members in groups.values():
            if len({label for label, _ in members}) < 2 and grouping == "header":
                continue
            first, *rest = members
            new = Field(
                first[1].concept or first[1].name,
                first[1].type,
                {first[0]: first[1].name},
                first[1].confidence,
            )
            joined.add(id(first[1]))
            for label, column in rest:
                if label not in new.columns and compatible(new.type, column.type):
                    new.columns[label] = column.name
                    new.confidence = min(new.confidence, column.confidence)
                    joined.add(id(column))
            fields.append(new)
        pending = [(label, column) for label, column in pending if id(column) not in joined]
    for label, column in pending:
        fields.append(
            Field(
                column.concept or column.name, column.type, {label: column.name}, column.confidence
            )
        )
    return fields


def _join_lonely_columns(fields: list[Field], labels: list[str]) -> None:
    """A table's only unaligned column of a type joins the only field of that type it
    lacks (OA 提交时间 joins the ERP/CRM order date)."""
    for label in labels:
        lonely = [f for f in fields if list(f.columns) == [label]]
        for single in lonely:
            if single.type in (T.TEXT, T.KEY):
                continue
            targets = [
                f
                for f in fields
                if f is not single
                and label not in f.columns
                and f.compared
                and compatible(f.type, single.type)
                and f.type not in IDENTIFIERS
            ]
            rivals = [f for f in lonely if f is not single and compatible(f.type, single.type)]
            if len(targets) == 1 and not rivals:
                target = targets[0]
                target.columns[label] = single.columns[label]
                target.confidence = round(min(target.confidence, single.confidence) * 0.8, 2)
                fields.remove(single)


def _unique_names(fields: list[Field]) -> None:
    seen: dict[str, int] = {}
    for f in fields:
        count = seen.get(f.name, 0) + 1
        seen[f.name] = count
        if count > 1:
            f.name = f"{f.name}_{count}"


def mapping_frame(mapping: Mapping) -> pd.DataFrame:
    """One row per field and table: for reports and the mapping editor."""
    rows = [
        {
            "field": f.name,
            "type": str(f.type),
            "table": label,
            "column": column,
            "confidence": f.confidence,
        }
        for f in mapping.fields
        for label, column in f.columns.items()
    ]
    return pd.DataFrame(rows, columns=["field", "type", "table", "column", "confidence"])
