"""Start: new reconciliation, the demo, and what ran recently."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from ui.icons import icon
from ui.qt_state import QtState


class QtStartPage(QWidget):
    def __init__(self, state: QtState, window: Any) -> None:
        super().__init__()
        self.state = state
        self.window_ = window
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.lead = QLabel()
        self.lead.setWordWrap(True)
        self.new_button = QPushButton(icon("import"), "")
        self.demo_button = QPushButton(icon("overview"), "")
        for button in (self.new_button, self.demo_button):
            button.setMinimumHeight(56)
            button.setObjectName("bigButton")
        self.new_button.clicked.connect(lambda: window.show_page("import"))
        self.demo_button.clicked.connect(window.open_demo)
        self.recent_label = QLabel()
        self.recent = QListWidget()
        self.recent.setMaximumHeight(220)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 32, 40, 32)
        layout.addWidget(self.title)
        layout.addWidget(self.lead)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addSpacing(24)
        layout.addWidget(self.recent_label)
        layout.addWidget(self.recent)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        state.sessionChanged.connect(self._refresh)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Welcome to Concord"))
        self.lead.setText(
            self.tr(
                "Import the exports of your ERP, CRM and OA systems; Concord matches the records, "
                "shows every disagreement side by side, and writes the fixes you approve back."
            )
        )
        self.new_button.setText(self.tr("New reconciliation…"))
        self.demo_button.setText(self.tr("Open the demo"))
        self.recent_label.setText(self.tr("Recent runs"))
        self._refresh()

    def _refresh(self) -> None:
        self.recent.clear()
        for run in reversed(self.state.history[-10:]):
            text = self.tr("%1: %2 groups, %3 conflicts, %4 orphans")
            for k, key in enumerate(("name", "groups", "conflicts", "orphans"), start=1):
                text = text.replace(f"%{k}", str(run[key]))
            self.recent.addItem(text)
        if not self.state.history:
            self.recent.addItem(self.tr("Nothing yet: open the demo to see the whole flow."))
