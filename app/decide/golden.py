"""The golden record of a dedupe cluster, and its merge and lossless unmerge (step 8).

One company lives under three ERP codes and a CRM account; the data steward wants one
surviving value per field and, later, one surviving record per system. Survivorship rules
choose each value and say where it came from (table, row, column), so the steward can see
why "北京华信科技有限公司" won and trace it to its cell.

Rules, each breaking its ties by source trust (see :class:`SurvivorshipRules`):

``trust``     the most trusted table with a value; inside a table the most complete record
``recent``    the record with the latest date in the recency field
``complete``  the record with the most non-empty fields
``frequent``  the value whose normalised form occurs most often in the cluster
``longest``   the longest normalised value
``manual``    the value the steward typed

A merge is a plain value that keeps every member's full raw row, so unmerging restores
every cell exactly, whatever happened to the tables in between. Everything here is pure:
nothing is written; the change set and the deactivation of duplicates come later.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.mapping.align import Field, Mapping
from app.mapping.types import SemanticType as T
from app.normalise import normalise_text, normaliser_for, parse_date, parse_datetime
from app.reconcile.pipeline import LinkResult

RULES = ("trust", "recent", "complete", "frequent", "longest", "manual")

# What a rule is when nobody configured one. Names, people, addresses and remarks are
# typed by hand in every system: the spelling most systems agree on is the best guess.
# Phones, e-mails and USCCs are maintained in a system of record, so trust decides.
# Dates and statuses change over time: the latest record knows the current one. Types not
# listed here (money, quantity, product codes, references) follow ``default``.
TYPE_RULES: dict[str, str] = {
    T.COMPANY: "frequent",
    T.PERSON: "frequent",
    T.ADDRESS: "frequent",
    T.TEXT: "frequent",
    T.PHONE: "trust",
    T.EMAIL: "trust",
    T.USCC: "trust",
    T.DATE: "recent",
    T.DATETIME: "recent",
    T.STATUS: "recent",
}

Member = tuple[str, int]  # (table label, row in that table's frame)
Candidate = tuple[str, int, str]  # (table label, row, raw value)


@dataclass(frozen=True)
class GoldenValue:
    """The surviving value of one field and where it came from.

    ``table``/``record``/``column`` are ``None`` only for a value the steward typed.
    ``alternatives`` lists every non-empty value that was considered, in table order.
    """

    field: str
    value: str  # raw text as in the source (or as typed)
    table: str | None
    record: int | None  # row index in that table's frame
    column: str | None
    rule: str  # the rule that chose it
    alternatives: tuple[Candidate, ...]


@dataclass
class SurvivorshipRules:
    """Which rule decides each field, and how much each source is trusted.

    A field's rule is, first found: ``per_field[name]``, ``by_type[type]``, ``default``.
    ``trust`` lists table labels, most trusted first; tables it leaves out follow in the
    order they were loaded. ``field_trust`` gives one field its own order ("phone: trust
    CRM, the ERP numbers are the switchboard"). ``recency_field`` is the date or datetime
    field "recent" ranks by; ``None`` picks the one spanning the most tables.
    """

    default: str = "trust"
    per_field: dict[str, str] = field(default_factory=dict)
    trust: list[str] = field(default_factory=list)
    recency_field: str | None = None
    by_type: dict[str, str] = field(default_factory=lambda: dict(TYPE_RULES))
    field_trust: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        named = [
            ("default", self.default),
            *(("field " + name, rule) for name, rule in self.per_field.items()),
            *(("type " + name, rule) for name, rule in self.by_type.items()),
        ]
        for where, rule in named:
            if rule not in RULES:
                raise ValueError(f"unknown survivorship rule {rule!r} for {where}")

    def rule_for(self, golden_field: Field) -> str:
        return self.per_field.get(
            golden_field.name, self.by_type.get(str(golden_field.type), self.default)
        )


@dataclass(frozen=True)
class Merge:
    """A cluster merged: which record survives in each table, the golden values, and
    every member's full raw row as it was (column → value), so :func:`unmerge` is exact."""

    group: int
    survivors: dict[str, int]  # table label → row of the surviving record
    golden: tuple[GoldenValue, ...]
    members: tuple[tuple[str, int, dict[str, str]], ...]


# --- the cluster as the rules see it ---------------------------------------------------


def _filled(value: str) -> bool:
    return bool(value.strip())


def _is_key_field(mapping: Mapping, candidate: Field) -> bool:
    """Whether a field holds some table's own record key: the key identifies the record,
    it is never a value to choose (which record survives is the merge's business)."""
    return any(mapping.profiles[label].key == column for label, column in candidate.columns.items())


def golden_fields(result: LinkResult) -> list[Field]:
    """The fields a golden record may carry, in mapping order: every one but keys."""
    return [f for f in result.mapping.fields if not _is_key_field(result.mapping, f)]


def _members(result: LinkResult, group_index: int) -> list[Member]:
    """The cluster's records in a stable order: table load order, then row."""
    order = {t.label: k for k, t in enumerate(result.tables)}
    members = result.groups[group_index].members
    return sorted(members, key=lambda m: (order[m[0]], m[1]))


def _raw(result: LinkResult, label: str, row: int, column: str) -> str:
    return str(result.table(label).frame[column].iat[row])


def _candidates(result: LinkResult, members: Sequence[Member], of: Field) -> list[Candidate]:
    """Non-empty raw values of a field among the members whose table has it."""
    found = []
    for label, row in members:
        column = of.columns.get(label)
        if column is not None:
            value = _raw(result, label, row, column)
            if _filled(value):
                found.append((label, row, value))
    return found


def _completeness(
    result: LinkResult, members: Sequence[Member], fields: Sequence[Field]
) -> dict[Member, int]:
    """How many golden fields each member fills: the fuller record is usually the one
    people maintain."""
    return {
        (label, row): sum(
            1
            for f in fields
            if label in f.columns and _filled(_raw(result, label, row, f.columns[label]))
        )
        for label, row in members
    }


def _trust_rank(result: LinkResult, order: Sequence[str]) -> dict[str, int]:
    labels = [t.label for t in result.tables]
    ranked = [label for label in order if label in labels]
    ranked += [label for label in labels if label not in ranked]
    return {label: k for k, label in enumerate(ranked)}


def _when(value: str) -> dt.datetime | None:
    """A date or datetime cell as a datetime (a bare date counts as its midnight)."""
    moment = parse_datetime(value)
    if moment is not None:
        return moment
    day = parse_date(value)
    return dt.datetime.combine(day, dt.time()) if day is not None else None


def recency_field(result: LinkResult, rules: SurvivorshipRules) -> Field | None:
    """The field "recent" ranks by: the configured one (it must be a date or datetime
    field), else the date field spanning the most tables, the first on a tie."""
    dated = [f for f in result.mapping.fields if f.type in (T.DATE, T.DATETIME)]
    if rules.recency_field is not None:
        chosen = next((f for f in dated if f.name == rules.recency_field), None)
        if chosen is None:
            raise ValueError(f"{rules.recency_field!r} is not a date or datetime field")
        return chosen
    return max(dated, key=lambda f: len(f.columns), default=None)


def _spelling(of: Field) -> Callable[[str], str]:
    """The normalised form "frequent" and "longest" compare.

    The field type's normaliser, except for company names: that one strips region and
    legal form so that matching sees one company, which would make every spelling of the
    cluster equal — and which spelling to keep is exactly the question here.
    """
    if of.type == T.COMPANY:
        return normalise_text
    return normaliser_for(str(of.type))


@dataclass
class _Cluster:
    """What every rule needs about one cluster, computed once per golden record."""

    result: LinkResult
    members: list[Member]
    complete: dict[Member, int]
    recency: dict[Member, dt.datetime]
    rules: SurvivorshipRules

    def trust_key(self, of: Field) -> Callable[[Candidate], tuple[int, int, int]]:
        """Sort key of source trust: table rank, then the more complete record, then the
        lower row."""
        rank = _trust_rank(self.result, self.rules.field_trust.get(of.name, self.rules.trust))
        return lambda c: (rank[c[0]], -self.complete[(c[0], c[1])], c[1])


def _cluster(result: LinkResult, group_index: int, rules: SurvivorshipRules) -> _Cluster:
    members = _members(result, group_index)
    complete = _completeness(result, members, golden_fields(result))
    dated = recency_field(result, rules)
    recency = {}
    if dated is not None:
        for label, row, value in _candidates(result, members, dated):
            moment = _when(value)
            if moment is not None:
                recency[(label, row)] = moment
    return _Cluster(result, members, complete, recency, rules)


# --- the rules -------------------------------------------------------------------------

Choice = tuple[Candidate, str]  # the winner and the rule that decided


def _by_trust(cluster: _Cluster, of: Field, found: list[Candidate]) -> Choice:
    return min(found, key=cluster.trust_key(of)), "trust"


def _by_completeness(cluster: _Cluster, of: Field, found: list[Candidate]) -> Choice:
    trust = cluster.trust_key(of)
    return min(found, key=lambda c: (-cluster.complete[(c[0], c[1])], trust(c))), "complete"


def _by_recency(cluster: _Cluster, of: Field, found: list[Candidate]) -> Choice:
    """Latest first; records without a date rank after every dated one. With no date at
    all among them, trust decided — and the rule says so."""
    dated = [c for c in found if (c[0], c[1]) in cluster.recency]
    if not dated:
        return _by_trust(cluster, of, found)
    trust = cluster.trust_key(of)
    latest = max(cluster.recency[(c[0], c[1])] for c in dated)
    newest = [c for c in dated if cluster.recency[(c[0], c[1])] == latest]
    return min(newest, key=trust), "recent"


def _by_frequency(cluster: _Cluster, of: Field, found: list[Candidate]) -> Choice:
    """The normalised form most members share; among its raw spellings the commonest,
    so 北京华信科技有限公司 twice beats 北京華信科技有限公司 once although both count."""
    trust = cluster.trust_key(of)
    spell = _spelling(of)
    form_of = {c: spell(c[2]) for c in found}
    votes = Counter(form_of.values())
    best = min(found, key=lambda c: (-votes[form_of[c]], trust(c)))  # ties: most trusted
    same = [c for c in found if form_of[c] == form_of[best]]
    raws = Counter(c[2] for c in same)
    return min(same, key=lambda c: (-raws[c[2]], trust(c))), "frequent"


def _by_length(cluster: _Cluster, of: Field, found: list[Candidate]) -> Choice:
    trust = cluster.trust_key(of)
    spell = _spelling(of)
    return min(found, key=lambda c: (-len(spell(c[2])), trust(c))), "longest"


_CHOOSERS: dict[str, Callable[[_Cluster, Field, list[Candidate]], Choice]] = {
    "trust": _by_trust,
    "recent": _by_recency,
    "complete": _by_completeness,
    "frequent": _by_frequency,
    "longest": _by_length,
    "manual": _by_trust,  # "manual" with nothing typed yet: trust until the steward types
}


# --- the golden record -----------------------------------------------------------------


def _check_overrides(fields: Sequence[Field], overrides: dict[str, str]) -> None:
    names = {f.name for f in fields}
    unknown = [name for name in overrides if name not in names]
    if unknown:
        raise ValueError(f"no field to override: {', '.join(unknown)}")


def _golden_value(cluster: _Cluster, of: Field, overrides: dict[str, str]) -> GoldenValue | None:
    found = _candidates(cluster.result, cluster.members, of)
    alternatives = tuple(found)
    if of.name in overrides:  # typed by the steward: wins even over an empty field
        return GoldenValue(of.name, overrides[of.name], None, None, None, "manual", alternatives)
    if not found:
        return None
    (label, row, value), rule = _CHOOSERS[cluster.rules.rule_for(of)](cluster, of, found)
    return GoldenValue(of.name, value, label, row, of.columns[label], rule, alternatives)


def golden_record(
    result: LinkResult,
    group_index: int,
    rules: SurvivorshipRules,
    overrides: dict[str, str] | None = None,
) -> list[GoldenValue]:
    """One surviving value per field the cluster carries, in mapping field order.

    Fields no member fills are left out (unless the steward typed a value for one), and
    so are the tables' own keys. ``overrides`` (field → typed value) always wins.
    """
    overrides = overrides or {}
    fields = golden_fields(result)
    _check_overrides(fields, overrides)
    cluster = _cluster(result, group_index, rules)
    chosen = (_golden_value(cluster, f, overrides) for f in fields)
    return [value for value in chosen if value is not None]


# --- merge and unmerge -----------------------------------------------------------------


def _row(result: LinkResult, label: str, row: int) -> dict[str, str]:
    table = result.table(label)
    return {c.name: str(table.frame[c.name].iat[row]) for c in table.columns}


def _survivors(
    result: LinkResult, group_index: int, chosen: dict[str, int] | None
) -> dict[str, int]:
    """Per table, the chosen row or else its most complete record (lowest row on a tie)."""
    members = _members(result, group_index)
    complete = _completeness(result, members, golden_fields(result))
    survivors: dict[str, int] = {}
    for label, row in members:
        best = survivors.get(label)
        if best is None or complete[(label, row)] > complete[(label, best)]:
            survivors[label] = row
    for label, row in (chosen or {}).items():
        if (label, row) not in members:
            raise ValueError(f"{label} row {row} is not a member of group {group_index}")
        survivors[label] = row
    return survivors


def merge(
    result: LinkResult,
    group_index: int,
    rules: SurvivorshipRules,
    overrides: dict[str, str] | None = None,
    survivors: dict[str, int] | None = None,
) -> Merge:
    """The cluster merged, as a value: nothing is written until the change set is applied.

    ``survivors`` picks the surviving row of some tables; the others keep their most
    complete record.
    """
    golden = golden_record(result, group_index, rules, overrides)
    members = tuple(
        (label, row, _row(result, label, row)) for label, row in _members(result, group_index)
    )
    return Merge(group_index, _survivors(result, group_index, survivors), tuple(golden), members)


def unmerge(merged: Merge) -> list[tuple[str, int, dict[str, str]]]:
    """Every member's row exactly as it was before the merge (copies: the merge's own
    record of them stays intact)."""
    return [(label, row, dict(values)) for label, row, values in merged.members]


def merged_rows(merged: Merge, result: LinkResult) -> dict[tuple[str, int], dict[str, str]]:
    """Every member's row after the merge, from the rows the merge recorded.

    A survivor gets each golden value in its table's column of that field; key columns
    never change (golden records carry no keys). Other members come back as they were:
    deactivating them is a later step.
    """
    by_name = {f.name: f for f in result.mapping.fields}
    rows = {}
    for label, row, values in merged.members:
        after = dict(values)
        if merged.survivors.get(label) == row:
            for golden in merged.golden:
                column = by_name[golden.field].columns.get(label)
                if column is not None:
                    after[column] = golden.value
        rows[(label, row)] = after
    return rows
