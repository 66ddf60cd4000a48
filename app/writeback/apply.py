"""Write a whole change set back, target by target, as one all-or-nothing step.

Every target is checked first (a dry run: changed since import, locked, stale cells);
only then is anything written. If a later target still fails, the targets already written
are rolled back with their inverses, so a change set never lands half-way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.errors import InputError
from app.writeback.changes import ChangeSet, Target
from app.writeback.files import FileWriteResult
from app.writeback.preview import apply_file_changes, describe
from app.writeback.sql import SqlWriteResult, apply_sql_changes

Result = FileWriteResult | SqlWriteResult


@dataclass
class WriteBackResult:
    dry_run: bool
    results: list[Result] = field(default_factory=list)
    inverse: ChangeSet = field(default_factory=ChangeSet)

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


def _apply(target: Target, changes: list, dry_run: bool, backup_dir: Path | None) -> Result:  # type: ignore[type-arg]
    if target.kind == "sql":
        return apply_sql_changes(target, changes, dry_run=dry_run)
    return apply_file_changes(target, changes, dry_run=dry_run, backup_dir=backup_dir)


def apply_change_set(
    change_set: ChangeSet, *, dry_run: bool = False, backup_dir: Path | None = None
) -> WriteBackResult:
    """Preview (``dry_run``) or write every change; raises :class:`InputError` on refusal."""
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
    done: list[Result] = []
    try:
        for target, changes in groups.items():
            done.append(_apply(target, changes, False, backup_dir))
    except BaseException:
        for result in reversed(done):
            inverse = result.inverse.by_target()
            for target, changes in inverse.items():  # inverse targets carry the new hash
                _apply(target, changes, False, backup_dir)
        raise
    inverse = ChangeSet([c for result in reversed(done) for c in result.inverse.changes])
    return WriteBackResult(False, done, inverse)
