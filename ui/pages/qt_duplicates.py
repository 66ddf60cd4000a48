"""Duplicates: clusters of one entity, the golden record with the source of every value,
merge and unmerge (a data steward's screen; fed by a "Find duplicates" run)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.decide.decisions import Decision
from app.decide.golden import SurvivorshipRules, golden_record
from app.reconcile.pipeline import DEDUPE
from ui.field_names import field_name, state_name
from ui.models.qt_frame_model import QtFrameModel
from ui.qt_state import QtState


class QtDuplicatesPage(QWidget):
    def __init__(self, state: QtState, window: Any) -> None:
        super().__init__()
        self.state = state
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.clusters = QtFrameModel()
        self.clusters.formatters = {"state": state_name}
        self.cluster_view = QTableView()
        self.cluster_view.setModel(self.clusters)
        self.cluster_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cluster_view.verticalHeader().setVisible(False)
        self.cluster_view.horizontalHeader().setStretchLastSection(True)
        self.cluster_view.selectionModel().currentRowChanged.connect(lambda *_: self._show())
        self.golden = QtFrameModel()
        self.golden_view = QTableView()
        self.golden_view.setModel(self.golden)
        self.golden_view.verticalHeader().setVisible(False)
        self.golden_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.members = QtFrameModel()
        self.member_view = QTableView()
        self.member_view.setModel(self.members)
        self.member_view.verticalHeader().setVisible(False)
        self.merge_button = QPushButton()
        self.merge_button.setObjectName("primary")
        self.unmerge_button = QPushButton()
        self.merge_button.clicked.connect(self.merge)
        self.unmerge_button.clicked.connect(self.unmerge)
        self.golden_label = QLabel()
        self.members_label = QLabel()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unmerge_button)
        buttons.addWidget(self.merge_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.golden_label)
        right_layout.addWidget(self.golden_view, 2)
        right_layout.addWidget(self.members_label)
        right_layout.addWidget(self.member_view, 1)
        right_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(self.cluster_view)
        splitter.addWidget(right)
        splitter.setSizes([420, 820])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(splitter, 1)
        state.sessionChanged.connect(self.refresh)
        state.decided.connect(lambda _: self._show())

    def retranslate(self) -> None:
        self.title.setText(self.tr("Duplicates"))
        self.merge_button.setText(self.tr("Merge into the golden record"))
        self.unmerge_button.setText(self.tr("Unmerge"))
        self.golden_label.setText(
            self.tr("Golden record: the surviving value of every field and where it comes from")
        )
        self.members_label.setText(self.tr("Records in this cluster"))
        self.refresh()

    def _dedupe(self) -> bool:
        return self.state.session is not None and self.state.session.result.mode == DEDUPE

    def refresh(self) -> None:
        session = self.state.session
        if not self._dedupe():
            self.hint.setText(
                self.tr(
                    "Import customer masters and choose “Find duplicates” to see clusters here."
                )
            )
            self.clusters.set_frame(pd.DataFrame())
            self.golden.set_frame(pd.DataFrame())
            self.members.set_frame(pd.DataFrame())
            return
        assert session is not None
        queue = session.queue()
        sizes = [len(g.members) for g in session.result.groups]
        frame = queue.assign(size=sizes)[["entity", "size", "tables", "label", "state"]]
        frame = frame[frame["size"] > 1]
        self.hint.setText(self.tr("%1 clusters of duplicates").replace("%1", f"{len(frame):,}"))
        self.clusters.set_frame(
            frame.reset_index(names="group"),
            {
                "group": "#",
                "entity": self.tr("Cluster"),
                "size": self.tr("Records"),
                "tables": self.tr("Systems"),
                "label": self.tr("Record"),
                "state": self.tr("State"),
            },
        )
        self.cluster_view.setColumnHidden(0, True)
        self.cluster_view.setColumnHidden(0, True)
        if self.clusters.rowCount():
            self.cluster_view.selectRow(0)

    def current_group(self) -> int | None:
        index = self.cluster_view.currentIndex()
        if not index.isValid() or not self._dedupe():
            return None
        return int(self.clusters.frame.iloc[self.clusters.source_row(index.row())]["group"])

    def _show(self) -> None:
        session, group = self.state.session, self.current_group()
        if session is None or group is None:
            return
        values = golden_record(session.result, group, SurvivorshipRules(trust=session.labels))
        rules = {
            "trust": self.tr("most trusted system"),
            "recent": self.tr("most recent"),
            "complete": self.tr("most complete record"),
            "frequent": self.tr("most frequent"),
            "longest": self.tr("longest"),
            "manual": self.tr("typed by hand"),
        }
        golden = [
            {
                "field": self._name(v.field, v.column),
                "value": v.value,
                "source": f"{v.table or '—'} · {v.column or ''}",
                "rule": rules.get(v.rule, v.rule),
            }
            for v in values
        ]
        headers = {
            "field": self.tr("Field"),
            "value": self.tr("Value"),
            "source": self.tr("From"),
            "rule": self.tr("Rule"),
        }
        self.golden.set_frame(pd.DataFrame(golden), headers)
        members = session.members(group)
        fields = [
            f for f in session.result.mapping.fields if any(m[0] in f.columns for m in members)
        ]
        rows = []
        for label, row in members:
            record = {
                self.tr("System"): label,
                self.tr("Where"): str(session.provenance(label, row)),
            }
            for f in fields:
                column = f.columns.get(label)
                record[self._name(f.name, column)] = (
                    session.table(label).values(column).iloc[row] if column else "—"
                )
            rows.append(record)
        self.members.set_frame(pd.DataFrame(rows))
        merged = session.state[group] == "accepted"
        self.merge_button.setEnabled(not merged)
        self.unmerge_button.setEnabled(merged)

    @staticmethod
    def _name(field: str, column: str | None) -> str:
        """A field's display name; a field without a known name shows its column's header."""
        name = field_name(field)
        return column if name == field and column else name

    def merge(self) -> None:
        group = self.current_group()
        if group is not None:
            self.state.decide(
                Decision("accept", group, user=self.state.user), self.tr("Merge cluster")
            )

    def unmerge(self) -> None:
        group = self.current_group()
        if group is not None:
            self.state.decide(
                Decision("reject", group, user=self.state.user), self.tr("Unmerge cluster")
            )
