"""Settings: language (switchable at run time), user, tolerances and the four-eyes rule."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import ArgumentError

from app.errors import InputError
from app.reconcile.conflicts import Tolerance
from app.usecases import fixes as fix_cases
from ui.connections import connections, remove_connection, save_connection
from ui.field_names import role_name
from ui.i18n import LANGUAGES, set_language
from ui.qt_state import QtState


class QtSettingsPage(QWidget):
    def __init__(self, state: QtState, window: Any) -> None:
        super().__init__()
        self.state = state
        settings = QSettings()
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(
            max(self.language.findData(settings.value("ui/language", "")), 0)
        )
        self.language.currentIndexChanged.connect(self._language)
        # Who acts is the workspace's user the app was opened with, never free text.
        self.user = QLabel()
        self.money = QDoubleSpinBox()
        self.money.setRange(0, 1_000_000)
        self.money.setDecimals(2)
        self.money.setValue(float(settings.value("tolerance/money", 0.01)))
        self.days = QDoubleSpinBox()
        self.days.setRange(0, 365)
        self.days.setDecimals(0)
        self.days.setValue(float(settings.value("tolerance/days", 7)))
        for box in (self.money, self.days):
            box.valueChanged.connect(self._tolerance)
        self.four_eyes = QCheckBox()
        self.four_eyes.clicked.connect(self._four_eyes)
        state.workspaceChanged.connect(self._workspace)
        self.form = QFormLayout()
        self.labels = [QLabel() for _ in range(5)]
        for label, widget in zip(
            self.labels,
            (self.language, self.user, self.money, self.days, self.four_eyes),
            strict=True,
        ):
            self.form.addRow(label, widget)
        self.connections_label = QLabel()
        self.connections = QListWidget()
        self.connections.setMaximumHeight(160)
        self.add_connection = QPushButton()
        self.remove_connection = QPushButton()
        self.add_connection.clicked.connect(self._add_connection)
        self.remove_connection.clicked.connect(self._remove_connection)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_connection)
        buttons.addWidget(self.remove_connection)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addSpacing(16)
        layout.addWidget(self.connections_label)
        layout.addWidget(self.connections)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._list_connections()
        self._tolerance()
        self._workspace()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Settings"))
        texts = (
            self.tr("Language"),
            self.tr("User"),
            self.tr("Amounts may differ by"),
            self.tr("Dates may differ by (days)"),
            self.tr("Four-eyes"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.four_eyes.setText(self.tr("Whoever proposed a fix cannot approve it"))
        self.connections_label.setText(
            self.tr("Database connections (passwords are kept in the system keyring)")
        )
        self.add_connection.setText(self.tr("Add connection…"))
        self.remove_connection.setText(self.tr("Remove"))
        self._workspace()  # the role's name, in the new language

    def _list_connections(self) -> None:
        self.connections.clear()
        for name, url in sorted(connections().items()):
            self.connections.addItem(f"{name}    {url}")

    def _add_connection(self) -> None:
        name, ok = QInputDialog.getText(
            self, self.tr("Add connection"), self.tr("Name (such as ERP):")
        )
        if not ok or not name.strip():
            return
        url, ok = QInputDialog.getText(
            self,
            self.tr("Add connection"),
            self.tr("Database URL (such as postgresql://user@host:5432/erp):"),
        )
        if not ok or not url.strip():
            return
        password, ok = QInputDialog.getText(
            self,
            self.tr("Add connection"),
            self.tr("Password (kept in the keyring):"),
            QLineEdit.EchoMode.Password,
        )
        try:
            save_connection(name.strip(), url.strip(), password if ok else "")
        except (InputError, ArgumentError) as error:
            QMessageBox.warning(self, self.tr("Add connection"), str(error))
        self._list_connections()

    def _remove_connection(self) -> None:
        item = self.connections.currentItem()
        if item is not None:
            remove_connection(item.text().split()[0])
            self._list_connections()

    def _language(self) -> None:
        code = self.language.currentData()
        QSettings().setValue("ui/language", code)
        set_language(code)

    def _workspace(self) -> None:
        """The user and the four-eyes rule as the workspace has them; only an admin may
        change four-eyes (the workspace refuses anyone else, and audits the change)."""
        workspace = self.state.workspace
        if workspace is None:
            self.user.setText(self.state.user)
            self.four_eyes.setEnabled(False)
            return
        role = workspace.role()
        self.user.setText(f"{workspace.user} ({role_name(role)})")
        self.four_eyes.setChecked(fix_cases.four_eyes(workspace))
        self.four_eyes.setEnabled(role == "admin")
        self.four_eyes.setToolTip(
            "" if role == "admin" else self.tr("Only an admin of the workspace changes this.")
        )

    def _four_eyes(self, on: bool) -> None:
        workspace = self.state.workspace
        if workspace is None:
            return
        try:
            fix_cases.set_four_eyes(workspace, on)
        except InputError as error:
            QMessageBox.warning(self, self.tr("Four-eyes"), str(error))
        self._workspace()
        self.state.fixesChanged.emit()

    def _tolerance(self) -> None:
        settings = QSettings()
        settings.setValue("tolerance/money", self.money.value())
        settings.setValue("tolerance/days", self.days.value())
        self.state.default_settings = replace(
            self.state.default_settings,
            tolerance=Tolerance(money=self.money.value(), days=self.days.value()),
        )
