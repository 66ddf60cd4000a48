"""Progress reporting and cancellation without Qt.

Long engine operations take an optional ``progress`` callback and call it with the name
of the current stage and the fraction done (0..1). The callback is also the point where
cancellation takes effect: a caller that wants to stop raises :class:`app.errors.Cancelled`
from it, and the operation unwinds without leaving partial results behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Progress(Protocol):
    def __call__(self, stage: str, fraction: float, /) -> None: ...


def no_progress(stage: str, fraction: float, /) -> None:
    """The default callback: report nothing, never cancel."""


def scaled(progress: Progress, start: float, end: float) -> Progress:
    """A callback mapping 0..1 of a sub-step onto ``start..end`` of the caller's range."""

    def report(stage: str, fraction: float, /) -> None:
        progress(stage, start + (end - start) * min(max(fraction, 0.0), 1.0))

    return report


ProgressFn = Callable[[str, float], None]
