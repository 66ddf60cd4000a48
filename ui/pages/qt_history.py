"""History: the runs of the workspace with their metrics and trend, and the audit log
(filterable, exportable, its hash chain checked)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from app.reconcile.pipeline import DEDUPE, RECONCILE
from app.reports import audit_log
from app.store import audit, writebacks
from app.store.schema import AuditEntry, Run
from app.store.workspace import Workspace
from ui.field_names import action_name, state_name
from ui.models.qt_frame_model import QtFrameModel
from ui.qt_charts import QtLineChart
from ui.qt_lazy import QtRefreshWhenShown
from ui.qt_state import QtState

AUDIT_SHOWN = ("id", "at", "actor", "action", "item", "after")
SHOWN = 2_000  # entries on screen: the newest; an export holds every one
CHAIN_SLICE = 2_000  # entries checked between events (about 50 ms)
DETAILS = 500  # characters of an entry's details shown in the table


def readable(details: str) -> str:
    """An audit entry's JSON details as "key: value · key: value" for the table, cut at
    DETAILS characters (a bulk step lists tens of thousands of groups, which Qt would lay
    out on every repaint; the export keeps the whole JSON)."""
    value = json.loads(details)
    if not isinstance(value, dict):
        text = "" if value is None else json.dumps(value, ensure_ascii=False)
    else:
        text = " · ".join(
            f"{key}: {item if isinstance(item, str | int | float) else json.dumps(item, ensure_ascii=False)}"
            for key, item in value.items()
            if item is not None
        )
    return text if len(text) <= DETAILS else text[: DETAILS - 1] + "…"


class QtHistoryPage(QtRefreshWhenShown, QWidget):
    def __init__(self, state: QtState, window: Any) -> None:
        super().__init__()
        self.state = state
        self.window_ = window
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.model = QtFrameModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.chart = QtLineChart()  # one series, no legend: the title says what it is
        self.chart.set_range(0, 100, 20)
        self.chart.setMinimumHeight(170)
        self.writebacks_label = QLabel()
        self.rollback_button = QPushButton()
        self.rollback_button.clicked.connect(self.rollback_selected)
        self.writebacks_model = QtFrameModel()
        self.writebacks_model.formatters = {"state": state_name}
        self.writebacks_view = QTableView()
        self.writebacks_view.setModel(self.writebacks_model)
        self.writebacks_view.verticalHeader().setVisible(False)
        self.writebacks_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.writebacks_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.writebacks_view.horizontalHeader().setStretchLastSection(True)
        writebacks_bar = QHBoxLayout()
        writebacks_bar.addWidget(self.writebacks_label)
        writebacks_bar.addStretch(1)
        writebacks_bar.addWidget(self.rollback_button)
        self.audit_label = QLabel()
        self.audit_filter = QLineEdit()
        self.audit_filter.setClearButtonEnabled(True)
        self.audit_filter.textChanged.connect(self._filter_audit)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export_audit)
        self.check_button = QPushButton()
        self.check_button.clicked.connect(lambda: self._audit(full=True))
        self._shown: list[list[object]] = []
        self._checked: audit.Verification | None = None
        self._audit_of: object = None
        # The chain is walked a slice at a time between events, on this thread: a worker
        # thread would hold the interpreter and make every repaint wait for it.
        self._walk: audit.Verification | None = None
        self._walking = False
        self._slice = QTimer(self)
        self._slice.setSingleShot(True)
        self._slice.timeout.connect(self._check_slice)
        self.chain = QLabel()
        self.audit_model = QtFrameModel()
        self.audit_model.formatters = {"action": action_name}
        self.audit_view = QTableView()
        self.audit_view.setModel(self.audit_model)
        self.audit_view.verticalHeader().setVisible(False)
        header = self.audit_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(0)  # fit the rows on screen, not all 2,000
        header.setStretchLastSection(True)
        audit_bar = QHBoxLayout()
        audit_bar.addWidget(self.audit_label)
        audit_bar.addWidget(self.audit_filter, 1)
        audit_bar.addWidget(self.chain)
        audit_bar.addWidget(self.check_button)
        audit_bar.addWidget(self.export_button)
        # Four parts share the height through a splitter: a laptop screen still shows
        # several rows of each, and the clerk drags the one she needs bigger.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        for bar, body in (
            (None, self.table),
            (None, self.chart),
            (writebacks_bar, self.writebacks_view),
            (audit_bar, self.audit_view),
        ):
            part = QWidget()
            part_layout = QVBoxLayout(part)
            part_layout.setContentsMargins(0, 4, 0, 4)
            if bar is not None:
                part_layout.addLayout(bar)
            part_layout.addWidget(body, 1)
            splitter.addWidget(part)
        splitter.setSizes([110, 190, 120, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(splitter, 1)
        for signal in (state.sessionChanged, state.workspaceChanged, state.fixesChanged):
            signal.connect(self.changed)
        state.decided.connect(lambda _: self.changed())

    def retranslate(self) -> None:
        self.title.setText(self.tr("History"))
        self.writebacks_label.setText(self.tr("Write-backs"))
        self.rollback_button.setText(self.tr("Roll back…"))
        self.audit_label.setText(self.tr("Audit log"))
        self.audit_filter.setPlaceholderText(self.tr("Filter by who, action or item…"))
        self.export_button.setText(self.tr("Export…"))
        self.check_button.setText(self.tr("Check all"))
        self.refresh()

    def _runs(self) -> list[dict[str, Any]]:
        workspace = self.state.workspace
        if workspace is None:
            return list(self.state.history)
        with workspace.session() as db:
            runs = list(db.scalars(select(Run).order_by(Run.id)))
        kinds = {RECONCILE: self.tr("reconcile"), DEDUPE: self.tr("duplicates")}
        return [
            {
                **run.metrics,
                "name": f"{run.id} · {kinds.get(run.mode, run.mode)} · "
                f"{run.started:%Y-%m-%d %H:%M} · {run.user}",
                "seconds": round(sum(run.timings.values()), 1),
                "inventory_accuracy": _percent(run.metrics.get("inventory_accuracy")),
            }
            for run in runs
        ]

    def refresh(self) -> None:
        headers = {
            "name": self.tr("Run"),
            "groups": self.tr("Groups"),
            "matched": self.tr("Matched"),
            "review": self.tr("To review"),
            "orphans": self.tr("Orphans"),
            "conflicts": self.tr("Conflicts"),
            "seconds": self.tr("Seconds"),
        }
        self._stale = False
        runs = self._runs()
        if any(run.get("inventory_accuracy") for run in runs):
            headers["inventory_accuracy"] = self.tr("Inventory accuracy")
        self.model.set_frame(pd.DataFrame(runs, columns=list(headers)).fillna(0), headers)
        self.chart.set_title(self.tr("Auto-match rate per run"))
        # One tick per run up to ten runs, then every few runs; a lone run sits mid-chart.
        self.chart.set_points(
            self.tr("Auto-match rate (%)"),
            [
                (k, 100 * float(run.get("auto_match_rate", 0)))
                for k, run in enumerate(runs, start=1)
            ],
        )
        self._writebacks()
        self._audit()

    def _writebacks(self) -> None:
        workspace = self.state.workspace
        rows = writebacks.listing(workspace) if workspace is not None else []
        headers = {
            "id": "#",
            "at": self.tr("When"),
            "user": self.tr("Who"),
            "state": self.tr("State"),
            "cells": self.tr("Cells"),
            "files": self.tr("Files"),
        }
        self.writebacks_model.set_frame(pd.DataFrame(rows, columns=list(headers)), headers)

    def rollback_selected(self) -> None:
        """Roll back the chosen write-back (any earlier one, also after a restart)."""
        rows = self.writebacks_view.selectionModel().selectedRows()
        if not rows:
            return
        frame = self.writebacks_model.frame
        writeback_id = int(frame.iloc[self.writebacks_model.source_row(rows[0].row())]["id"])
        self.window_.pages["fixes"].rollback(writeback_id)

    def _audit(self, full: bool = False) -> None:
        """The latest entries of the log, newest first, and the chain checked in the
        background. Only entries appended since the last look are read and checked (a
        year of entries is not walked on every change); ``full`` ("Check all") walks
        the whole chain again."""
        workspace = self.state.workspace
        if workspace is None:
            self._shown, self._checked = [], None
            self.audit_model.set_frame(pd.DataFrame(columns=list(AUDIT_SHOWN)))
            self.chain.setText("")
            return
        restart = full or workspace is not self._audit_of
        if restart:
            self._shown, self._audit_of = [], workspace
            self._checked = None if full else self._last_checked(workspace)
        last = int(self._shown[-1][0]) if self._shown else 0
        with workspace.session() as db:
            fresh = audit.rows(db, last, latest=SHOWN)
            total = audit.count(db)
        shown = list(audit.COLUMNS).index
        for row in fresh:
            self._shown.append([*(row[shown(c)] for c in AUDIT_SHOWN[:-1]), readable(row[6])])
        del self._shown[:-SHOWN]
        frame = pd.DataFrame(self._shown[::-1], columns=list(AUDIT_SHOWN))
        self.audit_model.set_frame(
            frame,
            {
                "id": "#",
                "at": self.tr("When"),
                "actor": self.tr("Who"),
                "action": self.tr("Action"),
                "item": self.tr("Item"),
                "after": self.tr("Details"),
            },
        )
        self.audit_label.setText(
            self.tr("Audit log")
            if total <= SHOWN
            else self.tr("Audit log (the latest %1 of %2; Export… has them all)")
            .replace("%1", f"{SHOWN:,}")
            .replace("%2", f"{total:,}")
        )
        self._filter_audit()
        self._check_chain(restart)

    @property
    def checking(self) -> bool:
        """Whether a walk of the chain is under way."""
        return self._walking

    def _check_chain(self, restart: bool) -> None:
        """Walk what is new of the chain, a slice between events (the window stays
        responsive however long the log); a walk under way reaches new entries too, unless
        ``restart`` (another workspace, or "Check all")."""
        if self._walking and not restart:
            return
        self._walk, self._walking = self._checked, True
        self.chain.setText(self.tr("checking the chain…"))
        self._slice.start(1)

    def _check_slice(self) -> None:
        workspace = self.state.workspace
        if workspace is None:
            self._walking = False
            return
        with workspace.session() as db:
            check = audit.verify(db, since=self._walk, limit=CHAIN_SLICE)
        if check.finished or not check.ok:
            self._walking = False
            self._checked_chain(check)
        else:
            self._walk = check
            self._slice.start(1)

    def _last_checked(self, workspace: Workspace) -> audit.Verification | None:
        """Where this workstation last found the chain intact, if that entry is still the
        one it checked: the walk goes on from there instead of from the first entry."""
        saved = str(QSettings().value(f"audit/checked/{workspace.location}", ""))
        parts = saved.split(":")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            return None
        last_id, count, head = int(parts[0]), int(parts[1]), parts[2]
        with workspace.session() as db:
            entry = db.get(AuditEntry, last_id)
        if entry is None or entry.hash != head:
            return None
        return audit.Verification(count, None, head=head, last_id=last_id)

    def _checked_chain(self, check: audit.Verification) -> None:
        self._checked = check if check.ok else None  # a break: look at everything next time
        if check.ok and self.state.workspace is not None:
            QSettings().setValue(
                f"audit/checked/{self.state.workspace.location}",
                f"{check.last_id}:{check.entries}:{check.head}",
            )
        self.chain.setText(
            self.tr("chain intact")
            if check.ok
            else self.tr("chain broken at entry %1").replace("%1", str(check.broken_at))
        )

    def _filter_audit(self) -> None:
        text = self.audit_filter.text().strip()
        frame = self.audit_model.frame
        if not text or frame.empty:
            self.audit_model.set_mask(None)
            return
        mask = (
            frame["actor"].str.contains(text, regex=False)
            | frame["action"].str.contains(text, regex=False)
            | frame["action"].map(action_name).str.contains(text, regex=False)  # as shown
            | frame["item"].str.contains(text, regex=False)
        )
        self.audit_model.set_mask(mask.to_numpy(bool))

    def export_audit(self, path: str | None = None) -> None:
        workspace = self.state.workspace
        if workspace is None:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export the audit log"), "audit.xlsx", "Excel (*.xlsx);;CSV (*.csv)"
            )
        if path:
            with workspace.session() as db:
                audit_log.export(db, Path(path))


def _percent(share: float | None) -> str:
    return f"{share:.1%}" if share is not None else ""
