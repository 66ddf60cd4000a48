"""Start the desktop app: ``concord`` or ``concord gui [--demo] [WORKSPACE]``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication

from app.mapping.profiles import concord_home
from ui.i18n import set_language
from ui.icons import icon
from ui.qt_main_window import QtMainWindow
from ui.qt_state import QtState
from ui.qt_worker import wait_for_workers
from ui.style import STYLE

# CJK-friendly fonts by platform, first found wins (Qt falls back per character anyway).
FONTS = [
    "Microsoft YaHei UI",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
]


def make_application(argv: Sequence[str] = ()) -> QApplication:
    """The application, set up once (fonts, style, language); later calls return it."""
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    if app.property("concord-ready"):
        return app
    app.setProperty("concord-ready", True)
    app.setOrganizationName("Concord")
    app.setApplicationName("Concord")
    app.setWindowIcon(icon("concord"))
    font = QFont(app.font())
    font.setFamilies([*FONTS, font.family()])
    app.setFont(font)
    app.setStyleSheet(STYLE)
    app.aboutToQuit.connect(wait_for_workers)
    set_language(str(QSettings().value("ui/language", "")))
    return app


def make_window(demo: bool = False) -> QtMainWindow:
    # You act as yourself (the system login, or the database login of a shared
    # workspace); a name set in the settings is acting as someone else, an admin's call.
    state = QtState(str(QSettings().value("ui/user", "")))
    chosen = str(QSettings().value("workspace/location", ""))
    if not chosen:
        concord_home().mkdir(parents=True, exist_ok=True)
    state.open_workspace(chosen or concord_home() / "workspace.concord")
    window = QtMainWindow(state)
    if demo:
        window.open_demo()
    return window


def run_gui(demo: bool = False, files: Sequence[Path] = ()) -> int:
    """The desktop app; ``files`` (opened from the desktop) start in the import page."""
    app = make_application()
    QGuiApplication.setDesktopFileName("concord")
    window = make_window(demo)
    window.show()
    if files:
        window.pages["import"].add_paths(list(files))
        window.show_page("import")
    return app.exec()
