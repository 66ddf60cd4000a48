"""The desktop app's state: the current reconciliation, its review session and undo stack.

Pages read from here and ask it to do things; it runs engine work through a
:class:`QtWorker` and tells everyone what changed through signals. One decision is one
``QUndoCommand``; a write-back is a checkpoint (it clears the undo stack).
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.decide.decisions import Decision
from app.decide.session import ReviewSession
from app.errors import InputError
from app.jobs.runner import JobRun, run_tables
from app.mapping.profiles import ProfileStore
from app.progress import scaled
from app.reconcile.pipeline import RECONCILE, link_tables
from app.reconcile.settings import Settings
from app.sources import Table, load
from app.store.decisions import save_decision, withdraw_decision
from app.store.workspace import Workspace
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


class _DecisionCommand(QUndoCommand):
    def __init__(self, state: QtState, decision: Decision, text: str) -> None:
        super().__init__(text)
        self.state = state
        self.decision = decision

    def redo(self) -> None:
        assert self.state.session is not None
        self.decision = self.state.session.apply(self.decision)
        self.state.remember(self.decision)
        self.state.decided.emit(self.decision.group)

    def undo(self) -> None:
        assert self.state.session is not None
        self.state.forget(self.decision)
        self.state.session.revert(self.decision)
        self.state.decided.emit(self.decision.group)


class QtState(QObject):
    sessionChanged = Signal()  # a run finished: new session (or None)
    workspaceChanged = Signal()
    decided = Signal(int)  # a group's decisions changed (group index)
    progress = Signal(str, float, float)  # stage, fraction, seconds left
    busy = Signal(bool)
    failed = Signal(str)

    def __init__(self, user: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.session: ReviewSession | None = None
        self.reconciliation: Reconciliation | None = None
        self.undo_stack = QUndoStack(self)
        self.worker: QtWorker | None = None
        self.profiles = ProfileStore()
        self.history: list[dict[str, object]] = []
        self.default_settings = Settings()
        self.workspace: Workspace | None = None
        self.recorded: JobRun | None = None

    # --- running ----------------------------------------------------------------------

    def run(self, reconciliation: Reconciliation) -> None:
        """Read the sources and match them in the background."""
        if self.worker is not None and self.worker.running:
            return
        self.reconciliation = reconciliation
        profiles = self.profiles

        workspace = self.workspace

        def job(progress):  # type: ignore[no-untyped-def]
            tables = list(reconciliation.tables or [])
            for k, text in enumerate([] if tables else reconciliation.sources):
                progress("read", 0.3 * k / len(reconciliation.sources))
                tables.append(load(text))
            rest = scaled(progress, 0.3, 1.0)
            if workspace is None:
                return link_tables(
                    tables, reconciliation.mode, reconciliation.settings, rest, profiles
                )
            # Earlier decisions in, the run recorded, decisions re-applied (in this thread:
            # the GUI thread never waits for the database while matching).
            return run_tables(
                workspace,
                tables,
                reconciliation.mode,
                reconciliation.settings,
                record={"sources": reconciliation.sources},
                progress=rest,
                store=profiles,
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
        queue = self.session.queue()
        self.history.append(
            {
                "name": self.reconciliation.name if self.reconciliation else "",
                "groups": len(queue),
                "auto": int((queue["band"] == "auto").sum()),
                "review": int((queue["band"] == "review").sum()),
                "orphans": int((queue["band"] == "orphan").sum()),
                "conflicts": len(self.session.result.conflicts),
                "seconds": round(sum(self.session.result.timings.values()), 2),
            }
        )
        self.busy.emit(False)
        self.sessionChanged.emit()

    def _failed(self, message: str) -> None:
        self.busy.emit(False)
        self.failed.emit(message)

    # --- deciding ----------------------------------------------------------------------

    def decide(self, decision: Decision, text: str) -> None:
        if self.session is not None:
            self.undo_stack.push(_DecisionCommand(self, decision, text))

    def open_workspace(self, location: str | Path) -> None:
        """Keep decisions, runs and the audit log in this workspace from now on."""
        try:
            workspace = Workspace(location, user=self.user)
        except InputError as error:
            self.failed.emit(str(error))
            return
        if self.workspace is not None:
            self.workspace.close()
        self.workspace = workspace
        self.workspaceChanged.emit()

    def remember(self, decision: Decision) -> None:
        """Keep a decision in the workspace, with its records' content, for later runs."""
        if self.workspace is None or self.recorded is None or self.session is None:
            return
        stable_id = self.recorded.recorded.stable_ids[decision.group]
        self.session.stored[decision] = save_decision(
            self.workspace,
            self.session,
            self.recorded.identities,
            decision,
            stable_id,
            self.recorded.run_id,
        )

    def forget(self, decision: Decision) -> None:
        """Undo: the decision no longer applies (it stays in the audit log)."""
        if (
            self.workspace is not None
            and self.session is not None
            and decision in self.session.stored
        ):
            withdraw_decision(self.workspace, self.session.stored[decision])

    def checkpoint(self) -> None:
        """After a write-back: decisions up to here can no longer be undone with Ctrl+Z."""
        self.undo_stack.clear()
