"""A progress display on stderr for runs longer than a second."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class TerminalProgress:
    """Shows the stage and percentage; silent for the first second and when disabled.

    On a terminal it redraws one line; otherwise (a log file) it prints one line per stage.
    """

    def __init__(
        self, enabled: bool = True, stream: TextIO | None = None, delay: float = 1.0
    ) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.delay = delay
        self.stage = ""
        self.drawn = False

    def __call__(self, stage: str, fraction: float, /) -> None:
        if not self.enabled or time.monotonic() - self.started < self.delay:
            self.stage = stage
            return
        elapsed = time.monotonic() - self.started
        if self.stream.isatty():
            self.stream.write(f"\r\033[K{stage} … {fraction:4.0%}  {elapsed:5.1f}s")
            self.drawn = True
        elif stage != self.stage:
            self.stream.write(f"concord: {stage} ({elapsed:.1f}s)\n")
        self.stage = stage
        self.stream.flush()

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
