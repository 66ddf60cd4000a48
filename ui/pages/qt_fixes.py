"""Fixes: the workspace's fixes — approve or reject them, preview, write back, roll back.

Everything here goes through the engine's use cases, exactly as ``concord fixes`` and
``concord apply`` do: approvals are stored and audited, four-eyes and roles come from the
workspace, the acting user is the one the workspace was opened with, and a write-back is
recorded (recoverable after a crash, rolled back from here or from History after a
restart). Writing back is a checkpoint: it clears the undo stack.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import InputError
from app.store import writebacks
from app.store.fixes import listing
from app.usecases import fixes as fix_cases
from app.usecases import writing
from ui.field_names import meaning_text, reason_text, role_name, state_name
from ui.models.qt_frame_model import QtFrameModel
from ui.qt_lazy import QtRefreshWhenShown
from ui.qt_state import QtState
from ui.qt_worker import QtWorker

COLUMNS = (
    "id",
    "state",
    "target",
    "record",
    "column",
    "old",
    "new",
    "means",
    "reason",
    "proposed_by",
    "approved_by",
)


class QtFixesPage(QtRefreshWhenShown, QWidget):
    def __init__(self, state: QtState, window: Any) -> None:
        super().__init__()
        self.state = state
        self.window_ = window
        self.worker: QtWorker | None = None
        self.model = QtFrameModel()
        self.model.formatters = {
            "state": state_name,
            "means": meaning_text,
            "reason": reason_text,
        }
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.who = QLabel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.approve_button = QPushButton()
        self.reject_button = QPushButton()
        self.preview_button = QPushButton()
        self.write_button = QPushButton()
        self.write_button.setObjectName("primary")
        self.rollback_button = QPushButton()
        self.approve_button.clicked.connect(self.approve)
        self.reject_button.clicked.connect(self.reject)
        self.preview_button.clicked.connect(lambda: self.write(dry_run=True))
        self.write_button.clicked.connect(lambda: self.write(dry_run=False))
        self.rollback_button.clicked.connect(self.rollback_latest)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumHeight(180)
        buttons = QHBoxLayout()
        for button in (self.approve_button, self.reject_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.preview_button, self.write_button, self.rollback_button):
            buttons.addWidget(button)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.who)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.log)
        state.fixesChanged.connect(self.changed)
        state.sessionChanged.connect(self.changed)
        state.workspaceChanged.connect(self.changed)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Fixes"))
        self.approve_button.setText(self.tr("Approve selected"))
        self.reject_button.setText(self.tr("Reject selected"))
        self.preview_button.setText(self.tr("Preview (dry run)"))
        self.write_button.setText(self.tr("Write back approved"))
        self.rollback_button.setText(self.tr("Roll back last write-back…"))
        self.refresh()

    def _headers(self) -> dict[str, str]:
        return {
            "id": "#",
            "state": self.tr("State"),
            "target": self.tr("Target"),
            "record": self.tr("Record"),
            "column": self.tr("Column"),
            "old": self.tr("Old value"),
            "new": self.tr("New value"),
            "means": self.tr("Means"),
            "reason": self.tr("Reason"),
            "proposed_by": self.tr("Proposed by"),
            "approved_by": self.tr("Approved by"),
        }

    # --- refreshing: only while shown -----------------------------------------------------

    def refresh(self) -> None:
        self._stale = False
        workspace = self.state.workspace
        rows = listing(workspace) if workspace is not None else []
        for row in rows:
            name = Path(str(row["target"])).name
            row["target"] = f"{name} › {row['sheet']}" if row["sheet"] else name
            row["means"] = row["new"]  # shown as what it means (meaning_text), when drawn
        self.model.set_frame(pd.DataFrame(rows, columns=list(COLUMNS)), self._headers())
        self.table.resizeColumnsToContents()  # over the rows loaded, not the whole list
        for column in range(self.model.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 280))
        if workspace is None:
            self.who.setText(self.tr("No workspace is open."))
            return
        rule = (
            self.tr("four-eyes on: nobody approves a fix they proposed")
            if fix_cases.four_eyes(workspace)
            else self.tr("four-eyes off")
        )
        self.who.setText(
            self.tr("Acting as %1 (%2) · %3")
            .replace("%1", workspace.user)
            .replace("%2", role_name(workspace.role()))
            .replace("%3", rule)
        )

    def _selected(self) -> list[int]:
        rows = {self.model.source_row(i.row()) for i in self.table.selectionModel().selectedRows()}
        frame = self.model.frame
        return [int(frame.iloc[r]["id"]) for r in sorted(rows)]

    # --- approving -----------------------------------------------------------------------

    def approve(self) -> None:
        self._verdict(reject=False)

    def reject(self) -> None:
        self._verdict(reject=True)

    def _verdict(self, reject: bool) -> None:
        workspace, ids = self.state.workspace, self._selected()
        if workspace is None or not ids:
            return
        try:
            count = fix_cases.approve(workspace, ids, reject=reject)
        except InputError as error:
            QMessageBox.warning(self, self.tr("Fixes"), str(error))
            return
        text = self.tr("%1 fixes rejected.") if reject else self.tr("%1 fixes approved.")
        self.log.setPlainText(text.replace("%1", str(count)))
        self.state.fixesChanged.emit()

    # --- writing back and rolling back ------------------------------------------------------

    def write(self, dry_run: bool) -> None:
        workspace = self.state.workspace
        if workspace is None or self._busy():
            return
        approved = listing(workspace, "approved")
        if not approved:
            self.log.setPlainText(self.tr("Nothing approved yet."))
            return
        if not dry_run:
            files = sorted({Path(str(r["target"])).name for r in approved})
            question = self.tr(
                "Write %1 approved changes into %2? A backup is kept and the write-back "
                "can be rolled back."
            )
            if not self._confirm(
                self.tr("Write back"),
                question.replace("%1", str(len(approved))).replace("%2", ", ".join(files)),
            ):
                return
        # Worker signals go to methods of this page, never to lambdas: a lambda would run
        # on the worker's thread and touch widgets there.
        self._start(
            lambda progress: writing.write_back(workspace, dry_run=dry_run),
            self._previewed if dry_run else self._written,
        )

    def rollback_latest(self) -> None:
        workspace = self.state.workspace
        if workspace is None:
            return
        done = [w for w in writebacks.listing(workspace) if w["state"] == "done"]
        if not done:
            self.log.setPlainText(self.tr("No write-back to roll back."))
            return
        self.rollback(int(done[0]["id"]))

    def rollback(self, writeback_id: int) -> None:
        """Roll a write-back back, after a confirmation that names its files."""
        workspace = self.state.workspace
        if workspace is None or self._busy():
            return
        try:
            files = writing.rollback_files(workspace, writeback_id)
        except InputError as error:
            QMessageBox.warning(self, self.tr("Roll back"), str(error))
            return
        question = (
            self.tr("Roll back write-back %1? These get their earlier values back: %2")
            .replace("%1", str(writeback_id))
            .replace("%2", ", ".join(files))
        )
        if not self._confirm(self.tr("Roll back"), question):
            return
        self._start(lambda progress: writing.rollback(workspace, writeback_id), self._rolled_back)

    def _confirm(self, title: str, question: str) -> bool:
        return QMessageBox.question(self, title, question) == QMessageBox.StandardButton.Yes

    def _busy(self) -> bool:
        return self.worker is not None and self.worker.running

    def _start(self, job: Any, done: Any) -> None:
        self.worker = QtWorker(job)
        self.worker.finished.connect(done)
        self.worker.failed.connect(self._failed)
        self.worker.start()

    def _failed(self, message: str) -> None:
        self.log.setPlainText(message)
        if not self.isVisible():  # started from History
            QMessageBox.warning(self, self.tr("Fixes"), message)
        self.state.fixesChanged.emit()

    def _previewed(self, done: Any) -> None:
        self.log.setPlainText(done.result.describe())

    def _written(self, done: Any) -> None:
        lines = [*done.settled, done.result.describe()]
        if done.writeback_id is not None:
            lines.append(self.tr("Write-back %1 done.").replace("%1", str(done.writeback_id)))
        self.log.setPlainText("\n".join(lines))
        self.state.checkpoint()

    def _rolled_back(self, result: Any) -> None:
        self.log.setPlainText(self.tr("Rolled back.") + "\n" + result.describe())
        self.state.fixesChanged.emit()
