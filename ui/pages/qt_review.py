"""Review: the queue of groups and the side-by-side panel, worked from the keyboard.

J/K next and previous · A accept · R reject · 1/2/3 take that system's value for the
selected field · E edit the value · Ctrl+Z / Ctrl+Shift+Z undo and redo.
"""

from __future__ import annotations

import difflib
import html
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.decide.decisions import Decision
from app.decide.session import Unwritable, nearest
from app.reconcile.chain import KINDS as CHAIN_KINDS
from app.reconcile.lines import LINE
from app.usecases.review import (
    BANDS,
    STATES,
    QueueFilter,
    auto_accept_candidates,
    queue_mask,
    rule_decisions,
)
from ui.field_names import band_name, field_name, kind_name, state_name
from ui.models.qt_frame_model import QtFrameModel
from ui.models.qt_pair_model import QtPairModel
from ui.qt_state import QtState


def char_diff(left: str, right: str) -> str:
    """HTML showing where two values differ, character by character."""
    out_left, out_right = [], []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        a, b = html.escape(left[a0:a1]), html.escape(right[b0:b1])
        if op == "equal":
            out_left.append(a)
            out_right.append(b)
        else:
            out_left.append(f'<span style="background:#f8c9c5">{a}</span>')
            out_right.append(f'<span style="background:#c8ecd6">{b}</span>')
    return "".join(out_left) + "<br>" + "".join(out_right)


HIDDEN = ("conflicts", "kinds", "age")  # queue columns the filters use, not a clerk
WIDTHS = {"entity": 84, "band": 64, "probability": 52, "tables": 86, "issues": 150}


def _issue_name(issue: str) -> str:
    """A conflicting field's name, or a chain exception's."""
    return kind_name(issue) if issue in CHAIN_KINDS else field_name(issue)


class QtReviewPage(QWidget):
    def __init__(self, state: QtState, window: Any) -> None:
        super().__init__()
        self.state = state
        self.window_ = window
        self.queue_model = QtFrameModel()
        self.queue_model.decorate = self._decorate
        self.queue_model.formatters = {
            "band": band_name,
            "state": state_name,
            "probability": lambda p: f"{p:.0%}",
            "at_stake": lambda v: f"{v:,.2f}" if v else "",
            "issues": lambda text: " · ".join(_issue_name(f) for f in str(text).split()),
        }
        self.pair_model = QtPairModel()
        self._age = ""  # the age bucket an Overview row asked for
        self._advancing = False  # deciding and moving on: draw the panel once, after
        self._build()
        self._shortcuts()
        state.sessionChanged.connect(self._session)
        state.decided.connect(self._decided)

    # --- layout ----------------------------------------------------------------------

    def _build(self) -> None:
        self.band = QComboBox()
        self.field = QComboBox()
        self.table_filter = QComboBox()
        self.state_filter = QComboBox()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(160)
        for widget in (self.band, self.field, self.table_filter, self.state_filter):
            widget.currentIndexChanged.connect(self.apply_filter)
            # As wide as a short entry, whatever the longest (a chain exception's name).
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            widget.setMinimumContentsLength(10)
        self.search.textChanged.connect(self.apply_filter)
        self.count = QLabel()
        # Two rows each side, so a 1280-pixel laptop screen holds the queue and the panel.
        filters = QHBoxLayout()
        for widget in (self.band, self.field, self.table_filter, self.state_filter):
            filters.addWidget(widget)
        filters.addStretch(1)
        searching = QHBoxLayout()
        searching.addWidget(self.search, 1)
        searching.addWidget(self.count)

        self.queue = QTableView()
        self.queue.setModel(self.queue_model)
        self.queue.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.queue.setSortingEnabled(True)
        self.queue.verticalHeader().setVisible(False)
        self.queue.horizontalHeader().setStretchLastSection(True)
        self.queue.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())

        self.pair = QTableView()
        self.pair.setModel(self.pair_model)
        self.pair.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.pair.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.pair.verticalHeader().setVisible(False)
        self.pair.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.pair.selectionModel().currentRowChanged.connect(lambda *_: self._show_diff())
        self.heading = QLabel()
        self.heading.setObjectName("groupHeading")
        self.heading.setWordWrap(True)
        self.diff = QLabel()
        self.diff.setTextFormat(Qt.TextFormat.RichText)
        self.diff.setWordWrap(True)
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setObjectName("provenance")
        self.planned = QLabel()  # what the group's value decisions will write, and where
        self.planned.setWordWrap(True)
        self.planned.setTextFormat(Qt.TextFormat.RichText)
        # A column with no word for the chosen state: the person picks one it holds.
        self.word_label = QLabel()
        self.word_pick = QComboBox()
        self.word_pick.activated.connect(self._pick_word)
        self._unwritable: tuple[Decision, Unwritable] | None = None
        self.candidates = QLabel()
        self.candidates.setWordWrap(True)
        self.candidates.setTextFormat(Qt.TextFormat.RichText)

        self.accept_button = QPushButton()
        self.reject_button = QPushButton()
        self.take_buttons = [QPushButton() for _ in range(3)]
        self.edit_button = QPushButton()
        self.bulk_button = QPushButton()
        self.bulk_menu = QMenu(self)
        self.bulk_button.setMenu(self.bulk_menu)
        self.accept_button.clicked.connect(self.accept)
        self.reject_button.clicked.connect(self.reject)
        for k, button in enumerate(self.take_buttons):
            button.clicked.connect(lambda _=False, n=k: self.take(n))
        self.edit_button.clicked.connect(self.edit)
        actions = QHBoxLayout()
        for button in (self.accept_button, self.reject_button, self.edit_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.bulk_button)
        takes = QHBoxLayout()
        for button in self.take_buttons:
            takes.addWidget(button)
        takes.addStretch(1)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.pair, 1)
        right_layout.addWidget(self.diff)
        right_layout.addWidget(self.planned)
        picking = QHBoxLayout()
        picking.addWidget(self.word_label)
        picking.addWidget(self.word_pick)
        picking.addStretch(1)
        right_layout.addLayout(picking)
        right_layout.addWidget(self.where)
        right_layout.addWidget(self.candidates)
        right_layout.addLayout(takes)
        right_layout.addLayout(actions)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(filters)
        left_layout.addLayout(searching)
        left_layout.addWidget(self.queue, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([520, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _shortcuts(self) -> None:
        self.bindings = {
            "J": lambda: self.move(1),
            "K": lambda: self.move(-1),
            "A": self.accept,
            "R": self.reject,
            "1": lambda: self.take(0),
            "2": lambda: self.take(1),
            "3": lambda: self.take(2),
            "E": self.edit,
        }
        # Plain keys, not QShortcuts: they must not fire while the user types a search, and
        # the tables' own letter search would swallow them otherwise.
        for widget in (
            self,
            self.queue,
            self.pair,
            self.accept_button,
            self.reject_button,
            *self.take_buttons,
            self.edit_button,
        ):
            widget.installEventFilter(self)

    def showEvent(self, event: Any) -> None:
        """Arriving here (from an Overview number too) the keys work at once: J/K move."""
        super().showEvent(event)
        self.queue.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers()
            in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        ):
            slot = self.bindings.get(event.text().upper())
            if slot is not None:
                slot()
                return True
        return super().eventFilter(watched, event)

    def retranslate(self) -> None:
        names = {
            "all": self.tr("All groups"),
            "auto": self.tr("Auto-matched"),
            "review": self.tr("To review"),
            "orphan": self.tr("Orphans"),
            "conflicts": self.tr("With conflicts"),
        }
        self._fill(self.band, [(names[b], b) for b in BANDS])
        states = {
            "open": self.tr("Open"),
            "decided": self.tr("Decided"),
            "all": self.tr("Open and decided"),
        }
        self._fill(self.state_filter, [(states[s], s) for s in STATES])
        self.search.setPlaceholderText(self.tr("Search keys and names…"))
        self.accept_button.setText(self.tr("Accept (A)"))
        self.reject_button.setText(self.tr("Reject (R)"))
        self.edit_button.setText(self.tr("Edit value (E)"))
        self.bulk_button.setText(self.tr("Bulk actions"))
        self.queue_model.set_headers(self._headers())
        self.pair_model.layoutChanged.emit()
        self._session_filters()
        self._update_take_buttons()
        self._show_count()
        if self.current_group() is not None:
            self._show_current()

    def _headers(self) -> dict[str, str]:
        return {
            "entity": self.tr("Group"),
            "band": self.tr("Band"),
            "probability": self.tr("Match"),
            "tables": self.tr("Systems"),
            "issues": self.tr("Conflicts"),
            "at_stake": self.tr("Amount at stake"),
            "state": self.tr("State"),
            "label": self.tr("Record"),
        }

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _chain_note(self, group: int) -> str:
        """ " · Approved, not booked: ERP 12 days behind" for a group out of step."""
        session = self.state.session
        exception = session.chain_exception(group)
        if exception is None:
            return ""
        if not exception.behind:
            return f" · {kind_name(exception.kind)}"
        note = self.tr("%1 days behind") if exception.age_days is not None else self.tr("behind")
        note = note.replace("%1", str(exception.age_days))
        return f" · {kind_name(exception.kind)}: {exception.behind} {note}"

    # --- data -------------------------------------------------------------------------

    def _session(self) -> None:
        session = self.state.session
        if session is None:
            return
        self.queue_model.set_frame(session.queue(), self._headers())
        columns = list(session.queue().columns)
        for column in HIDDEN:  # what filters use, not what a clerk reads
            self.queue.setColumnHidden(columns.index(column), True)
        for column, width in WIDTHS.items():  # narrow where the values are short
            self.queue.setColumnWidth(columns.index(column), width)
        self._session_filters()
        self._bulk_actions()
        self.apply_filter()

    def _session_filters(self) -> None:
        session = self.state.session
        conflicts = session.result.conflicts if session else []
        fields = sorted({LINE if c.kind == LINE else c.field for c in conflicts})
        chained = [k for k in CHAIN_KINDS if any(c.kind == k for c in conflicts)]
        self._fill(
            self.field,
            [(self.tr("Any field"), "")]
            + [(field_name(f), f) for f in fields]
            + [(kind_name(k), f"kind:{k}") for k in chained],
        )
        labels = session.labels if session else []
        self._fill(
            self.table_filter, [(self.tr("Any system"), "")] + [(label, label) for label in labels]
        )

    def _bulk_actions(self) -> None:
        self.bulk_menu.clear()
        session = self.state.session
        if session is None:
            return
        self.bulk_menu.addAction(self.tr("Accept every auto-matched group"), self.accept_auto)
        for field in sorted({c.field for c in session.result.conflicts if c.kind != LINE}):
            for label in session.labels:
                text = self.tr("%1: trust %2").replace("%1", field_name(field)).replace("%2", label)
                self.bulk_menu.addAction(text, lambda f=field, t=label: self.trust(f, t))

    def filter_to(self, name: str, age: str = "") -> None:
        """Open the queue filtered as an overview card says (complete, review, orphan,
        conflicts, or a chain exception kind and its age bucket)."""
        self._age = age
        if name in CHAIN_KINDS:
            self.band.setCurrentIndex(max(self.band.findData("all"), 0))
            self.field.setCurrentIndex(max(self.field.findData(f"kind:{name}"), 0))
            self.state_filter.setCurrentIndex(self.state_filter.findData("open"))
            self.apply_filter()
            return
        band = {"complete": "auto"}.get(name, name)
        self.band.setCurrentIndex(max(self.band.findData(band), 0))
        self.state_filter.setCurrentIndex(self.state_filter.findData("all"))

    def apply_filter(self) -> None:
        session = self.state.session
        if session is None:
            return
        chosen = self.field.currentData() or ""
        kind = chosen.removeprefix("kind:") if chosen.startswith("kind:") else ""
        mask = queue_mask(
            session,
            QueueFilter(
                band=self.band.currentData() or "all",
                field="" if kind else chosen,
                system=self.table_filter.currentData() or "",
                state=self.state_filter.currentData() or "open",
                text=self.search.text(),
                kind=kind,
                age=self._age if kind else "",
            ),
        )
        queue = session.queue()
        self.queue_model.set_mask(mask)
        self._counts = (int(mask.sum()), len(queue))
        self._show_count()
        if self.queue_model.rowCount():
            self.select_row(0)
        else:  # nothing matches: an empty panel, and nothing to decide on
            self.queue.setCurrentIndex(self.queue_model.index(-1, -1))
            self.pair_model.set_rows([], [])
            for label in (self.heading, self.diff, self.where, self.candidates, self.planned):
                label.setText("")
            self._unwritable = None
            self._offer_words()
            self._enable_actions(False)

    def _show_count(self) -> None:
        shown, total = getattr(self, "_counts", (0, 0))
        self.count.setText(
            self.tr("%1 of %2").replace("%1", f"{shown:,}").replace("%2", f"{total:,}")
        )

    def _decorate(self, row: int, column: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == "state" and self.state.session:
            from PySide6.QtGui import QBrush, QColor

            value = self.state.session.state[row]
            return QBrush(
                QColor(
                    {"accepted": "#2e7d5b", "rejected": "#c0392b", "resolved": "#2b4a6f"}.get(
                        value, "#555"
                    )
                )
            )
        return None

    # --- the current group ---------------------------------------------------------------

    def current_group(self) -> int | None:
        index = self.queue.currentIndex()
        if not index.isValid():
            return None
        return self.queue_model.source_row(index.row())

    def select_row(self, row: int) -> None:
        self.queue_model.ensure_loaded(row)
        index = self.queue_model.index(row, 0)
        self.queue.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.queue.scrollTo(index)

    def move(self, step: int) -> None:
        index = self.queue.currentIndex()
        row = (index.row() if index.isValid() else -1) + step
        if 0 <= row < self.queue_model.total():
            self.select_row(row)

    def _show_current(self) -> None:
        session = self.state.session
        group = self.current_group()
        if session is None or group is None:
            return
        chosen = {
            d.field: d.source
            for d in session.decisions
            if d.group == group and d.kind == "take" and d.field
        }
        labels = [
            label for label in session.labels if any(m[0] == label for m in session.members(group))
        ]
        self.pair_model.set_rows(session.side_by_side(group), labels, chosen)  # type: ignore[arg-type]
        queue = session.queue()
        heading = self.tr("%1 · %2 · match %3 · %4")
        for k, value in enumerate(
            (
                queue.at[group, "entity"],
                band_name(queue.at[group, "band"]),
                f"{queue.at[group, 'probability']:.0%}",
                state_name(queue.at[group, "state"]),
            ),
            start=1,
        ):
            heading = heading.replace(f"%{k}", str(value))
        self.heading.setText(heading + self._chain_note(group))
        places = [
            f"<b>{label}</b>: {html.escape(str(session.provenance(label, row)))}"
            for label, row in session.members(group)
        ]
        self.where.setText(self.tr("Where: ") + " · ".join(places))
        self._show_candidates(group)
        self._show_planned(group)
        self._enable_actions(True)
        first_conflict = next((k for k, r in enumerate(self.pair_model.rows) if r.differs), 0)
        if self.pair_model.rows:
            self.pair.selectRow(first_conflict)
        self._update_take_buttons()
        self._show_diff()

    def _show_candidates(self, group: int) -> None:
        """For an orphan: its nearest records in the tables it lacks, and why each was not taken."""
        session = self.state.session
        if session is None or session.queue().at[group, "band"] != "orphan":
            self.candidates.setText("")
            return
        reasons = {
            "below the review threshold": self.tr("too weak a match"),
            "already in a group with a stronger match": self.tr(
                "already matched more strongly elsewhere"
            ),
            "its group already holds a record of another table that disagrees": self.tr(
                "its group holds a record that contradicts this one"
            ),
        }
        lines = [
            f"<b>{html.escape(c.key)}</b> ({c.label}) · {c.probability:.0%} · {reasons.get(c.reason, c.reason)}"
            for c in nearest(session, group)
        ]
        text = self.tr("Nearest candidates: ") + (
            "<br>".join(lines) if lines else self.tr("none found")
        )
        self.candidates.setText(text)

    def _show_planned(self, group: int) -> None:
        """After "take" or "edit": each cell that will change, as it will be written."""
        session = self.state.session
        assert session is not None
        lines = [
            f"<b>{html.escape(c.target.sheet or c.target.location.rsplit('/', 1)[-1])}</b> "
            f"{html.escape(c.key)} {html.escape(c.column)}: {html.escape(c.old)} → "
            f"<b>{html.escape(c.new)}</b>"
            for d in session.decisions
            if d.group == group
            for c in session.fixes_of(d)
        ]
        self._unwritable = None
        for d in session.decisions:
            if d.group != group:
                continue
            for cell in session.unwritable(d):
                if cell.kind:  # nothing to pick: a summed total or a missing line, say so
                    said = (
                        self.tr(
                            "not written — the document's total is the sum of its lines; "
                            "correct the lines in %1"
                        )
                        if cell.kind == "total"
                        else self.tr(
                            "not written — the document has no single line of this product; "
                            "correct it in %1"
                        )
                    )
                    lines.append(
                        f"<b>{html.escape(cell.label)}</b> {html.escape(cell.column)}: "
                        + said.replace("%1", html.escape(cell.label))
                    )
                    continue
                self._unwritable = self._unwritable or (d, cell)
                lines.append(
                    self.tr("<b>%1</b> %2: has no word for %3 (it holds: %4) — pick one below")
                    .replace("%1", html.escape(cell.label))
                    .replace("%2", html.escape(cell.column))
                    .replace("%3", html.escape(cell.value))
                    .replace("%4", html.escape(", ".join(cell.words)))
                )
        self.planned.setText(self.tr("Will write: ") + "<br>".join(lines) if lines else "")
        self._offer_words()

    def _offer_words(self) -> None:
        """For a column with no word for the chosen state: the words it holds to pick from."""
        shown = self._unwritable is not None
        self.word_label.setVisible(shown)
        self.word_pick.setVisible(shown)
        if self._unwritable is None:
            return
        _, cell = self._unwritable
        self.word_label.setText(
            self.tr("Write in %1 %2 instead:").replace("%1", cell.label).replace("%2", cell.column)
        )
        self.word_pick.clear()
        self.word_pick.addItem(self.tr("choose one of its words…"))
        self.word_pick.addItems(cell.words)

    def _pick_word(self, index: int) -> None:
        """The picked word stands for the state in that field from now on (this session);
        the decision is made again, so its fixes now include that cell — one undo step."""
        session = self.state.session
        if index <= 0 or self._unwritable is None or session is None:
            return
        decision, cell = self._unwritable
        word = self.word_pick.itemText(index)
        session.words.setdefault(decision.field or "", {})[cell.state] = word
        text = self.tr("Write %1 for %2").replace("%1", word).replace("%2", cell.value)
        self.state.decide(
            Decision(
                decision.kind,
                decision.group,
                field=decision.field,
                source=decision.source,
                value=decision.value,
                user=self.state.user,
            ),
            text,
        )

    def _show_diff(self) -> None:
        self._update_take_buttons()
        index = self.pair.currentIndex()
        if not index.isValid() or index.row() >= len(self.pair_model.rows):
            self.diff.setText("")
            return
        row = self.pair_model.rows[index.row()]
        values = [v for v in row.values.values() if v]
        if len(values) >= 2 and values[0] != values[1]:
            self.diff.setText(
                f"<b>{html.escape(field_name(row.field))}</b><br>{char_diff(values[0], values[1])}"
            )
        else:
            self.diff.setText("")

    def _enable_actions(self, on: bool) -> None:
        for button in (
            self.accept_button,
            self.reject_button,
            *self.take_buttons,
            self.edit_button,
        ):
            button.setEnabled(on)

    def _update_take_buttons(self) -> None:
        labels = self.pair_model.labels
        line = (self._selected_field() or "").startswith(f"{LINE} ")  # taken, not typed
        for k, button in enumerate(self.take_buttons):
            button.setVisible(k < len(labels))
            if k < len(labels):
                button.setText(
                    self.tr("Take %1 (%2)").replace("%1", labels[k]).replace("%2", str(k + 1))
                )
        self.edit_button.setEnabled(not line and self.current_group() is not None)

    def _decided(self, groups: list[int]) -> None:
        self.queue_model.refresh()
        if self.current_group() in groups and not self._advancing:
            self._show_current()

    # --- decisions ---------------------------------------------------------------------

    def _selected_field(self) -> str | None:
        index = self.pair.currentIndex()
        if not index.isValid() or index.row() >= len(self.pair_model.rows):
            return None
        return self.pair_model.rows[index.row()].field

    def accept(self) -> None:
        self._decide_and_advance("accept", self.tr("Accept group"))

    def reject(self) -> None:
        self._decide_and_advance("reject", self.tr("Reject group"))

    def _decide_and_advance(self, kind: str, text: str) -> None:
        """Decide the group on screen and go on to the next; the panel is drawn once, for
        the group it then shows (drawing the decided one first cost a side-by-side)."""
        group = self.current_group()
        if group is None:
            return
        self._advancing = True
        try:
            self.state.decide(Decision(kind, group, user=self.state.user), text)
        finally:
            self._advancing = False
        self.move(1)
        if self.current_group() == group:  # the last row: it stays, with its new state
            self._show_current()

    def take(self, position: int) -> None:
        group, field = self.current_group(), self._selected_field()
        if group is None or field is None or position >= len(self.pair_model.labels):
            return
        source = self.pair_model.labels[position]
        text = self.tr("Take %1 for %2").replace("%1", source).replace("%2", field_name(field))
        self.state.decide(
            Decision("take", group, field=field, source=source, user=self.state.user), text
        )

    def edit(self) -> None:
        group, field = self.current_group(), self._selected_field()
        if group is None or field is None or field.startswith(f"{LINE} "):
            return
        row = self.pair_model.rows[self.pair.currentIndex().row()]
        current = next(iter(row.values.values()), "")
        value, ok = QInputDialog.getText(
            self,
            self.tr("Edit value"),
            self.tr("True value of %1:").replace("%1", field_name(field)),
            text=current,
        )
        if ok:
            text = self.tr("Set %1").replace("%1", field_name(field))
            self.state.decide(
                Decision("edit", group, field=field, value=value, user=self.state.user), text
            )

    def accept_auto(self) -> None:
        session = self.state.session
        if session is None:
            return
        todo = auto_accept_candidates(session)
        self.state.decide(
            [Decision("accept", group, user=self.state.user) for group in todo],
            self.tr("Accept %1 auto-matched groups").replace("%1", str(len(todo))),
        )

    def trust(self, field: str, label: str) -> None:
        session = self.state.session
        if session is None:
            return
        self.state.decide(
            rule_decisions(session, field, label, self.state.user),
            self.tr("%1: trust %2").replace("%1", field_name(field)).replace("%2", label),
        )
