"""Undo a write-back: the files it wrote get their exact bytes back, the rest cell by cell.

A file that nobody touched since the write-back (its hash is still the one the write
left) is restored from the backup taken before it was written, so a rollback gives back
the very bytes that were there — an openpyxl round trip never could. A file that changed
since, and every database table, is rolled back by the inverse change set: each cell
must still hold what the write-back wrote, and where one does not, nothing is rolled back
and the refusal lists those records, so the user can see who changed what since.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.decide.changes import ChangeSet
from app.errors import InputError
from app.writeback.apply import WriteBackResult, WrittenFile, apply_change_set
from app.writeback.files import check_not_in_use, file_sha256
from app.writeback.preview import restore_backup

REFUSE, CELLS = "refuse", "cells"  # what to do with a file that changed since


@dataclass
class RollbackResult:
    restored: list[str] = field(default_factory=list)  # files given back their exact bytes
    cells: WriteBackResult = field(default_factory=lambda: WriteBackResult(False))

    def describe(self) -> str:
        lines = [f"restored {Path(location).name} from its backup" for location in self.restored]
        if self.cells.results:
            lines.append(self.cells.describe())
        return "\n".join(lines)


def _untouched(written: WrittenFile | None) -> bool:
    if written is None or not Path(written.backup).is_file():
        return False
    path = Path(written.location)
    return path.is_file() and file_sha256(path) == written.hash_after


def roll_back(
    inverse: ChangeSet, files: Sequence[WrittenFile], *, changed_files: str = REFUSE
) -> RollbackResult:
    """Roll back a write-back given its inverse change set and the files it wrote.

    ``changed_files``: ``"refuse"`` a file that changed since the write-back, or roll
    it back by its ``"cells"``, each still checked. Raises :class:`InputError` (nothing
    done) when a record changed since.
    """
    by_location = {f.location: f for f in files}
    locations = {c.target.location for c in inverse.changes}
    exact = sorted(loc for loc in locations if _untouched(by_location.get(loc)))
    rest = [c for c in inverse.changes if c.target.location not in exact]
    # Every target of one file is checked against the bytes the write-back left there
    # (the hash of its last write, which comes first in the inverse), or not at all.
    latest: dict[str, str | None] = {}
    for change in rest:
        latest.setdefault(change.target.location, change.target.file_hash)
    cells = ChangeSet(
        [
            c
            if c.target.kind == "sql"
            else replace(
                c,
                target=replace(
                    c.target,
                    file_hash=None if changed_files == CELLS else latest[c.target.location],
                ),
            )
            for c in rest
        ]
    )
    preview = apply_change_set(cells, dry_run=True)
    stale = [(result.target, s) for result in preview.results for s in result.stale]
    if stale:
        listed = "; ".join(
            f"{Path(t.location).name}{'!' + t.sheet if t.sheet else ''} {s.key} {s.column}: "
            f"now {_found(s)!r}, the write-back left {s.expected!r}"
            for t, s in stale[:10]
        )
        more = f" and {len(stale) - 10} more" if len(stale) > 10 else ""
        raise InputError(
            f"{len({(t, s.key) for t, s in stale})} records changed since the write-back: "
            f"{listed}{more}",
            hint="undo those edits first, or correct the records by hand",
        )
    for location in exact:
        check_not_in_use(Path(location))
    done = RollbackResult(
        exact, apply_change_set(cells) if cells.changes else WriteBackResult(False)
    )
    for location in exact:
        written = by_location[location]
        restore_backup(location, Path(written.backup), written.hash_after)
    return done


def _found(stale: object) -> str:
    """The value a stale cell holds now (file and database results name it differently)."""
    return str(getattr(stale, "found", getattr(stale, "actual", "")))
