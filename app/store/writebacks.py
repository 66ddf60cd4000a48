"""Write-backs in the workspace: recorded before any target is touched, journalled file by
file, finished with their inverse, recovered after a crash, rolled back.

Callers hold the workspace's write lease (:data:`app.store.leases.WRITE`) around all of
this, so a write-back still "started" when the lease is free belongs to a process that
is gone, and :func:`recover` may settle it. Each file is replaced atomically and its
replacement journalled just before, so after a crash a file's hash says exactly which of
its targets landed; the fixes of those are written, every other fix stays approved.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.decide.changes import Change, ChangeSet, Target
from app.errors import InputError
from app.store import audit
from app.store.leases import Held
from app.store.schema import Fix, WriteBack
from app.store.workspace import Workspace
from app.writeback.apply import WrittenFile, apply_change_set
from app.writeback.files import FileStep, file_sha256

TEMPORARY = "*.concord-tmp"


def begin(workspace: Workspace, change_set: ChangeSet, backup_dir: Path | None = None) -> int:
    """Record that a write-back starts (before touching any target)."""
    with workspace.session() as db:
        row = WriteBack(
            started=datetime.now(),
            finished=None,
            state="started",
            user=workspace.user,
            fixes=[c.id for c in change_set.changes if c.id is not None],
            targets=[
                {
                    "location": t.location,
                    "sheet": t.sheet,
                    "kind": t.kind,
                    "hash_before": t.file_hash,
                    "backup_dir": str(backup_dir) if backup_dir else None,
                }
                for t in change_set.by_target()
            ],
            inverse=_stored(change_set.inverse()),
            journal=[],
        )
        db.add(row)
        db.flush()
        audit.append(
            db,
            workspace.user,
            "write-back started",
            f"write-back {row.id}",
            after={"cells": len(change_set.changes), "files": _names(row.targets)},
        )
        return row.id


def journal(workspace: Workspace, writeback_id: int, held: Held, step: FileStep) -> None:
    """Note a file about to be replaced — refused if this process lost its lease."""
    with workspace.session() as db:
        held.check(db)
        row = db.get(WriteBack, writeback_id)
        assert row is not None
        entry = {
            "location": step.target.location,
            "sheet": step.target.sheet,
            "backup": step.backup,
            "hash_before": step.hash_before,
            "hash_after": step.hash_after,
        }
        row.journal = [*(row.journal or []), entry]


def finish(
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


def _stored(change_set: ChangeSet) -> list[dict[str, Any]]:
    return [{**asdict(c), "target": asdict(c.target)} for c in change_set.changes]


def _names(targets: Iterable[dict[str, Any]]) -> list[str]:
    return sorted({Path(t["location"]).name for t in targets if t["kind"] != "sql"})


# --- rolling back ------------------------------------------------------------------------


def rollback_plan(workspace: Workspace, writeback_id: int) -> tuple[ChangeSet, list[WrittenFile]]:
    """What rolling back a write-back takes: its inverse, and the files it wrote."""
    with workspace.session() as db:
        row = db.get(WriteBack, writeback_id)
        if row is None:
            raise InputError(
                f"there is no write-back {writeback_id}", hint="see: concord fixes list"
            )
        if row.state != "done":
            raise InputError(f"write-back {writeback_id} is {row.state}, not done")
        inverse = ChangeSet([Change(**{**c, "target": Target(**c["target"])}) for c in row.inverse])
        files = {
            t["location"]: WrittenFile(t["location"], t["backup"], t["hash_after"])
            for t in row.targets
            if t.get("backup") and t.get("hash_after")
        }
    return inverse, list(files.values())


def files_of(workspace: Workspace, writeback_id: int) -> list[str]:
    """The files (and database tables) a write-back changed, for a confirmation."""
    inverse, _ = rollback_plan(workspace, writeback_id)
    return sorted({_where(c.target) for c in inverse.changes})


def _where(target: Target) -> str:
    if target.kind == "sql":
        return f"{target.sheet} ({target.location})"
    return Path(target.location).name + (f" › {target.sheet}" if target.sheet else "")


def mark_rolling_back(workspace: Workspace, writeback_id: int, state: str = "rolling_back") -> None:
    """Before a rollback touches anything (``state`` "done" again when it was refused)."""
    with workspace.session() as db:
        row = db.get(WriteBack, writeback_id)
        assert row is not None
        row.state = state


def mark_rolled_back(workspace: Workspace, writeback_id: int) -> None:
    """The write-back is undone: its written fixes are rolled back (fixes it never wrote
    keep their state and approval)."""
    with workspace.session() as db:
        row = db.get(WriteBack, writeback_id)
        assert row is not None
        row.state = "rolled_back"
        for fix in db.scalars(select(Fix).where(Fix.id.in_(row.fixes), Fix.state == "written")):
            fix.state = "rolled_back"
        audit.append(
            db,
            workspace.user,
            "rollback",
            f"write-back {writeback_id}",
            after={"files": _names(row.targets)},
        )


# --- after a crash -------------------------------------------------------------------------


def recover(workspace: Workspace) -> list[str]:
    """Settle write-backs and rollbacks whose process is gone (the caller holds the write
    lease, so no live process owns them) and remove the temporary files they left.
    Returns one line per write-back found, saying what is true of it now."""
    found = []
    with workspace.session() as db:
        rows = list(
            db.scalars(
                select(WriteBack)
                .where(WriteBack.state.in_(("started", "rolling_back")))
                .order_by(WriteBack.id)
            )
        )
        for row in rows:
            sweep(row.targets)
            if row.state == "started":
                found.append(_recover_write(db, workspace.user, row))
            else:
                found.append(_recover_rollback(db, workspace.user, row))
    return found


def sweep(targets: Iterable[dict[str, Any]]) -> None:
    """Remove temporary files an interrupted write left beside its files and backups."""
    folders: set[Path] = set()
    for target in targets:
        if target["kind"] == "sql":
            continue
        folders.add(Path(target["location"]).parent)
        if target.get("backup_dir"):
            folders.add(Path(target["backup_dir"]))
    for folder in folders:
        for temporary in folder.glob(".*" + TEMPORARY[1:]):
            with contextlib.suppress(OSError):
                temporary.unlink()


def _landed(row: WriteBack) -> tuple[set[tuple[str, str | None]], dict[str, WrittenFile]]:
    """The targets an interrupted write-back wrote, told by each file's hash now against
    its journal, and per file written its first backup and present hash."""
    written: set[tuple[str, str | None]] = set()
    files: dict[str, WrittenFile] = {}
    steps: dict[str, list[dict[str, Any]]] = {}
    for step in row.journal or []:
        steps.setdefault(step["location"], []).append(step)
    for location, file_steps in steps.items():
        path = Path(location)
        now = file_sha256(path) if path.is_file() else None
        done = [k for k, step in enumerate(file_steps) if step["hash_after"] == now]
        if not done:
            continue
        for step in file_steps[: done[-1] + 1]:
            written.add((location, step["sheet"]))
        files[location] = WrittenFile(location, file_steps[0]["backup"], str(now))
    sql = [t for t in row.targets if t["kind"] == "sql"]
    if sql:
        inverse = ChangeSet([Change(**{**c, "target": Target(**c["target"])}) for c in row.inverse])
        for target in sql:
            undo = [
                c
                for c in inverse.changes
                if (c.target.location, c.target.sheet) == (target["location"], target["sheet"])
            ]
            # The inverse expects the new values: if none is stale, the update committed.
            if undo and not apply_change_set(ChangeSet(undo), dry_run=True).results[0].stale:
                written.add((target["location"], target["sheet"]))
    return written, files


def _recover_write(db: Any, user: str, row: WriteBack) -> str:
    written, files = _landed(row)
    fixes = list(db.scalars(select(Fix).where(Fix.id.in_(row.fixes))))
    landed = [f for f in fixes if (f.target["location"], f.target.get("sheet")) in written]
    for fix in landed:
        fix.state = "written"
    # A fresh copy: SQLAlchemy sees no change in JSON mutated in place.
    inverse = [
        copy.deepcopy(c)
        for c in row.inverse
        if (c["target"]["location"], c["target"]["sheet"]) in written
    ]
    for change in inverse:
        if change["target"]["location"] in files:
            change["target"]["file_hash"] = files[change["target"]["location"]].hash_after
    row.inverse = inverse
    row.fixes = [f.id for f in landed]  # what it wrote; the rest are for a later write-back
    row.targets = [{**t, **_file_record(files.get(t["location"]))} for t in row.targets]
    row.state, row.finished = ("done" if landed else "failed"), datetime.now()
    audit.append(
        db,
        user,
        f"write-back recovered as {row.state}",
        f"write-back {row.id}",
        after={"written": sorted(files), "fixes written": len(landed)},
    )
    waiting = len(fixes) - len(landed)
    if not landed:
        return (
            f"write-back {row.id} was interrupted before it changed anything; its "
            f"{waiting} fixes stay approved (write them with: concord apply)"
        )
    rest = f"; the other {waiting} stay approved (concord apply writes them)" if waiting else ""
    return (
        f"write-back {row.id} was interrupted: {len(landed)} fixes were written "
        f"({', '.join(Path(f).name for f in sorted(files)) or 'database'}){rest}; "
        f"undo it with: concord rollback {row.id}"
    )


def _recover_rollback(db: Any, user: str, row: WriteBack) -> str:
    """A rollback that stopped: the files back at their bytes from before the write-back
    are rolled back; the write-back stays done for whatever is left."""
    restored = set()
    for target in row.targets:
        path = Path(target["location"])
        before = target.get("hash_before")
        if target.get("backup") and before and path.is_file() and file_sha256(path) == before:
            restored.add(target["location"])
    row.inverse = [c for c in row.inverse if c["target"]["location"] not in restored]
    row.targets = [
        {k: v for k, v in t.items() if t["location"] not in restored or k not in ("backup",)}
        for t in row.targets
    ]
    row.state = "rolled_back" if not row.inverse else "done"
    for fix in db.scalars(select(Fix).where(Fix.id.in_(row.fixes), Fix.state == "written")):
        if row.state == "rolled_back" or fix.target["location"] in restored:
            fix.state = "rolled_back"
    audit.append(
        db,
        user,
        f"rollback recovered as {row.state}",
        f"write-back {row.id}",
        after={"restored": sorted(Path(r).name for r in restored)},
    )
    if row.state == "rolled_back":
        return f"the rollback of write-back {row.id} was interrupted after it had finished"
    return (
        f"the rollback of write-back {row.id} was interrupted; "
        f"{len(restored)} files were restored — finish it with: concord rollback {row.id}"
    )


def listing(workspace: Workspace) -> list[dict[str, Any]]:
    """Every write-back, newest first: when, who, its state, the files and cells."""
    with workspace.session() as db:
        rows = list(db.scalars(select(WriteBack).order_by(WriteBack.id.desc())))
    return [
        {
            "id": row.id,
            "at": f"{row.started:%Y-%m-%d %H:%M}",
            "user": row.user,
            "state": row.state,
            "files": ", ".join(_names(row.targets))
            or ", ".join(sorted({t["sheet"] or "" for t in row.targets})),
            "cells": len(row.fixes),
        }
        for row in rows
    ]
