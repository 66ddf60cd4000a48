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
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.reconcile.conflicts import Tolerance
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
        self.user = QLineEdit(state.user)
        self.user.editingFinished.connect(self._user)
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
        self.four_eyes.setChecked(settings.value("review/four_eyes", True, type=bool))
        self.four_eyes.toggled.connect(lambda on: QSettings().setValue("review/four_eyes", on))
        self.form = QFormLayout()
        self.labels = [QLabel() for _ in range(5)]
        for label, widget in zip(
            self.labels,
            (self.language, self.user, self.money, self.days, self.four_eyes),
            strict=True,
        ):
            self.form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addStretch(1)
        self._tolerance()

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

    def _language(self) -> None:
        code = self.language.currentData()
        QSettings().setValue("ui/language", code)
        set_language(code)

    def _user(self) -> None:
        name = self.user.text().strip()
        if name:
            self.state.user = name
            QSettings().setValue("ui/user", name)

    def _tolerance(self) -> None:
        settings = QSettings()
        settings.setValue("tolerance/money", self.money.value())
        settings.setValue("tolerance/days", self.days.value())
        self.state.default_settings = replace(
            self.state.default_settings,
            tolerance=Tolerance(money=self.money.value(), days=self.days.value()),
        )
