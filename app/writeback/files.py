"""What every file write-back shares: the result types, and the disk work done safely.

A file is never edited where it lies. The new content is built in memory, written to a
temporary file in the same folder, flushed to the disk (fsync) and moved over the
original with :func:`os.replace`, which is atomic: a crash or a kill at any moment
leaves the old file or the new one, never a mixture. Before that, the original bytes
are copied to a backup beside the file (or in ``backup_dir``) the same way.

Refusals come first and write nothing: a file whose bytes changed since it was
imported, a file another program holds open (Excel and LibreOffice leave a lock file
beside it), a read-only file, and a file that changed while we were working on it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from app.decide.changes import Change, ChangeSet, Target
from app.errors import InputError

_CHUNK = 1024 * 1024
_SPARE = 8 * 1024 * 1024  # kept free on a disk after a write-back's files
_RENAME_TRIES = 4


class StaleCell(NamedTuple):
    """A cell that no longer holds the value the change expected."""

    key: str
    column: str
    expected: str
    found: str


@dataclass
class StaleTargetError(InputError):
    """The file changed since it was imported: these cells differ, nothing was written."""

    stale: list[StaleCell] = field(default_factory=list)


@dataclass(frozen=True)
class CellEdit:
    """One cell a write-back changes: where, and its text before and after.

    ``old`` and ``new`` are the text the importer would show for the cell, so ``new``
    is what a later import reads back (a neutralised formula keeps its quote in CSV).
    """

    row: int  # 1-based, as a spreadsheet shows it
    column: str  # letter, as a spreadsheet shows it
    old: str
    new: str
    change: Change


@dataclass
class Edit:
    """What a format module made of a target's changes, before anything is written."""

    cells: list[CellEdit]
    stale: list[StaleCell]
    content: bytes | None  # the whole new file; None when stale cells stopped it
    warnings: list[str] = field(default_factory=list)


@dataclass
class FileWriteResult:
    """What a file write-back did, or for a dry run what it would do.

    ``planned`` lists the cell edits either way; ``cells`` only those really written
    (empty for a dry run). A dry run reports stale cells in ``stale`` instead of
    raising. ``inverse`` is the change set that undoes the write; ``backup`` the copy
    of the file as it was.
    """

    target: Target
    dry_run: bool
    planned: list[CellEdit]
    cells: list[CellEdit]
    backup: Path | None
    file_hash: str  # SHA-256 of the file now (unchanged by a dry run)
    stale: list[StaleCell] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    inverse: ChangeSet = field(default_factory=ChangeSet)


@dataclass(frozen=True)
class FileStep:
    """A file about to be replaced, told to the caller's journal first: if the process
    dies, the file's hash (``hash_before`` or ``hash_after``) says whether it landed."""

    target: Target
    backup: str
    hash_before: str
    hash_after: str


Journal = Callable[[FileStep], None]


def file_sha256(path: Path | str) -> str:
    """The SHA-256 of a file's bytes, as hex: what ``Target.file_hash`` holds."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def bytes_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- refusals ------------------------------------------------------------------------


def lock_files(path: Path) -> list[Path]:
    """Lock files Excel, WPS or LibreOffice keep beside a file they have open.

    Excel writes ``~$name``; for long names Word-style programs replace the first two
    characters instead, so both spellings count. LibreOffice writes ``.~lock.name#``.
    """
    names = {f"~${path.name}", f".~lock.{path.name}#"}
    if len(path.stem) > 6:
        names.add(f"~${path.name[2:]}")
    return [path.with_name(name) for name in sorted(names) if path.with_name(name).exists()]


def in_use_error(path: Path, lock: Path | None = None) -> InputError:
    hint = "close it and try again"
    if lock is not None:
        hint += f" (if no program has it open, delete the lock file {lock.name})"
    return InputError("the file is open in Excel (or another program)", path=path, hint=hint)


def check_not_in_use(path: Path) -> None:
    """Refuse a file another program holds open or that we may not write."""
    locks = lock_files(path)
    if locks:
        raise in_use_error(path, locks[0])
    if os.name == "nt":  # Excel opens with deny-write sharing: our open for writing fails
        try:
            with open(path, "r+b"):
                pass
        except PermissionError:
            raise in_use_error(path) from None
    if not os.access(path, os.W_OK):
        raise InputError(
            "the file is read-only", path=path, hint="allow writing to it, then try again"
        )
    if _locked_by_another_program(path):
        raise in_use_error(path)


def _locked_by_another_program(path: Path) -> bool:
    """POSIX: whether a program holds a whole-file (flock) or record (fcntl) lock on it,
    as WPS, LibreOffice and many import tools do while they have a file open."""
    try:
        import fcntl
    except ImportError:  # Windows: the open above already met Excel's deny-write sharing
        return False
    with open(path, "r+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(handle, fcntl.LOCK_UN)
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.lockf(handle, fcntl.LOCK_UN)
        except OSError as error:  # another program's lock; else a file system without any
            return error.errno in (errno.EAGAIN, errno.EACCES)
    return False


def check_unchanged(target: Target, path: Path, data: bytes) -> str:
    """The hash of ``data``; refuse when it differs from the hash taken at import."""
    digest = bytes_sha256(data)
    if target.file_hash and target.file_hash.lower() != digest:
        raise InputError(
            "the file changed since it was imported",
            path=path,
            sheet=target.sheet,
            hint="import it again and review the fixes before writing them back",
        )
    return digest


def read_target(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            "the file is gone", path=path, hint="it was moved or deleted since the import"
        ) from None
    except PermissionError:
        raise in_use_error(path) from None
    except OSError as error:
        raise InputError(f"the file cannot be read ({error.strerror})", path=path) from None


# --- writing -------------------------------------------------------------------------

_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """One write-back at a time per file within this process (UI workers, scripts)."""
    with _locks_guard:
        lock = _locks.setdefault(path, threading.Lock())
    with lock:
        yield


def write_backup(path: Path, data: bytes, backup_dir: Path | None) -> Path:
    """Save ``data`` as ``<stem>.<timestamp>.bak<suffix>``; never overwrites a backup.

    The backup keeps the original's modification time, so a job that picks "the newest
    file matching ERP*.xlsx" does not mistake it for a new export.
    """
    folder = backup_dir if backup_dir is not None else path.parent
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = folder / f"{path.stem}.{stamp}.bak{path.suffix}"
    count = 1
    while backup.exists():
        count += 1
        backup = folder / f"{path.stem}.{stamp}-{count}.bak{path.suffix}"
    _write_atomically(backup, data, like=path)
    return backup


def replace_atomically(path: Path, content: bytes, *, expected_hash: str) -> None:
    """Replace ``path`` by ``content``, unless its bytes are no longer ``expected_hash``.

    The last check closes the window between reading the file and replacing it, in
    which a user may have saved it from Excel.
    """
    if file_sha256(path) != expected_hash:
        raise InputError(
            "the file was changed by another program during the write-back; nothing was written",
            path=path,
            hint="import it again and review the fixes before writing them back",
        )
    _write_atomically(path, content, like=path)


def check_free_space(folder: Path, needed: int) -> None:
    """Refuse before writing when ``folder``'s disk cannot take ``needed`` more bytes
    (a folder still to be made: the disk of its nearest existing parent)."""
    existing = next((f for f in (folder, *folder.parents) if f.is_dir()), folder)
    free = shutil.disk_usage(existing).free
    if free < needed + _SPARE:
        raise InputError(
            f"not enough free disk space in {folder} ({_megabytes(needed + _SPARE)} needed, "
            f"{_megabytes(free)} free); nothing was written",
            hint="free some space on that disk, then write back again",
        )


def _megabytes(size: int) -> str:
    return f"{size / 1024**2:,.1f} MB"


def _write_atomically(path: Path, content: bytes, *, like: Path) -> None:
    """Temporary file in the same folder, fsync, then one atomic rename over ``path``."""
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".concord-tmp", dir=path.parent
        )
    except OSError as error:
        raise _write_failed(path, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temporary, stat.S_IMODE(like.stat().st_mode))
        _rename(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError) and not isinstance(error, PermissionError):
            raise _write_failed(path, error) from None
        raise
    if path != like:
        with contextlib.suppress(OSError):
            times = like.stat()
            os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    _sync_folder(path.parent)


def _write_failed(path: Path, error: OSError) -> InputError:
    reason = "the disk is full" if error.errno == errno.ENOSPC else error.strerror or str(error)
    return InputError(
        f"cannot write beside the file ({reason}); the file was left as it was",
        path=path,
        hint="free some space on that disk (or fix the folder), then write back again",
    )


def _rename(source: str, path: Path) -> None:
    """``os.replace``, retried briefly: on Windows a virus scanner or a sync client may
    hold the file for a moment, which is not the user having it open."""
    for attempt in range(_RENAME_TRIES):
        try:
            os.replace(source, path)
            return
        except PermissionError:
            if attempt == _RENAME_TRIES - 1:
                raise in_use_error(path) from None
            time.sleep(0.2 * (attempt + 1))


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles)."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
