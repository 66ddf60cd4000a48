"""A merge carried into the systems: the change set and the crosswalk (step 8 → 9).

In each system that holds records of the cluster, the surviving record takes the golden
values and every other record is marked inactive through the column the steward mapped
for that table (状态 = 停用, 禁用 = 是, Active = N) — never deleted. The crosswalk lists,
per system, each retired ID and the ID that survives; tables that reference the customer
(the ERP's sales orders by 客户编码) are re-pointed to the survivor in the same change
set. Systems without a record of the cluster get nothing.

Everything here is pure: the plan is a value, written through the ordinary write-back
(previews, approvals, audit, rollback).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import pandas as pd

from app.decide.changes import Change, ChangeSet
from app.decide.golden import Merge, SurvivorshipRules, merge
from app.decide.session import ReviewSession, target_of
from app.errors import InputError
from app.mapping.detect import profile_table
from app.mapping.types import SemanticType as T
from app.sources.table import Table


@dataclass(frozen=True)
class Deactivation:
    """How a table marks a record inactive: ``column`` set to ``value``."""

    column: str
    value: str


@dataclass(frozen=True)
class Reference:
    """A table whose ``column`` holds record keys of table ``label`` (orders → customers)."""

    label: str
    table: Table
    column: str
    key_column: str

    @property
    def name(self) -> str:
        return self.table.label


@dataclass(frozen=True)
class CrosswalkRow:
    system: str  # table label
    old_id: str
    surviving_id: str
    name: str  # the surviving record's name, for people reading the list


CROSSWALK_COLUMNS = ("system", "old_id", "surviving_id", "name")


@dataclass
class MergePlan:
    """What writing a merge back changes, and the crosswalk it leaves."""

    name: str
    survivors: dict[str, str]  # table label → surviving record key
    members: list[tuple[str, str]]  # (table label, record key), every record of the cluster
    golden: list[dict[str, str | None]]  # field, value, table, column, rule
    deactivate: dict[str, Deactivation]
    crosswalk: list[CrosswalkRow]
    references: list[dict[str, str]]  # label, table, location, sheet, column
    changes: ChangeSet = field(default_factory=ChangeSet)

    def stored(self) -> dict[str, object]:
        """The plan as JSON for the workspace (the changes are stored as fixes)."""
        return {
            "name": self.name,
            "survivors": self.survivors,
            "members": [list(m) for m in self.members],
            "golden": self.golden,
            "deactivate": {label: asdict(d) for label, d in self.deactivate.items()},
            "crosswalk": [asdict(row) for row in self.crosswalk],
            "references": self.references,
        }


# Headers that mark a record (in)active, and the value that means "inactive" for each kind.
_DISABLED = re.compile(r"禁用|停用|冻结|作废|封存|disabled?|inactive|blocked|locked", re.I)
_ENABLED = re.compile(r"启用|有效|^active$|^enabled?$|is_?active", re.I)
_STATE = re.compile(r"状态|^status$|^state$", re.I)
_FLAGS = (("是", "否"), ("Y", "N"), ("1", "0"), ("TRUE", "FALSE"), ("true", "false"), ("yes", "no"))


def suggest_deactivation(table: Table) -> Deactivation | None:
    """A likely way ``table`` marks records inactive, for the steward to confirm: a
    "disabled" flag set to its yes, an "active" flag set to its no, or a status column
    set to the inactive spelling it already holds (禁用), else 停用 (or inactive)."""
    for column in table.columns:
        for header, yes in ((_DISABLED, True), (_ENABLED, False)):
            if header.search(column.name):
                return Deactivation(column.name, _flag(_distinct(table, column.name), yes=yes))
    for column in table.columns:
        if _STATE.search(column.name):
            values = _distinct(table, column.name)
            used = sorted(v for v in values if _DISABLED.search(v))
            english = any(v.isascii() and v for v in values)
            return Deactivation(column.name, used[0] if used else "inactive" if english else "停用")
    return None


def _distinct(table: Table, column: str) -> set[str]:
    return set(table.values(column).str.strip().unique())


def _flag(values: set[str], *, yes: bool) -> str:
    """Yes (or no) in the spelling the column already uses (Y/N, 1/0, …), else 是 (否)."""
    pair = next((p for p in _FLAGS if values & set(p)), _FLAGS[0])
    return pair[0] if yes else pair[1]


def record_key_column(table: Table, key: str | None = None) -> str:
    """The column that identifies a record of ``table``: ``key``, its primary key, or the
    detected key. Raises :class:`InputError` when there is none: fixes find records by key."""
    primary = table.derived.get("primary_key")
    if key is None and isinstance(primary, list) and len(primary) == 1:
        return str(primary[0])
    found = profile_table(table, key).key
    if found is None:
        raise InputError(
            "no column identifies a record here, so Concord cannot find rows to change",
            path=table.path,
            sheet=table.sheet,
            hint="name the key column (for example --key 客户编码)",
        )
    return found


@dataclass(frozen=True)
class Candidate:
    """A column that looks like it references a system's records: most of its values are
    that system's record keys (the ERP's 销售订单 · 客户编码 holds 客户档案's codes)."""

    label: str  # the system whose keys it holds
    table: Table
    column: str
    found: int  # values that are keys of that system
    filled: int  # values at all


def reference_candidates(
    session: ReviewSession, tables: Sequence[Table], share: float = 0.5
) -> list[Candidate]:
    """Columns of ``tables`` whose filled values are mostly (``share``) record keys of one
    of the session's systems, best first; a system's own key column is not one."""
    own = {
        (str(session.table(label).path), session.table(label).sheet, profile.key)
        for label, profile in session.result.mapping.profiles.items()
    }
    keys = {label: pd.Index(session.keys[label]) for label in session.labels}
    found = []
    for table in tables:
        for column in table.frame.columns:
            if (str(table.path), table.sheet, column) in own:
                continue
            values = table.values(column).str.strip()
            values = values[values != ""]
            if values.empty:
                continue
            for label, known in keys.items():
                hits = int(values.isin(known).sum())
                if hits and hits >= share * len(values):
                    found.append(Candidate(label, table, column, hits, len(values)))
    return sorted(found, key=lambda c: (-c.found / c.filled, -c.found))


def plan_merge(
    session: ReviewSession,
    group: int,
    deactivate: dict[str, Deactivation],
    references: Sequence[Reference] = (),
    *,
    rules: SurvivorshipRules | None = None,
    overrides: dict[str, str] | None = None,
    survivors: dict[str, str] | None = None,
    reason: str = "merge",
) -> MergePlan:
    """The change set and crosswalk of merging ``group``.

    ``deactivate`` maps each table label to how it marks a record inactive; a table with
    records to retire and no entry is refused. ``survivors`` picks a surviving record key
    per table (default: the most complete record). ``reason`` prefixes every change.
    """
    rules = rules or SurvivorshipRules(trust=session.labels)
    members = session.members(group)
    rows = {(label, session.keys[label][row]): row for label, row in members}
    chosen = {}
    for label, key in (survivors or {}).items():
        if (label, key) not in rows:
            raise InputError(
                f"{label} {key} is not a record of this cluster",
                hint="members: " + ", ".join(f"{lb} {k}" for lb, k in rows),
            )
        chosen[label] = rows[(label, key)]
    merged = merge(session.result, group, rules, overrides, chosen)
    _check(session, merged, deactivate)
    name = session.queue()["label"].iat[group]
    company = next((g.value for g in merged.golden if _is_company(session, g.field)), name)
    changes = _golden_changes(session, merged, deactivate, reason)
    crosswalk = []
    for label, row in members:
        survivor = merged.survivors[label]
        if row == survivor:
            continue
        deactivation = deactivate[label]
        old = str(session.table(label).values(deactivation.column).iat[row])
        key, surviving = session.keys[label][row], session.keys[label][survivor]
        crosswalk.append(CrosswalkRow(label, key, surviving, company))
        if old != deactivation.value:
            changes.append(
                _change(
                    session,
                    label,
                    row,
                    deactivation.column,
                    old,
                    deactivation.value,
                    f"{reason}: duplicate of {surviving}, marked inactive",
                )
            )
    for reference in references:
        changes += _repoint(reference, crosswalk, reason)
    return MergePlan(
        name=name,
        survivors={label: session.keys[label][row] for label, row in merged.survivors.items()},
        members=[(label, session.keys[label][row]) for label, row in members],
        golden=[
            {
                "field": g.field,
                "value": g.value,
                "table": g.table,
                "column": g.column,
                "rule": g.rule,
            }
            for g in merged.golden
        ],
        deactivate={label: deactivate[label] for label in merged.survivors if label in deactivate},
        crosswalk=crosswalk,
        references=[
            {
                "label": r.label,
                "table": r.name,
                "location": str(r.table.path),
                "sheet": r.table.sheet or "",
                "column": r.column,
            }
            for r in references
        ],
        changes=ChangeSet(changes),
    )


def _change(
    session: ReviewSession, label: str, row: int, column: str, old: str, new: str, reason: str
) -> Change:
    return Change(
        target=session.target(label),
        key=session.keys[label][row],
        column=column,
        old=old,
        new=new,
        reason=reason,
        proposed_by=session.user,
        row=int(session.table(label).rows[row]),
    )


def _is_company(session: ReviewSession, name: str) -> bool:
    return any(f.name == name and f.type == T.COMPANY for f in session.result.mapping.fields)


def _check(session: ReviewSession, merged: Merge, deactivate: dict[str, Deactivation]) -> None:
    """Refuse a merge that could not be written: a table without a key, a table with
    records to retire but no mapped inactive column, or a mapped column it lacks."""
    for label in merged.survivors:
        table = session.table(label)
        if session.result.mapping.profiles[label].key is None:
            raise InputError(
                f"{label} has no key column, so its records cannot be found to change",
                path=table.path,
                sheet=table.sheet,
                hint=f"name it with --key {label}=COLUMN",
            )
        retiring = sum(1 for lb, _, _ in merged.members if lb == label) > 1
        mapped = deactivate.get(label)
        if retiring and mapped is None:
            suggestion = suggest_deactivation(table)
            column, value = (
                (suggestion.column, suggestion.value) if suggestion else ("COLUMN", "VALUE")
            )
            raise InputError(
                f"{label}: which column marks a record inactive? (duplicates are never deleted)",
                path=table.path,
                sheet=table.sheet,
                hint=f"map it once for this table, for example {column} = {value} "
                f"(on the command line: --deactivate {label}={column}:{value})",
            )
        if mapped is not None and mapped.column not in table.frame.columns:
            raise InputError(
                f"{label} has no column {mapped.column!r} to mark records inactive",
                path=table.path,
                sheet=table.sheet,
                hint="columns: " + ", ".join(table.frame.columns),
            )


def _golden_changes(
    session: ReviewSession, merged: Merge, deactivate: dict[str, Deactivation], reason: str
) -> list[Change]:
    """Each survivor's cells that differ from the golden record (never its key, never the
    column that marks it inactive)."""
    columns = {f.name: f.columns for f in session.result.mapping.fields}
    changes = []
    for label, row in merged.survivors.items():
        skip = deactivate[label].column if label in deactivate else None
        for golden in merged.golden:
            column = columns[golden.field].get(label)
            if column is None or column == skip:
                continue
            old = str(session.table(label).values(column).iat[row])
            if old != golden.value:
                source = f"{golden.table} {golden.column}" if golden.table else "typed"
                changes.append(
                    _change(
                        session,
                        label,
                        row,
                        column,
                        old,
                        golden.value,
                        f"{reason}: golden {golden.field} ({golden.rule}, from {source})",
                    )
                )
    return changes


def _repoint(reference: Reference, crosswalk: Sequence[CrosswalkRow], reason: str) -> list[Change]:
    """The references to a retired record, pointed at the survivor."""
    table = reference.table
    if reference.column not in table.frame.columns:
        raise InputError(
            f"there is no column {reference.column!r} to re-point",
            path=table.path,
            sheet=table.sheet,
            hint="columns: " + ", ".join(table.frame.columns),
        )
    moves = {row.old_id: row.surviving_id for row in crosswalk if row.system == reference.label}
    if not moves:
        return []
    target = target_of(table, reference.key_column)
    keys = table.values(reference.key_column).str.strip()
    values = table.values(reference.column)
    hits = values.str.strip().isin(list(moves))
    return [
        Change(
            target=target,
            key=keys.iat[k],
            column=reference.column,
            old=values.iat[k],
            new=moves[values.iat[k].strip()],
            reason=f"{reason}: {values.iat[k].strip()} re-pointed to its survivor",
            row=int(table.rows[k]),
        )
        for k in hits.to_numpy().nonzero()[0]
    ]
