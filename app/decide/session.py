"""A review session: what a person sees of a run and what they decide about it.

Wraps a :class:`LinkResult` with the review queue (one item per group), the side-by-side
view of a group, and decisions — accept or reject a group's links, take one system's
value for a field, type a value — each returning its own inverse so the desktop app can
undo it. Value decisions become proposed fixes: the cells to change in the other systems.
Nothing here knows about Qt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from app.decide.changes import Change, ChangeSet, Target
from app.decide.decisions import Decision
from app.decide.spelling import (
    MoneyStyle,
    Shape,
    code_shape,
    date_style,
    money_style,
    phone_shape,
    render_date,
    status_words,
)
from app.match.model import Contribution, PairLevels, compute_levels
from app.normalise import (
    canonical_status,
    normalise_product_code,
    parse_date,
    parse_datetime,
    parse_money,
    parse_quantity,
)
from app.reconcile.chain import KINDS as CHAIN_KINDS
from app.reconcile.conflicts import Conflict
from app.reconcile.lines import (
    LINE,
    code_column,
    line_cell,
    line_quantities,
    quantity_column,
)
from app.reconcile.output import entity_ids, record_ids
from app.reconcile.pipeline import RECONCILE, LinkResult
from app.sources.table import Cell, Table


class States(list[str]):
    """Each group's review state, remembering which changed since the queue last read them."""

    _MANY = 1000  # changed states beyond which the queue's column is rebuilt whole

    def __init__(self, states: list[str]) -> None:
        super().__init__(states)
        self._changed: set[int] | None = set()

    def __setitem__(self, index: Any, value: Any) -> None:
        super().__setitem__(index, value)
        if self._changed is not None and isinstance(index, int) and len(self._changed) < self._MANY:
            self._changed.add(index)
        else:
            self._changed = None

    def take_changed(self) -> set[int] | None:
        """The groups whose state changed since the last call (None: too many to list)."""
        changed, self._changed = self._changed, set()
        return changed


# How a target column's way of writing values is learned, by comparison kind.
_LEARN = {
    "money": money_style,
    "date": date_style,
    "status": status_words,
    "phone": phone_shape,
    "id": code_shape,
}
QUEUE_COLUMNS = (
    "entity",
    "band",
    "probability",
    "tables",
    "conflicts",
    "at_stake",
    "state",
    "label",
)


@dataclass(frozen=True)
class FieldRow:
    """One field of a group, across its records (the side-by-side panel's row)."""

    field: str
    values: dict[str, str]  # table label → raw value
    columns: dict[str, str]  # table label → source column
    differs: bool  # a conflict: values disagree beyond tolerance
    bits: float | None  # this field's contribution to the group's weakest link


@dataclass(frozen=True)
class Unwritable:
    """A cell a value decision cannot change: its column has no word for the state."""

    label: str
    column: str
    value: str  # the chosen value, in its own system's word
    words: list[str]  # the words the column does hold
    state: str = ""  # the canonical state it has no word for
    reason: str = ""  # why, when it is not for want of a word (said in English)
    kind: str = ""  # that reason: "total" (a summed document total), "no_line", "lines"


@dataclass
class ReviewSession:
    result: LinkResult
    user: str = ""
    decisions: list[Decision] = field(default_factory=list)
    # field → state → the word to write where a target column has none of its own (a
    # rule's --set, or the word a person picked among those the column holds)
    words: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.entities = entity_ids(self.result)
        self.keys = {
            t.label: record_ids(t, self.result.mapping.profiles[t.label].key)
            for t in self.result.tables
        }
        self.labels = [t.label for t in self.result.tables]
        self._conflicts: dict[int, list[str]] = {}
        self._kinds: dict[int, list[str]] = {}
        self._issues: dict[int, list[str]] = {}
        self._ages: dict[int, float] = {}
        for conflict in self.result.conflicts:
            self._conflicts.setdefault(conflict.group, []).append(conflict.field)
            self._kinds.setdefault(conflict.group, []).append(conflict.kind)
            chained = conflict.kind in CHAIN_KINDS
            issue = conflict.kind if chained or conflict.kind == LINE else conflict.field
            issues = self._issues.setdefault(conflict.group, [])
            if issue not in issues:  # a document's lines: one "line" issue however many
                issues.append(issue)
            if chained and conflict.age_days is not None:
                self._ages[conflict.group] = float(conflict.age_days)
        self.state = States(["open"] * len(self.result.groups))
        self._queue = self._build_queue()
        self._search: pd.Series | None = None
        self._group_of: dict[tuple[str, int], int] | None = None
        self._chain: dict[int, Conflict] | None = None
        self._styles: dict[tuple[str, str], MoneyStyle | str | dict[str, str] | None] = {}

    # --- the queue -------------------------------------------------------------------

    def _build_queue(self) -> pd.DataFrame:
        groups = self.result.groups
        money = next(
            (
                v
                for v in self.result.prepared.fields.values()
                if v.kind == "money" and len(v.field.columns) > 1
            ),
            None,
        )
        at_stake = np.zeros(len(groups))
        if money is not None:
            for index, fields in self._conflicts.items():
                if money.field.name in fields:
                    amounts = [
                        money.number[label][row]
                        for label, row in groups[index].members  # type: ignore[index]
                        if label in money.field.columns
                    ]
                    amounts = [a for a in amounts if not np.isnan(a)]
                    at_stake[index] = max(amounts) - min(amounts) if amounts else 0.0
        return pd.DataFrame(
            {
                "entity": self.entities,
                "band": [self._band(g) for g in groups],
                "probability": [g.probability for g in groups],
                "tables": [
                    " ".join(sorted({label for label, _ in g.members}, key=self.labels.index))
                    for g in groups
                ],
                "conflicts": [" ".join(self._conflicts.get(k, [])) for k in range(len(groups))],
                "issues": [" ".join(self._issues.get(k, [])) for k in range(len(groups))],
                "kinds": [" ".join(self._kinds.get(k, [])) for k in range(len(groups))],
                "age": [self._ages.get(k, np.nan) for k in range(len(groups))],
                "at_stake": at_stake,
                "state": self.state,
                "label": [self._label(g.members) for g in groups],
            }
        )

    def _band(self, group: object) -> str:
        members = group.members  # type: ignore[attr-defined]
        if self.result.mode == RECONCILE and len({label for label, _ in members}) < len(
            self.labels
        ):
            return "orphan"
        return group.band  # type: ignore[attr-defined, no-any-return]

    def _label(self, members: list[tuple[str, int]]) -> str:
        """A short name for the group: its first record's key and company, if any."""
        label, row = members[0]
        company = next(
            (
                v
                for v in self.result.prepared.fields.values()
                if v.kind == "company" and label in v.field.columns
            ),
            None,
        )
        name = self.table(label).values(company.field.columns[label]).iloc[row] if company else ""
        return f"{self.keys[label][row]} {name}".strip()

    def search_text(self) -> pd.Series:
        """Per group, its name and the key of every record in it (what a search looks in)."""
        if self._search is None:
            self._search = pd.Series(
                [
                    " ".join([entity, label, *(str(self.keys[t][row]) for t, row in g.members)])
                    for g, entity, label in zip(
                        self.result.groups, self._queue["entity"], self._queue["label"], strict=True
                    )
                ]
            )
        return self._search

    def group_of(self) -> dict[tuple[str, int], int]:
        """The group of every record (label, row), worked out once per session."""
        if self._group_of is None:
            self._group_of = {
                node: k for k, g in enumerate(self.result.groups) for node in g.members
            }
        return self._group_of

    def chain_exception(self, group: int) -> Conflict | None:
        """The group's document-chain finding (at most one), if any."""
        if self._chain is None:
            self._chain = {c.group: c for c in self.result.conflicts if c.kind in CHAIN_KINDS}
        return self._chain.get(group)

    def queue(self) -> pd.DataFrame:
        """One row per group (see QUEUE_COLUMNS), in group order; refreshed state column
        (only the states changed since the last call: a decision is one group)."""
        changed = self.state.take_changed()
        if changed is None:
            self._queue["state"] = list(self.state)
        elif changed:
            rows = sorted(changed)
            column = self._queue.columns.get_loc("state")
            self._queue.iloc[rows, column] = [self.state[k] for k in rows]
        return self._queue

    # --- one group ---------------------------------------------------------------------

    def table(self, label: str) -> Table:
        return self.result.table(label)

    def members(self, index: int) -> list[tuple[str, int]]:
        return sorted(
            self.result.groups[index].members, key=lambda m: (self.labels.index(m[0]), m[1])
        )

    def provenance(self, label: str, row: int) -> Cell:
        table = self.table(label)
        key = self.result.mapping.profiles[label].key or table.columns[0].name
        return table.cell(row, key)

    def side_by_side(self, index: int) -> list[FieldRow]:
        """Every field that at least one member has, with each member's raw value."""
        members = self.members(index)
        conflicts = set(self._conflicts.get(index, []))
        bits = self._contributions(index)
        rows = []
        for f in self.result.mapping.fields:
            present = [(label, row) for label, row in members if label in f.columns]
            if not present:
                continue
            values = {
                label: str(self.table(label).values(f.columns[label]).iloc[row])
                for label, row in present
            }
            columns = {label: f.columns[label] for label, _ in present}
            rows.append(FieldRow(f.name, values, columns, f.name in conflicts, bits.get(f.name)))
        return rows + self._line_rows(members, conflicts)

    def _line_rows(self, members: list[tuple[str, int]], conflicts: set[str]) -> list[FieldRow]:
        """The lines of a group's documents, one row per product (field ``line CODE``),
        where its records are documents with product lines."""
        held = {
            (label, row): quantities.loc[row].index.tolist()
            for label, row in members
            if (quantities := line_quantities(self.table(label))) is not None
            and row in quantities.index.get_level_values(0)
        }
        rows = []
        for code in sorted({code for codes in held.values() for code in codes}):
            field = f"{LINE} {code}"
            cells = {label: line_cell(self.table(label), row, field) for label, row in held}
            values = {label: text for label, (_column, text) in cells.items() if text}
            columns = {label: column for label, (column, _text) in cells.items()}
            rows.append(FieldRow(field, values, columns, field in conflicts, None))
        return rows

    def _contributions(self, index: int) -> dict[str, float]:
        """Per field, the bits of the group's strongest link between two members."""
        group = self.result.groups[index]
        if not group.links:
            return {}
        (la, ra), (lb, rb), _ = max(group.links, key=lambda link: link[2])
        return {c.field: c.bits for c in self.explain(la, ra, lb, rb)}

    def explain(self, la: str, ra: int, lb: str, rb: int) -> list[Contribution]:
        """Why two records matched (or not): the model's per-field contributions."""
        pair = self.result.pair(la, lb)
        if pair is None:
            return []
        if (pair.a, pair.b) != (la, lb):
            la, ra, lb, rb = lb, rb, la, ra
        fields = {name: self.result.prepared.fields[name] for name in pair.levels.levels}
        levels: PairLevels = compute_levels(fields, la, lb, np.array([ra]), np.array([rb]))
        return pair.model.explain(levels, 0)

    # --- decisions ---------------------------------------------------------------------

    def apply(self, decision: Decision) -> Decision:
        """Record a decision; returns it as recorded, which is what :meth:`revert` takes
        (the desktop app's undo stack)."""
        decision = replace(
            decision, user=decision.user or self.user, previous=self.state[decision.group]
        )
        self.decisions.append(decision)
        self.state[decision.group] = decision.new_state
        return decision

    def revert(self, decision: Decision) -> None:
        for k in range(len(self.decisions) - 1, -1, -1):
            if self.decisions[k].same_as(decision):
                removed = self.decisions.pop(k)
                self.state[removed.group] = removed.previous
                return

    def fixes(self) -> ChangeSet:
        """The changes that value decisions imply, one per cell that must change."""
        return ChangeSet([c for d in self.decisions for c in self.fixes_of(d)])

    def fixes_of(self, decision: Decision) -> list[Change]:
        """The cells one value decision changes: every other system's value of the field
        in the group that means something else than the chosen one (a cell that says the
        same in another spelling gets no fix), written the way its column writes values."""
        return self._plan(decision)[0]

    def unwritable(self, decision: Decision) -> list[Unwritable]:
        """The cells a value decision cannot change: their column has no word for the
        chosen state (the person picks one of the words it holds, or fixes it by hand)."""
        return self._plan(decision)[1]

    def _plan(self, decision: Decision) -> tuple[list[Change], list[Unwritable]]:
        if decision.kind == "take" and (decision.field or "").startswith(f"{LINE} "):
            return self._plan_line(decision)
        f = next((x for x in self.result.mapping.fields if x.name == decision.field), None)
        if decision.kind not in ("take", "edit") or f is None:
            return [], []
        chosen = self._chosen(decision, f.columns)
        if chosen is None:
            return [], []
        new, source = chosen
        changes: list[Change] = []
        refused: list[Unwritable] = []
        for label, row in self.members(decision.group):
            if label not in f.columns or label == decision.source:
                continue
            column = f.columns[label]
            table = self.table(label)
            old = str(table.values(column).iloc[row])
            if source is not None and self._same(decision.field, source, (label, row)):
                continue
            lines = table.lines
            if lines is not None and column in lines.summed:  # never a total into a line
                count = len(lines.of(row))
                refused.append(
                    Unwritable(
                        label,
                        column,
                        new,
                        [],
                        reason=f"{column} of {self.keys[label][row]} is the sum of its "
                        f"{count} line{'s' if count > 1 else ''}: correct the lines in {label}",
                        kind="total",
                    )
                )
                continue
            written = self._respelt(decision.field, label, column, new)
            if written is None:
                held = self._styles.get((label, column))
                words = sorted(set(held.values())) if isinstance(held, dict) else []
                said = self._said(decision.field, new, source)
                refused.append(Unwritable(label, column, said, words, canonical_status(new)))
                continue
            if old == written:
                continue
            changes.append(
                Change(
                    target=self.target(label),
                    key=self.keys[label][row],
                    column=column,
                    old=old,
                    new=written,
                    reason=f"{decision.field}: {decision.describe()}",
                    proposed_by=decision.user or self.user,
                    row=int(table.rows[row]),
                )
            )
        return changes, refused

    def _plan_line(self, decision: Decision) -> tuple[list[Change], list[Unwritable]]:
        """Taking one system's quantity of a document line: every other document of the
        group gets it on its line of that product (a line it lacks, it must add itself)."""
        code = (decision.field or "").removeprefix(f"{LINE} ")
        members = self.members(decision.group)
        source = next(((lb, r) for lb, r in members if lb == decision.source), None)
        held = line_quantities(self.table(source[0])) if source is not None else None
        if source is None or held is None or (source[1], code) not in held.index:
            return [], []
        wanted = float(held[(source[1], code)])
        changes, refused = [], []
        for label, row in members:
            lines = self.table(label).lines
            if label == decision.source or lines is None:
                continue
            column, quantity = code_column(lines), quantity_column(lines)
            if column is None or quantity is None:
                continue
            mine = [
                p for p in lines.of(row)
                if normalise_product_code(lines.frame[column].iloc[p]) == code
            ]  # fmt: skip
            if len(mine) != 1:
                kind = "no_line" if not mine else "lines"
                said = "has no line of" if not mine else "has several lines of"
                reason = f"{self.keys[label][row]} {said} {code}: correct it in {label}"
                refused.append(Unwritable(label, column, code, [], reason=reason, kind=kind))
                continue
            old = str(lines.frame[quantity].iloc[mine[0]])
            new = f"{wanted:g}" if wanted != int(wanted) else str(int(wanted))
            if (held_now := parse_quantity(old)) is not None and float(held_now) == wanted:
                continue
            changes.append(
                Change(
                    target=self.target(label),
                    key=self.keys[label][row],
                    column=quantity,
                    old=old,
                    new=new,
                    reason=f"{decision.field}: {decision.describe()}",
                    proposed_by=decision.user or self.user,
                    row=int(lines.rows[mine[0]]),
                    line=(column, str(lines.frame[column].iloc[mine[0]])),
                )
            )
        return changes, refused

    def _chosen(
        self, decision: Decision, columns: dict[str, str]
    ) -> tuple[str, tuple[str, int] | None] | None:
        """The value a decision chose, and the record it came from (None: typed)."""
        if decision.kind == "edit":
            return (decision.value, None) if decision.value is not None else None
        for label, row in self.members(decision.group):
            if label == decision.source and label in columns:
                state = self._state(decision.field, (label, row))
                if state:  # a document's state, from all its status columns
                    return state, (label, row)
                return str(self.table(label).values(columns[label]).iloc[row]), (label, row)
        return None

    def _said(self, field: str, value: str, source: tuple[str, int] | None) -> str:
        """What the chosen record says in its own words (a document state's status words,
        已完成 + 同意), for a person to read; any other value as it is."""
        documents = self.result.documents
        if source is None or documents is None or not self._state(field, source):
            return value
        return documents.words[source[0]][source[1]] or value

    def _state(self, field: str | None, record: tuple[str, int]) -> str:
        """The record's document state when ``field`` is a status ("" otherwise): what
        taking a status from another system means (DingTalk 已完成 + 同意 is approved)."""
        values = self.result.prepared.fields.get(field or "")
        documents = self.result.documents
        if values is None or values.kind != "status" or documents is None:
            return ""
        return documents.state(record)

    def _same(self, field: str, a: tuple[str, int], b: tuple[str, int]) -> bool:
        """Whether two records' values of a field mean the same after normalisation."""
        values = self.result.prepared.fields.get(field)
        if values is None or a[0] not in values.text or b[0] not in values.text:
            return False
        state = self._state(field, a)
        if state:
            return state == self._state(field, b)
        if values.number is not None:
            x, y = values.number[a[0]][a[1]], values.number[b[0]][b[1]]
            return bool(np.isfinite(x) and np.isfinite(y) and abs(x - y) < 0.005)
        x, y = values.text[a[0]][a[1]], values.text[b[0]][b[1]]
        return bool(x) and x == y

    def _respelt(self, field: str, label: str, column: str, value: str) -> str | None:
        """An amount, a date, a status, a phone number or a code as the target column
        writes them (other kinds as they are); None when the column has no word for the
        chosen state — a fix in another system's word would not be understood there."""
        values = self.result.prepared.fields.get(field)
        if values is None or values.kind not in _LEARN:
            return value
        key = (label, column)
        if key not in self._styles:
            self._styles[key] = _LEARN[values.kind](self.table(label).values(column))
        style = self._styles[key]
        if isinstance(style, MoneyStyle):
            amount = parse_money(value)
            return style.render(amount) if amount is not None else value
        if isinstance(style, Shape):
            return style.render(value) or value
        if isinstance(style, dict) or values.kind == "status":
            state = canonical_status(value)
            if not state:
                return value
            held = style if isinstance(style, dict) else {}
            chosen = self.words.get(field, {}).get(state)
            return held.get(state) or (chosen if chosen in held.values() else None)
        day = parse_date(value)
        if style is None or day is None or parse_datetime(value).time() != dt.time():
            return value  # a time of day, or a column without plain dates: left as chosen
        return render_date(day, style)

    def target(self, label: str) -> Target:
        return target_of(self.table(label), self.result.mapping.profiles[label].key or "")


def target_of(table: Table, key_column: str) -> Target:
    """Where a table's fixes go: its file (sheet, header row, hash at import) or its
    database table, records found by ``key_column``."""
    kind = "sql" if table.file_format == "sql" else ("xlsx" if table.sheet else "csv")
    # A file by its absolute path: a write-back from another folder finds the same file.
    location = str(table.path) if kind == "sql" else str(Path(table.path).resolve())
    return Target(
        kind,
        location,
        table.sheet,
        key_column,
        table.header_row or 1,
        table.file_hash,
        lines=table.lines is not None,
    )


@dataclass(frozen=True)
class Candidate:
    """A record an orphan could have been linked with, and why it was not."""

    label: str
    row: int
    key: str
    probability: float
    reason: str


def nearest(session: ReviewSession, group: int, limit: int = 3) -> list[Candidate]:
    """The strongest candidates of a group's records in the tables it lacks."""
    result = session.result
    members = session.members(group)
    present = {label for label, _ in members}
    group_of = session.group_of()
    found: list[Candidate] = []
    for label, row in members:
        for pair in result.pairs:
            if label not in (pair.a, pair.b) or pair.a == pair.b:
                continue
            mine, other = (
                (pair.scored.i, pair.scored.j)
                if pair.a == label
                else (pair.scored.j, pair.scored.i)
            )
            other_label = pair.b if pair.a == label else pair.a
            if other_label in present:
                continue
            hits = np.flatnonzero(mine == row)
            for index in hits[np.argsort(-pair.scored.weight[hits])][:limit]:
                partner = int(other[index])
                p = float(pair.scored.probability[index])
                holder = result.groups[group_of[(other_label, partner)]]
                if p < 0.5:
                    reason = "below the review threshold"
                elif label in holder.tables():
                    reason = "already in a group with a stronger match"
                else:
                    reason = "its group already holds a record of another table that disagrees"
                found.append(
                    Candidate(other_label, partner, session.keys[other_label][partner], p, reason)
                )
    return sorted(found, key=lambda c: -c.probability)[
        : limit * max(1, len(session.labels) - len(present))
    ]
