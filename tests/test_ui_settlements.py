"""The Settlements page driven as a clerk would: pick a receipts and an invoices export,
settle, filter by status, read a payment's set of invoices, export the workbook."""

from __future__ import annotations

import csv

import pytest

pytest.importorskip("PySide6.QtWidgets", reason="the desktop app needs PySide6")


from app.cli import main
from app.reconcile.output import csv_text
from app.usecases.settlement import settlement_rows
from tests.desktop import DESKTOP

pytestmark = pytest.mark.usefixtures(*DESKTOP)

RECEIPTS = ("单据编号", "日期", "客户", "收款金额", "摘要")
INVOICES = ("单据编号", "客户名称", "日期", "价税合计")
HUAXIN, DINGSHENG = "北京华信科技有限公司", "上海鼎盛贸易有限公司"
HENGDA, PAYLOAD = "广州恒达物流有限公司", '=HYPERLINK("http://example.com","click")'


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def files(tmp_path):
    receipts = write_csv(
        tmp_path / "收款单.csv",
        RECEIPTS,
        [
            ("R-118", "2026-04-20", HUAXIN, "12,345.00", "货款"),  # three invoices exactly
            ("R-3", "2026-05-10", DINGSHENG, "3000.00", "货款"),  # SO-13, or SO-11 + SO-12
            ("R-120", "2026-06-01", HENGDA, "5000.00", "部分货款"),  # part of SO-20
            ("R-9", "2026-06-02", PAYLOAD, "999.00", "预收"),  # no invoice of theirs
        ],
    )
    invoices = write_csv(
        tmp_path / "销售发票.csv",
        INVOICES,
        [
            ("SO-1", HUAXIN, "2026-03-01", "2,000.00"),
            ("SO-7", HUAXIN, "2026-03-09", "4,345.50"),
            ("SO-9", HUAXIN, "2026-04-01", "5,999.50"),
            ("SO-11", DINGSHENG, "2026-04-01", "1000.00"),
            ("SO-12", DINGSHENG, "2026-04-02", "2000.00"),
            ("SO-13", DINGSHENG, "2026-04-20", "3000.00"),
            ("SO-20", HENGDA, "2026-05-15", "12,000.00"),
        ],
    )
    return receipts, invoices


def settled(window, qtbot, receipts, invoices):
    page = window.pages["settlements"]
    window.show_page("settlements")
    page.set_files(receipts, invoices)
    assert page.settle_button.isEnabled()
    page.settle_button.click()
    qtbot.waitUntil(
        lambda: not page.running and (page.ledger is not None or bool(page.error)), timeout=30_000
    )
    return page


def test_the_page_sits_after_duplicates(window):
    from ui.qt_main_window import PAGES

    assert PAGES.index("settlements") == PAGES.index("duplicates") + 1
    window.show_page("settlements")
    assert window.nav.currentItem().text() == "Settlements"
    assert not window.nav.currentItem().icon().isNull()


def test_counts_detail_and_alternatives(window, qtbot, files, messages, qtmodeltester):
    page = settled(window, qtbot, *files)
    assert not messages and page.error == ""
    assert page.ledger.counts() == {"settled": 1, "partial": 1, "ambiguous": 1, "unmatched": 1}
    assert page.cards["settled"].text() == "Settled: 1\n12,345.00"
    assert page.cards["unmatched"].text() == "Unmatched: 1\n999.00"
    qtmodeltester.check(page.payments)
    qtmodeltester.check(page.detail)

    # the receipt paying three invoices, side by side with its amount
    assert page.select_payment("R-118")
    detail = page.detail.frame
    assert detail["invoice"].tolist() == ["SO-1", "SO-7", "SO-9"]
    assert detail["amount"].tolist() == [2000.0, 4345.5, 5999.5]
    assert detail["applied"].tolist() == [2000.0, 4345.5, 5999.5]
    assert detail["remainder"].tolist() == [0.0, 0.0, 0.0]
    assert page.detail_total.text() == "Invoices 12,345.00 = payment 12,345.00"
    assert page.detail_status.text() == "settled: pays 3 invoice(s) in full"
    assert page.detail_explanation.text() == "R-118 pays SO-1, SO-7, SO-9 = 12,345.00"
    row = page.payments.frame.set_index("payment").loc["R-118"]
    assert (row["status"], row["invoices"]) == ("settled", "SO-1, SO-7, SO-9")

    # the ambiguous one: every set listed, none applied
    page.select_payment("R-3")
    assert page.detail_status.text().startswith("ambiguous: goes to review, nothing applied")
    sets = page.detail.frame.groupby("set")["invoice"].apply(list).to_dict()
    assert sorted(sets.values()) == [["SO-11", "SO-12"], ["SO-13"]]
    assert page.detail.frame["applied"].isna().all()
    assert "SO-11 + SO-12 = 3,000.00" in page.detail_total.text()
    assert "SO-13 = 3,000.00" in page.detail_total.text()
    assert page.payments.frame.set_index("payment").loc["R-3", "invoices"] == ""

    # the partial one: what stays open
    page.select_payment("R-120")
    assert page.detail.frame["remainder"].tolist() == [7000.0]
    assert (
        page.detail_total.text()
        == "Applied 5,000.00 of payment 5,000.00; 7,000.00 stays open on SO-20"
    )

    # open invoices: the three in review and the rest of the partly paid one
    qtmodeltester.check(page.open_model)
    opened = page.open_model.frame
    assert opened["invoice"].tolist() == ["SO-11", "SO-12", "SO-13", "SO-20"]
    assert opened.set_index("invoice").loc["SO-20", "open"] == 7000.0
    assert page.open_label.text() == "4 invoices not paid in full: 13,000.00 open in all."


def test_status_cards_and_text_filter(window, qtbot, files):
    page = settled(window, qtbot, *files)
    page.cards["ambiguous"].click()
    assert page.cards["ambiguous"].isChecked() and page.payments.total() == 1
    assert page.payments.data(page.payments.index(0, 0)) == "R-3"
    assert page.detail_status.text().startswith("ambiguous")
    page.cards["ambiguous"].click()  # the same again: every payment
    assert not page.cards["ambiguous"].isChecked() and page.payments.total() == 4
    page.filter.setText("so-20")
    assert page.payments.total() == 1 and page.shown_label.text() == "1 of 4 payments"
    page.filter.setText("鼎盛")
    assert page.payments.data(page.payments.index(0, 0)) == "R-3"
    page.filter.setText("nothing like it")
    assert page.payments.total() == 0
    assert page.detail.frame.empty


def test_export_workbook_keeps_text_as_text(window, qtbot, files, tmp_path):
    from openpyxl import load_workbook

    page = settled(window, qtbot, *files)
    written = page.export(tmp_path / "核销")
    assert written == tmp_path / "核销.xlsx"
    book = load_workbook(written)
    assert book.sheetnames == ["Settlements", "Open invoices"]
    sheet = book["Settlements"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Settlement", "Status", "Payment", "Customer"]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    r118 = [r for r in rows if r["Payment"] == "R-118"]
    assert [r["Invoice"] for r in r118] == ["SO-1", "SO-7", "SO-9"]
    assert r118[0]["Applied"] == 2000.0 and r118[0]["Payment amount"] == 12345.0
    (unmatched,) = [r for r in rows if r["Payment"] == "R-9"]
    assert unmatched["Customer"] == PAYLOAD and unmatched["Invoice"] is None
    cell = next(c for c in sheet["D"] if c.value == PAYLOAD)
    assert cell.data_type == "s"  # text, never a formula
    opened = list(book["Open invoices"].iter_rows(values_only=True))
    assert opened[0] == ("Invoice", "Customer", "Amount", "Paid", "Open")
    assert opened[-1] == ("SO-20", HENGDA, 12000.0, 5000.0, 7000.0)
    assert not list(tmp_path.glob(".*.xlsx"))  # no temporary file left behind


@pytest.mark.parametrize("case", ["no amount column", "missing file"])
def test_a_bad_file_is_one_clear_message(window, qtbot, files, tmp_path, messages, case):
    receipts, invoices = files
    if case == "no amount column":
        receipts = write_csv(
            tmp_path / "receipts.csv",
            ("单据编号", "日期", "客户", "摘要"),
            [("R-1", "2026-03-10", HUAXIN, "货款")],
        )
    else:
        receipts = tmp_path / "gone.csv"
    page = settled(window, qtbot, receipts, invoices)
    assert page.ledger is None
    (message,) = messages
    assert message == page.error and "Traceback" not in message
    assert message.startswith(f"The payments file {receipts.name} cannot be settled.")
    if case == "no amount column":
        assert "no amount column" in message and "--settings" not in message
    else:
        assert "file not found" in message
    assert page.message.text() == message
    assert page.settle_button.isEnabled() and not window.bar.isVisible()


def test_the_command_writes_what_the_page_shows(window, qtbot, files, tmp_path):
    """The rows moved to the use case: the command's settlements.csv is unchanged."""
    page = settled(window, qtbot, *files)
    out = tmp_path / "out"
    assert main(["settle", "--quiet", "--out", str(out), *map(str, files)]) == 0
    text = (out / "settlements.csv").read_bytes().decode("utf-8")
    header = text.splitlines()[0].split(",")
    assert text == csv_text(header, settlement_rows(page.ledger))
    assert "S000002,ambiguous,收款单,R-3,销售发票,SO-13,3000.00,0.00," in text


def test_chinese_texts(window, qtbot, files):
    from ui.i18n import set_language

    page = settled(window, qtbot, *files)
    set_language("zh_CN")
    try:
        assert window.nav.item(5).text() == "核销"
        assert page.title.text() == "核销"
        assert page.tabs.tabText(1) == "未清发票"
        page.select_payment("R-3")
        assert "不核销任何金额" in page.detail_status.text()
        assert page.cards["settled"].text() == "已核销：1\n12,345.00"
        assert page.payments.data(page.payments.index(0, 4)) == "已核销"
    finally:
        set_language("en")


def test_the_demo_files_settle_with_every_status(window, qtbot):
    from app.reconcile.settle import settle
    from app.sources import load
    from ui.qt_state import SETTLE_DEMO as DEMO

    page = window.pages["settlements"]
    window.show_page("settlements")
    page.demo_button.click()
    assert [page.payments_path.text(), page.invoices_path.text()] == [str(p) for p in DEMO]
    page.settle_button.click()
    qtbot.waitUntil(lambda: not page.running and page.ledger is not None, timeout=30_000)
    counts = page.ledger.counts()
    assert counts == settle(*(load(str(p)) for p in DEMO)).counts()
    assert all(counts.values()), counts  # settled, partial, ambiguous and unmatched to show


def test_a_clerk_settles_an_ambiguous_payment_with_one_of_its_sets(window, qtbot, files, messages):
    page = settled(window, qtbot, *files)
    page.select_payment("R-118")
    assert not page.choice_box.isVisibleTo(page)  # a settled payment has nothing to choose
    page.select_payment("R-3")
    assert page.choice_box.isVisibleTo(page)
    items = [page.choice.itemText(k) for k in range(page.choice.count())]
    assert sorted(t.partition(": ")[2] for t in items) == ["SO-11 + SO-12", "SO-13"]
    page.choice.setCurrentIndex(next(k for k, t in enumerate(items) if t.endswith("SO-13")))
    page.choose_button.click()
    assert not messages
    assert page.ledger.counts() == {"settled": 2, "partial": 1, "ambiguous": 0, "unmatched": 1}
    assert page.cards["settled"].text() == "Settled: 2\n15,345.00"
    row = page.payments.frame.set_index("payment").loc["R-3"]
    assert (row["status"], row["invoices"]) == ("settled", "SO-13")
    assert row["explanation"] == f"R-3 pays SO-13 = 3,000.00 (chosen by {page.state.user})"
    assert page.detail_status.text() == "settled: pays 1 invoice(s) in full"
    assert not page.choice_box.isVisibleTo(page)
    assert page.open_model.frame["invoice"].tolist() == ["SO-11", "SO-12", "SO-20"]
