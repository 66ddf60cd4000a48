"""Conflicts: fields on which the records of one group disagree (DESIGN.md step 7).

Values are compared after normalisation, so a difference of format only ("¥12,345.00"
against 12345, "2026/9/5" against 2026年9月5日, 审批中 against 未审核) is never a
conflict. Beyond format, each kind has a tolerance: money to the cent (or a share), dates
by days, statuses by canonical state — approved or closed in one system against rejected
or cancelled in another (OA 已驳回, ERP 已审核); a step still pending is not a conflict.

A column is only compared with columns it mostly agrees with: where a table's column
disagrees beyond tolerance with every other table's in most of the groups they share (an
amount before tax beside a total, a delivery date beside an order date, a CRM's 已回款金额
beside a contract amount), it holds something else, and its disagreements say nothing
about the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from app.match.prepare import FieldValues
from app.reconcile.groups import Group, Node

CONFLICT_KINDS = frozenset({"money", "number", "date", "status", "exact"})
GOING_AHEAD = frozenset({"approved", "closed"})
# A table's column is compared in a field only where it agrees with another table's in at
# least this share of the groups both hold (judged once they share MIN_SHARED groups).
MIN_AGREEMENT = 0.5
MIN_SHARED = 20
STOPPED = frozenset({"rejected", "cancelled"})


@dataclass(frozen=True)
class Tolerance:
    money: float = 0.01  # absolute, in the currency's units
    money_share: float = 0.0  # relative (0.01 = 1 %); the larger allowance applies
    days: float = 7.0  # dates may differ this many days
    number_share: float = 0.0
    number: float = 0.0  # quantities may differ this much (absolute)


@dataclass(frozen=True)
class Conflict:
    """One field of one group whose values disagree; ``members`` hold every record's value.

    ``kind`` is the field's (money, number, date, status, exact) or, for a group's document
    states out of step, the chain exception's (see :mod:`app.reconcile.chain`), which also
    names the system ``behind`` and how many days late (``age_days``)."""

    group: int
    field: str
    members: tuple[Node, ...]
    kind: str = ""
    behind: str = ""
    age_days: int | None = None


def _member_frame(groups: list[Group], labels: list[str]) -> pd.DataFrame:
    """One row per record of a multi-record group: group index, table, row."""
    group, table, row = [], [], []
    for index, g in enumerate(groups):
        if len(g.members) < 2:
            continue
        for label, r in g.members:
            group.append(index)
            table.append(labels.index(label))
            row.append(r)
    columns = {"group": group, "table": table, "row": row}  # typed even when empty
    return pd.DataFrame({name: np.array(v, dtype=np.int64) for name, v in columns.items()})


def _field_values(values: FieldValues, members: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """The members that have a value in this field, with the value (number or code)."""
    parts = []
    for label in values.field.columns:
        mine = members[members["table"] == labels.index(label)]
        rows = mine["row"].to_numpy()
        if values.number is not None:
            value = values.number[label][rows]
            present = ~np.isnan(value)
        else:
            value = values.codes[label][rows]
            present = value >= 0
        parts.append(mine.assign(value=value)[present])
    return pd.concat(parts) if parts else members.assign(value=[])


def _agree(values: FieldValues, a: np.ndarray, b: np.ndarray, tolerance: Tolerance) -> np.ndarray:
    """Whether two records' values of the field agree within tolerance, pair by pair."""
    if values.kind == "date":
        return np.abs(np.floor(a) - np.floor(b)) <= tolerance.days
    if values.number is not None:
        share = tolerance.money_share if values.kind == "money" else tolerance.number_share
        floor = tolerance.money if values.kind == "money" else tolerance.number
        scale = np.maximum(np.abs(a), np.abs(b))
        return np.abs(a - b) <= np.maximum(floor, share * scale) + 1e-9
    return a == b


def _comparable(values: FieldValues, present: pd.DataFrame, tolerance: Tolerance) -> pd.DataFrame:
    """The members of ``present`` whose table's column means what the others' do: a table
    that agrees with no other table in ``MIN_AGREEMENT`` of their shared groups is left
    out (see the module docstring)."""
    first = present.drop_duplicates(["group", "table"])
    wide = first.pivot(index="group", columns="table", values="value")
    tables = list(wide.columns)
    best: dict[int, float] = {}
    for a, b in combinations(tables, 2):
        both = wide[[a, b]].dropna()
        if len(both) < MIN_SHARED:
            best[a] = best[b] = 1.0  # too few to judge: compared as before
            continue
        x, y = both[a].to_numpy(), both[b].to_numpy()
        if values.number is not None:
            x, y = x.astype(float), y.astype(float)
        rate = float(np.mean(_agree(values, x, y, tolerance)))
        best[a], best[b] = max(best.get(a, 0.0), rate), max(best.get(b, 0.0), rate)
    apart = [t for t in tables if best.get(t, 1.0) < MIN_AGREEMENT]
    return present[~present["table"].isin(apart)] if apart else present


def _disagreeing(values: FieldValues, present: pd.DataFrame, tolerance: Tolerance) -> np.ndarray:
    """Group indices whose present values disagree beyond tolerance."""
    grouped = present.groupby("group")["value"]
    if values.kind == "date":
        days = present.assign(value=np.floor(present["value"].to_numpy(dtype=float))).groupby(
            "group"
        )["value"]
        spread = days.max() - days.min()
        return spread.index[spread > tolerance.days].to_numpy()
    if values.number is not None:
        spread = grouped.max() - grouped.min()
        scale = (
            present.assign(value=np.abs(present["value"].to_numpy(dtype=float)))
            .groupby("group")["value"]
            .max()
        )
        share = tolerance.money_share if values.kind == "money" else tolerance.number_share
        floor = tolerance.money if values.kind == "money" else tolerance.number
        allowed = np.maximum(floor, share * scale) + 1e-9
        return spread.index[spread > allowed].to_numpy()
    if values.kind == "status":
        label_of = {
            code: text
            for label in values.field.columns
            for code, text in zip(
                values.codes[label].tolist(), values.text[label].tolist(), strict=True
            )
        }
        state = present["value"].map(label_of)
        flags = present.assign(ahead=state.isin(GOING_AHEAD), stopped=state.isin(STOPPED)).groupby(
            "group"
        )
        both = flags["ahead"].any() & flags["stopped"].any()
        return both.index[both].to_numpy()
    distinct = grouped.nunique()
    return distinct.index[distinct > 1].to_numpy()


def find_conflicts(
    groups: list[Group],
    fields: dict[str, FieldValues],
    tolerance: Tolerance,
    only: set[str] | None = None,
    skip_status: bool = False,
) -> list[Conflict]:
    """Every (group, field) whose values disagree beyond tolerance.

    By default the fields checked are facts that should agree between systems (amounts,
    quantities, dates, statuses, exact codes such as USCC); ``only`` names them instead.
    ``skip_status``: statuses are judged as a whole chain (reconcile), not field by field.
    """
    labels = sorted({label for g in groups for label, _ in g.members})
    members = _member_frame(groups, labels)
    found = []
    for name, values in fields.items():
        if not (name in only if only is not None else values.kind in CONFLICT_KINDS):
            continue
        if skip_status and values.kind == "status":
            continue
        present = _field_values(values, members, labels)
        if values.kind != "status":
            present = _comparable(values, present, tolerance)
        counts = present.groupby("group").size()
        present = present[present["group"].isin(counts.index[counts >= 2])]
        if present.empty:
            continue
        bad = present[present["group"].isin(_disagreeing(values, present, tolerance))].sort_values(
            ["group", "table", "row"], kind="stable"
        )
        group_ids = bad["group"].to_numpy()
        cuts = np.flatnonzero(np.diff(group_ids)) + 1
        tables = np.split(bad["table"].to_numpy(), cuts)
        rows = np.split(bad["row"].to_numpy(), cuts)
        for start, t, r in zip(
            np.concatenate([[0], cuts]).tolist() if len(bad) else [], tables, rows, strict=False
        ):
            nodes = tuple((labels[a], int(b)) for a, b in zip(t.tolist(), r.tolist(), strict=True))
            found.append(Conflict(int(group_ids[start]), name, nodes, values.kind))
    found.sort(key=lambda c: (c.group, c.field))
    return found
