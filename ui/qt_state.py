"""The desktop app's state: the current reconciliation, its review session and undo stack.

Pages read from here and ask it to do things; it runs engine work through a
:class:`QtWorker` and tells everyone what changed through signals. One decision is one
``QUndoCommand``; a write-back is a checkpoint (it clears the undo stack).
"""

from __future__ import annotations

import getpass
import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QProgressDialog

from app.decide.decisions import Decision
from app.decide.session import ReviewSession
from app.errors import InputError
from app.mapping.profiles import ProfileStore
from app.progress import Progress, scaled
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
# Receipts and invoices to settle (the Settlements page reads them where they are).
SETTLE_DEMO = (SAMPLES / "settle" / "收款单.xlsx", SAMPLES / "settle" / "销售发票.csv")


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


BULK = 2_000  # decisions in one step from which it is made (and undone) in the background


def _step_dialog(text: str, count: int, cancellable: bool) -> QProgressDialog:
    """The window-modal progress of a step of ``count`` decisions."""
    dialog = QProgressDialog(
        text.replace("%1", f"{count:,}"),
        QCoreApplication.translate("QtState", "Cancel") if cancellable else "",
        0,
        100 if cancellable else 0,  # an undo or redo reports nothing: a busy bar
        QApplication.activeWindow(),
    )
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoReset(False)  # closed when the step is done, not when the bar is full
    return dialog


class _StepCommand(QUndoCommand):
    """One user-level step — one decision or a bulk action over thousands — made and
    undone through the engine's use cases: one transaction, one audit entry each way.
    ``done``: a step already made in the background, so its first redo only announces it."""

    def __init__(
        self, state: QtState, decisions: list[Decision], text: str, done: Decided | None = None
    ) -> None:
        super().__init__(text)
        self.state = state
        self.decisions = decisions
        self.done = done
        self.made = done is not None

    def redo(self) -> None:
        if self.made and self.done is not None:
            self.made = False
            self.state.announce(self.done)
        elif self.done is not None and self.state.large(len(self.decisions)):
            self.state.redo_in_background(self)
        else:
            self.done = self.state.make_step(self.decisions, self.done)
            if self.done is None:  # refused: the step never happened, so it is not undoable
                self.setObsolete(True)

    def undo(self) -> None:
        if self.done is not None:
            self.state.undo_step(self.done)


@dataclass
class _Pending:
    """A large step, or its undo or redo, being recorded on a worker thread."""

    worker: QtWorker
    dialog: QProgressDialog
    then: Callable[[Any], None]  # with the job's result, on the GUI thread


class QtState(QObject):
    sessionChanged = Signal()  # a run finished: new session (or None)
    workspaceChanged = Signal()
    decided = Signal(list)  # decisions changed on these groups (indices in the run)
    stepEnded = Signal()  # a step recorded in the background is over (made or not)
    fixesChanged = Signal()  # fixes proposed, approved, written or rolled back
    progress = Signal(str, float, float)  # stage, fraction, seconds left
    busy = Signal(bool)
    failed = Signal(str)

    def __init__(
        self, user: str = "", parent: QObject | None = None, with_customers: bool = True
    ) -> None:
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
        self.pending: _Pending | None = None  # a large step being recorded
        # The demo's customer masters deduped beside its orders, in the same workspace:
        # what the Duplicates page shows while this state holds a reconcile.
        self.customers = QtState(user, self, with_customers=False) if with_customers else None

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
        if self.customers is not None:
            self.customers.cancel()

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
        self._follow_with_customers()

    def _follow_with_customers(self) -> None:
        """After the demo's orders, dedupe its customer masters; after anything else, drop
        a dedupe of the demo's that is no longer what the person is working on."""
        if self.customers is None:
            return
        self._share_workspace()
        if self.reconciliation is not None and self.reconciliation.name == "demo":
            self.customers.run(demo_customers())
        elif self.customers.session is not None:
            self.customers.clear()

    def _share_workspace(self) -> None:
        customers = self.customers
        if customers is None:
            return
        if customers.session is not None and (
            self.workspace is None
            or customers.workspace is None
            or customers.workspace.location != self.workspace.location
        ):
            customers.clear()  # recorded in a workspace no longer open
        customers.workspace, customers.user = self.workspace, self.user
        if customers.session is not None:
            customers.session.user = self.user

    def clear(self) -> None:
        """No run any more, and none coming (its decisions stay in the workspace)."""
        if self.worker is not None:
            self.worker.cancel()
        self.session = self.recorded = self.reconciliation = None
        self.undo_stack.clear()
        self.sessionChanged.emit()

    def _failed(self, message: str) -> None:
        self.busy.emit(False)
        self.failed.emit(message)

    # --- deciding ----------------------------------------------------------------------

    def decide(self, decisions: Decision | list[Decision], text: str) -> None:
        """Make one undoable step of one or many decisions. A large step (``BULK`` or more,
        in a workspace) is recorded on a worker thread while the window waits behind its
        progress and Cancel (nothing recorded); ``stepEnded`` says when it is over."""
        if self.session is None or self.pending is not None:
            return
        batch = decisions if isinstance(decisions, list) else [decisions]
        if not batch:
            return
        if not self.large(len(batch)):
            self.undo_stack.push(_StepCommand(self, batch, text))
            return
        workspace, recorded = self.workspace, self.recorded
        self._in_background(
            lambda progress: review.decide(workspace, recorded, batch, progress),
            QCoreApplication.translate("QtState", "Recording %1 decisions…"),
            len(batch),
            lambda done: self.undo_stack.push(_StepCommand(self, batch, text, done)),
        )

    def large(self, count: int) -> bool:
        """Whether a step of ``count`` decisions is made (and undone) in the background."""
        return count >= BULK and self.workspace is not None and self.recorded is not None

    def make_step(self, decisions: list[Decision], done: Decided | None) -> Decided | None:
        """Store decisions in the workspace (``done``: make an undone step again)."""
        assert self.session is not None
        try:
            if self.workspace is not None and self.recorded is not None:
                if done is None:
                    done = review.decide(self.workspace, self.recorded, decisions)
                else:
                    done = review.redo(self.workspace, self.recorded, done)
            else:
                done = Decided([self.session.apply(d) for d in decisions])
        except InputError as error:
            self.failed.emit(str(error))
            return None
        self.announce(done)
        return done

    def redo_in_background(self, command: _StepCommand) -> None:
        """Make an undone large step again, on a worker thread."""
        done, command.done = command.done, None  # if it fails, a later redo starts afresh
        workspace, recorded = self.workspace, self.recorded
        assert done is not None

        def then(again: Decided) -> None:
            command.done = again
            self.announce(again)

        self._in_background(
            lambda progress: review.redo(workspace, recorded, done, progress),
            QCoreApplication.translate("QtState", "Recording %1 decisions…"),
            len(done.decisions),
            then,
            cancellable=False,  # the undo stack has moved on already
        )

    def undo_step(self, done: Decided) -> None:
        assert self.session is not None
        if self.large(len(done.decisions)):
            workspace, recorded = self.workspace, self.recorded
            self._in_background(
                lambda _progress: review.undo(workspace, recorded, done),
                QCoreApplication.translate("QtState", "Taking back %1 decisions…"),
                len(done.decisions),
                lambda _: self.announce(done),
                cancellable=False,
            )
            return
        try:
            if self.workspace is not None and self.recorded is not None:
                review.undo(self.workspace, self.recorded, done)
            else:
                for decision in reversed(done.decisions):
                    self.session.revert(decision)
        except InputError as error:
            self.failed.emit(str(error))
            return
        self.announce(done)

    def _in_background(
        self,
        job: Callable[[Progress], Any],
        text: str,
        count: int,
        then: Callable[[Any], None],
        cancellable: bool = True,
    ) -> None:
        """Run a step's job on a worker thread behind a window-modal progress dialog, then
        ``then(result)`` here. The session changes on the worker thread; nothing reads it
        meanwhile: pages show snapshots, refresh only on signals, and the dialog holds the
        window's input."""
        worker = QtWorker(job)
        self.pending = _Pending(worker, _step_dialog(text, count, cancellable), then)
        # To this object, not the worker's slot: the worker's own thread is busy with the
        # job and would take a queued call only once it is done.
        self.pending.dialog.canceled.connect(self._step_cancel)
        worker.progressed.connect(self._step_progressed)
        worker.finished.connect(self._step_finished)
        worker.cancelled.connect(self._step_over)
        worker.failed.connect(self._step_failed)
        worker.start()

    def _step_progressed(self, _stage: str, fraction: float, _left: float) -> None:
        pending = self.pending
        if pending is not None and pending.dialog.maximum():
            # A modal dialog's setValue processes events: the step may end inside it.
            pending.dialog.setValue(int(100 * fraction))
            if self.pending is pending and pending.dialog.wasCanceled():
                self._step_cancel()

    def _step_cancel(self) -> None:
        if self.pending is not None:
            self.pending.worker.cancel()  # takes effect at the step's next report

    def _step_finished(self, result: object) -> None:
        self._step_over(lambda pending: pending.then(result))

    def _step_failed(self, message: str) -> None:
        self._step_over(lambda _: self.failed.emit(message))

    def _step_over(self, after: Callable[[_Pending], None] | None = None) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.dialog.close()
            pending.dialog.deleteLater()
            if after is not None:
                after(pending)
        self.stepEnded.emit()

    def announce(self, done: Decided) -> None:
        """Tell the pages which groups a step (or its undo) changed."""
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
        self._share_workspace()
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
        self._share_workspace()

    def checkpoint(self) -> None:
        """After a write-back: decisions up to here can no longer be undone with Ctrl+Z."""
        self.undo_stack.clear()
        self.fixesChanged.emit()
