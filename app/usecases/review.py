"""Review: which groups the queue shows, and deciding them — one group or thousands in one
transaction with one audit entry, undone the same way.

A value decision ("take erp's amount", "set to 1,200") proposes its fixes in the same
transaction, so the Fixes page and ``concord fixes list`` show them at once; undoing the
decision withdraws the fixes nobody wrote yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from app.decide.decisions import Decision
from app.decide.session import ReviewSession
from app.progress import Progress, no_progress
from app.store.decisions import (
    VALUE_KINDS,
    save_decisions,
    supersede_values,
    withdraw_decisions,
)
from app.store.fixes import propose_each
from app.store.workspace import Workspace

_TICK = 1_000  # decisions between two progress reports (where a cancel takes effect)

if TYPE_CHECKING:  # the run's record, from the layer's own runs module
    from app.usecases.runs import JobRun

BANDS = ("all", "auto", "review", "orphan", "conflicts")
STATES = ("open", "decided", "all")
OPEN = ("open", "recheck")  # a group marked for re-check is open work


# How old a chain exception is, as the Overview buckets them: (name, from, to) in days.
AGES = (("0-2", 0, 2), ("3-7", 3, 7), ("8+", 8, None))


@dataclass(frozen=True)
class QueueFilter:
    """What the review queue shows: a band (or groups with conflicts), a conflicting
    field, a conflict kind (money, date, … or a chain exception such as
    approved_not_booked) and its age bucket (:data:`AGES`), a system that must be in the
    group, open or decided groups, and a text found in any record key or the group's
    name."""

    band: str = "all"
    field: str = ""
    system: str = ""
    state: str = "open"
    text: str = ""
    kind: str = ""
    age: str = ""


def queue_mask(session: ReviewSession, chosen: QueueFilter) -> np.ndarray:
    """Per group of the queue, whether ``chosen`` shows it."""
    queue = session.queue()
    mask = np.ones(len(queue), dtype=bool)
    if chosen.band == "conflicts":
        mask &= (queue["conflicts"] != "").to_numpy()
    elif chosen.band != "all":
        mask &= (queue["band"] == chosen.band).to_numpy()
    if chosen.field:
        mask &= _has_word(queue["conflicts"], chosen.field)
    if chosen.kind:
        mask &= _has_word(queue["kinds"], chosen.kind)
    if chosen.age:
        mask &= _aged(queue, chosen.age)
    if chosen.system:
        mask &= _has_word(queue["tables"], chosen.system)
    if chosen.state == "open":
        mask &= queue["state"].isin(OPEN).to_numpy()
    elif chosen.state == "decided":
        mask &= (~queue["state"].isin(OPEN)).to_numpy()
    text = chosen.text.strip()
    if text:
        mask &= session.search_text().str.contains(text, regex=False, case=False).to_numpy(bool)
    return mask


def _has_word(column: pd.Series, word: str) -> np.ndarray:
    """Whether a space-separated list holds ``word`` exactly ("erp" is not "erp2")."""
    pattern = rf"(?:^| ){re.escape(word)}(?: |$)"
    return column.str.contains(pattern, regex=True).to_numpy(bool)


def chain_ages(session: ReviewSession, kinds: tuple[str, ...]) -> dict[str, list[int]]:
    """Per chain exception kind, how many open groups fall in each age bucket (an age
    not known counts as the oldest). Cheap enough to redo on every decision."""
    counts = {kind: [0] * len(AGES) for kind in kinds}
    for conflict in session.result.conflicts:
        if conflict.kind in counts and session.state[conflict.group] in OPEN:
            counts[conflict.kind][_bucket(conflict.age_days)] += 1
    return counts


def _bucket(age: float | None) -> int:
    for index, (_, low, high) in enumerate(AGES):
        if age is not None and age >= low and (high is None or age <= high):
            return index
    return len(AGES) - 1


def _aged(queue: pd.DataFrame, bucket: str) -> np.ndarray:
    """Whether each group's chain exception is as old as the bucket says."""
    index = next(k for k, (name, _, _) in enumerate(AGES) if name == bucket)
    age = queue["age"].to_numpy(dtype=float)
    return np.array([_bucket(None if np.isnan(a) else a) == index for a in age], dtype=bool)


def auto_accept_candidates(session: ReviewSession) -> list[int]:
    """The groups "accept every auto-matched group" accepts: auto band, still open, no
    conflict."""
    queue = session.queue()
    todo = (queue["band"] == "auto") & queue["state"].isin(OPEN) & (queue["conflicts"] == "")
    return [int(k) for k in queue.index[todo]]


# Chain exceptions a standing rule never settles: an order booked without approval is a
# control breach for a person to review; a deal never submitted has no approval to copy.
NEVER_BY_RULE = frozenset({"booked_without_approval", "won_not_submitted"})


def rule_decisions(session: ReviewSession, field: str, trust: str, user: str) -> list[Decision]:
    """What "field: trust LABEL" decides: that table's value, for every open group with a
    conflict on the field that holds a record of that table."""
    groups = sorted(
        {
            c.group
            for c in session.result.conflicts
            if c.field == field
            and c.kind not in NEVER_BY_RULE
            and session.state[c.group] in OPEN
            and any(label == trust for label, _ in c.members)
        }
    )
    return [Decision("take", g, field=field, source=trust, user=user) for g in groups]


@dataclass
class Decided:
    """Decisions made in one step, as the session recorded them (what undo takes), their
    ids in the workspace and the fixes they proposed."""

    decisions: list[Decision]
    ids: list[int] = field(default_factory=list)
    fixes: list[int] = field(default_factory=list)

    @property
    def groups(self) -> list[int]:
        return sorted({d.group for d in self.decisions})


def decide(
    workspace: Workspace,
    run: JobRun,
    decisions: list[Decision],
    progress: Progress = no_progress,
) -> Decided:
    """Record decisions on a run's groups, as the workspace's user, in one transaction:
    stored for later runs, audited once, their fixes proposed. A value taken or typed for
    a field replaces the group's earlier value for it (whose unwritten fixes are
    withdrawn): one cell never holds two live fixes that disagree. ``progress`` may
    raise :class:`app.errors.Cancelled`: then nothing is recorded."""
    session = run.session
    fields = {(d.group, d.field) for d in decisions if d.kind in VALUE_KINDS and d.field}
    replaced = [
        d for d in session.decisions if d.kind in VALUE_KINDS and (d.group, d.field) in fields
    ]
    recorded: list[Decision] = []
    try:
        for earlier in replaced:
            session.revert(earlier)
        for k, decision in enumerate(decisions):
            if k % _TICK == 0:
                progress("decide", 0.3 * k / len(decisions))
            recorded.append(session.apply(decision))
        with workspace.session() as db:
            stable = run.recorded.stable_ids
            supersede_values(db, workspace.user, {(stable[g], f) for g, f in fields})
            progress("decide", 0.3)
            ids = save_decisions(
                db,
                workspace.user,
                session,
                run.identities,
                recorded,
                run.recorded.stable_ids,
                run.run_id,
            )
            planned = []
            for k, (decision, decision_id) in enumerate(zip(recorded, ids, strict=True)):
                if k % _TICK == 0:
                    progress("decide", 0.8 + 0.15 * k / len(recorded))
                planned += [(change, decision_id) for change in session.fixes_of(decision)]
            fixes = propose_each(db, workspace.user, planned)
            progress("decide", 1.0)  # the last moment to cancel: the transaction is open
    except BaseException:
        for decision in reversed(recorded):
            session.revert(decision)
        for earlier in replaced:
            session.apply(earlier)
        raise
    return Decided(recorded, ids, fixes)


def undo(workspace: Workspace, run: JobRun, done: Decided) -> None:
    """Take back one step of :func:`decide`: the decisions are superseded and the fixes
    they proposed that nobody wrote yet are withdrawn, in one transaction."""
    with workspace.session() as db:
        withdraw_decisions(db, workspace.user, done.ids)
    for decision in reversed(done.decisions):
        run.session.revert(decision)


def redo(
    workspace: Workspace, run: JobRun, done: Decided, progress: Progress = no_progress
) -> Decided:
    """Make an undone step again (new workspace rows: the old ones stay superseded)."""
    return decide(workspace, run, [_fresh(d) for d in done.decisions], progress)


def _fresh(decision: Decision) -> Decision:
    return Decision(
        decision.kind,
        decision.group,
        field=decision.field,
        source=decision.source,
        value=decision.value,
        user=decision.user,
    )
