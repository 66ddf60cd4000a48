"""A read-only Qt table model over a pandas DataFrame, for any number of rows.

Rows are fetched lazily (``canFetchMore``/``fetchMore``), so opening a million-row table
costs one screenful. Sorting and filtering work on a vectorised index map (numpy argsort
and boolean masks over whole columns), never per-row comparisons in Python.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
BATCH = 500
_BLOCK = 100  # rows read from the frame at once for display


class QtFrameModel(QAbstractTableModel):
    """Shows ``frame`` through an index map; ``headers`` may rename columns for display."""

    def __init__(
        self,
        frame: pd.DataFrame | None = None,
        headers: dict[str, str] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._frame = frame if frame is not None else pd.DataFrame()
        self._names = [str(c) for c in self._frame.columns]  # pandas' Index is slow per item
        self._headers = headers or {}
        self._order = np.arange(len(self._frame))
        self._loaded = min(BATCH, len(self._order))
        self._cache: dict[int, list[Any]] = {}
        self.decorate: Callable[[int, str, int], Any] | None = None  # (row, column, role) → value
        self.formatters: dict[str, Callable[[Any], str]] = {}  # column → display text

    # --- data ---------------------------------------------------------------------------

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    def set_frame(self, frame: pd.DataFrame, headers: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self._frame = frame
        self._names = [str(c) for c in frame.columns]
        if headers is not None:
            self._headers = headers
        self._order = np.arange(len(frame))
        self._loaded = min(BATCH, len(self._order))
        self._cache.clear()
        self.endResetModel()

    def set_headers(self, headers: dict[str, str]) -> None:
        """New header texts (a language change), keeping rows, order and filter."""
        self._headers = headers
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def source_row(self, row: int) -> int:
        """The frame position shown at view row ``row``."""
        return int(self._order[row])

    def view_row(self, source: int) -> int | None:
        hits = np.flatnonzero(self._order == source)
        return int(hits[0]) if len(hits) else None

    def refresh(self) -> None:
        """The frame's values changed in place (not its rows): repaint."""
        self._cache.clear()
        if self._loaded:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self._loaded - 1, self.columnCount() - 1)
            )

    # --- Qt interface ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._frame.columns)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._loaded < len(self._order)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = min(BATCH, len(self._order) - self._loaded)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._loaded, self._loaded + more - 1)
        self._loaded += more
        self.endInsertRows()

    def ensure_loaded(self, row: int) -> None:
        """Make view row ``row`` available (for keyboard navigation past the fetched rows)."""
        while row >= self._loaded and self.canFetchMore():
            self.fetchMore()

    def _row_values(self, row: int) -> list[Any]:
        """The values of view row ``row``, read with the rows around it: one pandas call
        per block, since a call per row (or per cell) costs more than the row itself."""
        if row not in self._cache:
            if len(self._cache) > 4 * BATCH:
                self._cache.clear()
            start = row - row % _BLOCK
            block = self._frame.iloc[self._order[start : start + _BLOCK]]
            columns = [block.iloc[:, k].tolist() for k in range(block.shape[1])]
            for offset, values in enumerate(zip(*columns, strict=True)):
                self._cache[start + offset] = list(values)
        return self._cache[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if self.decorate is not None and role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
        ):
            decorated = self.decorate(
                self.source_row(index.row()), self._names[index.column()], role
            )
            if decorated is not None:
                return decorated
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self._row_values(index.row())[index.column()]
            formatter = self.formatters.get(self._names[index.column()])
            if formatter is not None:
                return formatter(value)
            if isinstance(value, float):
                return "" if np.isnan(value) else f"{value:,.2f}"
            return "" if value is None else str(value)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            name = self._names[section]
            return self._headers.get(name, name)
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column < 0 or column >= len(self._frame.columns):
            return
        self.layoutAboutToBeChanged.emit()
        values = self._frame.iloc[self._order, column]
        positions = (
            np.argsort(values.to_numpy(), kind="stable")
            if values.dtype != object
            else np.argsort(values.astype(str).to_numpy(), kind="stable")
        )
        if order == Qt.SortOrder.DescendingOrder:
            positions = positions[::-1]
        self._order = self._order[positions]
        self._cache.clear()
        self.layoutChanged.emit()

    def set_mask(self, mask: np.ndarray | None) -> None:
        """Show only frame rows where ``mask`` is true (None: all), keeping frame order."""
        self.beginResetModel()
        self._order = np.arange(len(self._frame)) if mask is None else np.flatnonzero(mask)
        self._loaded = min(BATCH, len(self._order))
        self._cache.clear()
        self.endResetModel()

    def total(self) -> int:
        """Rows after filtering (fetched or not)."""
        return len(self._order)
