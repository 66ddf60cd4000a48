"""Overview: matched, conflicts and orphans at a glance; every number opens the queue."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.reconcile.chain import KINDS as CHAIN_KINDS
from app.usecases.review import AGES, OPEN, chain_ages
from app.usecases.runs import RunCounts, run_counts
from ui.field_names import kind_name
from ui.qt_charts import QtBarChart, QtChartSeries
from ui.qt_state import QtState

CARDS = ("complete", "review", "orphan", "conflicts")
COLOURS = {"complete": "#2e7d5b", "review": "#b7791f", "orphan": "#7a4bb5", "conflicts": "#c0392b"}
ACCURACY_COLOUR = "#1f7a8c"


class QtOverviewPage(QWidget):
    def __init__(self, state: QtState, window: Any) -> None:
        super().__init__()
        self.state = state
        self.window_ = window
        self._counted: tuple[object, RunCounts] | None = None
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.summary = QLabel()
        self.cards: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for k, name in enumerate(CARDS):
            card = QPushButton()
            card.setObjectName("card")
            card.setMinimumHeight(92)
            card.setStyleSheet(f"QPushButton#card {{ border-left: 6px solid {COLOURS[name]}; }}")
            card.clicked.connect(lambda _=False, n=name: self.open_queue(n))
            grid.addWidget(card, 0, k)
            self.cards[name] = card
        # Stock lists: the share of product lines that agree; it opens those that do not.
        self.accuracy = QPushButton()
        self.accuracy.setObjectName("card")
        self.accuracy.setMinimumHeight(92)
        self.accuracy.setStyleSheet(
            f"QPushButton#card {{ border-left: 6px solid {ACCURACY_COLOUR}; }}"
        )
        self.accuracy.clicked.connect(lambda: self.open_queue("conflicts"))
        grid.addWidget(self.accuracy, 0, len(CARDS))
        self.chain = QGridLayout()  # chain exceptions per kind and age; each count opens them
        self.chain.setHorizontalSpacing(8)
        self.chain.setVerticalSpacing(2)
        self.chain_title = QLabel()
        self.chain_title.setObjectName("sectionTitle")
        self.chain.addWidget(self.chain_title, 0, 0)
        self.age_headers = [QLabel() for _ in AGES]
        for k, header in enumerate(self.age_headers, start=1):
            self.chain.addWidget(header, 0, k, Qt.AlignmentFlag.AlignCenter)
        self.kind_labels: dict[str, QLabel] = {}
        self.chain_counts: dict[tuple[str, str], QPushButton] = {}
        for row, kind in enumerate(CHAIN_KINDS, start=1):
            self.kind_labels[kind] = QLabel()
            self.chain.addWidget(self.kind_labels[kind], row, 0)
            for column, (age, _, _) in enumerate(AGES, start=1):
                button = QPushButton()
                button.setObjectName("chainCount")
                button.setFlat(True)
                button.clicked.connect(lambda _=False, k=kind, a=age: self.open_queue(k, a))
                self.chain.addWidget(button, row, column)
                self.chain_counts[(kind, age)] = button
        self.chain_box = QWidget()
        self.chain_box.setLayout(self.chain)
        self.chart = QtBarChart()
        self.chart.setMinimumHeight(280)
        self.empty = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addSpacing(8)
        layout.addLayout(grid)
        layout.addWidget(self.chain_box)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.empty)
        state.sessionChanged.connect(self.refresh)
        # Decisions change no count, only how many are decided: the chart stays as it is,
        # and a hidden page catches up when it is shown.
        self._behind = False
        state.decided.connect(self._decided)

    def _decided(self, _groups: object = None) -> None:
        self._behind = not self.isVisible()
        if not self._behind:
            self._summary()
            self._chain()

    def showEvent(self, event: Any) -> None:
        if self._behind:
            self._decided()
        super().showEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Overview"))
        self.empty.setText(self.tr("No reconciliation yet. Import files or open the demo."))
        self.refresh()

    def counts(self) -> dict[str, int]:
        """The run's counts as History, the report and ``concord job show`` give them."""
        session = self.state.session
        if session is None:
            return dict.fromkeys(CARDS, 0)
        counts = self._run_counts()
        return {
            "complete": counts.matched,
            "review": counts.review,
            "orphan": counts.orphans,
            "conflicts": counts.conflicts,
        }

    def _run_counts(self) -> RunCounts:
        """The run's counts, worked out once per run: a decision changes none of them
        (a walk over every group on each decision made it slow on a big run)."""
        session = self.state.session
        assert session is not None
        if self._counted is None or self._counted[0] is not session.result:
            self._counted = (session.result, run_counts(session.result))
        return self._counted[1]

    def refresh(self) -> None:
        session = self.state.session
        self.empty.setVisible(session is None)
        counts = self.counts()
        names = {
            "complete": self.tr("Matched"),
            "review": self.tr("To review"),
            "orphan": self.tr("Orphans"),
            "conflicts": self.tr("Conflicts"),
        }
        for name, card in self.cards.items():
            card.setText(f"{counts[name]:,}\n{names[name]}")
        self._accuracy()
        self._summary()
        self._chain()
        self._chart()

    def _accuracy(self) -> None:
        """Inventory accuracy as a card of its own, by warehouse on hover (stock only)."""
        session = self.state.session
        inventory = session.result.inventory if session is not None else None
        shown = inventory is not None and inventory["accuracy"] is not None
        self.accuracy.setVisible(shown)
        if not shown:
            return
        assert inventory is not None
        self.accuracy.setText(f"{inventory['accuracy']:.1%}\n" + self.tr("Inventory accuracy"))
        warehouses = inventory.get("by_warehouse") or {}
        lines = [
            self.tr("%1 of %2 product lines agree in every system")
            .replace("%1", f"{inventory['agreeing']:,}")
            .replace("%2", f"{inventory['product_lines']:,}")
        ]
        lines += [f"{name}: {share:.1%}" for name, share in warehouses.items()]
        self.accuracy.setToolTip("\n".join(lines))

    def _chain(self) -> None:
        """Open chain exceptions per kind, aged ≤ 2, 3–7 and > 7 days (reconcile only)."""
        session = self.state.session
        shown = session is not None and session.result.documents is not None
        self.chain_box.setVisible(shown)
        if not shown:
            return
        self.chain_title.setText(self.tr("Document chain: open exceptions"))
        for header, text in zip(
            self.age_headers,
            (self.tr("≤ 2 days"), self.tr("3–7 days"), self.tr("> 7 days")),
            strict=True,
        ):
            header.setText(text)
        ages = chain_ages(session, CHAIN_KINDS)
        for kind in CHAIN_KINDS:
            self.kind_labels[kind].setText(kind_name(kind))
            for (age, _, _), count in zip(AGES, ages[kind], strict=True):
                button = self.chain_counts[(kind, age)]
                button.setText(f"{count:,}" if count else "–")
                button.setEnabled(bool(count))

    def _summary(self) -> None:
        session = self.state.session
        if session is None:
            self.summary.setText("")
            return
        counts = self._run_counts()
        decided = int((~session.queue()["state"].isin(OPEN)).sum())
        text = self.tr("%1 groups from %2 tables · auto-match rate %3 · %4 decided")
        for k, value in enumerate(
            (
                f"{counts.groups:,}",
                str(len(session.labels)),
                f"{counts.auto_match_rate:.1%}",
                f"{decided:,}",
            ),
            start=1,
        ):
            text = text.replace(f"%{k}", value)
        inventory = session.result.inventory
        if inventory is not None and inventory["accuracy"] is not None:
            text += " · " + self.tr("inventory accuracy %1 (%2 of %3 product lines agree)")
            for k, value in enumerate(
                (
                    f"{inventory['accuracy']:.1%}",
                    f"{inventory['agreeing']:,}",
                    f"{inventory['product_lines']:,}",
                ),
                start=1,
            ):
                text = text.replace(f"%{k}", value)
        self.summary.setText(text)

    def _chart(self) -> None:
        self.chart.set_title(self.tr("Records per table"))
        names = {
            "complete": self.tr("Matched"),
            "review": self.tr("To review"),
            "orphan": self.tr("Orphans"),
        }
        session = self.state.session
        labels = session.labels if session is not None else []
        per_table = [run_counts(session.result, label) for label in labels] if session else []
        values = {
            "complete": [counts.matched for counts in per_table],
            "review": [counts.review for counts in per_table],
            "orphan": [counts.orphans for counts in per_table],
        }
        self.chart.set_bars(
            labels,
            [QtChartSeries(names[n], QColor(COLOURS[n]), tuple(values[n])) for n in names],
        )

    def open_queue(self, name: str, age: str = "") -> None:
        review = self.window_.pages["review"]
        review.filter_to(name, age)
        self.window_.show_page("review")
