"""History: the runs of the workspace with their metrics and trend, and the audit log
(filterable, exportable, its hash chain checked)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from app.store import audit
from app.store.schema import Run
from ui.models.qt_frame_model import QtFrameModel
from ui.qt_state import QtState

AUDIT_SHOWN = ("id", "at", "actor", "action", "item", "after")


def readable(details: str) -> str:
    """An audit entry's JSON details as "key: value · key: value" for the table (the
    export keeps the JSON)."""
    value = json.loads(details)
    if not isinstance(value, dict):
        return "" if value is None else json.dumps(value, ensure_ascii=False)
    return " · ".join(
        f"{key}: {item if isinstance(item, str | int | float) else json.dumps(item, ensure_ascii=False)}"
        for key, item in value.items()
        if item is not None
    )


class QtHistoryPage(QWidget):
    def __init__(self, state: QtState, window: Any) -> None:
        super().__init__()
        self.state = state
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.model = QtFrameModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.chart = QChart()
        # Made once and refilled: recreating series from Python can free an object twice.
        self.series = QLineSeries()
        self.chart.addSeries(self.series)
        self.axis_x, self.axis_y = QValueAxis(), QValueAxis()
        self.axis_x.setLabelFormat("%d")
        self.axis_x.setTickType(QValueAxis.TickType.TicksDynamic)
        self.axis_x.setTickAnchor(1)
        self.series.setPointsVisible(True)
        self.axis_y.setRange(0, 100)
        self.chart.addAxis(self.axis_x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.axis_y, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.axis_x)
        self.series.attachAxis(self.axis_y)
        view = QChartView(self.chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(200)
        self.audit_label = QLabel()
        self.audit_filter = QLineEdit()
        self.audit_filter.setClearButtonEnabled(True)
        self.audit_filter.textChanged.connect(self._filter_audit)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export_audit)
        self.chain = QLabel()
        self.audit_model = QtFrameModel()
        self.audit_view = QTableView()
        self.audit_view.setModel(self.audit_model)
        self.audit_view.verticalHeader().setVisible(False)
        header = self.audit_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        audit_bar = QHBoxLayout()
        audit_bar.addWidget(self.audit_label)
        audit_bar.addWidget(self.audit_filter, 1)
        audit_bar.addWidget(self.chain)
        audit_bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(view, 1)
        layout.addLayout(audit_bar)
        layout.addWidget(self.audit_view, 1)
        state.sessionChanged.connect(self.refresh)
        state.workspaceChanged.connect(self.refresh)
        state.decided.connect(lambda _: self._audit())

    def retranslate(self) -> None:
        self.title.setText(self.tr("History"))
        self.audit_label.setText(self.tr("Audit log"))
        self.audit_filter.setPlaceholderText(self.tr("Filter by who, action or item…"))
        self.export_button.setText(self.tr("Export…"))
        self.refresh()

    def _runs(self) -> list[dict[str, Any]]:
        workspace = self.state.workspace
        if workspace is None:
            return list(self.state.history)
        with workspace.session() as db:
            runs = list(db.scalars(select(Run).order_by(Run.id)))
        return [
            {
                "name": f"{run.id} · {run.started:%Y-%m-%d %H:%M} · {run.user}",
                "groups": m.get("groups", 0),
                "auto": m.get("auto", 0),
                "review": m.get("review", 0),
                "orphans": m.get("orphans", 0),
                "conflicts": m.get("conflicts", 0),
                "seconds": round(sum(run.timings.values()), 1),
            }
            for run, m in ((run, run.metrics) for run in runs)
        ]

    def refresh(self) -> None:
        headers = {
            "name": self.tr("Run"),
            "groups": self.tr("Groups"),
            "auto": self.tr("Auto-matched"),
            "review": self.tr("To review"),
            "orphans": self.tr("Orphans"),
            "conflicts": self.tr("Conflicts"),
            "seconds": self.tr("Seconds"),
        }
        runs = self._runs()
        self.model.set_frame(pd.DataFrame(runs, columns=list(headers)), headers)
        self.chart.setTitle(self.tr("Auto-match rate per run"))
        self.series.setName(self.tr("Auto-match rate (%)"))
        self.series.clear()
        for k, run in enumerate(runs, start=1):
            self.series.append(k, 100 * int(run["auto"]) / max(int(run["groups"]), 1))
        # One tick per run up to ten runs, then every few runs; a lone run sits mid-chart.
        self.axis_x.setTickInterval(max(1, -(-len(runs) // 10)))
        self.axis_x.setRange(0.5, max(1, len(runs)) + 0.5)
        self._audit()

    def _audit(self) -> None:
        workspace = self.state.workspace
        if workspace is None:
            self.audit_model.set_frame(pd.DataFrame(columns=list(AUDIT_SHOWN)))
            self.chain.setText("")
            return
        with workspace.session() as db:
            rows = audit.rows(db)
            check = audit.verify(db)
        frame = pd.DataFrame(rows, columns=list(audit.COLUMNS))[list(AUDIT_SHOWN)]
        frame["after"] = frame["after"].map(readable)
        self.audit_model.set_frame(
            frame.iloc[::-1].reset_index(drop=True),
            {
                "id": "#",
                "at": self.tr("When"),
                "actor": self.tr("Who"),
                "action": self.tr("Action"),
                "item": self.tr("Item"),
                "after": self.tr("Details"),
            },
        )
        self.chain.setText(
            self.tr("chain intact")
            if check.ok
            else self.tr("chain broken at entry %1").replace("%1", str(check.broken_at))
        )
        self._filter_audit()

    def _filter_audit(self) -> None:
        text = self.audit_filter.text().strip()
        frame = self.audit_model.frame
        if not text or frame.empty:
            self.audit_model.set_mask(None)
            return
        mask = (
            frame["actor"].str.contains(text, regex=False)
            | frame["action"].str.contains(text, regex=False)
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
                audit.export(db, Path(path))
