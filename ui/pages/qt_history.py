"""History: the runs of this session with their metrics, and the trend across them."""

from __future__ import annotations

from typing import Any

import pandas as pd
from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ui.models.qt_frame_model import QtFrameModel
from ui.qt_state import QtState


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
        self.axis_y.setRange(0, 100)
        self.chart.addAxis(self.axis_x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.axis_y, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.axis_x)
        self.series.attachAxis(self.axis_y)
        view = QChartView(self.chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(240)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(view, 1)
        state.sessionChanged.connect(self.refresh)

    def retranslate(self) -> None:
        self.title.setText(self.tr("History"))
        self.refresh()

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
        self.model.set_frame(pd.DataFrame(self.state.history, columns=list(headers)), headers)
        self.chart.setTitle(self.tr("Auto-match rate per run"))
        self.series.setName(self.tr("Auto-match rate (%)"))
        self.series.clear()
        for k, run in enumerate(self.state.history, start=1):
            self.series.append(k, 100 * int(run["auto"]) / max(int(run["groups"]), 1))  # type: ignore[call-overload]
        self.axis_x.setRange(1, max(2, len(self.state.history)))
