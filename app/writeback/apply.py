"""Write a whole change set back, target by target, as one all-or-nothing step.

Every target is checked first (a dry run: changed since import, locked, stale cells);
only then is anything written. If a later target still fails, the files already written
get their original bytes back and the database targets their inverses, so a change set
never lands half-way.

Several targets may live in one file (a workbook's customer sheet and its order sheet):
they are written one after the other, each checked against the bytes the previous one
left, and the result keeps, per file, the first backup and the last hash — what an exact
rollback needs (see :mod:`app.writeback.rollback`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from app.decide.changes import Change, ChangeSet, Target
from app.errors import Abandoned, InputError
from app.writeback.files import FileWriteResult, Journal
from app.writeback.preview import apply_file_changes, describe, put_back
from app.writeback.sql import SqlWriteResult, apply_sql_changes

Result = FileWriteResult | SqlWriteResult


@dataclass(frozen=True)
class WrittenFile:
    """One file a write-back replaced: its bytes before are in ``backup``."""

    location: str
    backup: str
    hash_after: str


@dataclass
class WriteBackResult:
    dry_run: bool
    results: list[Result] = field(default_factory=list)
    inverse: ChangeSet = field(default_factory=ChangeSet)

    @property
    def files(self) -> list[WrittenFile]:
        """Per file written: the first backup taken and the hash the last write left."""
        found: dict[str, WrittenFile] = {}
        for result in self.results:
            if not isinstance(result, FileWriteResult) or result.backup is None:
                continue
            location = result.target.location
            first = found.get(location)
            backup = first.backup if first else str(result.backup)
            found[location] = WrittenFile(location, backup, result.file_hash)
        return list(found.values())

    def describe(self) -> str:
        lines = []
        for result in self.results:
            if isinstance(result, SqlWriteResult):
                lines += [f"{s.sql}  {s.params}" for s in result.statements]
                lines += [
                    f"stale: {s.key} {s.column}: expected {s.expected!r}, now {s.actual!r}"
                    for s in result.stale
                ]
            else:
                lines += describe(result)
        verb = "would change" if self.dry_run else "changed"
        cells = sum(
            len(r.planned) if isinstance(r, FileWriteResult) else len(r.statements)
            for r in self.results
        )
        return "\n".join([f"{verb} {cells} cells in {len(self.results)} targets", *lines])


def _apply(
    target: Target,
    changes: list[Change],
    dry_run: bool,
    backup_dir: Path | None,
    journal: Journal | None = None,
) -> Result:
    if target.kind == "sql":
        return apply_sql_changes(target, changes, dry_run=dry_run)
    return apply_file_changes(
        target, changes, dry_run=dry_run, backup_dir=backup_dir, journal=journal
    )


def _after(
    target: Target, changes: list[Change], hashes: dict[str, str]
) -> tuple[Target, list[Change]]:
    """A target whose file this change set already wrote is checked against the bytes
    that write left, not against the bytes it was imported from."""
    if target.kind == "sql" or target.location not in hashes or target.file_hash is None:
        return target, changes
    moved = replace(target, file_hash=hashes[target.location])
    return moved, [replace(c, target=moved) for c in changes]


def apply_change_set(
    change_set: ChangeSet,
    *,
    dry_run: bool = False,
    backup_dir: Path | None = None,
    journal: Journal | None = None,
) -> WriteBackResult:
    """Preview (``dry_run``) or write every change; raises :class:`InputError` on refusal.
    ``journal`` is told every file replacement just before it happens (crash recovery);
    an :class:`Abandoned` error from it stops the write without undoing anything."""
    groups = change_set.by_target()
    previews = [_apply(target, changes, True, backup_dir) for target, changes in groups.items()]
    stale = [s for p in previews for s in p.stale]
    if dry_run:
        return WriteBackResult(True, previews)
    if stale:
        listed = "; ".join(f"{s.key} {s.column}" for s in stale[:10])
        raise InputError(
            f"{len(stale)} cells changed since they were imported ({listed})",
            hint="import the files again and review those records",
        )
    done = WriteBackResult(False)
    hashes: dict[str, str] = {}
    try:
        for target, changes in groups.items():
            result = _apply(*_after(target, changes, hashes), False, backup_dir, journal)
            done.results.append(result)
            if isinstance(result, FileWriteResult):
                hashes[target.location] = result.file_hash
    except Abandoned:
        raise
    except BaseException:
        _undo(done)
        raise
    done.inverse = ChangeSet([c for r in reversed(done.results) for c in r.inverse.changes])
    return done


def _undo(done: WriteBackResult) -> None:
    """Put back what a failed change set wrote: files byte for byte, tables by inverse."""
    for written in done.files:
        put_back(written.location, Path(written.backup), written.hash_after)
    for result in reversed(done.results):
        if isinstance(result, SqlWriteResult):
            for target, changes in result.inverse.by_target().items():
                apply_sql_changes(target, changes)
