"""The main window: navigation on the left, one page at a time, progress at the bottom."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from ui.icons import icon
from ui.pages.qt_duplicates import QtDuplicatesPage
from ui.pages.qt_fixes import QtFixesPage
from ui.pages.qt_history import QtHistoryPage
from ui.pages.qt_import import QtImportPage
from ui.pages.qt_overview import QtOverviewPage
from ui.pages.qt_review import QtReviewPage
from ui.pages.qt_settings import QtSettingsPage
from ui.pages.qt_settlements import QtSettlementsPage
from ui.pages.qt_start import QtStartPage
from ui.qt_state import QtState, demo_folder, demo_reconciliation

PAGES = (
    "start",
    "import",
    "overview",
    "review",
    "duplicates",
    "settlements",
    "fixes",
    "history",
    "settings",
)


class QtMainWindow(QMainWindow):
    def __init__(self, state: QtState) -> None:
        super().__init__()
        self.state = state
        self.setObjectName("concord-main")
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stack = QStackedWidget()
        self.pages = {
            "start": QtStartPage(state, self),
            "import": QtImportPage(state, self),
            "overview": QtOverviewPage(state, self),
            "review": QtReviewPage(state, self),
            "duplicates": QtDuplicatesPage(state, self),
            "settlements": QtSettlementsPage(state, self),
            "fixes": QtFixesPage(state, self),
            "history": QtHistoryPage(state, self),
            "settings": QtSettingsPage(state, self),
        }
        for name in PAGES:
            self.stack.addWidget(self.pages[name])
            item = QListWidgetItem(icon(name), "")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._status()
        self._menus()
        for each in (state, state.customers):
            if each is not None:
                each.busy.connect(self._busy)
                each.progress.connect(self._progress)
                each.failed.connect(self._failed)
        state.workspaceChanged.connect(self._settled)
        state.sessionChanged.connect(lambda: self.show_page("overview"))
        self.retranslate()
        self.show_page("start")
        self._restore()
        QTimer.singleShot(0, self._settled)  # the workspace opened before this window

    # --- chrome ------------------------------------------------------------------------

    def _status(self) -> None:
        bar = self.statusBar()
        self.stage = QLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(260)
        self.bar.setRange(0, 1000)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.state.cancel)
        self.cancel_button.clicked.connect(self.pages["settlements"].cancel)
        for widget in (self.stage, self.bar, self.cancel_button):
            bar.addPermanentWidget(widget)
        self._busy(False)

    def _menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.new_action = QAction(self, shortcut=QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(lambda: self.show_page("import"))
        self.demo_action = QAction(self)
        self.demo_action.triggered.connect(self.open_demo)
        self.quit_action = QAction(self, shortcut=QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addActions([self.new_action, self.demo_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = self.menuBar().addMenu("")
        # Undo acts on the page's run: the demo's customer dedupe on Duplicates, else the
        # main run.
        self.undo_group = QUndoGroup(self)
        for each in (self.state, self.state.customers):
            if each is not None:
                self.undo_group.addStack(each.undo_stack)
        self.undo_group.setActiveStack(self.state.undo_stack)
        self.stack.currentChanged.connect(self._undo_for_page)
        if self.state.customers is not None:  # Duplicates may switch runs while shown
            self.state.customers.sessionChanged.connect(self._undo_for_page)
        self.undo_action = self.undo_group.createUndoAction(self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self)
        # One action, two keys, each once (the platform's Redo is Ctrl+Shift+Z on Linux:
        # registering it twice made the shortcut ambiguous, so it never fired).
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.edit_menu.addActions([self.undo_action, self.redo_action])

    def retranslate(self) -> None:
        names = {
            "start": self.tr("Start"),
            "import": self.tr("Import"),
            "overview": self.tr("Overview"),
            "review": self.tr("Review"),
            "duplicates": self.tr("Duplicates"),
            "settlements": self.tr("Settlements"),
            "fixes": self.tr("Fixes"),
            "history": self.tr("History"),
            "settings": self.tr("Settings"),
        }
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            item.setText(names[item.data(Qt.ItemDataRole.UserRole)])
        self.setWindowTitle(self.tr("Concord — reconcile ERP, CRM and OA"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.new_action.setText(self.tr("New reconciliation…"))
        self.demo_action.setText(self.tr("Open the demo"))
        self.quit_action.setText(self.tr("Quit"))
        self.undo_action.setText(self.tr("Undo"))
        self.redo_action.setText(self.tr("Redo"))
        for page in self.pages.values():
            page.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- behaviour ---------------------------------------------------------------------

    def show_page(self, name: str) -> None:
        self.nav.setCurrentRow(PAGES.index(name))

    def _undo_for_page(self) -> None:
        page = self.stack.currentWidget()
        self.undo_group.setActiveStack(
            page.state.undo_stack if page is self.pages["duplicates"] else self.state.undo_stack
        )

    def open_demo(self) -> None:
        """The demo runs in a workspace of its own, beside its private copy of the files:
        opened again, it re-applies the decisions made last time."""
        self.state.open_workspace(demo_folder() / "demo.concord")
        reconciliation = demo_reconciliation()
        reconciliation.settings = self.state.default_settings
        self.state.run(reconciliation)

    def _busy(self, busy: bool) -> None:
        self.bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.stage.setText(self.tr("Working…") if busy else "")
        if busy:
            self.bar.setValue(0)

    def stage_name(self, stage: str) -> str:
        """The engine's stage ids, in the user's language."""
        names = {
            "read columns": self.tr("Understanding the columns"),
            "read": self.tr("Reading the files"),
            "profile columns": self.tr("Understanding the columns"),
            "normalise values": self.tr("Normalising values"),
            "match": self.tr("Matching"),
            "group records": self.tr("Grouping records"),
            "find conflicts": self.tr("Finding conflicts"),
            "record the run": self.tr("Saving the run"),
            "fit payments": self.tr("Finding the invoices each payment fits"),
            "settle payments": self.tr("Settling payments"),
            "done": self.tr("Done"),
        }
        return next((text for key, text in names.items() if stage.startswith(key)), stage)

    def _progress(self, stage: str, fraction: float, left: float) -> None:
        stage = self.stage_name(stage)
        self.bar.setValue(int(fraction * 1000))
        eta = self.tr("about %1 s left").replace("%1", f"{left:.0f}") if left >= 0 else ""
        self.stage.setText(f"{stage}  {eta}".strip())

    def _failed(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Concord"), message)

    def _settled(self) -> None:
        """Say what opening the workspace found of write-backs a crash interrupted."""
        lines, self.state.settled = self.state.settled, []
        if lines:
            QMessageBox.information(self, self.tr("Interrupted write-backs"), "\n\n".join(lines))

    def _restore(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        self.state.cancel()
        for each in (self.state, self.state.customers):
            if each is not None and each.worker is not None and each.worker.running:
                each.worker.wait(5000)
        super().closeEvent(event)
