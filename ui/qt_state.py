"""The desktop app's state: the current reconciliation, its review session and undo stack.

Pages read from here and ask it to do things; it runs engine work through a
:class:`QtWorker` and tells everyone what changed through signals. One decision is one
``QUndoCommand``; a write-back is a checkpoint (it clears the undo stack).
"""

from __future__ import annotations

import getpass
import hashlib
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QProgressDialog

from app.decide.decisions import Decision
from app.decide.session import ReviewSession
from app.errors import Cancelled, InputError
from app.mapping.profiles import ProfileStore
from app.progress import Progress, no_progress, scaled
from app.reconcile.pipeline import DEDUPE, RECONCILE, link_tables
from app.reconcile.settings import Settings
from app.sources import Table
from app.store.workspace import Workspace
from app.usecases import review
from app.usecases.review import Decided
from app.usecases.runs import JobRun, read_and_run, read_sources, run_counts
from app.usecases.session import open_workspace
from ui.qt_worker import QtWorker

SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"
DEMO_FILES = ("ERP销售数据.xlsx", "CRM订单.csv", "OA审批.xlsx", "CRM客户.csv")


@dataclass
class Reconciliation:
    """What to run: the sources (``[LABEL=]PATH[#SHEET]``), the mode and the settings."""

    sources: list[str]
    mode: str = RECONCILE
    settings: Settings = field(default_factory=Settings)
    name: str = ""
    tables: list[Table] | None = None  # already read (the import page's), else read the sources
    profiles: ProfileStore | None = None  # column types as corrected on screen, else the saved


def demo_folder() -> Path:
    """A private copy of the demo files, so writing back never touches the bundled ones;
    named after the samples' content, so a new Concord brings its own demo along."""
    base = Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        or Path.home()
    )
    digest = hashlib.sha256(b"".join((SAMPLES / name).read_bytes() for name in DEMO_FILES))
    folder = base / f"demo-{digest.hexdigest()[:10]}"
    folder.mkdir(parents=True, exist_ok=True)
    for name in DEMO_FILES:
        if not (folder / name).exists():
            shutil.copy2(SAMPLES / name, folder / name)
    return folder


def demo_reconciliation() -> Reconciliation:
    folder = demo_folder()
    return Reconciliation(
        [
            f"erp={folder / 'ERP销售数据.xlsx'}#销售订单",
            f"crm={folder / 'CRM订单.csv'}",
            f"oa={folder / 'OA审批.xlsx'}",
        ],
        name="demo",
    )


def demo_customers() -> Reconciliation:
    """The demo's customer masters (the ERP's 客户档案 and the CRM's accounts), deduped:
    what a data steward looks at first."""
    folder = demo_folder()
    return Reconciliation(
        [f"erp={folder / 'ERP销售数据.xlsx'}#客户档案", f"crm={folder / 'CRM客户.csv'}"],
        mode=DEDUPE,
        name="demo customers",
    )


BULK = 2_000  # decisions in one step from which it shows its progress and a Cancel


@contextmanager
def _cancellable(count: int) -> Iterator[Progress]:
    """A progress callback for a step of ``count`` decisions: a large one shows a
    window-modal progress dialog whose Cancel stops it (nothing recorded); a small one
    reports nothing."""
    if count < BULK:
        yield no_progress
        return
    dialog = QProgressDialog(
        QCoreApplication.translate("QtState", "Recording %1 decisions…").replace(
            "%1", f"{count:,}"
        ),
        QCoreApplication.translate("QtState", "Cancel"),
        0,
        100,
        QApplication.activeWindow(),
    )
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoReset(False)  # closed when the step is done, not when the bar is full

    def report(_stage: str, fraction: float, /) -> None:
        dialog.setValue(int(100 * fraction))
        QApplication.processEvents()  # paints the bar and takes the click on Cancel
        if dialog.wasCanceled():
            raise Cancelled

    try:
        yield report
    finally:
        dialog.close()
        dialog.deleteLater()


class _StepCommand(QUndoCommand):
    """One user-level step — one decision or a bulk action over thousands — made and
    undone through the engine's use cases: one transaction, one audit entry each way."""

    def __init__(self, state: QtState, decisions: list[Decision], text: str) -> None:
        super().__init__(text)
        self.state = state
        self.decisions = decisions
        self.done: Decided | None = None

    def redo(self) -> None:
        self.done = self.state.make_step(self.decisions, self.done)
        if self.done is None:  # refused: the step never happened, so it is not undoable
            self.setObsolete(True)

    def undo(self) -> None:
        if self.done is not None:
            self.state.undo_step(self.done)


class QtState(QObject):
    sessionChanged = Signal()  # a run finished: new session (or None)
    workspaceChanged = Signal()
    decided = Signal(list)  # decisions changed on these groups (indices in the run)
    fixesChanged = Signal()  # fixes proposed, approved, written or rolled back
    progress = Signal(str, float, float)  # stage, fraction, seconds left
    busy = Signal(bool)
    failed = Signal(str)

    def __init__(self, user: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.acting_as = user  # someone the person chose to act as (an admin's privilege)
        self.user = user or getpass.getuser()  # who acts: the workspace's login once open
        self.session: ReviewSession | None = None
        self.reconciliation: Reconciliation | None = None
        self.undo_stack = QUndoStack(self)
        self.worker: QtWorker | None = None
        self.profiles = ProfileStore()
        self.history: list[dict[str, object]] = []
        self.default_settings = Settings()
        self.workspace: Workspace | None = None
        self.settled: list[str] = []  # interrupted write-backs settled when it was opened
        self.recorded: JobRun | None = None

    # --- running ----------------------------------------------------------------------

    def run(self, reconciliation: Reconciliation) -> None:
        """Read the sources and match them in the background."""
        if self.worker is not None and self.worker.running:
            return
        self.reconciliation = reconciliation
        profiles = reconciliation.profiles or self.profiles

        workspace = self.workspace

        def job(progress):  # type: ignore[no-untyped-def]
            if workspace is not None:
                # Earlier decisions in, the run recorded, decisions re-applied (in this
                # thread: the GUI thread never waits for the database while matching).
                return read_and_run(
                    workspace,
                    reconciliation.sources,
                    reconciliation.mode,
                    reconciliation.settings,
                    tables=reconciliation.tables,
                    name=reconciliation.name,
                    progress=progress,
                    store=profiles,
                )
            return link_tables(
                reconciliation.tables
                or read_sources(reconciliation.sources, scaled(progress, 0.0, 0.3)),
                reconciliation.mode,
                reconciliation.settings,
                scaled(progress, 0.3, 1.0),
                profiles,
            )

        self.worker = QtWorker(job)
        self.worker.progressed.connect(self.progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self.busy.emit(True)
        self.worker.start()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _cancelled(self) -> None:
        self.busy.emit(False)

    def _finished(self, result: object) -> None:
        if isinstance(result, JobRun):
            self.recorded = result
            self.session = result.session
            self.session.user = self.user
        else:
            self.recorded = None
            self.session = ReviewSession(result, user=self.user)  # type: ignore[arg-type]
        self.undo_stack.clear()
        self.history.append(
            {
                "name": self.reconciliation.name if self.reconciliation else "",
                **run_counts(self.session.result).as_metrics(),
                "seconds": round(sum(self.session.result.timings.values()), 2),
            }
        )
        self.busy.emit(False)
        self.sessionChanged.emit()

    def _failed(self, message: str) -> None:
        self.busy.emit(False)
        self.failed.emit(message)

    # --- deciding ----------------------------------------------------------------------

    def decide(self, decisions: Decision | list[Decision], text: str) -> None:
        """Make one undoable step of one or many decisions."""
        if self.session is None:
            return
        batch = decisions if isinstance(decisions, list) else [decisions]
        if batch:
            self.undo_stack.push(_StepCommand(self, batch, text))

    def make_step(self, decisions: list[Decision], done: Decided | None) -> Decided | None:
        """Store decisions in the workspace (``done``: make an undone step again)."""
        assert self.session is not None
        try:
            if self.workspace is not None and self.recorded is not None:
                with _cancellable(len(decisions)) as progress:
                    if done is None:
                        done = review.decide(self.workspace, self.recorded, decisions, progress)
                    else:
                        done = review.redo(self.workspace, self.recorded, done, progress)
            else:
                done = Decided([self.session.apply(d) for d in decisions])
        except InputError as error:
            self.failed.emit(str(error))
            return None
        except Cancelled:  # nothing was recorded: the step never happened
            return None
        self._changed(done)
        return done

    def undo_step(self, done: Decided) -> None:
        assert self.session is not None
        try:
            if self.workspace is not None and self.recorded is not None:
                review.undo(self.workspace, self.recorded, done)
            else:
                for decision in reversed(done.decisions):
                    self.session.revert(decision)
        except InputError as error:
            self.failed.emit(str(error))
            return
        self._changed(done)

    def _changed(self, done: Decided) -> None:
        self.decided.emit(done.groups)
        if done.fixes or any(d.kind in ("take", "edit") for d in done.decisions):
            self.fixesChanged.emit()

    def open_workspace(self, location: str | Path) -> None:
        """Keep decisions, runs, fixes and the audit log in this workspace from now on;
        write-backs a crashed process left are settled first."""
        try:
            workspace, settled = open_workspace(location, self.acting_as or None)
        except InputError as error:
            self.failed.emit(str(error))
            return
        if self.workspace is not None:
            self.workspace.close()
        self.workspace = workspace
        self.user = workspace.user
        self.settled = settled
        self.workspaceChanged.emit()

    def sign_in(self, user: str) -> None:
        """Act as ``user`` from now on: the workspace is opened again as them (refused,
        and nothing changes, unless this login is the workspace's admin)."""
        previous, self.acting_as = self.acting_as, user
        if self.workspace is None:
            self.user = user
        else:
            self.open_workspace(self.workspace.location)
            if self.workspace.user != user:
                self.acting_as = previous
        if self.session is not None:
            self.session.user = self.user

    def checkpoint(self) -> None:
        """After a write-back: decisions up to here can no longer be undone with Ctrl+Z."""
        self.undo_stack.clear()
        self.fixesChanged.emit()
