"""The desktop app driven as a clerk would: run the demo, review with the keyboard,
undo and redo, switch language, cancel a run; every model through qtmodeltester."""

from __future__ import annotations

import os

import pandas as pd
import pytest

pytest.importorskip("PySide6.QtWidgets", reason="the desktop app needs PySide6")

from PySide6.QtCore import QSettings, QStandardPaths, Qt

from tests.conftest import ROOT
from ui.models.qt_frame_model import QtFrameModel
from ui.models.qt_pair_model import QtPairModel


@pytest.fixture(autouse=True)
def fresh_settings(tmp_path, monkeypatch):
    """Every test gets its own settings and its own copy of the demo files."""
    QStandardPaths.setTestModeEnabled(False)  # XDG_DATA_HOME below decides: a fresh folder per test
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    yield


@pytest.fixture(autouse=True)
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


@pytest.fixture(autouse=True)
def no_worker_left_running():
    from ui.qt_worker import wait_for_workers

    yield
    wait_for_workers()


@pytest.fixture
def window(qtbot):
    from ui.app import make_application, make_window

    make_application()
    QSettings().setValue("ui/language", "en")
    from ui.i18n import set_language

    set_language("en")
    main = make_window()
    qtbot.addWidget(main)
    main.show()
    main.activateWindow()
    qtbot.waitExposed(main)
    return main


@pytest.fixture
def demo(window, qtbot):
    with qtbot.waitSignal(window.state.sessionChanged, timeout=120_000):
        window.open_demo()
    return window


def test_demo_run_fills_overview_and_queue(demo):
    overview = demo.pages["overview"]
    counts = overview.counts()
    assert counts["complete"] > 800 and counts["orphan"] > 50 and counts["conflicts"] > 30
    assert demo.stack.currentWidget() is overview
    assert os.path.basename(
        os.path.dirname(demo.state.reconciliation.sources[0].split("=", 1)[1])
    ).startswith("demo-")


def test_review_with_the_keyboard_undo_and_redo(demo, qtbot):
    review = demo.pages["review"]
    demo.show_page("review")
    review.filter_to("conflicts")
    review.select_row(0)
    group = review.current_group()
    session = demo.state.session
    assert session.state[group] == "open"
    qtbot.keyClick(review.queue, Qt.Key.Key_A)
    assert session.state[group] == "accepted"
    assert review.current_group() != group  # moved on to the next
    demo.undo_action.trigger()
    assert session.state[group] == "open"
    demo.redo_action.trigger()
    assert session.state[group] == "accepted"

    review.select_row(1)
    second = review.current_group()
    qtbot.keyClick(review.queue, Qt.Key.Key_R)
    assert session.state[second] == "rejected"

    review.select_row(2)
    third = review.current_group()
    field = review._selected_field()
    assert field in session.queue().at[third, "conflicts"].split()
    qtbot.keyClick(review.queue, Qt.Key.Key_1)
    assert session.state[third] == "resolved"
    fixes = session.fixes().changes
    assert fixes and all(c.reason.startswith(field) for c in fixes)
    demo.undo_action.trigger()
    assert session.state[third] == "open" and not session.fixes().changes


def test_bulk_accept_is_one_undo_step(demo):
    review = demo.pages["review"]
    review.accept_auto()
    session = demo.state.session
    accepted = sum(1 for s in session.state if s == "accepted")
    assert accepted > 800
    demo.undo_action.trigger()
    assert all(s == "open" for s in session.state)


@pytest.mark.skipif(
    not (ROOT / "resources/translations/concord_zh_CN.qm").exists(),
    reason="the Chinese translation is not compiled (scripts/translations.sh)",
)
def test_language_switches_at_run_time(window):
    from ui.i18n import set_language

    assert window.nav.item(0).text() == "Start"
    set_language("zh_CN")
    assert window.nav.item(0).text() == "开始"
    set_language("en")
    assert window.nav.item(0).text() == "Start"


def test_cancel_a_run(window, qtbot):
    from ui.qt_state import demo_reconciliation

    state = window.state
    with qtbot.waitSignal(state.busy, timeout=120_000, check_params_cb=lambda busy: not busy):
        state.run(demo_reconciliation())
        state.cancel()
    assert state.session is None


def test_models_pass_qtmodeltester(qtmodeltester, demo):
    frame_model = QtFrameModel(pd.DataFrame({"a": range(1200), "b": [str(i) for i in range(1200)]}))
    qtmodeltester.check(frame_model)
    frame_model.sort(1, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(frame_model)
    session = demo.state.session
    pair = QtPairModel()
    pair.set_rows(session.side_by_side(0), session.labels)
    qtmodeltester.check(pair)
    qtmodeltester.check(demo.pages["review"].queue_model)


def test_frame_model_fetches_lazily_and_sorts_vectorised():
    model = QtFrameModel(pd.DataFrame({"n": range(1_000_000, 0, -1)}))
    assert model.rowCount() == 500 and model.canFetchMore()
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, 0)) == "1"
    model.ensure_loaded(1999)
    assert model.rowCount() >= 2000


def test_duplicates_golden_record_merge_and_unmerge(window, qtbot):
    from app.reconcile.pipeline import DEDUPE
    from ui.qt_state import Reconciliation, demo_folder

    folder = demo_folder()
    run = Reconciliation(
        [f"erp={folder / 'ERP销售数据.xlsx'}#客户档案", f"crm={folder / 'CRM客户.csv'}"],
        mode=DEDUPE,
    )
    with qtbot.waitSignal(window.state.sessionChanged, timeout=120_000):
        window.state.run(run)
    page = window.pages["duplicates"]
    window.show_page("duplicates")
    assert page.clusters.rowCount() > 10
    group = page.current_group()
    assert page.golden.rowCount() >= 3 and page.members.rowCount() >= 2
    sources = set(page.golden.frame["source"])
    assert any(s.startswith(("erp", "crm")) for s in sources)
    page.merge()
    assert window.state.session.state[group] == "accepted" and not page.merge_button.isEnabled()
    page.unmerge()
    assert window.state.session.state[group] == "rejected"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert window.state.session.state[group] == "open"


def test_duplicates_merge_is_written_back_and_unmerged(window, qtbot, messages, tmp_path):
    """The steward merges a cluster with its orders re-pointed, another person approves,
    the merge is written into the files and unmerged back to their exact bytes."""
    from app.reconcile.pipeline import DEDUPE
    from app.sources import load
    from ui.qt_state import Reconciliation, demo_folder

    folder = demo_folder()
    erp, crm = folder / "ERP销售数据.xlsx", folder / "CRM客户.csv"
    before = (erp.read_bytes(), crm.read_bytes())
    run = Reconciliation([f"erp={erp}#客户档案", f"crm={crm}"], mode=DEDUPE)
    with qtbot.waitSignal(window.state.sessionChanged, timeout=120_000):
        window.state.run(run)
    page = window.pages["duplicates"]
    window.show_page("duplicates")
    session = window.state.session
    group = next(
        k
        for k, g in enumerate(session.result.groups)
        if ("erp", session.keys["erp"].index("C00206")) in g.members
    )
    page.select_group(group)
    assert page.current_group() == group
    page.set_inactive("erp", "状态", "")
    page.merge()  # no inactive value for the ERP: refused with the way out
    assert "marks a record inactive" in messages[-1] and page.merge_button.isEnabled()
    page.set_inactive("erp", "状态", "禁用")
    page.add_reference(load(f"{erp}#销售订单"), "客户编码", "erp")
    assert "销售订单 · 客户编码 → erp" in page.references_label.text()
    page.merge()
    assert "proposed by" in page.status.text() and page.approve_button.isEnabled()
    planned = page.cells.toPlainText()  # the preview: every cell the merge changes
    assert "销售订单" in planned and "'C00283' → 'C00206'" in planned
    page.approve()  # four-eyes: not by the steward who proposed it
    assert "four-eyes" in messages[-1]
    window.state.workspace.ensure_user("boss", role="approver")
    window.state.user = "boss"
    page.approve()
    assert page.write_button.isEnabled()
    page.write_back()
    qtbot.waitUntil(lambda: "written back" in page.status.text(), timeout=60_000)
    orders = load(f"{erp}#销售订单").frame
    assert not orders["客户编码"].isin(["C00283", "C00338"]).any()
    status = load(f"{erp}#客户档案").frame.set_index("客户编码")["状态"]
    assert status["C00283"] == "禁用"
    page.export_crosswalk(str(tmp_path / "crosswalk.csv"))
    assert "C00283,C00206" in (tmp_path / "crosswalk.csv").read_text(encoding="utf-8-sig")
    page.unmerge()
    qtbot.waitUntil(lambda: "was unmerged" in page.status.text(), timeout=60_000)
    assert (erp.read_bytes(), crm.read_bytes()) == before


def test_an_orphan_shows_its_nearest_candidates(demo):
    review = demo.pages["review"]
    demo.show_page("review")
    review.filter_to("orphan")
    review.select_row(0)
    assert review.candidates.text().startswith("Nearest candidates")


def test_import_wizard_to_write_back(window, qtbot):
    """Files in through the import page, a run, a decision, approval by someone else,
    write-back into the (private) copies of the demo files, and the files changed."""
    from ui.qt_state import demo_folder

    folder = demo_folder()
    page = window.pages["import"]
    window.show_page("import")
    page.add_paths([folder / "ERP销售数据.xlsx", folder / "CRM订单.csv", folder / "OA审批.xlsx"])
    qtbot.waitUntil(lambda: page.files.rowCount() == 4, timeout=60_000)  # both ERP sheets, CRM, OA
    customers = next(k for k, t in enumerate(page.tables) if t.sheet == "客户档案")
    page.files.selectRow(customers)
    page.remove()
    assert [t.sheet for t in page.tables] == ["销售订单", None, "审批记录"]
    assert page.preview_model.rowCount() > 0 and page.mapping.rowCount() > 20
    with qtbot.waitSignal(window.state.sessionChanged, timeout=120_000):
        page.run()
    session = window.state.session
    review = window.pages["review"]
    window.show_page("review")
    review.filter_to("conflicts")
    review.select_row(0)
    group = review.current_group()
    while "amount" not in session.queue().at[group, "conflicts"].split():
        review.move(1)
        group = review.current_group()
    amount_row = next(k for k, r in enumerate(review.pair_model.rows) if r.field == "amount")
    review.pair.selectRow(amount_row)
    review.take(0)  # ERP's amount wins
    fixes_page = window.pages["fixes"]
    window.show_page("fixes")
    assert fixes_page.model.rowCount() >= 1
    window.state.user = "supervisor"  # four-eyes: someone else approves
    fixes_page.table.selectAll()
    fixes_page.approve()
    change = fixes_page.changes[0]
    from pathlib import Path
    from unittest import mock

    from PySide6.QtWidgets import QMessageBox

    from app.sources import load

    original = Path(change.target.location).read_bytes()
    yes = QMessageBox.StandardButton.Yes
    with mock.patch("ui.pages.qt_fixes.QMessageBox.question", return_value=yes):
        fixes_page.write(dry_run=False)
        qtbot.waitUntil(lambda: fixes_page.log.toPlainText().startswith("changed"), timeout=60_000)
    target = change.target
    table = load(f"t={target.location}" + (f"#{target.sheet}" if target.sheet else ""))
    value = table.frame.loc[table.frame[target.key_column] == change.key, change.column].item()
    assert value == change.new
    assert fixes_page.written and window.state.undo_stack.count() == 0  # a checkpoint
    fixes_page.rollback()
    qtbot.waitUntil(lambda: fixes_page.log.toPlainText().startswith("Rolled back"), timeout=60_000)
    assert Path(target.location).read_bytes() == original  # every byte back


def test_database_connection_and_table_import(window, qtbot, tmp_path, monkeypatch):
    """A connection registered in Settings (password to the keyring), a table read from it."""
    import sqlite3

    from app.sources.secrets import load_password
    from ui.connections import connections, save_connection

    monkeypatch.setenv("CONCORD_KEYRING", "memory")
    database = tmp_path / "crm.db"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "CREATE TABLE orders (id TEXT PRIMARY KEY, customer TEXT, amount NUMERIC)"
        )
        connection.execute("INSERT INTO orders VALUES ('A1', '北京华信科技有限公司', 100.5)")
    save_connection("CRM", f"sqlite:///{database}")
    assert connections() == {"CRM": f"sqlite:///{database}"}
    save_connection("ERP", "postgresql://sa:secret@db01:5432/erp")
    assert "secret" not in connections()["ERP"]
    assert load_password("postgresql://sa@db01:5432/erp", "sa") == "secret"
    page = window.pages["import"]
    page.add_database("CRM", connections()["CRM"], "orders")
    qtbot.waitUntil(lambda: page.files.rowCount() == 1, timeout=30_000)
    assert page.tables[0].frame["customer"].tolist() == ["北京华信科技有限公司"]


def test_decisions_persist_in_the_workspace_and_come_back(demo, qtbot, tmp_path):
    """Accept a group, open the demo again: the decision is re-applied, in the audit log."""
    review = demo.pages["review"]
    demo.show_page("review")
    review.filter_to("review")
    review.select_row(0)
    group = review.current_group()
    stable = demo.state.recorded.recorded.stable_ids[group]
    review.accept()
    with qtbot.waitSignal(demo.state.sessionChanged, timeout=120_000):
        demo.open_demo()
    again = demo.state.recorded.recorded.stable_ids.index(stable)
    assert demo.state.session.state[again] == "accepted"
    history = demo.pages["history"]
    assert history.model.rowCount() == 2  # two runs recorded
    assert any(a == "decide accept" for a in history.audit_model.frame["action"])
    assert history.chain.text() == "chain intact"
    history.export_audit(str(tmp_path / "audit.csv"))
    assert "decide accept" in (tmp_path / "audit.csv").read_text(encoding="utf-8-sig")


def test_audit_details_read_as_key_value_pairs():
    from ui.pages.qt_history import readable

    assert readable('{"field": "amount", "value": null, "records": [["erp", "A1"]]}') == (
        'field: amount · records: [["erp", "A1"]]'
    )
    assert readable("null") == ""
    assert readable('"note"') == '"note"'
