"""Fixes in the workspace: proposed, approved (four-eyes when on), written, rolled back.

A fix is one cell to change in a source system. Whoever proposed it cannot approve it when
the workspace's four-eyes setting is on, and only approvers and admins approve. A write-back
records what it wrote and the inverse change set, so ``concord rollback`` can restore it.
"""

from __future__ import annotations

import copy
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InputError
from app.store import audit
from app.store.schema import Approval, Fix, Setting, WriteBack
from app.store.workspace import Workspace
from app.writeback.apply import WriteBackResult, WrittenFile, apply_change_set
from app.writeback.changes import Change, ChangeSet, Target

APPROVER_ROLES = {"approver", "admin"}


def four_eyes(workspace: Workspace) -> bool:
    with workspace.session() as db:
        row = db.get(Setting, "four_eyes")
        return bool(row.value.get("on", True)) if row else True


def set_four_eyes(workspace: Workspace, on: bool) -> None:
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
    decision_id: int | None = None,
    merge_id: int | None = None,
) -> list[int]:
    """Add proposed fixes in an open workspace session, with an audit entry each."""
    ids = []
    for change in changes:
        fix = Fix(
            decision_id=decision_id,
            target=asdict(change.target),
            record_key=change.key,
            column=change.column,
            old=change.old,
            new=change.new,
            reason=change.reason,
            row=change.row,
            proposed_by=change.proposed_by or user,
            proposed=datetime.now(),
            state="proposed",
            merge_id=merge_id,
        )
        db.add(fix)
        db.flush()
        ids.append(fix.id)
        audit.append(
            db,
            fix.proposed_by,
            "propose fix",
            f"fix {fix.id}",
            before={"value": change.old},
            after={"value": change.new, "key": change.key, "column": change.column},
        )
    return ids


def propose_new(workspace: Workspace, changes: list[Change]) -> list[int]:
    """Propose the changes not already proposed, approved or written (same cell, same new value)."""
    with workspace.session() as db:
        known = {
            (f.target["location"], f.record_key, f.column, f.new)
            for f in db.scalars(
                select(Fix).where(Fix.state.in_(("proposed", "approved", "written")))
            )
        }
    fresh = [c for c in changes if (c.target.location, c.key, c.column, c.new) not in known]
    return propose(workspace, fresh) if fresh else []


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
            f"{approver} may not approve fixes (role {workspace.role(approver)})",
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
                    fix_id=fix.id, approver=approver, verdict=verdict, note=note, at=datetime.now()
                )
            )
            audit.append(db, approver, f"fix {verdict}", f"fix {fix.id}", after={"note": note})


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
    )


def fixes(workspace: Workspace, state: str | None = None) -> list[Fix]:
    with workspace.session() as db:
        query = select(Fix).order_by(Fix.id)
        if state is not None:
            query = query.where(Fix.state == state)
        return list(db.scalars(query))


def approved_change_set(workspace: Workspace, merge_id: int | None = None) -> ChangeSet:
    """The approved fixes of a merge, or (``merge_id`` None) every approved fix that is
    not part of a merge: a merge is written, and unmerged, on its own."""
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
        approvers = {
            a.fix_id: a.approver
            for a in db.scalars(select(Approval).where(Approval.verdict == "approved"))
        }
    changes = []
    for fix in rows:
        change = change_of(fix)
        changes.append(
            Change(
                **{
                    **asdict(change),
                    "target": change.target,
                    "approved_by": approvers.get(fix.id, ""),
                }
            )
        )
    return ChangeSet(changes)


def begin_writeback(workspace: Workspace, change_set: ChangeSet) -> int:
    """Record that a write-back starts (before touching any target), so a crash leaves a
    trace the next start can check."""
    with workspace.session() as db:
        row = WriteBack(
            started=datetime.now(),
            finished=None,
            state="started",
            user=workspace.user,
            fixes=[c.id for c in change_set.changes if c.id is not None],
            targets=[
                {"location": t.location, "kind": t.kind, "hash_before": t.file_hash}
                for t in change_set.by_target()
            ],
            inverse=_stored(change_set.inverse()),
        )
        db.add(row)
        db.flush()
        audit.append(
            db,
            workspace.user,
            "write-back started",
            f"write-back {row.id}",
            after={"cells": len(change_set.changes)},
        )
        return row.id


def finish_writeback(
    workspace: Workspace,
    writeback_id: int,
    inverse: ChangeSet,
    state: str = "done",
    details: dict[str, Any] | None = None,
    files: list[WrittenFile] | None = None,
) -> None:
    """Record how a write-back ended, its inverse and, per file written, the backup and
    the hash it left (an untouched file is rolled back to its exact bytes)."""
    written = {f.location: f for f in files or []}
    with workspace.session() as db:
        row = db.get(WriteBack, writeback_id)
        assert row is not None
        row.finished, row.state = datetime.now(), state
        row.inverse = _stored(inverse)
        row.targets = [{**t, **_file_record(written.get(t["location"]))} for t in row.targets]
        if state == "done":
            for fix in db.scalars(select(Fix).where(Fix.id.in_(row.fixes))):
                fix.state = "written"
        audit.append(
            db,
            workspace.user,
            f"write-back {state}",
            f"write-back {writeback_id}",
            after={**(details or {}), "cells": len(inverse.changes)},
        )


def _file_record(written: WrittenFile | None) -> dict[str, Any]:
    return {} if written is None else {"backup": written.backup, "hash_after": written.hash_after}


def rollback_plan(workspace: Workspace, writeback_id: int) -> tuple[ChangeSet, list[WrittenFile]]:
    """What rolling back a write-back takes: its inverse, and the files it wrote."""
    inverse = inverse_of(workspace, writeback_id)
    with workspace.session() as db:
        row = db.get(WriteBack, writeback_id)
        assert row is not None
        files = {
            t["location"]: WrittenFile(t["location"], t["backup"], t["hash_after"])
            for t in row.targets
            if t.get("backup") and t.get("hash_after")
        }
    return inverse, list(files.values())


def inverse_of(workspace: Workspace, writeback_id: int) -> ChangeSet:
    with workspace.session() as db:
        row = db.get(WriteBack, writeback_id)
        if row is None:
            raise InputError(
                f"there is no write-back {writeback_id}", hint="see: concord fixes list --written"
            )
        if row.state != "done":
            raise InputError(f"write-back {writeback_id} is {row.state}, not done")
        return ChangeSet([Change(**{**c, "target": Target(**c["target"])}) for c in row.inverse])


def mark_rolled_back(workspace: Workspace, writeback_id: int) -> None:
    with workspace.session() as db:
        row = db.get(WriteBack, writeback_id)
        assert row is not None
        row.state = "rolled_back"
        for fix in db.scalars(select(Fix).where(Fix.id.in_(row.fixes))):
            fix.state = "rolled_back"
        audit.append(db, workspace.user, "rollback", f"write-back {writeback_id}")


def _stored(change_set: ChangeSet) -> list[dict[str, Any]]:
    return [{**asdict(c), "target": asdict(c.target)} for c in change_set.changes]


def recover_writebacks(workspace: Workspace) -> list[str]:
    """After a crash: settle write-backs left "started". Each file is replaced atomically,
    so it is wholly old or wholly new, and its hash tells which; the rollback keeps the
    inverse of the files that were written. Returns one line per write-back found."""
    from app.writeback.files import file_sha256

    found = []
    with workspace.session() as db:
        for row in db.scalars(select(WriteBack).where(WriteBack.state == "started")):
            written = {}
            for target in row.targets:
                path = Path(target["location"])
                if target["kind"] != "sql" and path.exists() and target.get("hash_before"):
                    now = file_sha256(path)
                    if now != target["hash_before"]:
                        written[target["location"]] = now
            # A fresh copy: SQLAlchemy sees no change in JSON mutated in place.
            inverse = [copy.deepcopy(c) for c in row.inverse if c["target"]["location"] in written]
            for change in inverse:
                change["target"]["file_hash"] = written[change["target"]["location"]]
            row.inverse = inverse
            row.state, row.finished = ("done" if written else "failed"), datetime.now()
            if written:
                for fix in db.scalars(select(Fix).where(Fix.id.in_(row.fixes))):
                    if fix.target["location"] in written:
                        fix.state = "written"
            audit.append(
                db,
                workspace.user,
                f"write-back recovered as {row.state}",
                f"write-back {row.id}",
                after={"written": sorted(written)},
            )
            found.append(
                f"write-back {row.id} was interrupted: {len(written)} of {len(row.targets)} "
                f"files were written ({row.state}); roll it back with: concord rollback {row.id}"
            )
    return found


def write_back(
    workspace: Workspace, change_set: ChangeSet, backup_dir: Path | None = None
) -> tuple[int, WriteBackResult]:
    """Write ``change_set`` with the workspace's bookkeeping: the write-back is recorded
    before any target is touched (crash recovery), and afterwards as done — with its
    inverse and the files it wrote — or as failed."""
    writeback_id = begin_writeback(workspace, change_set)
    try:
        result = apply_change_set(change_set, backup_dir=backup_dir)
    except InputError:
        finish_writeback(workspace, writeback_id, change_set.inverse(), state="failed")
        raise
    finish_writeback(workspace, writeback_id, result.inverse, files=result.files)
    return writeback_id, result


def describe_fix(fix: Fix) -> str:
    """One line for a person: where, which record and column, old → new, and its state."""
    where = fix.target.get("sheet") or Path(fix.target["location"]).name
    return f"{where} {fix.record_key} {fix.column}: {fix.old!r} → {fix.new!r}  [{fix.state}]"
