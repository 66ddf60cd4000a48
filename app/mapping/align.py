"""Align the columns of several tables into fields (DESIGN.md step 2).

A *field* is what the user compares across systems: "amount" is ERP 价税合计, CRM 订单金额
and OA 金额. Columns join a field in order of evidence:

1. identifiers by their values — an ERP 源单编号 holding CRM order numbers joins the CRM
   key, whatever the headers say, and so does an OA title that quotes them; amounts by
   the amounts they share — an ERP 价税合计 joins the CRM's 合同金额(万元) and the OA's
   金额, not the ERP's 金额 before tax that happens to share the OA's header;
2. identical headers, then the same dictionary concept;
3. a column left alone joins the one field of a compatible type its table lacks.

Two amount columns whose values can be compared (enough of them) but hardly ever agree
never join by header or as a lonely column: they hold different sums.

Each table contributes at most one column to a field.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from app.mapping.detect import ColumnProfile, TableProfile, key_candidates, sample, set_key
from app.mapping.headers import NOT_EVIDENCE, fold_header
from app.mapping.types import IDENTIFIERS, compatible
from app.mapping.types import SemanticType as T
from app.normalise import (
    find_references,
    normalise_email,
    normalise_reference,
    normalise_uscc,
    parse_money,
    phone_digits,
)
from app.normalise.bulk import normalised_column
from app.normalise.money import header_scale
from app.sources.table import Table

OVERLAP_SAMPLE = 20_000  # values per column compared for identifier overlap
MIN_CONTAINMENT = 0.05  # share of the smaller side's values found in the other column
# Amount columns: how many distinct amounts make a column's values comparable, and the
# share of one column's amounts (to the whole unit) the other must hold to be one field.
MIN_AMOUNTS = 20
MIN_AMOUNT_SHARE = 0.3


@dataclass
class Field:
    """Columns of different tables that hold the same kind of value."""

    name: str
    type: T
    columns: dict[str, str] = field(default_factory=dict)  # table label → column name
    confidence: float = 1.0
    embedded: frozenset[str] = frozenset()  # labels whose column carries IDs inside text
    concept: str | None = None  # the dictionary concept of its columns' headers

    @property
    def evidence(self) -> bool:
        """Whether agreement on this field says two records are one entity (a customer
        name does; a status, a salesperson or a remark do not — they are checked for
        conflicts only)."""
        return self.concept not in NOT_EVIDENCE

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


# Types aligned by the values they share rather than by header: the normaliser that
# makes their values comparable, and the type the resulting field gets.
_BY_VALUE: dict[T, tuple[Callable[[str], str], T]] = {
    T.KEY: (normalise_reference, T.REFERENCE),
    T.REFERENCE: (normalise_reference, T.REFERENCE),
    T.PHONE: (phone_digits, T.PHONE),
    T.EMAIL: (normalise_email, T.EMAIL),
    T.USCC: (normalise_uscc, T.USCC),
}


@dataclass(frozen=True)
class _Candidate:
    label: str
    column: str
    kind: T  # the field type it can join
    embedded: bool  # IDs inside free text


def _values(table: Table, candidate: _Candidate) -> _IdValues:
    if candidate.embedded:
        found = {
            ref
            for value in sample(table.values(candidate.column), OVERLAP_SAMPLE)
            for ref in find_references(value)
        }
        return _IdValues(frozenset(found), None)
    profile_type = next(t for t, (_, kind) in _BY_VALUE.items() if kind == candidate.kind)
    everything = normalised_column(table, candidate.column, _BY_VALUE[profile_type][0])
    distinct = pd.unique(everything)
    distinct = distinct[distinct != ""]
    full = frozenset(distinct.tolist())
    if len(full) <= OVERLAP_SAMPLE:
        return _IdValues(full, full)
    ordered = pd.Series(distinct, dtype="str").sort_values(ignore_index=True)  # in C++
    return _IdValues(frozenset(sample(ordered, OVERLAP_SAMPLE)), full)


def _containment(x: _IdValues, y: _IdValues) -> float:
    """The share of one column's (sampled) values found among all of the other's."""
    shares = [
        len(a.sample & b.full) / len(a.sample) for a, b in ((x, y), (y, x)) if b.full and a.sample
    ]
    return max(shares, default=0.0)


def _embeds_references(table: Table, column: str) -> bool:
    values = sample(table.values(column), 200)
    return bool(values) and sum(1 for v in values if find_references(v)) >= 0.1 * len(values)


def _value_candidates(
    tables: Sequence[Table], profiles: Sequence[TableProfile]
) -> list[_Candidate]:
    found = []
    for table, profile in zip(tables, profiles, strict=True):
        for column in profile.columns:
            if column.type in _BY_VALUE:
                found.append(_Candidate(table.label, column.name, _BY_VALUE[column.type][1], False))
            elif column.type == T.TEXT and _embeds_references(table, column.name):
                found.append(_Candidate(table.label, column.name, T.REFERENCE, True))
    return found


def _value_fields(tables: Sequence[Table], profiles: Sequence[TableProfile]) -> list[Field]:
    """Group columns of different tables that share values: IDs (also inside free text),
    phones, e-mails, USCCs."""
    by_label = {t.label: t for t in tables}
    candidates = _value_candidates(tables, profiles)
    values = {c: _values(by_label[c.label], c) for c in candidates}
    links = []
    for i, a in enumerate(candidates):
        for b in candidates[i + 1 :]:
            if a.label == b.label or a.kind != b.kind or (a.embedded and b.embedded):
                continue
            containment = _containment(values[a], values[b])
            if containment >= MIN_CONTAINMENT:
                links.append((containment, i, candidates.index(b)))
    groups: list[list[_Candidate]] = []
    scores: list[float] = []
    for containment, i, j in sorted(links, key=lambda link: -link[0]):
        a, b = candidates[i], candidates[j]
        group_a = next((g for g in groups if a in g), None)
        group_b = next((g for g in groups if b in g), None)
        if group_a is None and group_b is None:
            groups.append([a, b])
            scores.append(containment)
        elif group_a is not None and group_b is None and all(c.label != b.label for c in group_a):
            group_a.append(b)
        elif group_b is not None and group_a is None and all(c.label != a.label for c in group_b):
            group_b.append(a)
    profile_of = {t.label: p for t, p in zip(tables, profiles, strict=True)}
    fields = []
    for group, score in zip(groups, scores, strict=True):
        columns = {c.label: c.column for c in group}
        concept = next(
            (profile_of[c.label].column(c.column).concept for c in group if not c.embedded), None
        )
        fields.append(
            Field(
                name=_identifier_name(columns, profile_of)
                if group[0].kind == T.REFERENCE
                else (concept or group[0].column),
                type=group[0].kind,
                columns=columns,
                confidence=round(min(0.99, 0.7 + score), 2),
                embedded=frozenset(c.label for c in group if c.embedded),
                concept=concept,
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
    fields = _value_fields(tables, profiles) if len(tables) > 1 else []
    amounts = _Amounts(tables, profiles)
    fields.extend(amounts.fields() if len(tables) > 1 else [])
    taken = {(label, column) for f in fields for label, column in f.columns.items()}
    pending = [
        (table.label, column)
        for table, profile in zip(tables, profiles, strict=True)
        for column in profile.columns
        if (table.label, column.name) not in taken
    ]
    fields.extend(_fields_by_header(pending, amounts.apart))
    _join_lonely_columns(fields, [t.label for t in tables], amounts.apart)
    _unique_names(fields)
    return Mapping({t.label: p for t, p in zip(tables, profiles, strict=True)}, fields)


def _amount(value: str) -> float:
    parsed = parse_money(value)
    return float(parsed) if parsed is not None else np.nan


class _Amounts:
    """The amount columns of every table, with the whole amounts each holds (in currency
    units, by the unit its header declares), to align them by the values they share."""

    def __init__(self, tables: Sequence[Table], profiles: Sequence[TableProfile]) -> None:
        self.values: dict[tuple[str, str], frozenset[int]] = {}
        self.concepts: dict[tuple[str, str], str | None] = {}
        for table, profile in zip(tables, profiles, strict=True):
            for column in profile.of_type(T.MONEY):
                if len(tables) < 2:
                    continue
                number = normalised_column(table, column.name, _amount).astype(float)
                number = np.round(number[np.isfinite(number)] * header_scale(column.name))
                distinct = frozenset(int(v) for v in pd.unique(number) if v != 0)
                if len(distinct) >= MIN_AMOUNTS:
                    self.values[(table.label, column.name)] = distinct
                    self.concepts[(table.label, column.name)] = column.concept

    def share(self, a: tuple[str, str], b: tuple[str, str]) -> float | None:
        """The share of one column's amounts the other holds (the larger way round), or
        None when either has too few amounts to tell."""
        x, y = self.values.get(a), self.values.get(b)
        if x is None or y is None:
            return None
        common = len(x & y)
        return max(common / len(x), common / len(y))

    def apart(self, a: tuple[str, str], b: tuple[str, str]) -> bool:
        """Whether two amount columns of different tables are known to hold other sums."""
        share = self.share(a, b)
        return a[0] != b[0] and share is not None and share < MIN_AMOUNT_SHARE

    def fields(self) -> list[Field]:
        """Amount fields of columns that share their amounts, strongest first, one column
        per table; named by the concept of their columns' headers (``amount`` first)."""
        columns = list(self.values)
        links = sorted(
            (
                (share, a, b)
                for i, a in enumerate(columns)
                for b in columns[i + 1 :]
                if a[0] != b[0] and (share := self.share(a, b) or 0.0) >= MIN_AMOUNT_SHARE
            ),
            key=lambda link: -link[0],
        )
        groups: list[dict[str, str]] = []
        scores: list[float] = []
        for share, a, b in links:
            group_a = next((g for g in groups if g.get(a[0]) == a[1]), None)
            group_b = next((g for g in groups if g.get(b[0]) == b[1]), None)
            if group_a is None and group_b is None:
                groups.append({a[0]: a[1], b[0]: b[1]})
                scores.append(share)
            elif group_b is None and b[0] not in group_a and self._fits(group_a, b):  # type: ignore[operator]
                group_a[b[0]] = b[1]  # type: ignore[index]
            elif group_a is None and a[0] not in group_b and self._fits(group_b, a):  # type: ignore[operator]
                group_b[a[0]] = a[1]  # type: ignore[index]
        fields = []
        for group, score in zip(groups, scores, strict=True):
            concepts = [self.concepts[item] for item in group.items()]
            concept = "amount" if "amount" in concepts else next((c for c in concepts if c), None)
            name = concept or next(iter(group.values()))
            fields.append(
                Field(name, T.MONEY, group, round(min(0.99, 0.6 + score), 2), concept=concept)
            )
        return fields

    def _fits(self, group: dict[str, str], column: tuple[str, str]) -> bool:
        return not any(self.apart(item, column) for item in group.items())


def _no_veto(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return False


def _fields_by_header(
    pending: list[tuple[str, ColumnProfile]],
    apart: Callable[[tuple[str, str], tuple[str, str]], bool] = _no_veto,
) -> list[Field]:
    """Field names the user gave first, then identical headers, then the same dictionary
    concept, then a field each.

    A table's own key joins nothing by header: keys of different tables align only by the
    values they share (see :func:`_identifier_fields`).
    """
    fields: list[Field] = []
    for grouping in ("user", "header", "concept"):
        groups: dict[str, list[tuple[str, ColumnProfile]]] = {}
        for label, column in pending:
            key = {
                "user": column.field,
                "header": fold_header(column.name),
                "concept": column.concept,
            }[grouping]
            if key is None or (column.type == T.KEY and grouping != "user"):
                continue
            groups.setdefault(key, []).append((label, column))
        joined = set()
        for key, members in groups.items():
            if len({label for label, _ in members}) < 2 and grouping == "header":
                continue
            first, *rest = members
            name = key if grouping == "user" else first[1].concept or first[1].name
            new = _field_of(first[0], first[1], name)
            joined.add(id(first[1]))
            for label, column in rest:
                if (
                    label not in new.columns
                    and compatible(new.type, column.type)
                    and not any(apart(item, (label, column.name)) for item in new.columns.items())
                ):
                    new.columns[label] = column.name
                    new.confidence = min(new.confidence, column.confidence)
                    joined.add(id(column))
            fields.append(new)
        pending = [(label, column) for label, column in pending if id(column) not in joined]
    fields.extend(
        _field_of(label, column, column.concept or column.name) for label, column in pending
    )
    return fields


def _field_of(label: str, column: ColumnProfile, name: str) -> Field:
    return Field(name, column.type, {label: column.name}, column.confidence, concept=column.concept)


# Headers of the moment a document started: of a table's several times, the one that
# joins the other tables' document date (an OA's 发起时间, not its 完成时间).
_STARTED = ("提交", "申请", "发起", "创建", "下单", "录入", "submit", "creat", "start", "open")


def _join_lonely_columns(
    fields: list[Field],
    labels: list[str],
    apart: Callable[[tuple[str, str], tuple[str, str]], bool] = _no_veto,
) -> None:
    """A table's only unaligned column of a type joins the only field of that type it
    lacks (OA 提交时间 joins the ERP/CRM order date); of several unaligned times, the one
    that says when the document started."""
    for label in labels:
        lonely = [f for f in fields if list(f.columns) == [label]]
        for single in lonely:
            if single.type in (T.TEXT, T.KEY) or single not in fields:
                continue
            targets = [
                f
                for f in fields
                if f is not single
                and label not in f.columns
                and f.compared
                and compatible(f.type, single.type)
                and f.type not in IDENTIFIERS
                and not any(
                    apart(item, (label, single.columns[label])) for item in f.columns.items()
                )
            ]
            rivals = [f for f in lonely if f is not single and compatible(f.type, single.type)]
            if rivals and not (
                _started(single, label) and not any(_started(r, label) for r in rivals)
            ):
                continue
            if len(targets) == 1:
                target = targets[0]
                target.columns[label] = single.columns[label]
                target.confidence = round(min(target.confidence, single.confidence) * 0.8, 2)
                fields.remove(single)


def _started(single: Field, label: str) -> bool:
    header = single.columns[label].lower()
    return single.type in (T.DATE, T.DATETIME) and any(word in header for word in _STARTED)


def _unique_names(fields: list[Field]) -> None:
    seen: dict[str, int] = {}
    for f in fields:
        count = seen.get(f.name, 0) + 1
        seen[f.name] = count
        if count > 1:
            f.name = f"{f.name}_{count}"


def rekey(mapping: Mapping, given: Collection[str] = ()) -> None:
    """Of a table's several key candidates, the one other tables refer to is its key
    (Opportunity ID rather than Order Number when the ERP quotes opportunity IDs); keys
    the user ``given`` stay."""
    candidates = {label: key_candidates(p) for label, p in mapping.profiles.items()}
    for label, profile in mapping.profiles.items():
        if label in given or len(candidates[label]) < 2:
            continue
        quoted = {
            column.name: [other for other in referring]
            for column in candidates[label]
            for f in mapping.fields
            if f.type == T.REFERENCE
            and f.columns.get(label) == column.name
            and (referring := _referring(f, label, candidates))
        }
        if len(quoted) == 1 and profile.key not in quoted:
            (column, others), *_ = quoted.items()
            set_key(profile, column, "the ID quoted by " + ", ".join(others))


def _referring(f: Field, label: str, candidates: dict[str, list[ColumnProfile]]) -> list[str]:
    """The other tables whose column of ``f`` is a true reference: it quotes the IDs
    (some rows, or repeated) rather than being a key of its own."""
    return [
        other
        for other, column in f.columns.items()
        if other != label and all(c.name != column for c in candidates[other])
    ]


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
