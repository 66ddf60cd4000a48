"""Write a file target's approved fixes, or show exactly what that would do (dry run).

The dry run and the real write are one call with one code path, so the preview shows
what will happen: the same records found, the same cells, the same typed values, the
same stale cells. The real write then refuses before touching anything (file changed
since import, open in Excel, a cell no longer holding its old value, a workbook feature
that would be lost) or writes a backup and replaces the file atomically.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from app.decide.changes import Change, ChangeSet, Target
from app.decide.spelling import meaning
from app.errors import InputError
from app.writeback.csv_files import edit_csv
from app.writeback.files import (
    CellEdit,
    Edit,
    FileStep,
    FileWriteResult,
    Journal,
    bytes_sha256,
    check_free_space,
    check_not_in_use,
    check_unchanged,
    exclusive,
    file_sha256,
    lock_files,
    read_target,
    replace_atomically,
    write_backup,
)
from app.writeback.locate import stale_error
from app.writeback.xlsx import edit_xlsx

Editor = Callable[[Path, bytes, Target, Sequence[Change]], Edit]
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_EDITORS: dict[str, Editor] = {"xlsx": edit_xlsx, "csv": edit_csv}


def apply_file_changes(
    target: Target,
    changes: list[Change],
    *,
    backup_dir: Path | None = None,
    dry_run: bool = False,
    journal: Journal | None = None,
) -> FileWriteResult:
    """Write ``changes`` into the file ``target`` names, all of them or none.

    Raises :class:`InputError` when the file changed since import, is open in another
    program, or a record or column cannot be found; :class:`StaleTargetError` when any
    cell no longer holds its old value. A dry run raises the first kind only and reports
    stale cells in its result.
    ``journal`` is told each replacement just before it happens.
    """
    path = Path(os.path.realpath(target.location))
    editor = _editor(target, path, changes)
    with exclusive(path):
        data = read_target(path)
        digest = check_unchanged(target, path, data)
        if not changes:
            return FileWriteResult(target, dry_run, [], [], None, digest)
        notes: list[str] = []
        if dry_run:
            notes += [
                f"the file is open in another program ({lock.name})" for lock in lock_files(path)
            ]
        else:
            check_not_in_use(path)
        edit = editor(path, data, target, changes)
        notes += edit.warnings
        if dry_run:
            return FileWriteResult(target, True, edit.cells, [], None, digest, edit.stale, notes)
        if edit.stale or edit.content is None:
            raise stale_error(path, target, len(changes), edit.stale)
        # The backup and the new file, both whole, before the old one goes.
        check_free_space(path.parent, len(edit.content) + (0 if backup_dir else len(data)))
        if backup_dir is not None:
            check_free_space(backup_dir, len(data))
        backup = write_backup(path, data, backup_dir)
        new_hash = bytes_sha256(edit.content)
        if journal is not None:
            journal(FileStep(target, str(backup), digest, new_hash))
        replace_atomically(path, edit.content, expected_hash=digest)
    return FileWriteResult(
        target,
        False,
        edit.cells,
        edit.cells,
        backup,
        new_hash,
        warnings=notes,
        inverse=undo(edit.cells, replace(target, file_hash=new_hash)),
    )


def preview_change_set(change_set: ChangeSet) -> list[FileWriteResult | InputError]:
    """A dry run of every file target in ``change_set``; a target that cannot be
    previewed gives its error in its place, so one bad file does not hide the others."""
    results: list[FileWriteResult | InputError] = []
    for target, changes in change_set.by_target().items():
        if target.kind not in _EDITORS:
            continue
        try:
            results.append(apply_file_changes(target, changes, dry_run=True))
        except InputError as error:
            results.append(error)
    return results


def undo(cells: Sequence[CellEdit], target: Target) -> ChangeSet:
    """The change set that puts ``cells`` back, last edit first, for ``target`` as it is
    after the write (so the rollback itself refuses a file changed since). A change to a
    document's head field wrote each of its lines: one change puts them all back."""
    undone, seen = [], set()
    for cell in reversed(cells):
        if target.lines and id(cell.change) in seen:
            continue
        seen.add(id(cell.change))
        undone.append(cell)
    return ChangeSet(
        [
            replace(
                cell.change,
                target=target,
                old=cell.new,
                new=cell.old,
                reason=f"rollback: {cell.change.reason}" if cell.change.reason else "rollback",
                row=cell.row,
            )
            for cell in undone
        ]
    )


def put_back(location: str, backup: Path, expected_hash: str) -> None:
    """Undo a write that just happened: the backup is renamed over the file, so putting
    it back writes nothing new (it works on a full disk); a backup kept on another disk
    is copied back as :func:`restore_backup` does."""
    path = Path(os.path.realpath(location))
    with exclusive(path):
        if file_sha256(path) != expected_hash:
            raise InputError(
                "the file was changed by another program during the write-back",
                path=path,
                hint="check it by hand; its backup is " + backup.name,
            )
        try:
            os.replace(backup, path)
            return
        except OSError:
            pass
    restore_backup(location, backup, expected_hash)


def restore_backup(location: str, backup: Path, expected_hash: str) -> None:
    """Put the file at ``location`` back to the bytes of ``backup``, unless it is no
    longer the file whose hash is ``expected_hash`` (what the write left)."""
    path = Path(os.path.realpath(location))
    try:
        content = backup.read_bytes()
    except OSError:
        raise InputError(
            "the backup of this file is gone",
            path=backup,
            hint="restore the file by hand, or roll back cell by cell",
        ) from None
    with exclusive(path):
        check_not_in_use(path)
        replace_atomically(path, content, expected_hash=expected_hash)


def describe(result: FileWriteResult) -> list[str]:
    """One line per cell edit and per problem, for logs and the command line."""
    name = Path(result.target.location).name
    sheet = f"{result.target.sheet}!" if result.target.sheet else ""
    lines = [
        f"{name} {sheet}{c.column}{c.row} ({c.change.key}, {c.change.column}): "
        f"{c.old!r} → {c.new!r}{_means(c.new)}"
        for c in result.planned
    ]
    lines += [
        f"stale: {s.key} {s.column}: expected {s.expected!r}, now {s.found!r}" for s in result.stale
    ]
    lines += [f"note: {warning}" for warning in result.warnings]
    return lines


def _means(new: str) -> str:
    """What a value in the target's own spelling means, after it: " (means approved)"."""
    found = meaning(new)
    return f" (means {found[1]})" if found else ""


def _editor(target: Target, path: Path, changes: Sequence[Change]) -> Editor:
    if target.kind not in _EDITORS:
        raise InputError(f"a {target.kind!r} target is not a file", path=target.location)
    # A text target is text whatever its name (ERPs write tab-separated text into .xls):
    # the importer judged it by its bytes, and splicing keeps every other byte. Other
    # workbooks (.xls, .xlsb, .ods) are read but never rewritten: their format would change.
    if target.kind == "xlsx" and path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise InputError(
            f"{path.suffix or 'this kind of'} workbooks are read but never rewritten: a "
            "rewrite would change the file's format under the system that reads it",
            path=path,
            sheet=target.sheet,
            hint="open it in Excel or WPS, save it as .xlsx (Excel Workbook), import that "
            "file and approve the fixes again; or make these fixes by hand",
        )
    if target.header_row < 1:
        raise InputError("the target has no header row", path=path, sheet=target.sheet)
    for change in changes:
        if change.target != target:
            raise InputError(
                "the change set mixes targets",
                path=path,
                hint="write each target's changes separately (ChangeSet.by_target)",
            )
    return _EDITORS[target.kind]
