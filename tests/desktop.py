"""Fixtures of the desktop tests (loaded for every test module by ``conftest.py``): own
settings and data folders per test, message boxes recorded instead of shown, no worker
left running, and the main window in English. A module of desktop tests asks for the
first three on every test with ``pytestmark = pytest.mark.usefixtures(*DESKTOP)``."""

from __future__ import annotations

import pytest

DESKTOP = ("fresh_settings", "messages", "no_worker_left_running")


@pytest.fixture
def fresh_settings(tmp_path, monkeypatch):
    """Every test gets its own settings and its own copy of the demo files."""
    from PySide6.QtCore import QSettings, QStandardPaths

    QStandardPaths.setTestModeEnabled(False)  # XDG_DATA_HOME below decides: a fresh folder per test
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    yield


@pytest.fixture
def messages(monkeypatch):
    """Message boxes never block a test: they are recorded (and a failure shows in it)."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def record(_parent, _title, text, *args, **kwargs):
        shown.append(text)
        return QMessageBox.StandardButton.Yes

    for name in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(record))
    return shown


@pytest.fixture
def no_worker_left_running():
    from ui.qt_worker import wait_for_workers

    yield
    wait_for_workers()


@pytest.fixture
def window(qtbot):
    from PySide6.QtCore import QSettings

    from ui.app import make_application, make_window
    from ui.i18n import set_language

    make_application()
    QSettings().setValue("ui/language", "en")
    set_language("en")
    main = make_window()
    qtbot.addWidget(main)
    main.show()
    main.activateWindow()
    qtbot.waitExposed(main)
    return main
