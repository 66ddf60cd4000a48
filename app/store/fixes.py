"""Fixes in the workspace: proposed, approved (four-eyes when on), written, rolled back.

A fix is one cell to change in a source system. Whoever proposed it cannot approve it when
the workspace's four-eyes setting is on, and only approvers and admins approve. A write-back
records what it wrote and the inverse change set, so ``concord rollback`` can restore it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.decide.changes import Change, ChangeSet, Target
from app.errors import InputError
from app.store import audit
from app.store.leases import serialise
from app.store.schema import Approval, Fix, Setting
from app.store.workspace import Workspace

APPROVER_ROLES = {"approver", "admin"}


def four_eyes(workspace: Workspace) -> bool:
    with workspace.session() as db:
        row = db.get(Setting, "four_eyes")
        return bool(row.value.get("on", True)) if row else True


def set_four_eyes(workspace: Workspace, on: bool) -> None:
    """Turn four-eyes on or off: an admin's decision, audited."""
    if workspace.role() != "admin":
        raise InputError(
            f"only an admin turns four-eyes on or off ({workspace.who()})",
            hint=workspace.ask_an_admin(),
        )
    with workspace.session() as db:
        row = db.get(Setting, "four_eyes")
        if row is None:
            db.add(Setting(name="four_eyes", value={"on": on}))
        else:
            row.value = {"on": on}
        audit.append(db, workspace.user, "setting", "four_eyes", after={"on": on})


def propose(
    workspace: Workspace, changes: list[Change], decision_id: int | None = None
) -> list[int]:
    """Store proposed fixes; returns their ids."""
    with workspace.session() as db:
        return add_fixes(db, workspace.user, changes, decision_id)


def add_fixes(
    db: Session,
    user: str,
    changes: list[Change],
    decision_id: int | Sequence[int | None] | None = None,
    merge_id: int | None = None,
) -> list[int]:
    """Add proposed fixes in an open workspace session, under one audit entry that lists
    every cell (record, column, value before and after). ``decision_id``: the decision
    that proposed them, or one per change."""
    if not changes:
        return []
    now = datetime.now()
    decisions = (
        [decision_id] * len(changes)
        if decision_id is None or isinstance(decision_id, int)
        else list(decision_id)
    )
    rows = [
        {
            "decision_id": decided,
            "target": asdict(change.target),
            "record_key": change.key,
            "column": change.column,
            "old": change.old,
            "new": change.new,
            "reason": change.reason,
            "row": change.row,
            "line": list(change.line) if change.line is not None else None,
            "proposed_by": change.proposed_by or user,
            "proposed": now,
            "state": "proposed",
            "merge_id": merge_id,
        }
        for change, decided in zip(changes, decisions, strict=True)
    ]
    ids = list(db.scalars(insert(Fix).returning(Fix.id, sort_by_parameter_order=True), rows))
    audit.append(
        db,
        str(rows[0]["proposed_by"]),
        "propose fix",
        f"fix {ids[0]}" if len(ids) == 1 else f"{len(ids)} fixes",
        after={
            "fixes": [
                {"id": k, "key": c.key, "column": c.column, "old": c.old, "new": c.new}
                for k, c in zip(ids, changes, strict=True)
            ]
        },
    )
    return ids


LIVE = ("proposed", "approved", "written")


def propose_new(
    db: Session, user: str, changes: list[Change], decision_id: int | None = None
) -> list[int]:
    """Propose the changes not already proposed, approved or written (same cell, same new
    value), under the workspace's write lock: two runs at once propose each fix once."""
    return propose_each(db, user, [(change, decision_id) for change in changes])


def propose_each(db: Session, user: str, planned: list[tuple[Change, int | None]]) -> list[int]:
    """:func:`propose_new` for the changes of many decisions, each with the id of the
    decision that proposed it: the live fixes are read once, one audit entry lists all."""
    if not planned:
        return []
    serialise(db, "fixes")
    known = {_cell(change_of(f)) for f in db.scalars(select(Fix).where(Fix.state.in_(LIVE)))}
    fresh: list[tuple[Change, int | None]] = []
    for change, decision_id in planned:
        cell = _cell(change)
        if cell not in known:
            known.add(cell)
            fresh.append((change, decision_id))
    if not fresh:
        return []
    return add_fixes(db, user, [c for c, _ in fresh], [d for _, d in fresh])


def _cell(change: Change) -> tuple[str, ...]:
    """The cell a change writes and its new value (a document's line: which line, too)."""
    target, line = change.target, change.line or ("", "")
    return (target.location, target.sheet or "", change.key, change.column, *line, change.new)


def approve(
    workspace: Workspace,
    fix_ids: list[int],
    approver: str | None = None,
    verdict: str = "approved",
    note: str = "",
) -> None:
    """Approve (or reject) fixes; refuses a proposer approving their own fix under four-eyes."""
    approver = approver or workspace.user
    if workspace.role(approver) not in APPROVER_ROLES:
        raise InputError(
            f"{workspace.who(approver)} may not approve fixes",
            hint="ask an approver, or have an admin give you the approver role",
        )
    strict = four_eyes(workspace)
    with workspace.session() as db:
        fixes = list(db.scalars(select(Fix).where(Fix.id.in_(fix_ids))))
        if len(fixes) != len(set(fix_ids)):
            raise InputError("some fixes do not exist", hint="list them with: concord fixes list")
        own = [f.id for f in fixes if f.proposed_by == approver]
        if strict and own and verdict == "approved":
            raise InputError(
                f"four-eyes: {approver} proposed fix {', '.join(map(str, own))} and cannot approve it",
                hint="another approver must approve it",
            )
        for fix in fixes:
            if fix.state not in ("proposed", "approved", "rejected"):
                raise InputError(f"fix {fix.id} is already {fix.state}")
            fix.state = verdict
            db.add(
                Approval(
                    fix_id=fix.id,
                    approver=approver,
                    verdict=verdict,
                    note=note,
                    at=datetime.now(),
                    digest=digest(fix),
                )
            )
        ids = sorted(f.id for f in fixes)
        item = f"fix {ids[0]}" if len(ids) == 1 else f"{len(ids)} fixes"
        audit.append(db, approver, f"fix {verdict}", item, after={"fixes": ids, "note": note})


def change_of(fix: Fix, approved_by: str = "") -> Change:
    return Change(
        target=Target(**fix.target),
        key=fix.record_key,
        column=fix.column,
        old=fix.old,
        new=fix.new,
        reason=fix.reason,
        proposed_by=fix.proposed_by,
        approved_by=approved_by,
        row=fix.row,
        id=fix.id,
        line=(fix.line[0], fix.line[1]) if fix.line else None,
    )


def fixes(workspace: Workspace, state: str | None = None) -> list[Fix]:
    with workspace.session() as db:
        query = select(Fix).order_by(Fix.id)
        if state is not None:
            query = query.where(Fix.state == state)
        return list(db.scalars(query))


def listing(workspace: Workspace, state: str | None = None) -> list[dict[str, object]]:
    """Fixes with who approved (or rejected) each, oldest first; withdrawn fixes (their
    decision was undone) only when asked for by state."""
    with workspace.session() as db:
        query = select(Fix).order_by(Fix.id)
        query = query.where(Fix.state == state if state else Fix.state != "withdrawn")
        rows = list(db.scalars(query))
        verdicts = dict(
            db.execute(select(Approval.fix_id, Approval.approver).order_by(Approval.id)).all()
        )
    return [
        {
            "id": f.id,
            "state": f.state,
            "target": f.target["location"],
            "sheet": f.target.get("sheet") or "",
            "record": f.record_key,
            "column": f.column,
            "old": f.old,
            "new": f.new,
            "reason": f.reason,
            "proposed_by": f.proposed_by,
            "approved_by": verdicts.get(f.id, ""),
        }
        for f in rows
    ]


def digest(fix: Fix) -> str:
    """What an approval approves: the cell (target, record, column) and both values."""
    cell = [
        fix.target.get("kind"),
        fix.target.get("location"),
        fix.target.get("sheet"),
        fix.target.get("key_column"),
        fix.record_key,
        fix.column,
        fix.old,
        fix.new,
        *([fix.line] if fix.line else []),  # a line's fix: which line, too
    ]
    return hashlib.sha256(json.dumps(cell, ensure_ascii=False).encode("utf-8")).hexdigest()


def approved_change_set(workspace: Workspace, merge_id: int | None = None) -> ChangeSet:
    """The approved fixes of a merge, or (``merge_id`` None) every approved fix that is
    not part of a merge: a merge is written, and unmerged, on its own. Refused, naming
    them, when fixes changed since they were approved (an approval is bound to the
    values it saw)."""
    with workspace.session() as db:
        rows = list(
            db.scalars(
                select(Fix)
                .where(
                    Fix.state == "approved",
                    Fix.merge_id.is_(None) if merge_id is None else Fix.merge_id == merge_id,
                )
                .order_by(Fix.id)
            )
        )
        approvals = {
            a.fix_id: a
            for a in db.scalars(
                select(Approval).where(Approval.verdict == "approved").order_by(Approval.id)
            )
        }
    changed = [f for f in rows if f.id not in approvals or approvals[f.id].digest != digest(f)]
    if changed:
        listed = "; ".join(
            f"fix {f.id} ({f.record_key} {f.column} → {f.new!r})" for f in changed[:10]
        )
        raise InputError(
            f"{len(changed)} approved fixes changed since they were approved: {listed}",
            hint="have them approved again (concord fixes approve ID…), or reject them",
        )
    return ChangeSet([replace(change_of(f), approved_by=approvals[f.id].approver) for f in rows])


def describe_fix(fix: Fix) -> str:
    """One line for a person: where, which record and column, old → new, and its state."""
    return f"{describe_change(change_of(fix))}  [{fix.state}]"


def describe_change(change: Change) -> str:
    """:func:`describe_fix` for a change not proposed yet (a preview)."""
    where = change.target.sheet or Path(change.target.location).name
    key = f"{change.key} (line {change.line[1]})" if change.line else change.key
    return _cell_line(where, key, change.column, change.old, change.new)


def _cell_line(where: str, key: str, column: str, old: str, new: str) -> str:
    return f"{where} {key} {column}: {old!r} → {new!r}"
