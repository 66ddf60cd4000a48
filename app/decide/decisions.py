"""Decisions a person makes in review, as values (stored, undone, re-applied).

``accept``: the group is right. ``reject``: the group's records are not one entity.
``take``: for a field, the value of one system is true (``source`` is its table label).
``edit``: for a field, a typed value is true. A rule ("amount: trust ERP") is a ``take``
applied to every group with that conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

STATES = {"accept": "accepted", "reject": "rejected", "take": "resolved", "edit": "resolved"}


@dataclass(frozen=True)
class Decision:
    kind: str  # accept, reject, take, edit
    group: int  # index of the group in the run
    field: str | None = None
    source: str | None = None  # take: the table whose value wins
    value: str | None = None  # edit: the typed value
    user: str = ""
    at: datetime | None = None
    previous: str = "open"  # the group's state before (for undo)

    def __post_init__(self) -> None:
        if self.kind not in STATES:
            raise ValueError(f"unknown decision {self.kind!r}")
        if self.at is None:
            object.__setattr__(self, "at", datetime.now())

    @property
    def new_state(self) -> str:
        return STATES[self.kind]

    def same_as(self, other: Decision) -> bool:
        return (self.kind, self.group, self.field, self.source, self.value) == (
            other.kind,
            other.group,
            other.field,
            other.source,
            other.value,
        )

    def describe(self) -> str:
        if self.kind == "take":
            return f"take {self.source}'s value"
        if self.kind == "edit":
            return f"set to {self.value!r}"
        return self.kind
