"""Run engine work off the GUI thread, with progress, ETA and cancel.

The engine reports through a plain ``progress(stage, fraction)`` callback; the worker
turns each call into a queued signal (so widgets are only touched on the GUI thread) and
raises :class:`app.errors.Cancelled` from inside it once the user asked to stop.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from sqlalchemy.exc import OperationalError

from app.errors import Cancelled, InputError
from app.store.workspace import database_reason

Job = Callable[[Callable[[str, float], None]], Any]
_LIVE: dict[QThread, QtWorker] = {}  # running workers, kept alive until their thread ended


class _Reaper(QObject):
    """Drops a worker once its thread has ended, on the GUI thread: a worker freed inside
    its own thread's finished signal would destroy a thread from within."""

    @Slot()
    def release(self) -> None:
        _LIVE.pop(self.sender(), None)  # type: ignore[call-overload]


_reaper: _Reaper | None = None


def wait_for_workers(milliseconds: int = 30_000) -> None:
    """Let every running worker finish (before the application or a test ends): a thread
    destroyed while it runs takes the process down with it."""
    for worker in list(_LIVE.values()):
        worker.cancel()
        worker.wait(milliseconds)


class QtWorker(QObject):
    """One job on a background thread. Connect the signals, then call :meth:`start`."""

    progressed = Signal(str, float, float)  # stage, fraction, seconds left (-1 unknown)
    finished = Signal(object)  # the job's result
    failed = Signal(str)  # one line for the user (bad input) or a bug report
    cancelled = Signal()

    def __init__(self, job: Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = job
        self._cancel = False
        self._thread = QThread()
        self._thread.setObjectName("concord-worker")
        self.moveToThread(self._thread)
        self._thread.started.connect(self._run)
        global _reaper
        if _reaper is None:
            _reaper = _Reaper()
        self._thread.finished.connect(_reaper.release)

    def start(self) -> None:
        self._started = time.monotonic()
        _LIVE[self._thread] = self
        self._thread.start()

    def cancel(self) -> None:
        self._cancel = True

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, milliseconds: int = 30_000) -> bool:
        return self._thread.wait(milliseconds)

    def _report(self, stage: str, fraction: float) -> None:
        if self._cancel:
            raise Cancelled()
        elapsed = time.monotonic() - self._started
        left = elapsed * (1 - fraction) / fraction if 0.05 < fraction < 1 else -1.0
        self.progressed.emit(stage, fraction, left)

    def _run(self) -> None:
        try:
            result = self._job(self._report)
        except Cancelled:
            self.cancelled.emit()
        except InputError as error:
            self.failed.emit(str(error))
        except OperationalError as error:  # the workspace's database, after its retries
            self.failed.emit(
                self.tr(
                    "The workspace is busy or unreachable (%1): nothing was changed. "
                    "Try again in a moment."
                ).replace("%1", database_reason(error))
            )
        except Exception:  # a bug: show it rather than lose it
            self.failed.emit(traceback.format_exc(limit=8))
        else:
            self.finished.emit(result)
        finally:
            self._thread.quit()
