"""Render every main screen to PNG, in English and Chinese, on the demo data.

    python -m ui.screenshots --out docs/screenshots

Runs offscreen (QT_QPA_PLATFORM=offscreen) or on a real display; used for the README and
to look at the app as a clerk would.
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, QThread, QTimer

from app.sources import load
from ui.app import make_application, make_window
from ui.i18n import set_language
from ui.qt_main_window import PAGES
from ui.qt_state import demo_folder

SIZE = (1280, 720)  # a laptop screen at 100 %: every page must fit it


def wait(state, seconds: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Process events until the state's run is done."""
    loop = QEventLoop()
    state.sessionChanged.connect(loop.quit)
    state.failed.connect(lambda message: (print(message), loop.quit()))
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


# Receipts and the invoices they pay, one of each kind: a receipt paying three invoices,
# one paying two, one with two sets of equal sum, a part payment, and money for nothing.
RECEIPTS = [
    ("SK-2026-0118", "2026-04-20", "北京华信科技有限公司", "12,345.00", "货款"),
    ("SK-2026-0119", "2026-04-22", "上海鼎盛贸易有限公司", "3,000.00", "货款"),
    ("SK-2026-0120", "2026-05-06", "广州恒达物流有限公司", "5,000.00", "部分货款"),
    ("SK-2026-0121", "2026-05-08", "杭州云帆电子商务有限公司", "8,760.00", "回款"),
    ("SK-2026-0122", "2026-05-09", "深圳前海星河科技有限公司", "2,000.00", "预收"),
    ("SK-2026-0123", "2026-05-12", "北京华信科技有限公司", "980.40", "电汇"),
]
INVOICES = [
    ("FP-0301", "北京华信科技有限公司", "2026-03-01", "2,000.00"),
    ("FP-0309", "北京华信科技有限公司", "2026-03-09", "4,345.50"),
    ("FP-0401", "北京华信科技有限公司", "2026-04-01", "5,999.50"),
    ("FP-0402", "北京华信科技有限公司", "2026-04-02", "980.40"),
    ("FP-0403", "上海鼎盛贸易有限公司", "2026-04-03", "1,000.00"),
    ("FP-0404", "上海鼎盛贸易有限公司", "2026-04-04", "2,000.00"),
    ("FP-0415", "上海鼎盛贸易有限公司", "2026-04-15", "3,000.00"),
    ("FP-0420", "广州恒达物流有限公司", "2026-04-20", "12,000.00"),
    ("FP-0425", "杭州云帆电子商务有限公司", "2026-04-25", "5,260.00"),
    ("FP-0428", "杭州云帆电子商务有限公司", "2026-04-28", "3,500.00"),
]


def settlement_files(folder: Path) -> tuple[Path, Path]:
    """A receipts export (收款单) and an invoices export (销售发票) to settle."""
    files = []
    for name, header, rows in (
        ("收款单.csv", ("单据编号", "日期", "客户", "收款金额", "摘要"), RECEIPTS),
        ("销售发票.csv", ("发票号码", "客户名称", "开票日期", "价税合计"), INVOICES),
    ):
        with open(folder / name, "w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(header)
            writer.writerows(rows)
        files.append(folder / name)
    return files[0], files[1]


def settle(app, rounds: int = 5) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        app.processEvents()


def grab(app, window, page: str, path: Path) -> None:  # type: ignore[no-untyped-def]
    window.show_page(page)
    settle(app)
    window.grab().save(str(path))
    print(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--languages", default="en,zh_CN")
    parser.add_argument("--pages", default=",".join(PAGES), help="the pages to grab")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    # A demo of its own, never one an earlier run (or the person) decided things in.
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="concord-screenshots-")
    app = make_application()
    QSettings().setValue("ui/language", "en")
    window = make_window(demo=True)
    window.resize(*SIZE)
    window.show()
    wait(window.state)  # the demo's orders
    wait(window.state.customers)  # then its customer masters, deduped
    importing = window.pages["import"]
    folder = demo_folder()
    importing.add_paths(
        [folder / "ERP销售数据.xlsx", folder / "CRM订单.csv", folder / "OA审批.xlsx"]
    )
    for _ in range(600):  # the files are read in the background
        if importing.files.rowCount() >= 3:
            break
        settle(app)
        QThread.msleep(50)
    importing.files.selectRow(0)
    review = window.pages["review"]
    window.show_page("review")
    review.filter_to("conflicts")
    settle(app)
    review.select_row(0)
    review.take(0)  # one decision, so the fixes page has something to show
    review.select_row(0)
    settlements = window.pages["settlements"]
    settlements.set_files(*settlement_files(folder))
    settlements.settle()
    for _ in range(600):  # settled in the background
        if not settlements.running:
            break
        settle(app)
        QThread.msleep(50)
    settle(app)
    settlements.select_payment("SK-2026-0118")  # one receipt, three invoices
    languages = args.languages.split(",")
    for language in languages:
        set_language(language)
        settle(app)
        for page in PAGES:
            if page != "duplicates" and page in args.pages.split(","):
                grab(app, window, page, args.out / f"{page}-{language}.png")
    if "duplicates" not in args.pages.split(","):
        window.close()
        return
    duplicates, session = window.pages["duplicates"], window.state.customers.session
    if "C00206" in session.keys["erp"]:  # three ERP codes and a CRM account of one company
        row = session.keys["erp"].index("C00206")
        duplicates.select_group(
            next(k for k, g in enumerate(session.result.groups) if ("erp", row) in g.members)
        )
    duplicates.add_reference(load(f"{folder / 'ERP销售数据.xlsx'}#销售订单"), "客户编码", "erp")
    duplicates.merge()  # a proposed merge: its cells listed, waiting for approval
    for language in languages:
        set_language(language)
        grab(app, window, "duplicates", args.out / f"duplicates-{language}.png")
        duplicates.pick_reference()  # the columns found to hold the systems' IDs
        for _ in range(600):
            dialog = duplicates.reference_dialog
            if dialog is not None and dialog.isVisible():
                break
            settle(app)
            QThread.msleep(50)
        settle(app)
        dialog.grab().save(str(args.out / f"repoint-{language}.png"))
        dialog.reject()
    window.close()


if __name__ == "__main__":
    main()
