"""Writing to the systems: approved fixes written back, write-backs rolled back, merges
written and unmerged — each under the workspace's write lease, so two clerks never
interleave, and each journalled, so a crash at any moment is settled by the next command.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import InputError
from app.store import leases, merges, writebacks
from app.store.fixes import approved_change_set
from app.store.leases import Held
from app.store.workspace import Workspace
from app.writeback.apply import WriteBackResult, apply_change_set
from app.writeback.files import FileStep
from app.writeback.rollback import CELLS, REFUSE, RollbackResult, roll_back


@dataclass
class Written:
    """What a write-back did: its id (None for a dry run or when nothing was approved),
    the result per target, and lines about interrupted write-backs settled first."""

    writeback_id: int | None
    result: WriteBackResult
    settled: list[str] = field(default_factory=list)


@contextmanager
def _writing(workspace: Workspace, what: str) -> Iterator[tuple[Held, list[str]]]:
    with leases.holding(workspace, leases.WRITE, what) as held:
        yield held, writebacks.recover(workspace)


def write_back(
    workspace: Workspace,
    *,
    merge_id: int | None = None,
    dry_run: bool = False,
    backup_dir: Path | None = None,
) -> Written:
    """Write every approved fix (or an approved merge's) back into its system, all or
    nothing; a dry run shows what would change and changes nothing."""
    what = f"writing back merge {merge_id}" if merge_id else "writing back approved fixes"
    with _writing(workspace, what) as (held, settled):
        if merge_id is not None:
            merges.check_state(workspace, merge_id, ("approved",), "written back")
        change_set = approved_change_set(workspace, merge_id)
        if dry_run or not change_set.changes:
            preview = apply_change_set(change_set, dry_run=True, backup_dir=backup_dir)
            return Written(None, preview, settled)
        writeback_id = writebacks.begin(workspace, change_set, backup_dir)

        def journal(step: FileStep) -> None:
            writebacks.journal(workspace, writeback_id, held, step)

        try:
            result = apply_change_set(change_set, backup_dir=backup_dir, journal=journal)
        except leases.LeaseLost:
            raise
        except InputError as error:
            writebacks.finish(
                workspace, writeback_id, change_set.inverse(), "failed", {"error": str(error)}
            )
            raise
        writebacks.finish(workspace, writeback_id, result.inverse, files=result.files)
        if merge_id is not None:
            merges.mark_written(workspace, merge_id, writeback_id, len(change_set.changes))
        return Written(writeback_id, result, settled)


def rollback(workspace: Workspace, writeback_id: int, *, force: bool = False) -> RollbackResult:
    """Undo a write-back: files nobody touched since get their exact bytes back, the rest
    is rolled back cell by cell (``force``: also files changed since, each cell checked).
    Refused, with the list, where a record changed since."""
    with _writing(workspace, f"rolling back write-back {writeback_id}"):
        return _roll_back(workspace, writeback_id, CELLS if force else REFUSE)


def _roll_back(workspace: Workspace, writeback_id: int, changed_files: str) -> RollbackResult:
    inverse, files = writebacks.rollback_plan(workspace, writeback_id)
    writebacks.mark_rolling_back(workspace, writeback_id)
    try:
        result = roll_back(inverse, files, changed_files=changed_files)
    except InputError:
        writebacks.mark_rolling_back(workspace, writeback_id, "done")
        raise
    writebacks.mark_rolled_back(workspace, writeback_id)
    return result


def unmerge(workspace: Workspace, merge_id: int) -> RollbackResult:
    """Undo a written merge: values restored, records reactivated, references pointed
    back. Refused, with the list, where a record changed since the merge was written."""
    with _writing(workspace, f"unmerging merge {merge_id}"):
        record = merges.check_state(workspace, merge_id, ("written",), "unmerged")
        assert record.writeback_id is not None
        try:
            result = _roll_back(workspace, record.writeback_id, CELLS)
        except InputError as error:
            where = error.where()
            raise InputError(
                f"merge {merge_id} cannot be unmerged: "
                f"{where + ': ' if where else ''}{error.problem}",
                hint=error.hint,
            ) from None
        merges.mark_unmerged(workspace, merge_id)
        return result


def rollback_files(workspace: Workspace, writeback_id: int) -> list[str]:
    """What a rollback would touch, for the confirmation a person answers first."""
    return writebacks.files_of(workspace, writeback_id)
