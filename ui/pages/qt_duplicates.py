"""Duplicates: clusters of one entity, the golden record with the source of every value,
and the merge carried into the systems — proposed, approved (four-eyes), written back
(survivors take the golden values, duplicates are marked inactive, references re-pointed),
unmerged — with the crosswalk exported for each system's own merge tool. A data
steward's screen, fed by a "Find duplicates" run; the work is :mod:`app.store.merges`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.decide.decisions import Decision
from app.decide.golden import SurvivorshipRules, golden_record
from app.decide.golden import merge as merge_cluster
from app.decide.merging import (
    CROSSWALK_COLUMNS,
    Candidate,
    Deactivation,
    Reference,
    plan_merge,
    record_key_column,
    reference_candidates,
    suggest_deactivation,
)
from app.errors import InputError
from app.reconcile.pipeline import DEDUPE
from app.reports.xlsx import write_rows
from app.sources import read_tables
from app.sources.table import Table
from app.store.fixes import describe_change, describe_fix
from app.store.merges import crosswalk, deactivations, merge_fixes, merge_of_group, merges
from app.store.schema import MergeRecord
from app.usecases import merges as merge_cases
from ui.field_names import field_name, state_name
from ui.models.qt_frame_model import QtFrameModel
from ui.qt_state import QtState, demo_customers
from ui.qt_worker import QtWorker


class QtDuplicatesPage(QWidget):
    def __init__(self, state: QtState, window: Any) -> None:
        super().__init__()
        self.main_state = state
        self.worker: QtWorker | None = None
        self.references: list[Reference] = []
        self.scanner: QtWorker | None = None
        self.reference_dialog: QtReferenceDialog | None = None
        self._chosen: dict[int, dict[str, str]] = {}  # group → system → record key kept
        self._member_keys: list[tuple[str, str]] = []  # the records listed, in order
        self._listed: object = None  # the session whose clusters are listed
        self.inactive: dict[str, tuple[QComboBox, QLineEdit]] = {}
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.window_ = window
        self.find_button = QPushButton()  # no dedupe yet: start one
        self.find_button.clicked.connect(self.find_duplicates)
        self.scope = QComboBox()  # every cluster, duplicates inside one system, or links only
        self.scope.currentIndexChanged.connect(self._filter)
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
        self.golden_label = QLabel()
        self.members_label = QLabel()
        self.survivor_button = QPushButton()  # keep the selected record in its system
        self.survivor_button.clicked.connect(self.keep_selected)
        self.member_view.selectionModel().currentRowChanged.connect(
            lambda *_: self._enable_survivor()
        )

        self.write_box = QGroupBox()
        self.inactive_form = QFormLayout()
        self.references_label = QLabel()
        self.references_label.setWordWrap(True)
        self.reference_button = QPushButton()
        self.reference_button.clicked.connect(self.pick_reference)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.cells = QPlainTextEdit()  # the merge's cells: exactly what writing it changes
        self.cells.setReadOnly(True)
        self.cells.setMaximumHeight(110)
        self.cells.setMinimumHeight(48)
        self.cells.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.cells.setVisible(False)
        self.preview_button = QPushButton()
        self.preview_button.clicked.connect(self.preview)
        self.merge_button = QPushButton()
        self.merge_button.setObjectName("primary")
        self.approve_button = QPushButton()
        self.write_button = QPushButton()
        self.unmerge_button = QPushButton()
        self.crosswalk_button = QPushButton()
        self.merge_button.clicked.connect(self.merge)
        self.approve_button.clicked.connect(self.approve)
        self.write_button.clicked.connect(self.write_back)
        self.unmerge_button.clicked.connect(self.unmerge)
        self.crosswalk_button.clicked.connect(lambda: self.export_crosswalk())
        references = QHBoxLayout()
        references.addWidget(self.references_label, 1)
        references.addWidget(self.reference_button)
        box = QVBoxLayout(self.write_box)
        box.addLayout(self.inactive_form)
        box.addLayout(references)
        box.addWidget(self.status)
        box.addWidget(self.cells)
        buttons = QHBoxLayout()
        buttons.addWidget(self.crosswalk_button)
        buttons.addStretch(1)
        for button in (
            self.unmerge_button,
            self.approve_button,
            self.write_button,
            self.preview_button,
        ):
            buttons.addWidget(button)
        buttons.addWidget(self.merge_button)
        box.addLayout(buttons)

        # Golden record, records and the write-back box share the height; the steward
        # drags the dividers (a small window would otherwise squeeze the tables to a row).
        right = QSplitter(Qt.Orientation.Vertical)
        right.setChildrenCollapsible(False)
        for heading_widgets, view in (
            ((self.golden_label,), self.golden_view),
            ((self.members_label, self.survivor_button), self.member_view),
        ):
            pane = QWidget()
            pane_layout = QVBoxLayout(pane)
            pane_layout.setContentsMargins(0, 0, 0, 0)
            bar = QHBoxLayout()
            for widget in heading_widgets:
                bar.addWidget(widget, 1 if widget is heading_widgets[0] else 0)
            pane_layout.addLayout(bar)
            pane_layout.addWidget(view, 1)
            view.setMinimumHeight(90)
            right.addWidget(pane)
        right.addWidget(self.write_box)
        right.setStretchFactor(0, 2)
        right.setStretchFactor(1, 1)
        right.setStretchFactor(2, 1)
        splitter = QSplitter()
        splitter.addWidget(self.cluster_view)
        splitter.addWidget(right)
        splitter.setSizes([420, 820])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        heading = QHBoxLayout()
        heading.addWidget(self.hint, 1)
        heading.addWidget(self.find_button)
        heading.addWidget(self.scope)
        layout.addLayout(heading)
        layout.addWidget(splitter, 1)
        for each in (state, state.customers):
            if each is not None:
                each.sessionChanged.connect(self._new_session)
                each.decided.connect(self._decided)

    @property
    def state(self) -> QtState:
        """The run whose clusters are shown: the main one when it is a dedupe, else the
        demo's customer dedupe beside it, if there is one."""
        main, customers = self.main_state, self.main_state.customers
        if customers is None or customers.session is None or self._dedupe(main):
            return main
        return customers

    def retranslate(self) -> None:
        self.title.setText(self.tr("Duplicates"))
        current = self.scope.currentData() or "all"
        self.scope.blockSignals(True)
        self.scope.clear()
        for text, data in (
            (self.tr("Every cluster"), "all"),
            (self.tr("Duplicates inside one system"), "inside"),
            (self.tr("Linked across systems only"), "across"),
        ):
            self.scope.addItem(text, data)
        self.scope.setCurrentIndex(max(self.scope.findData(current), 0))
        self.scope.blockSignals(False)
        self.merge_button.setText(self.tr("Merge into the golden record"))
        self.approve_button.setText(self.tr("Approve merge"))
        self.write_button.setText(self.tr("Write back"))
        self.unmerge_button.setText(self.tr("Unmerge"))
        self.crosswalk_button.setText(self.tr("Export crosswalk…"))
        self.reference_button.setText(self.tr("Re-point references…"))
        self.write_box.setTitle(
            self.tr(
                "In the systems: survivors take the golden values, duplicates are marked inactive"
            )
        )
        self.golden_label.setText(
            self.tr("Golden record: the surviving value of every field and where it comes from")
        )
        self.members_label.setText(self.tr("Records in this cluster"))
        self.survivor_button.setText(self.tr("Keep this record"))
        self.preview_button.setText(self.tr("Preview merge"))
        self.refresh()

    def _new_session(self) -> None:
        self.references.clear()  # tables read for the previous run
        self._chosen.clear()  # its groups' survivors
        self.refresh()

    def _on_demo(self) -> bool:
        run = self.main_state.reconciliation
        return run is not None and run.name == "demo"

    def find_duplicates(self) -> None:
        """On the demo, dedupe its customer masters (done already when it opened, unless
        that was cancelled); else go and import some."""
        customers = self.main_state.customers
        if self._on_demo() and customers is not None:
            customers.run(demo_customers())
        else:
            self.window_.show_page("import")

    def _dedupe(self, state: QtState | None = None) -> bool:
        session = (state or self.state).session
        return session is not None and session.result.mode == DEDUPE

    def refresh(self) -> None:
        session = self.state.session
        self._build_inactive_form()
        self._show_references()
        self.reference_button.setEnabled(self._dedupe())
        self.find_button.setVisible(not self._dedupe())
        self.find_button.setText(
            self.tr("Find duplicates in the demo's customer masters")
            if self._on_demo()
            else self.tr("Import customer masters…")
        )
        if not self._dedupe():
            self.hint.setText(
                self.tr(
                    "Import customer masters and choose “Find duplicates” to see clusters here."
                )
            )
            self.clusters.set_frame(pd.DataFrame())
            self.golden.set_frame(pd.DataFrame())
            self.members.set_frame(pd.DataFrame())
            self._show_merge(None)
            return
        assert session is not None
        keep = self.current_group() if session is self._listed else None
        self._listed = session
        queue = session.queue()
        groups = session.result.groups
        inside = [len({label for label, _ in g.members}) < len(g.members) for g in groups]
        frame = queue.assign(size=[len(g.members) for g in groups], inside=inside)
        frame = frame.assign(state=self._merge_states(frame["state"]))
        frame = frame[frame["size"] > 1][["entity", "size", "tables", "label", "state", "inside"]]
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
        self.cluster_view.setColumnHidden(len(frame.columns), True)  # "inside": the filter's
        self._filter()
        if self.clusters.rowCount():
            self.cluster_view.selectRow(0)
            if keep is not None:
                self.select_group(keep)  # a language switch keeps the steward's place

    def _merge_states(self, states: pd.Series) -> list[str]:
        """Each cluster's state: its latest merge's (proposed … written) where it has one."""
        recorded, workspace = self.state.recorded, self.state.workspace
        if recorded is None or workspace is None:
            return states.tolist()
        latest = {m.group_stable_id: m.state for m in merges(workspace)}
        stable = recorded.recorded.stable_ids
        return [latest.get(stable[k], state) for k, state in enumerate(states.tolist())]

    def _filter(self) -> None:
        """Show every cluster, only those with two records of one system (duplicates to
        merge), or only links across systems; the hint says how many."""
        frame = self.clusters.frame
        if frame.empty or "inside" not in frame:
            return
        scope = self.scope.currentData() or "all"
        inside = frame["inside"].to_numpy(dtype=bool)
        mask = {"inside": inside, "across": ~inside}.get(scope, inside | ~inside)
        keep = self.current_group()
        self.clusters.set_mask(mask)
        if self.clusters.rowCount():  # the cluster on screen stays, else the first shown
            self.cluster_view.selectRow(0)
            if keep is not None:
                self.select_group(keep)
        self.hint.setText(
            self.tr("%1 clusters of duplicates (%2 with two records of one system)")
            .replace("%1", f"{int(mask.sum()):,}")
            .replace("%2", f"{int(inside.sum()):,}")
        )

    def current_group(self) -> int | None:
        index = self.cluster_view.currentIndex()
        if not index.isValid() or not self._dedupe():
            return None
        return int(self.clusters.frame.iloc[self.clusters.source_row(index.row())]["group"])

    def select_group(self, group: int) -> None:
        rows = np.flatnonzero(self.clusters.frame["group"].to_numpy() == group)
        shown = self.clusters.view_row(int(rows[0])) if len(rows) else None
        if shown is not None:
            self.cluster_view.selectRow(shown)

    def _decided(self, groups: list[int]) -> None:
        """Only the cluster on screen is worth a new golden record, and only when shown."""
        if self.isVisible() and self.current_group() in groups:
            self._show()

    def showEvent(self, event: Any) -> None:
        self._show()
        super().showEvent(event)

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
        kept = self._survivors(group)
        self._member_keys = [(label, session.keys[label][row]) for label, row in members]
        rows = []
        for label, row in members:
            survives = kept.get(label) == session.keys[label][row]
            record = {
                self.tr("System"): label,
                self.tr("In the system"): self.tr("kept") if survives else self.tr("retired"),
                self.tr("Where"): str(session.provenance(label, row)),
            }
            for f in fields:
                column = f.columns.get(label)
                record[self._name(f.name, column)] = (
                    session.table(label).values(column).iloc[row] if column else "—"
                )
            rows.append(record)
        self.members.set_frame(pd.DataFrame(rows))
        self._show_merge(self._merge_record(group))
        self._enable_survivor()

    def _survivors(self, group: int) -> dict[str, str]:
        """The record key each system keeps: a proposed merge's, else the steward's choice,
        else the most complete record."""
        session = self.state.session
        assert session is not None
        record = self._merge_record(group)
        if record is not None and record.state in ("proposed", "approved", "written"):
            return dict(record.plan["survivors"])
        chosen = self._chosen.get(group, {})
        rows = {(label, session.keys[label][row]): row for label, row in session.members(group)}
        picked = {label: rows[(label, key)] for label, key in chosen.items()}
        rules = SurvivorshipRules(trust=session.labels)
        merged = merge_cluster(session.result, group, rules, None, picked)
        return {label: session.keys[label][row] for label, row in merged.survivors.items()}

    def _enable_survivor(self) -> None:
        """ "Keep this record" for a record its system would retire, before any merge."""
        group, index = self.current_group(), self.member_view.currentIndex()
        if group is None or not index.isValid() or index.row() >= len(self._member_keys):
            self.survivor_button.setEnabled(False)
            return
        label, key = self._member_keys[index.row()]
        record = self._merge_record(group)
        settled = record is not None and record.state in ("proposed", "approved", "written")
        self.survivor_button.setEnabled(not settled and self._survivors(group)[label] != key)

    def keep_selected(self) -> None:
        """Make the selected record the one its system keeps when the cluster is merged."""
        group, index = self.current_group(), self.member_view.currentIndex()
        if group is None or not index.isValid():
            return
        label, key = self._member_keys[index.row()]
        self._chosen.setdefault(group, {})[label] = key
        self._show()
        self.member_view.selectRow(index.row())  # the same records, listed in the same order

    @staticmethod
    def _name(field: str, column: str | None) -> str:
        """A field's display name; a field without a known name shows its column's header."""
        name = field_name(field)
        return column if name == field and column else name

    # --- how each system marks a record inactive, and what references it ---------------

    def _build_inactive_form(self) -> None:
        while self.inactive_form.rowCount():
            self.inactive_form.removeRow(0)
        self.inactive.clear()
        session = self.state.session
        if not self._dedupe() or session is None:
            return
        mapped = deactivations(self.state.workspace) if self.state.workspace else {}
        for label in session.labels:
            table = session.table(label)
            known = mapped.get(label) or suggest_deactivation(table)
            columns = QComboBox()
            columns.addItem(self.tr("(none: this system keeps no duplicates)"), "")
            for column in table.frame.columns:
                columns.addItem(column, column)
            value = QLineEdit(known.value if known else "")
            value.setPlaceholderText(self.tr("value meaning inactive, such as 停用"))
            if known is not None:
                columns.setCurrentIndex(max(0, columns.findData(known.column)))
            row = QHBoxLayout()
            row.addWidget(columns, 2)
            row.addWidget(QLabel("="))
            row.addWidget(value, 1)
            self.inactive_form.addRow(
                self.tr("%1: mark duplicates inactive by").replace("%1", label), row
            )
            self.inactive[label] = (columns, value)

    def set_inactive(self, label: str, column: str, value: str) -> None:
        columns, edit = self.inactive[label]
        columns.setCurrentIndex(columns.findData(column))
        edit.setText(value)

    def _deactivations(self) -> dict[str, Deactivation]:
        return {
            label: Deactivation(columns.currentData(), edit.text().strip())
            for label, (columns, edit) in self.inactive.items()
            if columns.currentData() and edit.text().strip()
        }

    def pick_reference(self) -> None:
        """Look through the files beside the imported ones for columns holding these
        systems' record IDs (on a worker: a folder of exports takes a while), then let
        the steward tick the ones to re-point."""
        session = self.state.session
        if session is None:
            return
        folders = sorted({Path(str(session.table(label).path)).parent for label in session.labels})

        def scan(progress: Any) -> list[Candidate]:
            return reference_candidates(session, _tables_in(folders))

        self.reference_button.setEnabled(False)
        self.scanner = QtWorker(scan)
        self.scanner.finished.connect(self._choose_references)
        self.scanner.failed.connect(self._scan_failed)
        self.scanner.start()

    def _scan_failed(self, message: str) -> None:
        self.reference_button.setEnabled(True)
        self._warn(message)

    def _choose_references(self, candidates: list[Candidate]) -> None:
        self.reference_button.setEnabled(True)
        session = self.state.session
        if session is None:
            return
        self.reference_dialog = QtReferenceDialog(self, session, candidates)
        self.reference_dialog.accepted.connect(self._references_chosen)
        self.reference_dialog.open()

    def _references_chosen(self) -> None:
        if self.reference_dialog is not None:
            for candidate in self.reference_dialog.chosen():
                self.add_reference(candidate.table, candidate.column, candidate.label)

    def add_reference(self, table: Table, column: str, label: str) -> None:
        place = (str(table.path), table.sheet, column, label)
        if any(
            (str(r.table.path), r.table.sheet, r.column, r.label) == place for r in self.references
        ):
            return  # picked again: re-pointed once
        try:
            reference = Reference(label, table, column, record_key_column(table))
        except InputError as error:
            QMessageBox.warning(self, self.tr("Re-point references"), str(error))
            return
        self.references.append(reference)
        self._show_references()

    def _show_references(self) -> None:
        if not self.references:
            self.references_label.setText(self.tr("References re-pointed: none"))
            return
        described = ", ".join(
            f"{r.table.sheet or Path(str(r.table.path)).name} · {r.column} → {r.label}"
            for r in self.references
        )
        self.references_label.setText(self.tr("References re-pointed: %1").replace("%1", described))

    # --- the merge's life: proposed, approved, written, unmerged -----------------------

    def _stable_id(self, group: int) -> str | None:
        recorded = self.state.recorded
        return recorded.recorded.stable_ids[group] if recorded is not None else None

    def _merge_record(self, group: int | None) -> MergeRecord | None:
        workspace = self.state.workspace
        stable_id = self._stable_id(group) if group is not None else None
        if workspace is None or stable_id is None:
            return None
        return merge_of_group(workspace, stable_id)

    def _show_merge(self, record: MergeRecord | None) -> None:
        session, group = self.state.session, self.current_group()
        busy = self.worker is not None and self.worker.running
        state = record.state if record is not None else None
        live = state in ("proposed", "approved", "written")
        self.merge_button.setEnabled(group is not None and not live and not busy)
        self.preview_button.setEnabled(self.merge_button.isEnabled())
        self.approve_button.setEnabled(state == "proposed" and not busy)
        self.write_button.setEnabled(state == "approved" and not busy)
        decided = session is not None and group is not None and session.state[group] == "accepted"
        self.unmerge_button.setEnabled((live or decided) and not busy)
        self.crosswalk_button.setEnabled(self.state.workspace is not None)
        self.cells.setVisible(record is not None)
        if record is None or self.state.workspace is None:
            self.status.setText(self.tr("Not merged in the systems yet."))
            return
        self.cells.setPlainText(
            "\n".join(describe_fix(f) for f in merge_fixes(self.state.workspace, record.id))
        )
        plan = record.plan
        texts = {
            "proposed": self.tr(
                "Merge %1 proposed by %2: another person approves it before it is written back."
            ),
            "approved": self.tr("Merge %1 approved: ready to write back."),
            "written": self.tr("Merge %1 written back: %3 records retired, references re-pointed."),
            "rejected": self.tr("Merge %1 was withdrawn."),
            "unmerged": self.tr("Merge %1 was unmerged: values, records and references are back."),
        }
        self.status.setText(
            texts.get(record.state, record.state)
            .replace("%1", str(record.id))
            .replace("%2", record.proposed_by)
            .replace("%3", str(len(plan["crosswalk"])))
        )

    def _warn(self, error: InputError | str) -> None:
        QMessageBox.warning(self, self.tr("Duplicates"), str(error))

    def preview(self) -> None:
        """What merging the cluster would change in the systems, before anything is
        proposed or stored (a dry run of the plan)."""
        session, group = self.state.session, self.current_group()
        if session is None or group is None:
            return
        try:
            plan = plan_merge(
                session,
                group,
                self._deactivations(),
                self.references,
                survivors=self._chosen.get(group),
            )
        except InputError as error:
            self._warn(error)
            return
        self.cells.setPlainText("\n".join(describe_change(c) for c in plan.changes.changes))
        self.cells.setVisible(True)
        self.status.setText(
            self.tr(
                "Preview: merging writes %1 cells and retires %2 records; nothing is stored yet."
            )
            .replace("%1", str(len(plan.changes.changes)))
            .replace("%2", str(len(plan.crosswalk)))
        )

    def merge(self) -> None:
        """Accept the cluster and, in a workspace, propose writing the merge back."""
        session, group = self.state.session, self.current_group()
        if session is None or group is None:
            return
        workspace, recorded = self.state.workspace, self.state.recorded
        if workspace is not None and recorded is not None:
            try:
                merge_cases.propose_cluster(
                    workspace,
                    recorded,
                    group,
                    self._deactivations(),
                    self.references,
                    self._chosen.get(group),
                )
            except InputError as error:
                self._warn(error)
                return
        self.state.decide(Decision("accept", group, user=self.state.user), self.tr("Merge cluster"))
        self._show()

    def approve(self) -> None:
        record = self._merge_record(self.current_group())
        if record is None or self.state.workspace is None:
            return
        try:
            merge_cases.approve(self.state.workspace, record.id)
        except InputError as error:
            self._warn(error)
        self._show()

    def write_back(self) -> None:
        record, workspace = self._merge_record(self.current_group()), self.state.workspace
        if record is None or workspace is None:
            return
        if (
            QMessageBox.question(
                self,
                self.tr("Write back"),
                self.tr(
                    "Write merge %1 into the systems? A backup is kept and it can be unmerged."
                ).replace("%1", str(record.id)),
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        merge_id = record.id
        self._run(lambda progress: merge_cases.write(workspace, merge_id).result)

    def unmerge(self) -> None:
        """Undo a written merge in the systems; withdraw one not written; and keep the
        cluster's records apart from now on."""
        group, workspace = self.current_group(), self.state.workspace
        if group is None:
            return
        record = self._merge_record(group)
        if record is not None and workspace is not None and record.state == "written":
            merge_id = record.id
            self._run(lambda progress: merge_cases.unmerge(workspace, merge_id))
            return
        if (
            record is not None
            and workspace is not None
            and record.state in ("proposed", "approved")
        ):
            merge_cases.withdraw(workspace, record.id)
        self.state.decide(
            Decision("reject", group, user=self.state.user), self.tr("Unmerge cluster")
        )
        self._show()

    def _run(self, job: Any) -> None:
        # Worker signals go to methods of this page, never to lambdas (see the Fixes page).
        self.worker = QtWorker(job)
        self.worker.finished.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.worker.start()
        self._show()

    def _done(self, _result: Any) -> None:
        self.worker = None  # done, though its thread may not have ended: buttons come back
        self.state.checkpoint()
        group = self.current_group()
        self.refresh()  # the cluster's state is its merge's now
        if group is not None:
            self.select_group(group)
        self._show()

    def _failed(self, message: str) -> None:
        self.worker = None
        self._warn(message)
        self._show()

    def export_crosswalk(self, path: str | None = None) -> None:
        workspace = self.state.workspace
        if workspace is None:
            return
        rows = crosswalk(workspace)
        if not rows:
            self._warn(self.tr("No merge has been written back yet."))
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Export the crosswalk"),
                "crosswalk.xlsx",
                "Excel (*.xlsx);;CSV (*.csv)",
            )
        if path:
            write_rows(
                Path(path), "Crosswalk", CROSSWALK_COLUMNS, [list(vars(r).values()) for r in rows]
            )


TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".tsv", ".txt")


def _tables_in(folders: list[Path]) -> list[Table]:
    """Every table of the files in ``folders`` (files that cannot be read are passed over:
    they are only where references might be)."""
    tables: list[Table] = []
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix.lower() in TABLE_SUFFIXES:
                try:
                    tables += [t for t in read_tables(path) if isinstance(t, Table)]
                except InputError:
                    continue
    return tables


class QtReferenceDialog(QDialog):
    """The columns found to hold a system's record IDs; the ticked ones are re-pointed to
    the survivor when the merge is written. Another table can be added by hand."""

    def __init__(self, parent: QWidget, session: Any, candidates: list[Candidate]) -> None:
        super().__init__(parent)
        self.session = session
        self.candidates: list[Candidate] = []
        self.setWindowTitle(self.tr("Re-point references"))
        self.note = QLabel(
            self.tr(
                "Columns that hold these systems' record IDs, found in the files beside the "
                "imported ones. The ticked ones are pointed at the surviving record when the "
                "merge is written."
            )
        )
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Table"), self.tr("Column"), self.tr("IDs of"), self.tr("Values that are IDs")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        other = QPushButton(self.tr("Other table…"))
        other.clicked.connect(self.add_file)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(other)
        bar.addStretch(1)
        bar.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        self.resize(760, 360)
        self.add(candidates)

    def add(self, candidates: list[Candidate]) -> None:
        """List ``candidates``; those nearly all of whose values are IDs come ticked."""
        for candidate in candidates:
            row = self.table.rowCount()
            self.table.insertRow(row)
            file = Path(str(candidate.table.path)).name
            sheet = candidate.table.sheet
            where = QTableWidgetItem(f"{file} · {sheet}" if sheet else file)
            where.setFlags(where.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            share = candidate.found / candidate.filled
            where.setCheckState(Qt.CheckState.Checked if share >= 0.9 else Qt.CheckState.Unchecked)
            matched = f"{candidate.found:,} / {candidate.filled:,} ({share:.0%})"
            self.table.setItem(row, 0, where)
            for column, text in enumerate((candidate.column, candidate.label, matched), start=1):
                self.table.setItem(row, column, QTableWidgetItem(text))
            self.candidates.append(candidate)
        self.table.resizeColumnsToContents()
        if not self.candidates:
            self.note.setText(
                self.tr("No column in the files beside the imported ones holds these IDs.")
            )

    def add_file(self) -> None:
        folder = str(Path(str(self.session.table(self.session.labels[0]).path)).parent)
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("A table whose column holds these records' IDs"),
            folder,
            self.tr("Tables (*.xlsx *.xlsm *.csv *.tsv *.txt)"),
        )
        if not path:
            return
        try:
            tables = [t for t in read_tables(path) if isinstance(t, Table)]
        except InputError as error:
            QMessageBox.warning(self, self.windowTitle(), str(error))
            return
        found = reference_candidates(self.session, tables, share=0.0)
        if not found:
            QMessageBox.information(
                self, self.windowTitle(), self.tr("No column there holds these IDs.")
            )
        self.add(found)

    def chosen(self) -> list[Candidate]:
        return [
            c
            for row, c in enumerate(self.candidates)
            if self.table.item(row, 0).checkState() == Qt.CheckState.Checked
        ]
