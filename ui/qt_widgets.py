"""Small widgets the pages share."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox


class QtTableComboBox(QComboBox):
    """A combo box inside a table: the mouse wheel scrolls the table, and changes the
    choice only once the user has clicked into the box (a wheel over a column of them
    must never turn 金额 into 状态 on its way down)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: Any) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()
