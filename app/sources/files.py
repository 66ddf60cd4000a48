"""Open a path the user named, refusing what is not a regular file before reading it.

A named pipe or a device (``/dev/zero``) would block a read or never end one, a symbolic
link loop or a name under a file fails with an errno nobody can act on: each becomes one
:class:`InputError` naming the path and what to do.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from app.errors import InputError

_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(path: Path, mode: int, noun: str) -> InputError:
    if stat.S_ISDIR(mode):
        return InputError(f"this is a folder, not a {noun}", path=path, hint="name a file in it")
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return InputError(
        f"this is {kind}, not a {noun}",
        path=path,
        hint="save the data to a file and name that file",
    )


def _refusal(path: Path, error: OSError, noun: str) -> InputError:
    if isinstance(error, FileNotFoundError):
        return InputError(f"{noun} not found", path=path, hint="check the path and the file name")
    if isinstance(error, NotADirectoryError):
        return InputError(
            f"{noun} not found (a part of the path is a file, not a folder)",
            path=path,
            hint="check the path",
        )
    if isinstance(error, PermissionError):
        return InputError(
            f"the {noun} cannot be read (permission denied)",
            path=path,
            hint="check its permissions, or close it in the program holding it",
        )
    if error.errno == errno.ELOOP:
        return InputError(
            "the path is a loop of symbolic links", path=path, hint="name the file itself"
        )
    if error.errno == errno.ENAMETOOLONG:
        return InputError("the file name is too long", path=path, hint="rename the file")
    return InputError(
        f"the {noun} cannot be read ({error.strerror or error})",
        path=path,
        hint="close it in Excel or any other program and try again",
    )


def _size(count: int) -> str:
    return f"{count // 1024**3} GB" if count >= 1024**3 else f"{count // 1024**2} MB"


def check_regular(path: Path, noun: str = "file") -> os.stat_result:
    """The status of ``path`` when it is a regular file (symbolic links followed)."""
    try:
        status = os.stat(path)
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        if isinstance(error, ValueError):
            raise InputError("the file name holds a NUL character", path=path) from None
        raise _refusal(path, error, noun) from None
    if not stat.S_ISREG(status.st_mode):
        raise _not_regular(path, status.st_mode, noun)
    return status


def read_regular(path: Path, limit: int, noun: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Opened without blocking and checked again on the open descriptor, so a path swapped
    for a pipe after the first check cannot stall the read.
    """
    check_regular(path, noun)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise _refusal(path, error, noun) from None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise _not_regular(path, status.st_mode, noun)
        if status.st_size > limit:
            raise InputError(
                f"the {noun} is larger than {_size(limit)}",
                path=path,
                hint="split the export or read it from the database",
            )
        try:
            return handle.read(limit)
        except OSError as error:
            raise _refusal(path, error, noun) from None
