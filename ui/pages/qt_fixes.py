"""Fixes: the changes decisions imply — approve them, preview, write back, roll back.

With four-eyes on, whoever proposed a fix cannot approve it. Writing back is a
checkpoint: it clears the undo stack, and only a rollback takes it back.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from PySide6.QtCore import QSettings, Qt
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

from app.writeback.apply import WriteBackResult, apply_change_set
from app.writeback.changes import Change, ChangeSet
from app.writeback.rollback import roll_back
from ui.models.qt_frame_model import QtFrameModel
from ui.qt_state import QtState
from ui.qt_worker import QtWorker


def fix_key(change: Change) -> tuple[str, str | None, str, str]:
    return change.target.location, change.target.sheet, change.key, change.column


class QtFixesPage(QWidget):
    def __init__(self, state: QtState, window: Any) -> None:
        super().__init__()
        self.state = state
        self.window_ = window
        self.changes: list[Change] = []
        self.approved: dict[tuple[str, str | None, str, str], str] = {}
        self.written: list[WriteBackResult] = []  # write-backs to roll back, newest last
        self.model = QtFrameModel()
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.approve_button = QPushButton()
        self.reject_button = QPushButton()
        self.preview_button = QPushButton()
        self.write_button = QPushButton()
        self.write_button.setObjectName("primary")
        self.rollback_button = QPushButton()
        self.approve_button.clicked.connect(self.approve)
        self.reject_button.clicked.connect(self.unapprove)
        self.preview_button.clicked.connect(lambda: self.write(dry_run=True))
        self.write_button.clicked.connect(lambda: self.write(dry_run=False))
        self.rollback_button.clicked.connect(self.rollback)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumHeight(180)
        buttons = QHBoxLayout()
        for button in (self.approve_button, self.reject_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.preview_button, self.write_button, self.rollback_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.log)
        state.decided.connect(lambda _: self.refresh())
        state.sessionChanged.connect(self.refresh)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Fixes"))
        self.approve_button.setText(self.tr("Approve selected"))
        self.reject_button.setText(self.tr("Withdraw approval"))
        self.preview_button.setText(self.tr("Preview (dry run)"))
        self.write_button.setText(self.tr("Write back approved"))
        self.rollback_button.setText(self.tr("Roll back last write-back"))
        self.refresh()

    def _headers(self) -> dict[str, str]:
        return {
            "target": self.tr("Target"),
            "key": self.tr("Record"),
            "column": self.tr("Column"),
            "old": self.tr("Old value"),
            "new": self.tr("New value"),
            "reason": self.tr("Reason"),
            "proposed_by": self.tr("Proposed by"),
            "approved_by": self.tr("Approved by"),
        }

    def refresh(self) -> None:
        session = self.state.session
        self.changes = session.fixes().changes if session is not None else []
        rows = [
            {
                "target": f"{c.target.location.rsplit('/', 1)[-1]}{'#' + c.target.sheet if c.target.sheet else ''}",
                "key": c.key,
                "column": c.column,
                "old": c.old,
                "new": c.new,
                "reason": c.reason,
                "proposed_by": c.proposed_by,
                "approved_by": self.approved.get(fix_key(c), ""),
            }
            for c in self.changes
        ]
        self.model.set_frame(pd.DataFrame(rows, columns=list(self._headers())), self._headers())

    def _selected(self) -> list[Change]:
        rows = {self.model.source_row(i.row()) for i in self.table.selectionModel().selectedRows()}
        return [self.changes[r] for r in sorted(rows)]

    def approve(self) -> None:
        four_eyes = QSettings().value("review/four_eyes", True, type=bool)
        refused = 0
        for change in self._selected():
            if four_eyes and change.proposed_by == self.state.user:
                refused += 1
                continue
            self.approved[fix_key(change)] = self.state.user
        if refused:
            QMessageBox.information(
                self,
                self.tr("Four-eyes"),
                self.tr("%1 fixes were proposed by you; another person must approve them.").replace(
                    "%1", str(refused)
                ),
            )
        self.refresh()

    def unapprove(self) -> None:
        for change in self._selected():
            self.approved.pop(fix_key(change), None)
        self.refresh()

    def _approved_set(self) -> ChangeSet:
        from dataclasses import replace

        return ChangeSet(
            [
                replace(c, approved_by=self.approved[fix_key(c)])
                for c in self.changes
                if fix_key(c) in self.approved
            ]
        )

    def write(self, dry_run: bool) -> None:
        changes = self._approved_set()
        if not changes.changes:
            self.log.setPlainText(self.tr("Nothing approved yet."))
            return
        if (
            not dry_run
            and QMessageBox.question(
                self,
                self.tr("Write back"),
                self.tr(
                    "Write %1 approved changes into the source files and databases? "
                    "A backup is kept and the write-back can be rolled back."
                ).replace("%1", str(len(changes.changes))),
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        # Worker signals go to methods of this page, never to lambdas: a lambda would run
        # on the worker's thread and touch widgets there.
        self.worker = QtWorker(lambda progress: apply_change_set(changes, dry_run=dry_run))
        self.worker.finished.connect(self._previewed if dry_run else self._written)
        self.worker.failed.connect(self.log.setPlainText)
        self.worker.start()

    def _previewed(self, result: Any) -> None:
        self.log.setPlainText(result.describe())

    def _written(self, result: Any) -> None:
        self.log.setPlainText(result.describe())
        if not result.dry_run:
            self.written.append(result)
            self.state.checkpoint()
            self.approved.clear()
            self.refresh()

    def _rolled_back(self, result: Any) -> None:
        self.log.setPlainText(self.tr("Rolled back.") + "\n" + result.describe())

    def rollback(self) -> None:
        if not self.written:
            self.log.setPlainText(self.tr("No write-back to roll back."))
            return
        done = self.written.pop()  # untouched files get their exact bytes back
        self.worker = QtWorker(lambda progress: roll_back(done.inverse, done.files))
        self.worker.finished.connect(self._rolled_back)
        self.worker.failed.connect(self.log.setPlainText)
        self.worker.start()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
