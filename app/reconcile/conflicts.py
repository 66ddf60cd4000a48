"""Conflicts: fields on which the records of one group disagree (DESIGN.md step 7).

Values are compared after normalisation, so a difference of format only ("¥12,345.00"
against 12345, "2026/9/5" against 2026年9月5日, 审批中 against 未审核) is never a
conflict. Beyond format, each kind has a tolerance: money to the cent (or a share), dates
by days, statuses by canonical state — approved or closed in one system against rejected
or cancelled in another (OA 已驳回, ERP 已审核); a step still pending is not a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.match.prepare import FieldValues
from app.reconcile.groups import Group, Node

CONFLICT_KINDS = frozenset({"money", "number", "date", "status", "exact"})
GOING_AHEAD = frozenset({"approved", "closed"})
STOPPED = frozenset({"rejected", "cancelled"})


@dataclass(frozen=True)
class Tolerance:
    money: float = 0.01  # absolute, in the currency's units
    money_share: float = 0.0  # relative (0.01 = 1 %); the larger allowance applies
    days: float = 7.0  # dates may differ this many days
    number_share: float = 0.0


@dataclass(frozen=True)
class Conflict:
    """One field of one group whose values disagree; ``members`` hold every record's value."""

    group: int
    field: str
    members: tuple[Node, ...]


def _present(values: FieldValues, nodes: list[Node]) -> list[Node]:
    if values.number is not None:
        return [(label, row) for label, row in nodes if not np.isnan(values.number[label][row])]
    return [(label, row) for label, row in nodes if values.text[label][row]]


def _disagree(values: FieldValues, nodes: list[Node], tolerance: Tolerance) -> bool:
    if values.number is not None:
        numbers = np.array([values.number[label][row] for label, row in nodes], dtype=float)
        spread = float(numbers.max() - numbers.min())
        if values.kind == "date":
            return float(np.floor(numbers).max() - np.floor(numbers).min()) > tolerance.days
        scale = float(np.abs(numbers).max())
        if values.kind == "money":
            return spread > max(tolerance.money, tolerance.money_share * scale) + 1e-9
        return spread > tolerance.number_share * scale + 1e-9
    states = {values.text[label][row] for label, row in nodes}
    if values.kind == "status":
        # A process in flight (pending, draft) disagrees with nothing yet; going ahead
        # (approved, closed) and not going ahead (rejected, cancelled) contradict.
        return bool(states & GOING_AHEAD) and bool(states & STOPPED)
    return len(states) > 1


def find_conflicts(
    groups: list[Group],
    fields: dict[str, FieldValues],
    tolerance: Tolerance,
    only: set[str] | None = None,
) -> list[Conflict]:
    """Every (group, field) whose values disagree beyond tolerance.

    By default the fields checked are facts that should agree between systems (amounts,
    quantities, dates, statuses, exact codes such as USCC); ``only`` names them instead.
    """
    checked = {
        name: values
        for name, values in fields.items()
        if (name in only if only is not None else values.kind in CONFLICT_KINDS)
    }
    found = []
    for index, group in enumerate(groups):
        if len(group.members) < 2:
            continue
        for name, values in checked.items():
            nodes = _present(values, [n for n in group.members if n[0] in values.field.columns])
            if len(nodes) < 2:
                continue
            if _disagree(values, nodes, tolerance):
                found.append(Conflict(index, name, tuple(nodes)))
    return found
