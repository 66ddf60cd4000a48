"""Import: drop or pick files, check each table and its mapping, then run.

Per file: the sheet, the detected header row, the system label (ERP, CRM, OA or other)
and a lazy preview of the parsed rows. The mapping editor lists every column with its
type and confidence and the field it aligns to; a change of type is saved as a profile
for these headers, so the next export of the same report needs no correction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import InputError
from app.mapping.align import align, mapping_frame
from app.mapping.detect import profile_table
from app.mapping.profiles import MappingProfile, UnsavedProfiles, profile_with_store
from app.mapping.types import SemanticType
from app.reconcile.chain import role_of
from app.reconcile.pipeline import DEDUPE, RECONCILE
from app.sources import Table, read_tables
from app.sources.database import read_database
from ui.connections import connections
from ui.field_names import field_name, type_name
from ui.models.qt_frame_model import QtFrameModel
from ui.qt_state import QtState, Reconciliation
from ui.qt_widgets import QtTableComboBox
from ui.qt_worker import QtWorker

SYSTEMS = ("ERP", "CRM", "OA", "other")
PATTERNS = "*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.tsv *.txt"


def _with_roles(found: list[Table | InputError]) -> list[tuple[Table | InputError, str | None]]:
    """Each table read with the system it looks like (in the background: it profiles)."""
    return [
        (
            item,
            role_of(item, profile_table(item)) if isinstance(item, Table) and len(item) else None,
        )
        for item in found
    ]


class QtImportPage(QWidget):
    def __init__(self, state: QtState, window: Any) -> None:
        super().__init__()
        self.unsaved = UnsavedProfiles(state.profiles)
        self.state = state
        self.window_ = window
        self.tables: list[Table] = []
        self.setAcceptDrops(True)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.hint = QLabel()
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.pick)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove)
        self.database_button = QPushButton()
        self.database_button.clicked.connect(self.pick_database)
        self.mode = QComboBox()
        self.run_button = QPushButton()
        self.run_button.setObjectName("primary")
        self.run_button.clicked.connect(self.run)
        top = QHBoxLayout()
        for widget in (
            self.add_button,
            self.database_button,
            self.remove_button,
            self.clear_button,
            self.mode,
        ):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.run_button)

        self.files = QTableWidget(0, 5)
        self.files.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.files.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.files.verticalHeader().setVisible(False)
        self.files.currentCellChanged.connect(lambda *_: self._preview())
        self.preview_model = QtFrameModel()
        self.preview = QTableView()
        self.preview.setModel(self.preview_model)
        self.mapping = QTableWidget(0, 5)
        self.mapping.verticalHeader().setVisible(False)
        self.mapping.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_profiles)
        self.preview_label = QLabel()
        self.mapping_label = QLabel()

        lower = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.preview_label)
        left_layout.addWidget(self.preview)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.mapping_label)
        right_layout.addWidget(self.mapping)
        right_layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        lower.addWidget(left)
        lower.addWidget(right)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(top)
        layout.addWidget(self.files)
        layout.addWidget(lower, 1)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Import"))
        self.hint.setText(
            self.tr(
                "Drop exports here, or add them. Label each with its system, check the "
                "preview and the column types, then run."
            )
        )
        self.add_button.setText(self.tr("Add files…"))
        self.clear_button.setText(self.tr("Clear"))
        self.remove_button.setText(self.tr("Remove table"))
        self.database_button.setText(self.tr("Add database table…"))
        current = self.mode.currentData()
        self.mode.clear()
        self.mode.addItem(self.tr("Reconcile across systems"), RECONCILE)
        self.mode.addItem(self.tr("Find duplicates"), DEDUPE)
        self.mode.setCurrentIndex(max(self.mode.findData(current), 0))
        self.run_button.setText(self.tr("Run"))
        self.files.setHorizontalHeaderLabels(
            [
                self.tr("File"),
                self.tr("Sheet"),
                self.tr("System"),
                self.tr("Header row"),
                self.tr("Rows"),
            ]
        )
        self.mapping.setHorizontalHeaderLabels(
            [
                self.tr("Table"),
                self.tr("Column"),
                self.tr("Type"),
                self.tr("Confidence"),
                self.tr("Field"),
            ]
        )
        self.save_button.setText(self.tr("Save types as profile"))
        self.preview_label.setText(self.tr("Preview"))
        self.mapping_label.setText(self.tr("Columns and fields"))

    # --- files -------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_paths(
            [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        )

    def pick(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add exports"),
            str(Path.home()),
            self.tr("Exports (%1)").replace("%1", PATTERNS),
        )
        self.add_paths([Path(n) for n in names])

    def clear(self) -> None:
        self.tables.clear()
        self.files.setRowCount(0)
        self.mapping.setRowCount(0)
        self.preview_model.set_frame(self.preview_model.frame.iloc[0:0])

    def pick_database(self) -> None:
        """A table or a query of a registered connection (Settings → Database connections)."""
        known = connections()
        if not known:
            self.state.failed.emit(self.tr("Register a database connection in Settings first."))
            return
        name, ok = QInputDialog.getItem(
            self, self.tr("Add database table"), self.tr("Connection:"), sorted(known), 0, False
        )
        if not ok:
            return
        what, ok = QInputDialog.getText(
            self, self.tr("Add database table"), self.tr("Table (schema.table) or a SELECT query:")
        )
        if ok and what.strip():
            self.add_database(name, known[name], what.strip())

    def add_database(self, name: str, url: str, what: str) -> None:
        def job(progress):  # type: ignore[no-untyped-def]
            progress("read", 0.0)
            query = what.lower().startswith(("select", "with"))
            return _with_roles(
                [
                    read_database(
                        url,
                        query=what if query else None,
                        table=None if query else what,
                        label=name.lower(),
                    )
                ]
            )

        self.worker = QtWorker(job)
        self.worker.finished.connect(self._added)
        self.worker.failed.connect(self.state.failed)
        self.worker.start()

    def remove(self) -> None:
        """Leave the selected table out (a workbook's other sheet, say)."""
        row = self.files.currentRow()
        if 0 <= row < len(self.tables):
            del self.tables[row]
            self.files.removeRow(row)
            self._mapping()

    def add_paths(self, paths: list[Path]) -> None:
        """Read the files in the background; each table found becomes a row."""
        if not paths:
            return

        def job(progress):  # type: ignore[no-untyped-def]
            found: list[Table | InputError] = []
            for k, path in enumerate(paths):
                progress("read", k / len(paths))
                try:
                    found.extend(read_tables(path))
                except InputError as error:
                    found.append(error)
            return _with_roles(found)

        self.worker = QtWorker(job)
        self.worker.finished.connect(self._added)
        self.worker.failed.connect(self.state.failed)
        self.worker.start()

    def _added(self, found: list[tuple[Table | InputError, str | None]]) -> None:
        problems = [str(item) for item, _ in found if isinstance(item, InputError)]
        for table, role in found:
            if not isinstance(table, Table) or not len(table):
                continue
            table.label = self._guess_label(table, role)
            self.tables.append(table)
            self._add_row(table)
        if problems:
            self.state.failed.emit("\n".join(problems))
        self._mapping()
        if self.files.rowCount():
            self.files.selectRow(self.files.rowCount() - 1)

    def _guess_label(self, table: Table, role: str | None) -> str:
        """The system the table looks like (erp, crm, oa: from its name, headers and
        status words), else the file's own name; a second ERP table is erp2."""
        base = role or table.path.stem
        label, count = base, 1
        while any(t.label == label for t in self.tables):
            count += 1
            label = f"{base}{count}"
        return label

    def _add_row(self, table: Table) -> None:
        row = self.files.rowCount()
        self.files.insertRow(row)
        self.files.setItem(row, 0, QTableWidgetItem(table.path.name))
        self.files.setItem(row, 1, QTableWidgetItem(table.sheet or "—"))
        system = QtTableComboBox()
        system.setEditable(True)
        system.addItems([table.label, *[s.lower() for s in SYSTEMS if s.lower() != table.label]])
        system.currentTextChanged.connect(lambda text, t=table: self._relabel(t, text))
        self.files.setCellWidget(row, 2, system)
        self.files.setItem(row, 3, QTableWidgetItem(str(table.header_row)))
        self.files.setItem(row, 4, QTableWidgetItem(f"{len(table):,}"))

    def _relabel(self, table: Table, text: str) -> None:
        table.label = text.strip() or table.label
        self._mapping()

    def _preview(self) -> None:
        row = self.files.currentRow()
        if 0 <= row < len(self.tables):
            self.preview_model.set_frame(self.tables[row].frame)

    # --- mapping -----------------------------------------------------------------------

    def _mapping(self) -> None:
        self.profiles = []
        for table in self.tables:
            profile = profile_table(table)
            profile_with_store(profile, [c.name for c in table.columns], self.unsaved)
            self.profiles.append(profile)
        frame = mapping_frame(align(self.tables, self.profiles)) if self.tables else None
        fields = (
            {(r.table, r.column): r.field for r in frame.itertuples()} if frame is not None else {}
        )
        self.mapping.setRowCount(0)
        for table, profile in zip(self.tables, self.profiles, strict=True):
            for column in profile.columns:
                row = self.mapping.rowCount()
                self.mapping.insertRow(row)
                self.mapping.setItem(row, 0, QTableWidgetItem(table.label))
                self.mapping.setItem(row, 1, QTableWidgetItem(column.name))
                types = QtTableComboBox()
                for t in SemanticType:
                    types.addItem(type_name(t.value), t.value)
                types.setCurrentIndex(types.findData(str(column.type)))
                types.activated.connect(  # the user's own choice, never a wheel in passing
                    lambda _, c=column, box=types, t=table, p=profile: self._retype(
                        t, p, c, box.currentData()
                    )
                )
                self.mapping.setCellWidget(row, 2, types)
                self.mapping.setItem(row, 3, QTableWidgetItem(f"{column.confidence:.0%}"))
                self.mapping.setItem(
                    row, 4, QTableWidgetItem(field_name(fields.get((table.label, column.name), "")))
                )

    def _retype(self, table: Table, profile: Any, column: Any, value: str) -> None:
        """A type the user chose: used by the next run, saved only when they say so."""
        column.type = SemanticType(value)
        headers = [c.name for c in table.columns]
        self.unsaved.save(
            MappingProfile(
                headers, types={c.name: c.type for c in profile.columns}, key=profile.key
            )
        )

    def save_profiles(self) -> None:
        self.unsaved.save_all()
        self.window_.statusBar().showMessage(
            self.tr("Profiles saved: these headers will be read this way next time."), 5000
        )

    # --- run ---------------------------------------------------------------------------

    def sources(self) -> list[str]:
        return [
            f"{t.label}={t.path}#{t.sheet}" if t.sheet else f"{t.label}={t.path}"
            for t in self.tables
        ]

    def run(self) -> None:
        mode = self.mode.currentData()
        if not self.tables or (mode == RECONCILE and len(self.tables) < 2):
            self.state.failed.emit(
                self.tr("Add at least two tables to reconcile, or one to find duplicates.")
            )
            return
        self.state.run(
            Reconciliation(
                self.sources(),
                mode=mode,
                settings=self.state.default_settings,
                name=", ".join(t.label for t in self.tables),
                tables=list(self.tables),
                profiles=self.unsaved,
            )
        )
