"""The side-by-side model: one row per field, one column per system, plus "why matched"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from app.decide.session import FieldRow
from ui.field_names import field_name

Index = QModelIndex | QPersistentModelIndex
CONFLICT = QColor("#fde2e1")
DIFFERENT = QColor("#fbf7ec")  # written differently, the same after normalisation: faint
CHOSEN = QColor("#dff3e6")


class QtPairModel(QAbstractTableModel):
    """Rows are :class:`FieldRow`s of one group; columns: field, each table, why."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[FieldRow] = []
        self.labels: list[str] = []
        self.chosen: dict[str, str] = {}  # field → table whose value was taken

    def set_rows(
        self, rows: list[FieldRow], labels: list[str], chosen: dict[str, str] | None = None
    ) -> None:
        self.beginResetModel()
        self.rows = rows
        self.labels = labels
        self.chosen = chosen or {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.labels) + 2

    def _differs(self, row: FieldRow) -> bool:
        values = {v.strip() for v in row.values.values() if v.strip()}
        return len(values) > 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        label = self.labels[column - 1] if 1 <= column <= len(self.labels) else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return field_name(row.field)
            if label is not None:
                value = row.values.get(label)
                if role == Qt.ItemDataRole.ToolTipRole and label in row.columns:
                    same = (
                        QCoreApplication.translate(
                            "QtPairModel", " (the same value, written differently)"
                        )
                        if self._differs(row) and not row.differs
                        else ""
                    )
                    return f"{row.columns[label]}: {value}{same}"
                return "—" if value is None else value
            return "" if row.bits is None else f"{row.bits:+.1f}"
        if role == Qt.ItemDataRole.BackgroundRole:
            if label is not None and self.chosen.get(row.field) == label:
                return QBrush(CHOSEN)
            if row.differs:
                return QBrush(CONFLICT)
            if label is not None and self._differs(row):
                return QBrush(DIFFERENT)
        if role == Qt.ItemDataRole.FontRole and (column == 0 or row.differs):
            font = QFont()
            font.setBold(row.differs)
            return font
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == len(self.labels) + 1
            and row.bits is not None
        ):
            return QBrush(QColor("#2e7d5b" if row.bits > 0 else "#c0392b"))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return QCoreApplication.translate("QtPairModel", "Field")
        if section <= len(self.labels):
            return f"{section}  {self.labels[section - 1]}"
        return QCoreApplication.translate("QtPairModel", "Why (bits)")
