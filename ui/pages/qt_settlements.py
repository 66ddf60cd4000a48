"""Settlements (核销): which invoices each payment pays — one, several, or part of one.

Pick a receipts export and an invoices (or sales orders) export; the settlement runs in
the background (:mod:`app.usecases.settlement`). The counts per status filter the list
of payments; a payment's set of invoices is shown beside it with each invoice's amount,
what the payment puts on it and what stays open, and the sum against the payment. An
ambiguous payment lists every set it fits and applies none. The open invoices are on a
tab of their own, and the whole result exports to a workbook.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import InputError
from app.reconcile.settle import (
    AMBIGUOUS,
    PARTIAL,
    SETTLED,
    STATUSES,
    UNMATCHED,
    WINDOW_DAYS,
    Ledger,
    Settlement,
    money,
)
from app.reports.settlements import write_settlement_workbook
from app.sources import SourceSpec
from app.usecases.settlement import (
    InvoiceLine,
    alternative_lines,
    amounts,
    open_rows,
    paid_lines,
    payment_frame,
    settle_sources,
)
from ui.models.qt_frame_model import QtFrameModel
from ui.qt_state import SETTLE_DEMO, QtState
from ui.qt_worker import QtWorker

PATTERNS = "*.xlsx *.xlsm *.xls *.csv *.tsv *.txt"
COLOURS = {SETTLED: "#3c8d5a", PARTIAL: "#d49a2a", AMBIGUOUS: "#c0504d", UNMATCHED: "#7f8c9a"}
MONEY_COLUMNS = ("amount", "applied", "remainder", "paid", "open")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _money(value: Decimal | float) -> str:
    return f"{value:,.2f}"


def _labels(payments: Path, invoices: Path) -> tuple[str, str]:
    """Each file's stem as its label (the export's table column), unless both are alike."""
    if payments.stem and invoices.stem and payments.stem != invoices.stem:
        return payments.stem, invoices.stem
    return "payments", "invoices"


class QtSettlementsPage(QWidget):
    def __init__(self, state: QtState, window: Any) -> None:
        super().__init__()
        self.state = state
        self.window_ = window
        self.worker: QtWorker | None = None
        self.ledger: Ledger | None = None
        self.error: str = ""
        self._paths: list[Path] = []  # the two files being settled
        self.status_filter: str | None = None
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.demo_button = QPushButton()  # the bundled receipts and invoices, to try it on
        self.demo_button.setFlat(True)
        self.demo_button.setObjectName("link")
        self.demo_button.clicked.connect(lambda: self.set_files(*SETTLE_DEMO))

        # --- the two files and the options -------------------------------------------
        self.payments_label, self.invoices_label = QLabel(), QLabel()
        self.payments_path, self.invoices_path = QLineEdit(), QLineEdit()
        self.payments_button, self.invoices_button = QPushButton(), QPushButton()
        self.payments_button.clicked.connect(lambda: self.pick(self.payments_path))
        self.invoices_button.clicked.connect(lambda: self.pick(self.invoices_path))
        for edit in (self.payments_path, self.invoices_path):
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(self._enable)
            edit.returnPressed.connect(self.settle)
        self.window_label, self.tolerance_label = QLabel(), QLabel()
        self.window_days = QSpinBox()
        self.window_days.setRange(0, 36_500)
        self.window_days.setValue(WINDOW_DAYS)
        self.tolerance = QDoubleSpinBox()
        self.tolerance.setRange(0, 1_000_000)
        self.tolerance.setDecimals(2)
        self.tolerance.setSingleStep(0.01)
        self.tolerance.setValue(float(state.default_settings.tolerance.money))
        self.settle_button = QPushButton()
        self.settle_button.setObjectName("primary")
        self.settle_button.clicked.connect(self.settle)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(lambda: self.export())
        files = QGridLayout()
        files.setHorizontalSpacing(8)
        files.addWidget(self.payments_label, 0, 0)
        files.addWidget(self.payments_path, 0, 1)
        files.addWidget(self.payments_button, 0, 2)
        files.addWidget(self.window_label, 0, 3)
        files.addWidget(self.window_days, 0, 4)
        files.addWidget(self.settle_button, 0, 5)
        files.addWidget(self.invoices_label, 1, 0)
        files.addWidget(self.invoices_path, 1, 1)
        files.addWidget(self.invoices_button, 1, 2)
        files.addWidget(self.tolerance_label, 1, 3)
        files.addWidget(self.tolerance, 1, 4)
        files.addWidget(self.export_button, 1, 5)
        files.setColumnStretch(1, 1)

        # --- counts per status: each one filters the payments ---------------------------
        self.cards: dict[str, QPushButton] = {}
        cards = QHBoxLayout()
        for status in STATUSES:
            card = QPushButton()
            card.setObjectName("statusCard")
            card.setCheckable(True)
            card.setMinimumHeight(54)
            card.setStyleSheet(
                f"QPushButton#statusCard {{ border-left: 5px solid {COLOURS[status]}; }}"
            )
            card.clicked.connect(lambda _=False, s=status: self.filter_status(s))
            cards.addWidget(card, 1)
            self.cards[status] = card
        self.message = QLabel()  # what the last settle found, or why it could not
        self.message.setWordWrap(True)
        self.message.setObjectName("provenance")

        # --- payments and the detail of one ------------------------------------------------
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.shown_label = QLabel()
        self.payments = QtFrameModel()
        # Nothing left open says nothing: only a partial payment's remainder is shown.
        self.payments.formatters = {
            "status": self.status_name,
            "remainder": lambda value: f"{value:,.2f}" if value else "",
        }
        self.payments.decorate = self._decorate
        self.payment_view = QTableView()
        self.payment_view.setModel(self.payments)
        self.payment_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.payment_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.payment_view.setSortingEnabled(True)
        self.payment_view.verticalHeader().setVisible(False)
        self.payment_view.setWordWrap(False)
        header = self.payment_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.payment_view.selectionModel().currentRowChanged.connect(lambda *_: self._detail())
        filter_bar = QHBoxLayout()
        filter_bar.addWidget(self.filter, 1)
        filter_bar.addWidget(self.shown_label)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filter_bar)
        left_layout.addWidget(self.payment_view, 1)

        self.detail_title = QLabel()
        self.detail_title.setObjectName("groupHeading")
        self.detail_title.setWordWrap(True)
        self.detail_status = QLabel()
        self.detail_status.setWordWrap(True)
        self.detail = QtFrameModel()
        self.detail.decorate = self._decorate_detail
        self.detail_view = QTableView()
        self.detail_view.setModel(self.detail)
        self.detail_view.verticalHeader().setVisible(False)
        self.detail_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.detail_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.detail_view.horizontalHeader().setStretchLastSection(True)
        self.detail_total = QLabel()
        self.detail_total.setWordWrap(True)
        self.detail_total.setObjectName("sectionTitle")
        # An ambiguous payment is settled by the clerk: one of its sets, chosen here.
        self.choice = QComboBox()
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(lambda: self.choose())
        self.choice_box = QWidget()
        choice = QHBoxLayout(self.choice_box)
        choice.setContentsMargins(0, 4, 0, 4)
        choice.addWidget(self.choice, 1)
        choice.addWidget(self.choose_button)
        self.detail_explanation = QLabel()
        self.detail_explanation.setWordWrap(True)
        self.detail_explanation.setObjectName("provenance")
        self.detail_explanation.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(self.detail_title)
        right_layout.addWidget(self.detail_status)
        right_layout.addWidget(self.detail_view)
        right_layout.addWidget(self.detail_total)
        right_layout.addWidget(self.choice_box)
        right_layout.addWidget(self.detail_explanation)
        right_layout.addStretch(1)
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([660, 400])

        self.open_label = QLabel()
        self.open_model = QtFrameModel()
        self.open_model.decorate = self._decorate_open
        self.open_view = QTableView()
        self.open_view.setModel(self.open_model)
        self.open_view.setSortingEnabled(True)
        self.open_view.verticalHeader().setVisible(False)
        self.open_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.open_view.horizontalHeader().setStretchLastSection(True)
        open_page = QWidget()
        open_layout = QVBoxLayout(open_page)
        open_layout.addWidget(self.open_label)
        open_layout.addWidget(self.open_view, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(splitter, "")
        self.tabs.addTab(open_page, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        hint = QHBoxLayout()
        hint.addWidget(self.hint, 1)
        hint.addWidget(self.demo_button)
        layout.addLayout(hint)
        layout.addLayout(files)
        layout.addLayout(cards)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self._enable()

    # --- language ------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("Settlements"))
        self.hint.setText(
            self.tr(
                "Which invoices each payment pays: one, several, or part of one. Pick the "
                "receipts and the invoices (or sales orders) exported from your systems, "
                "then settle."
            )
        )
        self.demo_button.setText(self.tr("Use the demo files"))
        self.demo_button.setToolTip(
            self.tr("A receipts list (收款单) and an invoice list (销售发票) bundled with Concord")
        )
        self.choose_button.setText(self.tr("Settle with this set"))
        self.choose_button.setToolTip(
            self.tr("Pay the invoices of the set chosen in full with this payment")
        )
        self.payments_label.setText(self.tr("Payments (receipts):"))
        self.invoices_label.setText(self.tr("Invoices (or orders):"))
        placeholder = self.tr("an .xlsx, .xls or .csv export")
        self.payments_path.setPlaceholderText(placeholder)
        self.invoices_path.setPlaceholderText(placeholder)
        self.payments_button.setText(self.tr("Choose…"))
        self.invoices_button.setText(self.tr("Choose…"))
        self.window_label.setText(self.tr("Invoices up to"))
        self.window_days.setSuffix(self.tr(" days older"))
        self.window_days.setToolTip(
            self.tr("A payment pays invoices dated at most this many days before it.")
        )
        self.tolerance_label.setText(self.tr("Tolerance"))
        self.tolerance.setToolTip(self.tr("Invoices add up to a payment within this much."))
        self.settle_button.setText(self.tr("Settle"))
        self.export_button.setText(self.tr("Export to Excel…"))
        self.filter.setPlaceholderText(self.tr("Filter by payment, customer or invoice…"))
        self.tabs.setTabText(0, self.tr("Payments"))
        self.tabs.setTabText(1, self.tr("Open invoices"))
        self.payments.set_headers(self._payment_headers())
        self.open_model.set_headers(self._open_headers())
        self.detail.set_headers(self._detail_headers())
        self.payments.refresh()
        self._show_ledger()

    def status_name(self, status: str) -> str:
        names = {
            SETTLED: self.tr("settled"),
            PARTIAL: self.tr("partial"),
            AMBIGUOUS: self.tr("ambiguous"),
            UNMATCHED: self.tr("unmatched"),
        }
        return names.get(status, status)

    def _payment_headers(self) -> dict[str, str]:
        return {
            "payment": self.tr("Payment"),
            "customer": self.tr("Customer"),
            "date": self.tr("Date"),
            "amount": self.tr("Amount"),
            "status": self.tr("Status"),
            "invoices": self.tr("Pays invoices"),
            "remainder": self.tr("Remainder"),
            "explanation": self.tr("Explanation"),
        }

    def _open_headers(self) -> dict[str, str]:
        return {
            "invoice": self.tr("Invoice"),
            "customer": self.tr("Customer"),
            "amount": self.tr("Amount"),
            "paid": self.tr("Paid"),
            "open": self.tr("Open"),
        }

    def _detail_headers(self) -> dict[str, str]:
        return {
            "set": self.tr("Set"),
            "invoice": self.tr("Invoice"),
            "amount": self.tr("Invoice amount"),
            "applied": self.tr("Applied"),
            "remainder": self.tr("Remainder"),
        }

    def explain(self, settlement: Settlement) -> str:
        """Why the payment is settled so, in the user's language."""
        assert self.ledger is not None
        ledger = self.ledger
        pid = ledger.payment_ids[settlement.payment]
        amount = _money(settlement.amount) if settlement.amount is not None else ""
        if settlement.status == SETTLED:
            lines = paid_lines(ledger, settlement)
            text = (
                self.tr("%1 pays %2 = %3")
                .replace("%1", pid)
                .replace("%2", ", ".join(line.invoice for line in lines))
                .replace("%3", _money(sum(line.applied for line in lines)))
            )
            if settlement.chosen_by:
                text += self.tr(" (chosen by %1)").replace("%1", settlement.chosen_by)
            return text + self._read_as(settlement)
        if settlement.status == PARTIAL:
            lines = paid_lines(ledger, settlement)
            return (
                self.tr("%1 pays %2 of %3; %4 remains open on %5 (no set of open invoices adds up to %2: oldest first)")
                .replace("%1", pid)
                .replace("%2", amount)
                .replace("%3", ", ".join(line.invoice for line in lines))
                .replace("%4", _money(settlement.remainder))
                .replace("%5", lines[-1].invoice)
            ) + self._read_as(settlement)  # fmt: skip
        if settlement.status == AMBIGUOUS:
            sets = alternative_lines(ledger, settlement)
            return (
                self.tr("%1 (%2) fits %3 sets of open invoices: %4 — goes to review")
                .replace("%1", pid)
                .replace("%2", amount)
                .replace("%3", str(len(sets)))
                .replace("%4", " | ".join(" + ".join(x.invoice for x in s) for s in sets))
            )
        return self._unmatched_reason(settlement, pid, amount)

    def _read_as(self, settlement: Settlement) -> str:
        """The note on a customer's short name taken for an invoiced customer."""
        if not settlement.read_as or self.ledger is None:
            return ""
        payments = self.ledger.payments
        column = str(self.ledger.columns[payments.label]["customer"])
        written = payments.values(column).iat[settlement.payment].strip()
        note = self.tr(" (%1 read as %2)")
        return note.replace("%1", written).replace("%2", settlement.read_as)

    def _unmatched_reason(self, settlement: Settlement, pid: str, amount: str) -> str:
        """The engine's reason for applying nothing, in the user's language."""
        text = settlement.explanation
        reasons = (
            ("has no amount", self.tr("%1 has no amount")),
            ("is no receipt of money", self.tr("%1 (%2) is no receipt of money")),
            ("names no customer", self.tr("%1 (%2) names no customer")),
            ("has no date", self.tr("%1 (%2) has no date")),
            (
                "no open invoice of",
                self.tr("%1 (%2): no open invoice of its customer within the window"),
            ),
            (
                "waits for a review",
                self.tr(
                    "%1 (%2): every open invoice of its customer waits for a review or fits "
                    "a later payment"
                ),
            ),
            (
                "is more than the",
                self.tr(
                    "%1 (%2) is more than all open invoices of its customer, and no set of "
                    "them adds up to it"
                ),
            ),
            ("adds up to it", self.tr("%1 (%2): no set of open invoices adds up to it")),
        )
        for found, reason in reasons:
            if found in text:
                return reason.replace("%1", pid).replace("%2", amount)
        return text

    # --- files and running ---------------------------------------------------------------

    def pick(self, edit: QLineEdit) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose an export"),
            str(Path(edit.text()).parent) if edit.text() else str(Path.home()),
            self.tr("Exports (%1)").replace("%1", PATTERNS),
        )
        if name:
            edit.setText(name)

    def set_files(self, payments: Path | str, invoices: Path | str) -> None:
        self.payments_path.setText(str(payments))
        self.invoices_path.setText(str(invoices))

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.running

    def _enable(self) -> None:
        ready = bool(self.payments_path.text().strip() and self.invoices_path.text().strip())
        self.settle_button.setEnabled(ready and not self.running)
        self.export_button.setEnabled(self.ledger is not None and not self.running)

    def settle(self) -> None:
        """Read both files and settle them in the background; the window stays usable."""
        if self.running:
            return
        paths = [Path(e.text().strip()) for e in (self.payments_path, self.invoices_path)]
        if not all(e.text().strip() for e in (self.payments_path, self.invoices_path)):
            return
        labels = _labels(*paths)
        specs = [SourceSpec(label, path) for label, path in zip(labels, paths, strict=True)]
        window_days, tolerance = self.window_days.value(), Decimal(f"{self.tolerance.value():.2f}")
        settings, store = self.state.default_settings, self.state.profiles

        def job(progress):  # type: ignore[no-untyped-def]
            try:
                return settle_sources(
                    *specs,
                    window_days=window_days,
                    tolerance=tolerance,
                    settings=settings,
                    store=store,
                    progress=progress,
                )
            except InputError as error:
                return error  # told on the GUI thread, in the user's language

        self._paths = paths
        self.worker = QtWorker(job)
        self.worker.progressed.connect(self.state.progress)
        # Bound methods, never lambdas: a slot of this page runs on the GUI thread.
        self.worker.finished.connect(self._settled)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self.message.setText(self.tr("Settling…"))
        self.state.busy.emit(True)
        self.worker.start()
        self._enable()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _cancelled(self) -> None:
        self.worker = None  # done, though its thread may not have ended yet
        self.state.busy.emit(False)
        self.message.setText(self.tr("Cancelled: nothing settled."))
        self._enable()

    def _failed(self, message: str) -> None:
        """A bug, not the input: shown as it is, so that it is reported."""
        self.worker = None  # done, though its thread may not have ended yet
        self.state.busy.emit(False)
        self.error = message
        self.message.setText(self.tr("Not settled."))
        self._enable()
        self.state.failed.emit(message)

    def _settled(self, result: Ledger | InputError) -> None:
        self.worker = None  # done, though its thread may not have ended yet
        self.state.busy.emit(False)
        if isinstance(result, InputError):
            self.error = self.input_message(result, self._paths)
            self.message.setText(self.error)
            self._enable()
            self.state.failed.emit(self.error)
            return
        self.error = ""
        self.ledger = result
        self._show_ledger()
        self._enable()

    def input_message(self, error: InputError, paths: list[Path]) -> str:
        """One message saying which file is at fault, what is wrong, and what to do."""
        at = Path(error.path) if error.path is not None else None
        if at is not None and at == paths[0]:
            which = self.tr("The payments file %1 cannot be settled.")
        elif at is not None and at == paths[1]:
            which = self.tr("The invoices file %1 cannot be settled.")
        else:
            which = self.tr("The files cannot be settled.")
        where = error.where()
        problem = f"{where}: {error.problem}" if where else error.problem
        hint = error.hint or ""
        if "--settings" in hint:  # the command line's remedy; on screen, the file's own
            hint = self.tr(
                "Export the file again with that column, or choose the other file: "
                "receipts need an amount, a customer and a date; invoices too."
            )
        text = which.replace("%1", at.name if at is not None else "") + "\n" + problem
        return text + ("\n" + hint if hint else "")

    # --- showing the result ---------------------------------------------------------------

    def _show_ledger(self) -> None:
        ledger = self.ledger
        if ledger is None:
            for status, card in self.cards.items():
                card.setText(f"{self.status_name(status).capitalize()}\n—")
                card.setEnabled(False)
            if not self.error and not self.running:
                self.message.setText(self.tr("No settlement yet: choose the two files above."))
            headers, opened = self._payment_headers(), self._open_headers()
            self.payments.set_frame(pd.DataFrame(columns=list(headers)), headers)
            self.open_model.set_frame(pd.DataFrame(columns=list(opened)), opened)
            self._clear_detail()
            self.open_label.setText("")
            self.shown_label.setText("")
            return
        counts, totals = ledger.counts(), amounts(ledger)
        for status, card in self.cards.items():
            card.setEnabled(True)
            card.setText(
                self.tr("%1: %2\n%3")
                .replace("%1", self.status_name(status).capitalize())
                .replace("%2", f"{counts[status]:,}")
                .replace("%3", _money(totals[status]))
            )
            card.setChecked(status == self.status_filter)
        self.message.setText(
            self.tr("%1 payments of %2 against %3 invoices of %4.")
            .replace("%1", f"{len(ledger.settlements):,}")
            .replace("%2", ledger.payments.path.name)
            .replace("%3", f"{len(ledger.invoices):,}")
            .replace("%4", ledger.invoices.path.name)
        )
        frame = payment_frame(ledger)
        frame["explanation"] = [self.explain(s) for s in ledger.settlements]
        self.payments.set_frame(frame, self._payment_headers())
        rows = open_rows(ledger)
        opened = pd.DataFrame(
            [[r[1], r[2], float(r[3]), float(r[4]), float(r[5])] for r in rows],
            columns=list(self._open_headers()),
        )
        self.open_model.set_frame(opened, self._open_headers())
        outstanding = int(ledger.open_cents().sum())
        self.open_label.setText(
            self.tr("%1 invoices not paid in full: %2 open in all.")
            .replace("%1", f"{len(rows):,}")
            .replace("%2", money(outstanding))
        )
        self._fit_columns()
        self._filter()

    def _fit_columns(self) -> None:
        """Columns as wide as what they hold (the screenful shown), the explanation the rest;
        the remainder beside the status, before the list of invoices, so that a laptop
        screen shows it."""
        header = self.payment_view.horizontalHeader()
        names = list(self.payments.frame.columns)
        remainder, invoices = names.index("remainder"), names.index("invoices")
        if header.visualIndex(remainder) > header.visualIndex(invoices):
            header.moveSection(header.visualIndex(remainder), header.visualIndex(invoices))
        last = self.payments.columnCount() - 1
        for column in range(last):
            self.payment_view.resizeColumnToContents(column)
            header.resizeSection(column, min(header.sectionSize(column), 260))

    def filter_status(self, status: str | None) -> None:
        """Show the payments of one status (the same again: all of them)."""
        self.status_filter = None if status == self.status_filter else status
        for name, card in self.cards.items():
            card.setChecked(name == self.status_filter)
        self._filter()

    def _filter(self) -> None:
        frame = self.payments.frame
        if frame.empty:
            self.payments.set_mask(None)
            return
        mask = np.ones(len(frame), dtype=bool)
        if self.status_filter is not None:
            mask &= (frame["status"] == self.status_filter).to_numpy()
        text = self.filter.text().strip().casefold()
        if text:
            hits = np.zeros(len(frame), dtype=bool)
            for column in ("payment", "customer", "invoices", "explanation"):
                hits |= frame[column].str.casefold().str.contains(text, regex=False).to_numpy()
            mask &= hits
        self.payments.set_mask(None if mask.all() else mask)
        self.shown_label.setText(
            self.tr("%1 of %2 payments")
            .replace("%1", f"{self.payments.total():,}")
            .replace("%2", f"{len(frame):,}")
        )
        if self.payments.total():
            self.select_row(0)
        else:
            self._clear_detail()

    def select_row(self, row: int) -> None:
        self.payments.ensure_loaded(row)
        self.payment_view.selectRow(row)
        self.payment_view.setCurrentIndex(self.payments.index(row, 0))
        self._detail()

    def select_payment(self, payment_id: str) -> bool:
        """Show the payment ``payment_id`` (clearing a filter that hides it)."""
        frame = self.payments.frame
        hits = np.flatnonzero((frame["payment"] == payment_id).to_numpy()) if len(frame) else []
        if not len(hits):
            return False
        row = self.payments.view_row(int(hits[0]))
        if row is None:
            self.filter.clear()
            if self.status_filter is not None:
                self.filter_status(self.status_filter)  # the same again: every status
            row = self.payments.view_row(int(hits[0]))
        if row is None:
            return False
        self.select_row(row)
        return True

    def _current(self) -> int | None:
        """The ledger position of the payment selected."""
        index = self.payment_view.currentIndex()
        if self.ledger is None or not index.isValid() or index.row() >= self.payments.total():
            return None
        return self.payments.source_row(index.row())

    def choose(self, alternative: int | None = None) -> bool:
        """Settle the ambiguous payment shown with one of its sets (the one picked)."""
        row = self._current()
        if row is None or self.ledger is None:
            return False
        pick = self.choice.currentIndex() if alternative is None else alternative
        pid = self.ledger.payment_ids[self.ledger.settlements[row].payment]
        try:
            self.ledger.choose(row, pick, self.state.user)
        except InputError as error:
            self.error = error.problem
            QMessageBox.warning(
                self,
                self.tr("Settlements"),
                self.tr("Set %1 no longer fits %2: another payment was settled with one of "
                        "its invoices. Choose another set.")
                .replace("%1", str(pick + 1))
                .replace("%2", pid),
            )  # fmt: skip
            return False
        self._show_ledger()
        self.select_payment(pid)
        return True

    def _clear_detail(self) -> None:
        self.choice_box.setVisible(False)
        self.detail_title.setText(self.tr("Choose a payment to see the invoices it pays."))
        for label in (self.detail_status, self.detail_total, self.detail_explanation):
            label.setText("")
        headers = self._detail_headers()
        self.detail.set_frame(pd.DataFrame(columns=list(headers)), headers)

    def _show_detail(self, frame: pd.DataFrame, sets: bool) -> None:
        """The invoices of the payment, the table as tall as its rows (the sums follow
        right under it, not at the foot of the pane); the set column only for sets."""
        self.detail.set_frame(frame, self._detail_headers())
        self.detail_view.setColumnHidden(0, not sets)
        view = self.detail_view
        rows = min(len(frame), 12)
        height = view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
        height += sum(view.rowHeight(r) for r in range(rows)) if rows else 0
        if view.horizontalScrollBar().isVisible():
            height += view.horizontalScrollBar().sizeHint().height()
        view.setFixedHeight(max(height, 60))

    def _detail(self) -> None:
        row = self._current()
        if row is None or self.ledger is None:
            self._clear_detail()
            return
        ledger = self.ledger
        settlement = ledger.settlements[row]
        shown = self.payments.frame.iloc[row]
        amount = settlement.amount or Decimal(0)
        self.detail_title.setText(
            " · ".join(
                str(part)
                for part in (shown["payment"], shown["customer"], shown["date"], _money(amount))
                if str(part)
            )
        )
        self.detail_explanation.setText(shown["explanation"])
        self.detail_explanation.setToolTip(settlement.explanation)
        headers = self._detail_headers()
        self.choice_box.setVisible(settlement.status == AMBIGUOUS)
        if settlement.status == AMBIGUOUS:
            sets = alternative_lines(ledger, settlement)
            self.choice.clear()
            for k, lines in enumerate(sets, start=1):
                self.choice.addItem(
                    self.tr("Set %1: %2")
                    .replace("%1", str(k))
                    .replace("%2", " + ".join(x.invoice for x in lines))
                )
            rows = [
                [str(k), x.invoice, float(x.amount), float("nan"), float("nan")]
                for k, lines in enumerate(sets, start=1)
                for x in lines
            ]
            self._show_detail(pd.DataFrame(rows, columns=list(headers)), sets=True)
            self.detail_status.setText(
                self.tr("ambiguous: goes to review, nothing applied. It fits %1 sets:").replace(
                    "%1", str(len(sets))
                )
            )
            self.detail_total.setText(
                "\n".join(
                    self.tr("Set %1: %2 = %3")
                    .replace("%1", str(k))
                    .replace("%2", " + ".join(x.invoice for x in lines))
                    .replace("%3", _money(sum(x.amount for x in lines)))
                    for k, lines in enumerate(sets, start=1)
                )
                + "\n"
                + self.tr("Payment: %1").replace("%1", _money(amount))
            )
            return
        lines: list[InvoiceLine] = paid_lines(ledger, settlement)
        rows = [
            ["", x.invoice, float(x.amount), float(x.applied), float(x.remainder)] for x in lines
        ]
        self._show_detail(pd.DataFrame(rows, columns=list(headers)), sets=False)
        applied = sum((x.applied for x in lines), Decimal(0))
        if settlement.status == SETTLED:
            self.detail_status.setText(
                self.tr("settled: pays %n invoice(s) in full", "", len(lines))
            )
            self.detail_total.setText(
                self.tr("Invoices %1 = payment %2")
                .replace("%1", _money(applied))
                .replace("%2", _money(amount))
            )
        elif settlement.status == PARTIAL:
            self.detail_status.setText(
                self.tr("partial: no set of open invoices adds up to it; paid oldest first")
            )
            self.detail_total.setText(
                self.tr("Applied %1 of payment %2; %3 stays open on %4")
                .replace("%1", _money(applied))
                .replace("%2", _money(amount))
                .replace("%3", _money(settlement.remainder))
                .replace("%4", lines[-1].invoice)
            )
        else:
            self.detail_status.setText(self.tr("unmatched: nothing applied"))
            self.detail_total.setText(self.tr("Payment: %1").replace("%1", _money(amount)))

    # --- cell looks ---------------------------------------------------------------------------

    def _decorate(self, row: int, column: str, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column in MONEY_COLUMNS:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            return QColor(COLOURS.get(str(self.payments.frame["status"].iat[row]), "#000000"))
        if role == Qt.ItemDataRole.ToolTipRole and column == "explanation" and self.ledger:
            return self.ledger.settlements[row].explanation
        return None

    def _decorate_detail(self, _row: int, column: str, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column in MONEY_COLUMNS:
            return RIGHT
        return None

    def _decorate_open(self, _row: int, column: str, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column in MONEY_COLUMNS:
            return RIGHT
        return None

    # --- export -------------------------------------------------------------------------------

    def export(self, path: str | Path | None = None) -> Path | None:
        """The settlement as a workbook: sheets of settlements and of open invoices."""
        if self.ledger is None:
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export the settlement"), "settlements.xlsx", "Excel (*.xlsx)"
            )
            if not chosen:
                return None
            path = chosen
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        ledger = self.ledger
        headers = {
            "settlement": self.tr("Settlement"),
            "status": self.tr("Status"),
            "payment": self.tr("Payment"),
            "customer": self.tr("Customer"),
            "date": self.tr("Date"),
            "amount": self.tr("Payment amount"),
            "invoice": self.tr("Invoice"),
            "invoice_amount": self.tr("Invoice amount"),
            "applied": self.tr("Applied"),
            "remainder": self.tr("Remainder"),
            "explanation": self.tr("Explanation"),
        }
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # seconds for 20,000 rows
        try:
            written = write_settlement_workbook(
                path,
                ledger,
                headers=headers,
                open_headers=self._open_headers(),
                sheets={"settlements": self.tr("Settlements"), "open": self.tr("Open invoices")},
                status_names={s: self.status_name(s) for s in STATUSES},
                explanations=[self.explain(s) for s in ledger.settlements],
            )
        except InputError as error:
            self.state.failed.emit(str(error))
            return None
        except OSError as error:
            self.state.failed.emit(
                self.tr("%1 cannot be written (%2): choose another name or folder.")
                .replace("%1", path.name)
                .replace("%2", error.strerror or str(error))
            )
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.window_.statusBar().showMessage(
            self.tr("Exported to %1").replace("%1", str(written)), 5000
        )
        return written
