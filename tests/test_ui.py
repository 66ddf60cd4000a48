"""The desktop app driven as a clerk would: run the demo, review with the keyboard,
undo and redo, switch language, cancel a run; every model through qtmodeltester."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from app.writeback.cell_values import same_value

pytest.importorskip("PySide6.QtWidgets", reason="the desktop app needs PySide6")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence

from tests.conftest import ROOT
from tests.desktop import DESKTOP
from ui.models.qt_frame_model import QtFrameModel
from ui.models.qt_pair_model import QtPairModel

pytestmark = pytest.mark.usefixtures(*DESKTOP)


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


def test_the_overview_chart_shows_each_tables_counts(demo):
    from app.usecases.runs import run_counts
    from ui.pages.qt_overview import COLOURS

    overview = demo.pages["overview"]
    demo.show_page("overview")
    chart, session = overview.chart, demo.state.session
    per_table = [run_counts(session.result, label) for label in session.labels]
    assert chart.title == "Records per table"
    assert chart.categories == session.labels == ["erp", "crm", "oa"]
    assert [s.name for s in chart.series] == ["Matched", "To review", "Orphans"]
    assert chart.values("Matched") == [c.matched for c in per_table]
    assert chart.values("To review") == [c.review for c in per_table]
    assert chart.values("Orphans") == [c.orphans for c in per_table]
    assert chart.y_ticks[-1] >= max(c.matched for c in per_table)
    image = chart.grab().toImage()
    category, series, rect = chart.bar_rects()[0]
    assert (category, series) == (0, 0)
    centre = rect.center().toPoint()
    assert image.pixelColor(centre).name() == COLOURS["complete"]
    assert chart.tooltip_at(rect.center()) == f"erp · Matched: {per_table[0].matched:,}"


def test_a_stock_run_shows_its_inventory_accuracy_on_the_overview(window, qtbot, tmp_path):
    import csv

    from ui.qt_state import Reconciliation

    exports = {
        "erp": (["物料编码", "仓库", "库存数量"], [["P1", "A仓", "5"], ["P2", "A仓", "5"],
                                               ["P3", "B仓", "5"], ["P4", "B仓", "5"]]),
        "wms": (["SKU", "Warehouse", "On Hand"], [["p1", "A仓库", "5"], ["p2", "A仓库", "4"],
                                                  ["p3", "B仓库", "5"], ["p4", "B仓库", "5"]]),
    }  # fmt: skip
    sources = []
    for label, (header, rows) in exports.items():
        with open(tmp_path / f"{label}.csv", "w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows([header, *rows])
        sources.append(f"{label}={tmp_path / f'{label}.csv'}")
    with qtbot.waitSignal(window.state.sessionChanged, timeout=60_000):
        window.state.run(Reconciliation(sources))
    overview = window.pages["overview"]
    window.show_page("overview")
    assert overview.accuracy.isVisible()
    assert overview.accuracy.text() == "75.0%\nInventory accuracy"
    tip = overview.accuracy.toolTip().splitlines()
    assert tip == ["3 of 4 product lines agree in every system", "A仓: 50.0%", "B仓: 100.0%"]
    overview.accuracy.click()  # the product line that differs
    assert window.stack.currentWidget() is window.pages["review"]
    assert window.pages["review"].queue_model.total() == 1


def test_an_order_run_has_no_inventory_accuracy(demo):
    assert not demo.pages["overview"].accuracy.isVisibleTo(demo.pages["overview"])


def test_the_history_chart_draws_a_point_per_run(demo):
    history = demo.pages["history"]
    demo.show_page("history")
    chart = history.chart
    assert chart.title == "Auto-match rate per run"
    assert chart.name == "Auto-match rate (%)"
    assert len(chart.points) == len(history.model.frame) == 1
    ((x, y),) = chart.points
    assert x == 1 and 80 < y <= 100
    assert f"{y / 100:.1%}" in demo.pages["overview"].summary.text()
    assert chart.y_ticks == [0, 20, 40, 60, 80, 100] and chart.x_range == (0.5, 1.5)
    point = chart.point_position(x, y)
    assert abs(point.x() - chart.plot_rect().center().x()) < 1  # a lone run sits mid-chart
    assert chart.tooltip_at(point) == f"Auto-match rate (%) · 1: {y:.1f}"
    assert not chart.grab().isNull()


def test_chart_ticks_are_round_numbers():
    from ui.qt_charts import nice_ticks

    assert nice_ticks(885) == [0, 200, 400, 600, 800, 1000]
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(3) == [0, 1, 2, 3]
    assert nice_ticks(12) == [0, 5, 10, 15]


def test_one_count_on_overview_history_the_report_and_job_show(demo, tmp_path):
    """The run's counts, defined once, read the same on every screen and in every file."""
    from openpyxl import load_workbook

    from app.cli.workspace_cmd import run_line
    from app.reports.run_report import write_report

    cards = demo.pages["overview"].counts()
    history = demo.pages["history"]
    demo.show_page("history")
    row = history.model.frame.iloc[-1]
    assert (row["matched"], row["review"], row["orphans"], row["conflicts"]) == (
        cards["complete"],
        cards["review"],
        cards["orphan"],
        cards["conflicts"],
    )
    run_id = demo.state.recorded.run_id
    report = write_report(demo.state.workspace, run_id, tmp_path / "report.xlsx")
    summary = dict(load_workbook(report).worksheets[0].iter_rows(values_only=True))
    assert (summary["Matched"], summary["To review"], summary["Orphans"]) == (
        cards["complete"],
        cards["review"],
        cards["orphan"],
    )
    assert summary["Conflicts"] == cards["conflicts"]
    line = run_line(demo.state.recorded.recorded.metrics)
    assert f"matched {cards['complete']} " in line and f"orphans {cards['orphan']}," in line
    rate = demo.pages["overview"].summary.text()
    assert f"{summary['Auto-match rate']:.1%}" in rate


def test_an_overview_number_opens_a_queue_the_keys_work_in(demo, qtbot):
    overview, review = demo.pages["overview"], demo.pages["review"]
    demo.show_page("overview")
    overview.cards["orphan"].setFocus()
    qtbot.mouseClick(overview.cards["orphan"], Qt.MouseButton.LeftButton)
    assert demo.stack.currentWidget() is review and review.queue.hasFocus()
    first = review.current_group()
    qtbot.keyClick(review.queue, Qt.Key.Key_J)
    assert review.current_group() != first


def test_import_labels_each_file_by_the_system_it_looks_like(window, qtbot, tmp_path):
    """Exports named by their vendors (U8, Salesforce, DingTalk), not by "ERP/CRM/OA",
    are labelled erp, crm and oa from their headers and status words; the label stays
    editable."""
    from bench.datagen_styles import FILES, generate, write

    write(generate(60, seed=3), tmp_path, seed=3)
    page = window.pages["import"]
    window.show_page("import")
    page.add_paths([tmp_path / FILES[t] for t in ("erp", "crm", "oa")])
    qtbot.waitUntil(lambda: page.files.rowCount() == 3, timeout=60_000)
    assert [t.label for t in page.tables] == ["erp", "crm", "oa"]
    assert page.files.cellWidget(0, 2).isEditable()


def test_chain_exceptions_by_kind_and_age_open_their_queue(demo, qtbot):
    """Overview counts open chain exceptions per kind and age; a count opens exactly
    those groups, and the panel says which system is behind by how many days."""
    overview, review = demo.pages["overview"], demo.pages["review"]
    demo.show_page("overview")
    assert overview.chain_box.isVisible()
    late = overview.chain_counts[("approved_not_booked", "8+")]
    count = int(late.text().replace(",", ""))
    assert count > 0 and late.isEnabled()
    assert overview.chain_counts[("contradiction", "0-2")].text() == "–"  # none in the demo
    qtbot.mouseClick(late, Qt.MouseButton.LeftButton)
    assert demo.stack.currentWidget() is review
    assert review.queue_model.rowCount() == count
    session = demo.state.session
    shown = review.current_group()
    exception = next(
        c for c in session.result.conflicts if c.group == shown and c.field == "status"
    )
    assert exception.kind == "approved_not_booked" and exception.age_days > 7
    assert f"Approved, not booked: {exception.behind} {exception.age_days} days behind" in (
        review.heading.text()
    )
    qtbot.keyClick(review.queue, Qt.Key.Key_A)  # deciding it takes it off the Overview,
    demo.show_page("overview")  # which catches up when it is shown again
    left = overview.chain_counts[("approved_not_booked", "8+")].text()
    assert left == (f"{count - 1:,}" if count > 1 else "–")


def test_a_search_that_finds_nothing_leaves_nothing_to_decide(demo, qtbot):
    review = demo.pages["review"]
    demo.show_page("review")
    review.filter_to("all")
    crm_key = demo.state.session.keys["crm"][5]  # any system's key is found
    review.search.setText(crm_key)
    assert review.queue_model.rowCount() >= 1 and review.accept_button.isEnabled()
    review.search.setText("no such record anywhere")
    assert review.queue_model.rowCount() == 0
    assert review.pair_model.rowCount() == 0 and review.heading.text() == ""
    assert not review.accept_button.isEnabled()
    decided = list(demo.state.session.state)
    qtbot.keyClick(review.queue, Qt.Key.Key_A)
    assert demo.state.session.state == decided


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
    for keys in ("Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Z", "Ctrl+Y"):  # the keys themselves
        sequence = QKeySequence(keys)
        qtbot.keyClick(review.queue, sequence[0].key(), sequence[0].keyboardModifiers())
        assert session.state[group] == ("open" if keys == "Ctrl+Z" else "accepted"), keys

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
    review.select_row(review.queue_model.view_row(third))  # back on it: what will be written
    planned = review.planned.text()
    assert planned.startswith("Will write: ") and "→ <b>" in planned
    fixes = session.fixes().changes
    assert fixes and all(c.reason.startswith(field) for c in fixes)
    demo.undo_action.trigger()
    assert session.state[third] == "open" and not session.fixes().changes


def test_bulk_accept_is_one_undo_step(demo):
    review = demo.pages["review"]
    review.accept_auto()
    session = demo.state.session
    accepted = sum(1 for s in session.state if s == "accepted")
    assert accepted > 750  # every auto-matched group without a conflict or chain exception
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
    every = page.clusters.total()
    page.scope.setCurrentIndex(page.scope.findData("inside"))  # two records of one system
    inside = page.clusters.total()
    page.scope.setCurrentIndex(page.scope.findData("across"))  # one record per system: links
    assert 0 < inside < every and inside + page.clusters.total() == every
    session = window.state.session
    for row in range(page.clusters.rowCount()):
        members = session.result.groups[
            page.clusters.frame.iloc[page.clusters.source_row(row)]["group"]
        ].members
        assert len({label for label, _ in members}) == len(members)
    page.scope.setCurrentIndex(page.scope.findData("all"))
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
    page.pick_reference()  # one dialog: the columns found to hold these systems' IDs
    qtbot.waitUntil(
        lambda: page.reference_dialog is not None and page.reference_dialog.isVisible(),
        timeout=60_000,
    )
    dialog = page.reference_dialog
    found = [(c.table.sheet, c.column, c.label, c.found == c.filled) for c in dialog.candidates]
    assert found[0] == ("销售订单", "客户编码", "erp", True)  # every value a customer code
    assert dialog.chosen() == dialog.candidates[:1]  # ticked: nearly all values are IDs
    dialog.accept()
    assert "销售订单 · 客户编码 → erp" in page.references_label.text()
    page.preview()  # a dry run of the plan, before anything is proposed
    assert "nothing is stored yet" in page.status.text() and not page.approve_button.isEnabled()
    assert "'C00283' → 'C00206'" in page.cells.toPlainText()

    def keep(key: str) -> None:  # the steward picks the record the ERP keeps
        frame = page.members.frame
        row = next(k for k in range(len(frame)) if key in frame.iloc[k].astype(str).tolist())
        page.member_view.selectRow(row)
        assert page.survivor_button.isEnabled()
        page.keep_selected()
        assert page.members.frame.iloc[row]["In the system"] == "kept"
        assert not page.survivor_button.isEnabled()  # it is the one kept now

    keep("C00283")
    page.preview()
    assert "'C00206' → 'C00283'" in page.cells.toPlainText()
    keep("C00206")
    page.merge()
    assert "proposed by" in page.status.text() and page.approve_button.isEnabled()
    planned = page.cells.toPlainText()  # the preview: every cell the merge changes
    assert "销售订单" in planned and "'C00283' → 'C00206'" in planned
    page.approve()  # four-eyes: not by the steward who proposed it
    assert "four-eyes" in messages[-1]
    window.state.workspace.ensure_user("boss", role="approver")
    window.state.sign_in("boss")
    page.approve()
    assert page.write_button.isEnabled()
    page.write_back()
    qtbot.waitUntil(lambda: "written back" in page.status.text(), timeout=60_000)
    assert page.current_group() == group  # the list says what became of the cluster
    row = page.clusters.source_row(page.cluster_view.currentIndex().row())
    assert page.clusters.frame.iloc[row]["state"] == "written"
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


def _decide_an_amount(window, qtbot):
    """Files in through the import page, a run, and ERP's amount taken for one group."""
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


def _cell(fix):
    from app.sources import load

    target = fix["target"] + (f"#{fix['sheet']}" if fix["sheet"] else "")
    table = load(f"t={target}")
    key_column = table.columns[0].name
    return table.frame.loc[table.frame[key_column] == fix["record"], fix["column"]].item()


def test_the_app_writes_back_only_through_the_workspace(window, qtbot, messages, capsys):
    """An approval and a write-back made in the app are the workspace's: in ``concord
    fixes list``, ``concord audit verify`` and History, and rolled back by ``concord
    rollback`` after the app was closed. Four-eyes and roles come from the workspace."""
    import json
    import re
    from decimal import Decimal
    from pathlib import Path

    from app.cli import main as concord
    from app.normalise import parse_money
    from app.usecases.fixes import add_user

    _decide_an_amount(window, qtbot)
    location = window.state.workspace.location
    proposer = window.state.user
    fixes_page = window.pages["fixes"]
    window.show_page("fixes")
    assert fixes_page.model.rowCount() == 2  # the CRM and OA amounts, proposed at once
    assert set(fixes_page.model.frame["state"]) == {"proposed"}
    means = list(fixes_page.model.frame.columns).index("means")  # each in its own spelling,
    for row, new in enumerate(fixes_page.model.frame["new"]):  # next to what it means
        shown = fixes_page.model.data(fixes_page.model.index(row, means))
        plain = re.fullmatch(r"-?\d+(\.\d+)?", new) is not None
        assert shown == "" if plain else parse_money(new) == Decimal(shown)
    fixes_page.table.selectAll()
    QSettings().setValue("review/four_eyes", False)  # no setting of the app's turns it off
    fixes_page.approve()
    assert "four-eyes" in messages[-1]
    window.state.sign_in("mallory")  # a name the workspace gave no role
    fixes_page.table.selectAll()
    fixes_page.approve()
    assert "mallory (clerk) may not approve" in messages[-1]
    window.state.sign_in(proposer)  # the first user of the workspace: its admin
    add_user(window.state.workspace, "supervisor", "approver")
    window.state.sign_in("supervisor")
    fixes_page.table.selectAll()
    fixes_page.approve()
    assert set(fixes_page.model.frame["state"]) == {"approved"}
    assert set(fixes_page.model.frame["approved_by"]) == {"supervisor"}
    fixes = [dict(row) for _, row in fixes_page.model.frame.iterrows()]
    targets = {f["id"]: f for f in json.loads(_cli_json(concord, capsys, location))}
    originals = {t["target"]: Path(t["target"]).read_bytes() for t in targets.values()}
    fixes_page.write(dry_run=False)
    qtbot.waitUntil(lambda: "Write-back 1 done" in fixes_page.log.toPlainText(), timeout=60_000)
    assert "CRM订单.csv" in messages[-1]  # the confirmation names the files
    assert set(fixes_page.model.frame["state"]) == {"written"}
    assert window.state.undo_stack.count() == 0  # a write-back is a checkpoint
    for fix in fixes:
        assert same_value(_cell(targets[fix["id"]]), fix["new"])
    history = window.pages["history"]
    window.show_page("history")
    assert "write-back done" in set(history.audit_model.frame["action"])
    assert history.writebacks_model.frame["state"].tolist() == ["done"]
    window.close()
    window.state.workspace.close()

    listed = json.loads(_cli_json(concord, capsys, location))
    assert {(f["state"], f["approved_by"]) for f in listed} == {("written", "supervisor")}
    assert concord(["audit", "verify", "--workspace", location]) == 0
    assert "audit log intact" in capsys.readouterr().out
    assert concord(["rollback", "1", "--workspace", location, "--user", "supervisor"]) == 0
    for location_, data in originals.items():
        assert Path(location_).read_bytes() == data  # every byte back
    listed = json.loads(_cli_json(concord, capsys, location))
    assert {f["state"] for f in listed} == {"rolled_back"}


def _cli_json(concord, capsys, location):
    capsys.readouterr()
    assert concord(["fixes", "list", "--json", "--workspace", location]) == 0
    return capsys.readouterr().out


def test_history_rolls_back_any_write_back_after_a_confirmation(window, qtbot, messages):
    from pathlib import Path

    from app.store.fixes import listing
    from app.usecases import fixes as fix_cases

    _decide_an_amount(window, qtbot)
    workspace = window.state.workspace
    fix_cases.add_user(workspace, "supervisor", "approver")
    window.state.sign_in("supervisor")
    fixes_page = window.pages["fixes"]
    window.show_page("fixes")
    fixes_page.table.selectAll()
    fixes_page.approve()
    files = {Path(str(f["target"])) for f in listing(workspace)}
    before = {path: path.read_bytes() for path in files}
    fixes_page.write(dry_run=False)
    qtbot.waitUntil(lambda: "done." in fixes_page.log.toPlainText(), timeout=60_000)
    assert all(path.read_bytes() != data for path, data in before.items())
    history = window.pages["history"]
    window.show_page("history")
    history.writebacks_view.selectRow(0)
    history.rollback_selected()
    assert all(path.name in messages[-1] for path in files), messages[-1]  # the files named
    qtbot.waitUntil(
        lambda: history.writebacks_model.frame["state"].tolist() == ["rolled_back"],
        timeout=60_000,
    )
    assert all(path.read_bytes() == data for path, data in before.items())


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
    demo.show_page("history")  # a hidden page refreshes when it is shown
    assert history.model.rowCount() >= 3  # two order runs, a customer dedupe between
    kinds = [name.split(" · ")[1] for name in history.model.frame["name"]]
    assert kinds.count("reconcile") == 2 and "duplicates" in kinds  # each run says its kind
    assert any(a == "decide accept" for a in history.audit_model.frame["action"])
    qtbot.waitUntil(lambda: history.chain.text() == "chain intact", timeout=30_000)
    history.export_audit(str(tmp_path / "audit.csv"))
    assert "decide accept" in (tmp_path / "audit.csv").read_text(encoding="utf-8-sig")


def test_audit_details_read_as_key_value_pairs():
    import json

    from ui.pages.qt_history import readable

    assert readable('{"field": "amount", "value": null, "records": [["erp", "A1"]]}') == (
        'field: amount · records: [["erp", "A1"]]'
    )
    assert readable("null") == ""
    assert readable('"note"') == '"note"'
    bulk = json.dumps({"groups": [f"G{k:07d}" for k in range(80_000)]})  # a bulk step
    shown = readable(bulk)
    assert len(shown) == 500 and shown.startswith('groups: ["G0000000"') and shown[-1] == "…"


def test_the_wheel_never_retypes_a_column_and_nothing_is_saved_unasked(window, qtbot):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from app.mapping.profiles import signature
    from ui.qt_state import demo_folder

    page = window.pages["import"]
    window.show_page("import")
    page.add_paths([demo_folder() / "CRM订单.csv", demo_folder() / "OA审批.xlsx"])
    qtbot.waitUntil(lambda: page.files.rowCount() == 2, timeout=60_000)
    box = page.mapping.cellWidget(0, 2)
    before = box.currentData()
    for _ in range(4):  # four notches over the box, as a clerk scrolls the list
        wheel = QWheelEvent(
            QPointF(5, 5),
            QPointF(box.mapToGlobal(QPoint(5, 5))),
            QPoint(0, 0),
            QPoint(0, -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(box, wheel)
    assert box.currentData() == before
    box.setCurrentIndex(box.findData("text"))
    box.activated.emit(box.currentIndex())  # the clerk's own choice
    headers = [c.name for c in page.tables[0].columns]
    store = window.state.profiles
    assert store.load(headers) is None or store.load(headers).types.get(headers[0]) != "text"
    assert not (store.folder / f"{signature(headers)}.json").exists()  # not saved unasked
    assert page.unsaved.load(headers).types[page.profiles[0].columns[0].name] == "text"
    page.save_profiles()
    assert store.load(headers).types[page.profiles[0].columns[0].name] == "text"


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_page_fits_a_laptop_screen(demo, qtbot, language):
    """1280×720: no page asks for more than 1,200 pixels, and no button's text is cut."""
    from PySide6.QtWidgets import QApplication, QPushButton

    from ui.i18n import set_language

    set_language(language)
    demo.resize(1280, 720)
    review = demo.pages["review"]
    demo.show_page("review")
    review.filter_to("conflicts")
    review.select_row(0)
    for name, page in demo.pages.items():
        demo.show_page(name)
        QApplication.processEvents()
        assert page.minimumSizeHint().width() <= 1200 - 170, name  # beside the navigation
        assert demo.width() == 1280, name
        for button in page.findChildren(QPushButton):
            if button.isVisible():
                assert button.width() >= button.sizeHint().width(), (name, button.text())
    set_language("en")


def test_history_reads_only_new_entries_and_checks_all_on_demand(demo, qtbot):
    from app.store.schema import AuditEntry

    history, review = demo.pages["history"], demo.pages["review"]
    demo.show_page("history")
    before = history.audit_model.rowCount()
    qtbot.waitUntil(lambda: history.chain.text() == "chain intact", timeout=30_000)
    demo.show_page("review")
    review.filter_to("review")
    review.select_row(0)
    review.accept()
    demo.show_page("history")
    assert history.audit_model.frame["action"].iloc[0] == "decide accept"  # newest first
    assert len(history.audit_model.frame) == before + 1
    with demo.state.workspace.session() as db:
        db.get(AuditEntry, 1).actor = "someone else"  # an old entry edited behind our back
    qtbot.waitUntil(lambda: history.chain.text() == "chain intact", timeout=30_000)
    history.check_button.click()
    qtbot.waitUntil(lambda: history.chain.text() == "chain broken at entry 1", timeout=30_000)


def test_ten_thousand_decisions_in_bulk_and_back_with_every_page_alive(demo, qtbot):
    """Accept every auto-matched group and undo it, thirteen times over (over 10,000
    decisions) with every page built: no crash, and afterwards the workspace holds no
    active decision and every group is open again."""
    from sqlalchemy import func, select

    from app.store.schema import Decision as StoredDecision

    review = demo.pages["review"]
    for name in demo.pages:  # every page shown once, so each has built its widgets
        demo.show_page(name)
    demo.show_page("review")
    made = 0
    for _ in range(13):
        review.accept_auto()
        made += int((demo.state.session.queue()["state"] == "accepted").sum())
        demo.undo_action.trigger()
    assert made >= 10_000
    assert set(demo.state.session.state) == {"open"}
    with demo.state.workspace.session() as db:
        active = db.scalar(
            select(func.count()).where(
                StoredDecision.state == "active", StoredDecision.kind != "rule"
            )
        )
    assert active == 0
    demo.show_page("overview")
    assert demo.pages["overview"].counts()["complete"] > 800


def test_the_app_says_what_a_crash_left_when_it_opens_the_workspace(window, qtbot, messages):
    """A write-back interrupted by a crash is settled when the app opens the workspace,
    and the clerk is told what is true of it."""
    from app.decide.changes import Change, ChangeSet, Target
    from app.store import leases, writebacks
    from app.store.workspace import Workspace

    location = window.state.workspace.location
    other = Workspace(location, user="clerk")
    other.ensure_user("clerk")
    held = leases.acquire(other, leases.WRITE, "writing back")
    change = Change(Target("csv", "/nowhere/x.csv", None, "id", 1, "0" * 64), "A1", "c", "1", "2")
    writebacks.begin(other, ChangeSet([change]))
    leases.release(held)  # the process "died" before touching anything
    other.close()
    window.state.open_workspace(location)
    assert "interrupted before it changed anything" in messages[-1]


def test_history_shows_the_latest_entries_of_a_long_log(window, qtbot, monkeypatch):
    from app.store import audit
    from ui.pages import qt_history

    monkeypatch.setattr(qt_history, "SHOWN", 10)
    with window.state.workspace.session() as db:
        for k in range(15):
            audit.append(db, window.state.user, "decide accept", f"G{k:07d}")
    window.state.fixesChanged.emit()  # as every change made through the app says
    history = window.pages["history"]
    window.show_page("history")
    frame = history.audit_model.frame
    assert len(frame) == 10 and frame["item"].iloc[0] == "G0000014"  # the newest first
    assert "the latest 10 of" in history.audit_label.text()
    qtbot.waitUntil(lambda: history.chain.text() == "chain intact", timeout=30_000)


def test_a_clerk_cannot_act_as_the_approver_in_the_app(window, messages, monkeypatch):
    import getpass

    assert window.state.user == getpass.getuser()  # the login, not a name typed anywhere
    monkeypatch.setattr(getpass, "getuser", lambda: "zhang")  # a clerk's own login
    window.state.acting_as = ""
    window.state.open_workspace(window.state.workspace.location)
    assert window.state.user == "zhang"
    window.state.sign_in("boss")
    assert "only an admin acts as someone else; you are zhang" in messages[-1]
    assert window.state.user == "zhang" and window.state.workspace.user == "zhang"


def test_every_word_a_page_shows_in_chinese_is_chinese(demo, qtbot):
    """Rendered in 简体中文, no page shows an English word of the app's own (system
    labels, the login and the language list's own names aside)."""
    import re

    from PySide6.QtWidgets import (
        QApplication,
        QCheckBox,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QPushButton,
        QTableView,
        QWidget,
    )

    from app.decide.merging import Candidate
    from ui.i18n import set_language
    from ui.pages.qt_duplicates import QtReferenceDialog

    word = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")
    tag = re.compile(r"<[^>]+>")
    allowed = {"erp", "crm", "oa", "ERP", "CRM", "OA", "Concord", "English", "System", "default"}
    allowed |= {demo.state.user, "xlsx", "csv"}  # the login; file names where records are
    set_language("zh_CN")
    english: dict[str, set[str]] = {}

    def scan(where: str, text: str) -> None:
        for found in word.findall(tag.sub(" ", text or "")):
            if found not in allowed:
                english.setdefault(where, set()).add(text)

    def scan_all(name: str, page: QWidget) -> None:
        for widget in page.findChildren(QLabel):
            if widget.isVisible():
                scan(name, widget.text())
        for widget in page.findChildren(QPushButton) + page.findChildren(QCheckBox):
            if widget.isVisible():
                scan(name, widget.text())
                scan(name, widget.toolTip())
        for widget in page.findChildren(QGroupBox):
            scan(name, widget.title())
        for widget in page.findChildren(QLineEdit):
            scan(name, widget.placeholderText())
        for widget in page.findChildren(QComboBox):
            for index in range(widget.count()):
                scan(name, widget.itemText(index))
        for table in page.findChildren(QTableView):
            model = table.model()
            for column in range(table.horizontalHeader().count()):
                if table.isVisible() and not table.isColumnHidden(column):
                    scan(name, str(model.headerData(column, Qt.Orientation.Horizontal) or ""))

    try:
        for name, page in demo.pages.items():
            demo.show_page(name)
            QApplication.processEvents()
            scan_all(name, page)
        session = demo.state.session  # the app's own dialogs, shown
        found = [Candidate("erp", session.table("erp"), "客户", 9, 10)]
        for dialog in (
            QtReferenceDialog(demo, session, found),
            QtReferenceDialog(demo, session, []),
        ):
            dialog.show()
            QApplication.processEvents()
            scan_all("re-point references", dialog)
            scan("re-point references", dialog.windowTitle())
            dialog.close()
        for action in demo.menuBar().actions():
            scan("menu", action.text())
            for item in action.menu().actions() if action.menu() else []:
                scan("menu", item.text())
    finally:
        set_language("en")
    assert not english, english


def test_a_state_the_erp_has_no_word_for_is_picked_from_its_words(demo, qtbot):
    """Taking the OA's 已驳回 for an ERP column that holds only 已审核, 未审核 and 已关闭:
    the panel says so and offers those words; the one picked is what will be written."""
    review, session = demo.pages["review"], demo.state.session
    demo.show_page("review")
    review.filter_to("all")
    group = next(
        c.group
        for c in session.result.conflicts
        if c.kind == "booked_without_approval"
        and any(
            label == "oa" and session.table("oa").values("审批状态").iloc[row] == "已驳回"
            for label, row in c.members
        )
    )
    review.search.setText(session.entities[group])
    review.select_row(0)
    assert review.current_group() == group
    row = next(k for k, r in enumerate(review.pair_model.rows) if r.field == "status")
    review.pair.selectRow(row)
    review.take(review.pair_model.labels.index("oa"))
    assert "has no word for 已驳回" in review.planned.text()
    assert review.word_pick.isVisibleTo(review)
    words = [review.word_pick.itemText(k) for k in range(1, review.word_pick.count())]
    assert words == ["已关闭", "已审核", "未审核"]
    review.word_pick.activated.emit(1)
    assert "审核状态: 已审核 → <b>已关闭</b>" in review.planned.text()
    assert not review.word_pick.isVisibleTo(review)
    demo.undo_action.trigger()  # one step: the earlier choice is gone, not stacked
    assert [d.group for d in session.decisions].count(group) <= 1


def test_a_large_bulk_action_is_recorded_in_the_background_and_cancel_records_nothing(
    demo, qtbot, monkeypatch
):
    """From BULK decisions on, one step is recorded on a worker thread behind a
    window-modal progress dialog; Cancel leaves the session, the workspace and the undo
    stack as they were; made afterwards, it is one undo step that undo takes back whole
    and redo makes again, each in the background too."""
    import threading

    import sqlalchemy as sa
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog

    import ui.qt_state as qt_state
    from app.store.schema import Decision as StoredDecision

    def stored() -> int:
        with demo.state.workspace.session() as db:
            return db.scalar(
                sa.select(sa.func.count())
                .select_from(StoredDecision)
                .where(StoredDecision.state == "active")
            )

    monkeypatch.setattr(qt_state, "BULK", 100)
    real, go = qt_state.review.decide, threading.Event()

    def held(*args, **kwargs):  # the worker waits until the test has clicked Cancel
        go.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(qt_state.review, "decide", held)
    shown: list[int] = []
    original = QProgressDialog.setValue
    monkeypatch.setattr(
        QProgressDialog,
        "setValue",
        lambda self, value: (shown.append(value), original(self, value)),
    )
    session, stack, review = demo.state.session, demo.state.undo_stack, demo.pages["review"]
    states, steps, rows = list(session.state), stack.count(), stored()
    review.accept_auto()
    pending = demo.state.pending
    assert pending is not None and pending.dialog.windowModality() == Qt.WindowModality.WindowModal
    review.accept()  # the window waits: no other step meanwhile
    assert stack.count() == steps
    with qtbot.waitSignal(demo.state.stepEnded, timeout=30_000):
        pending.dialog.cancel()
        go.set()
    assert demo.state.pending is None and not pending.dialog.isVisible()
    assert list(session.state) == states and stack.count() == steps and stored() == rows
    with qtbot.waitSignal(demo.state.stepEnded, timeout=30_000):
        review.accept_auto()
    assert shown[-1] == 100 and stack.count() == steps + 1
    accepted, made = list(session.state), stored()
    assert session.state.count("accepted") > 750 and made > rows + 750
    with qtbot.waitSignal(demo.state.stepEnded, timeout=30_000):  # undone in the background
        demo.undo_action.trigger()
    assert list(session.state) == states and stored() == rows
    with qtbot.waitSignal(demo.state.stepEnded, timeout=30_000):  # and made again
        demo.redo_action.trigger()
    assert list(session.state) == accepted and stored() == made


def test_the_demo_opens_with_its_customer_dedupe_done_beside_its_orders(window, qtbot, tmp_path):
    """A steward finds the clusters waiting; the clerk's orders stay in Review; each
    page's Ctrl+Z undoes its own run's steps; a run of other files drops the demo's."""
    from app.reconcile.pipeline import DEDUPE, RECONCILE
    from app.store.decisions import active_decisions
    from ui.qt_state import Reconciliation, demo_folder

    def merges() -> list[int]:  # the customer run's accepts, read back from the workspace
        run = customers.recorded.run_id
        return [
            d.id
            for d in active_decisions(window.state.workspace)
            if d.run_id == run and d.kind == "accept"
        ]

    customers = window.state.customers
    with qtbot.waitSignal(window.state.sessionChanged, timeout=120_000):
        window.open_demo()
    page = window.pages["duplicates"]
    with qtbot.waitSignal(customers.sessionChanged, timeout=120_000):
        window.show_page("duplicates")  # while the customer masters are still deduped
    assert window.state.session.result.mode == RECONCILE
    assert customers.session.result.mode == DEDUPE and page.state is customers
    assert not page.find_button.isVisible() and page.clusters.rowCount() > 10
    group = page.current_group()
    page.merge()
    assert customers.session.state[group] == "accepted"
    assert window.state.undo_stack.count() == 0 and customers.undo_stack.count() == 1
    assert len(merges()) == 1
    window.undo_action.trigger()
    assert customers.session.state[group] == "open" and merges() == []
    window.show_page("review")
    window.pages["review"].accept()
    assert window.state.undo_stack.count() == 1
    window.undo_action.trigger()  # the order's decision, not the customers' (redo) step
    assert window.state.undo_stack.index() == 0 and customers.undo_stack.index() == 0
    folder = demo_folder()
    mine = Reconciliation(
        [f"erp={folder / 'ERP销售数据.xlsx'}#销售订单", f"crm={folder / 'CRM订单.csv'}"]
    )
    with qtbot.waitSignal(customers.sessionChanged, timeout=120_000):
        window.state.run(mine)
    window.show_page("duplicates")
    assert customers.session is None and page.state is window.state
    assert page.find_button.isVisible() and page.clusters.rowCount() == 0
