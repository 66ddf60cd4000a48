"""Errors a user can act on.

Every problem caused by the input (a file, a sheet, a setting) is raised as
:class:`InputError`, which carries where it happened and what to do about it. The CLI
prints it as one line and exits 1; the desktop app shows it in a message box. Anything
else escaping the engine is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class InputError(Exception):
    """A problem with the user's input, with its location and a remedy."""

    problem: str
    path: Path | str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def where(self) -> str:
        parts: list[str] = []
        if self.path is not None:
            parts.append(Path(self.path).name or str(self.path))
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        text = f"{where}: {self.problem}" if where else self.problem
        if self.hint:
            text += f" — {self.hint}"
        return text


class Cancelled(Exception):
    """Raised inside an engine operation when its caller asked it to stop."""


class Abandoned(InputError):
    """Work that must stop at once and undo nothing: someone else took it over (a
    write-back whose lease another process took while this one was paused)."""
