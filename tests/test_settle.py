"""Settlement on small crafted cases: which invoices a receipt pays, and when it must not say."""

from __future__ import annotations

import csv
import itertools
import json
import random
from decimal import Decimal

import numpy as np
import pytest

from app.cli import main
from app.errors import InputError
from app.reconcile.settle import (
    AMBIGUOUS,
    PARTIAL,
    SETTLED,
    UNMATCHED,
    fitting_sets,
    settle,
)
from app.sources import SourceSpec, load_source

RECEIPTS = ("单据编号", "日期", "客户", "收款金额", "摘要")
INVOICES = ("单据编号", "客户名称", "日期", "价税合计")
HUAXIN, DINGSHENG = "北京华信科技有限公司", "上海鼎盛贸易有限公司"


def write_csv(path, header, rows):
    with open(path, "w", encoding="gb18030", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(tmp_path, receipts, invoices, **options):
    pay = write_csv(tmp_path / "收款单.csv", RECEIPTS, [(*r, "货款") for r in receipts])
    inv = write_csv(tmp_path / "销售发票.csv", INVOICES, invoices)
    tables = [
        load_source(SourceSpec.parse(f"{label}={p}")) for label, p in (("pay", pay), ("inv", inv))
    ]
    ledger = settle(*tables, **options)
    by_id = {ledger.payment_ids[s.payment]: s for s in ledger.settlements}
    return ledger, by_id


def paid(ledger, settlement):
    return [ledger.invoice_ids[row] for row in settlement.invoices]


def test_one_receipt_pays_one_invoice(tmp_path):
    ledger, found = run(
        tmp_path,
        [("R-1", "2026-03-10", HUAXIN, "1,250.00")],
        [("SO-1", HUAXIN, "2026-03-01", "1250"), ("SO-2", HUAXIN, "2026-03-02", "980.40")],
    )
    r = found["R-1"]
    assert (r.status, paid(ledger, r), r.applied) == (SETTLED, ["SO-1"], (Decimal("1250.00"),))
    assert r.explanation == "R-1 pays SO-1 = 1,250.00"
    assert ledger.open_cents().tolist() == [0, 98040]


def test_one_receipt_pays_three_invoices_of_its_customer(tmp_path):
    ledger, found = run(
        tmp_path,
        [("R-118", "2026-04-20", "华信科技(北京)有限责任公司", "12345")],
        [
            ("SO-1", HUAXIN, "2026-03-01", "2,000.00"),
            ("SO-5", HUAXIN, "2026-03-05", "777.77"),
            ("SO-7", HUAXIN, "2026-03-09", "4,345.50"),
            ("SO-9", HUAXIN, "2026-04-01", "5,999.50"),
            ("SO-10", DINGSHENG, "2026-04-02", "10,345.00"),  # 2,000 + 10,345, not theirs
        ],
    )
    r = found["R-118"]
    assert r.status == SETTLED and paid(ledger, r) == ["SO-1", "SO-7", "SO-9"]
    assert r.explanation == "R-118 pays SO-1, SO-7, SO-9 = 12,345.00"


def test_a_decoy_of_equal_sum_sends_the_receipt_to_review(tmp_path):
    ledger, found = run(
        tmp_path,
        [("R-3", "2026-05-10", HUAXIN, "3000.00"), ("R-4", "2026-05-12", HUAXIN, "500.00")],
        [
            ("SO-1", HUAXIN, "2026-04-01", "1000.00"),
            ("SO-2", HUAXIN, "2026-04-02", "2000.00"),
            ("SO-3", HUAXIN, "2026-04-20", "3000.00"),  # the decoy
            ("SO-4", HUAXIN, "2026-05-01", "900.00"),
        ],
    )
    r = found["R-3"]
    assert r.status == AMBIGUOUS
    alternatives = [[ledger.invoice_ids[i] for i in alt] for alt in r.alternatives]
    assert sorted(alternatives) == [["SO-1", "SO-2"], ["SO-3"]]
    assert (
        "fits 2 sets" in r.explanation
        and "SO-3" in r.explanation
        and "SO-1 + SO-2" in r.explanation
    )
    # Nothing was paid, and the partial payment after it keeps off the invoices in review.
    assert found["R-4"].status == PARTIAL and paid(ledger, found["R-4"]) == ["SO-4"]
    assert ledger.open_cents().tolist() == [100000, 200000, 300000, 40000]


def test_a_clerk_settles_an_ambiguous_receipt_with_the_set_it_pays(tmp_path):
    receipts = [("R-3", "2026-05-10", HUAXIN, "3000.00"), ("R-5", "2026-05-11", HUAXIN, "3000.00")]
    ledger, found = run(
        tmp_path,
        receipts,
        [
            ("SO-1", HUAXIN, "2026-04-01", "1000.00"),
            ("SO-2", HUAXIN, "2026-04-02", "2000.00"),
            ("SO-3", HUAXIN, "2026-04-20", "3000.00"),
        ],
    )
    assert found["R-3"].status == found["R-5"].status == AMBIGUOUS
    index = ledger.settlements.index(found["R-3"])
    pick = [[ledger.invoice_ids[i] for i in alt] for alt in found["R-3"].alternatives].index(
        ["SO-3"]
    )
    chosen = ledger.choose(index, pick, "alice")
    assert (chosen.status, paid(ledger, chosen), chosen.chosen_by) == (SETTLED, ["SO-3"], "alice")
    assert chosen.explanation == "R-3 pays SO-3 = 3,000.00 (chosen by alice from 2 sets)"
    assert ledger.settlements[index] is chosen
    assert ledger.open_cents().tolist() == [100000, 200000, 0]
    assert ledger.counts()["settled"] == 1
    # R-5 fitted the same two sets: the one paid is refused, the other still fits.
    other = ledger.settlements.index(found["R-5"])
    paid_set = [[ledger.invoice_ids[i] for i in alt] for alt in found["R-5"].alternatives]
    with pytest.raises(InputError, match="no longer add up"):
        ledger.choose(other, paid_set.index(["SO-3"]), "alice")
    assert ledger.open_cents().tolist() == [100000, 200000, 0]  # nothing changed
    ledger.choose(other, paid_set.index(["SO-1", "SO-2"]), "bob")
    assert ledger.open_cents().tolist() == [0, 0, 0]
    with pytest.raises(InputError, match="no such set"):
        ledger.choose(other, 0, "bob")  # settled already


def test_a_partial_payment_leaves_the_rest_open_for_the_next(tmp_path):
    ledger, found = run(
        tmp_path,
        [("R-121", "2026-06-20", HUAXIN, "7000"), ("R-120", "2026-06-01", HUAXIN, "5000")],
        [("SO-12", HUAXIN, "2026-05-15", "12,000.00")],
    )
    r = found["R-120"]
    assert (r.status, paid(ledger, r), r.remainder) == (PARTIAL, ["SO-12"], Decimal("7000.00"))
    assert r.explanation.startswith("R-120 pays 5,000.00 of SO-12 (12,000.00); 7,000.00 remains")
    rest = found["R-121"]
    assert (
        rest.status == SETTLED
        and rest.explanation == "R-121 pays SO-12 (rest of 12,000.00) = 7,000.00"
    )
    assert [ledger.payment_ids[s.payment] for s in ledger.settlements] == ["R-120", "R-121"]


def test_amounts_add_up_within_the_tolerance(tmp_path):
    receipts = [("R-1", "2026-03-10", HUAXIN, "1250.01")]
    invoices = [("SO-1", HUAXIN, "2026-03-01", "1000.00"), ("SO-2", HUAXIN, "2026-03-02", "250.00")]
    _, found = run(tmp_path, receipts, invoices)
    assert found["R-1"].status == SETTLED
    assert found["R-1"].explanation.endswith("= 1,250.00 (off by 0.01, within tolerance)")
    _, found = run(tmp_path, receipts, invoices, tolerance=0)
    assert found["R-1"].status == UNMATCHED  # more than both: no partial payment


def test_an_invoice_of_several_lines_is_paid_as_one(tmp_path):
    lines = [
        ("SO-1", HUAXIN, "2026-03-01", "螺丝", "10", "1,000.00"),
        ("SO-1", HUAXIN, "2026-03-01", "螺母", "5", "1,345.00"),
        ("SO-2", HUAXIN, "2026-03-03", "电机", "1", "6,000.00"),
        ("SO-2", HUAXIN, "2026-03-03", "电缆", "2", "4,000.00"),
        ("SO-3", DINGSHENG, "2026-03-04", "包装", "3", "300.50"),
    ]
    inv = write_csv(
        tmp_path / "序时簿.csv",
        ("单据编号", "客户名称", "日期", "物料名称", "数量", "价税合计"),
        lines,
    )
    pay = write_csv(
        tmp_path / "收款单.csv", RECEIPTS, [("R-1", "2026-03-20", HUAXIN, "12,345.00", "")]
    )
    ledger = settle(
        load_source(SourceSpec.parse(str(pay))), load_source(SourceSpec.parse(str(inv)))
    )
    (r,) = ledger.settlements
    assert r.status == SETTLED and paid(ledger, r) == ["SO-1", "SO-2"]
    assert ledger.invoice_ids == ["SO-1", "SO-2", "SO-3"]


def test_invoices_are_consumed_in_date_order(tmp_path):
    ledger, found = run(
        tmp_path,
        [("R-2", "2026-03-20", HUAXIN, "640.00"), ("R-1", "2026-03-10", HUAXIN, "640.00")],
        [("SO-1", HUAXIN, "2026-03-01", "640.00")],
    )
    assert found["R-1"].status == SETTLED and paid(ledger, found["R-1"]) == ["SO-1"]
    assert found["R-2"].status == UNMATCHED and not found["R-2"].invoices


def test_a_partial_payment_never_takes_what_a_later_receipt_fits(tmp_path):
    ledger, found = run(
        tmp_path,
        [("R-1", "2026-03-10", HUAXIN, "300.00"), ("R-2", "2026-03-20", HUAXIN, "1000.00")],
        [("SO-1", HUAXIN, "2026-03-01", "1000.00"), ("SO-2", HUAXIN, "2026-03-05", "800.00")],
    )
    assert paid(ledger, found["R-1"]) == ["SO-2"] and found["R-1"].status == PARTIAL
    assert found["R-2"].status == SETTLED and paid(ledger, found["R-2"]) == ["SO-1"]


def test_another_customers_invoice_is_never_used(tmp_path):
    ledger, found = run(
        tmp_path,
        [
            ("R-1", "2026-03-10", DINGSHENG, "500.00"),
            ("R-2", "2026-03-10", "广州华信科技有限公司", "500.00"),
        ],
        [("SO-1", HUAXIN, "2026-03-01", "500.00")],
    )
    assert found["R-1"].status == UNMATCHED
    assert found["R-2"].status == UNMATCHED  # another city's 华信科技
    assert "no open invoice of 上海鼎盛贸易有限公司" in found["R-1"].explanation
    assert ledger.open_cents().tolist() == [50000]


def test_a_short_name_pays_the_one_customer_it_names(tmp_path):
    ledger, found = run(
        tmp_path,
        [
            ("R-1", "2026-03-10", "北京华信", "500.00"),  # a clerk's 简称
            ("R-2", "2026-03-10", "鼎盛", "70.00"),  # 上海鼎盛 or 深圳鼎盛: nobody's
            ("R-3", "2026-03-11", "深圳华信", "90.00"),  # another city's 华信
        ],
        [
            ("SO-1", HUAXIN, "2026-03-01", "500.00"),
            ("SO-2", DINGSHENG, "2026-03-01", "70.00"),
            ("SO-3", "深圳市鼎盛电子有限公司", "2026-03-01", "70.00"),
            ("SO-4", HUAXIN, "2026-03-02", "90.00"),
        ],
    )
    r = found["R-1"]
    assert r.status == SETTLED and paid(ledger, r) == ["SO-1"]
    assert r.explanation == f"R-1 pays SO-1 = 500.00 (北京华信 read as {HUAXIN})"
    assert found["R-2"].status == UNMATCHED and found["R-3"].status == UNMATCHED


def test_an_invoice_list_of_lines_by_its_invoice_number_is_paid_per_invoice(tmp_path):
    inv = write_csv(
        tmp_path / "销项发票明细.csv",
        ("发票号", "开票日期", "客户名称", "货物名称", "数量", "金额", "税额", "价税合计"),
        [
            ("01000007", "2026-02-01", HUAXIN, "触摸屏", "46", "1,289.10", "167.58", "1,456.68"),
            ("01000007", "2026-02-01", HUAXIN, "铝型材", "11", "418.91", "54.46", "473.37"),
            ("01000014", "2026-02-02", HUAXIN, "轴承", "3", "2,654.87", "345.13", "3,000.00"),
            ("01000021", "2026-02-03", HUAXIN, "轴承", "3", "2,654.87", "345.13", "3,000.00"),
            ("01000021", "2026-02-03", HUAXIN, "电机", "1", "885.00", "115.05", "1,000.05"),
        ],
    )
    pay = write_csv(
        tmp_path / "收款单.csv", RECEIPTS, [("R-1", "2026-02-20", HUAXIN, "1,930.05", "")]
    )
    ledger = settle(
        load_source(SourceSpec.parse(str(pay))), load_source(SourceSpec.parse(str(inv)))
    )
    (r,) = ledger.settlements
    assert ledger.invoice_ids == ["01000007", "01000014", "01000021"]
    assert r.status == SETTLED and r.explanation == "R-1 pays 01000007 = 1,930.05"


def test_an_invoice_outside_the_window_is_never_used(tmp_path):
    receipts = [("R-1", "2026-09-01", HUAXIN, "500.00"), ("R-2", "2026-09-01", DINGSHENG, "70.00")]
    invoices = [
        ("SO-1", HUAXIN, "2026-02-01", "500.00"),
        ("SO-2", DINGSHENG, "2026-09-30", "70.00"),
    ]
    _, found = run(tmp_path, receipts, invoices)
    assert found["R-1"].status == UNMATCHED and found["R-2"].status == UNMATCHED
    _, found = run(tmp_path, receipts, invoices, window_days=250, slack_days=30)
    assert found["R-1"].status == SETTLED and found["R-2"].status == SETTLED


def test_fitting_sets_counts_every_set_and_lists_the_smallest_first():
    rng = random.Random(5)
    for n in (0, 1, 4, 12, 13, 20):
        amounts = np.array([rng.randrange(1, 40) for _ in range(n)], dtype=np.int64)
        target = rng.randrange(1, 80)
        every = [
            c for k in range(1, 6) for c in itertools.combinations(range(n), k)
            if abs(int(amounts[list(c)].sum()) - target) <= 1
        ]  # fmt: skip
        count, sets = fitting_sets(amounts, target, 1, limit=10**6)
        assert count == len(every) and sorted(sets) == sorted(every)
        assert [len(s) for s in sets] == sorted(len(s) for s in sets)
    amounts = np.full(30, 100, dtype=np.int64)  # C(30, 3) ways to pay 300.00
    count, sets = fitting_sets(amounts, 300)
    assert count == 4060 and len(sets) == 6


def _cli_files(tmp_path):
    pay = write_csv(
        tmp_path / "receipts.csv",
        RECEIPTS,
        [
            ("R-1", "2026-03-10", HUAXIN, "1,250.00", "货款"),
            ("R-2", "2026-03-12", DINGSHENG, "99.00", "预收"),
            ("R-4", "2026-03-11", DINGSHENG, "300.00", "货款"),
            ("R-3", "2026-03-15", HUAXIN, "400.00", "部分货款"),
        ],
    )
    inv = write_csv(
        tmp_path / "invoices.csv",
        INVOICES,
        [
            ("SO-1", HUAXIN, "2026-03-01", "1000.00"),
            ("SO-2", HUAXIN, "2026-03-02", "250.00"),
            ("SO-3", HUAXIN, "2026-03-03", "900.00"),
            ("SO-4", DINGSHENG, "2026-03-05", "300.00"),
            ("SO-5", DINGSHENG, "2026-03-06", "300.00"),
        ],
    )
    return pay, inv


def test_the_command_writes_settlements_open_invoices_and_a_summary(tmp_path):
    pay, inv = _cli_files(tmp_path)
    out = tmp_path / "out"
    assert main(["settle", "--quiet", "--out", str(out), str(pay), str(inv)]) == 0
    with open(out / "settlements.csv", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == [
        "settlement_id", "status", "payment_table", "payment_id", "invoice_table", "invoice_id",
        "applied", "remainder", "explanation",
    ]  # fmt: skip
    got = [
        (r["status"], r["payment_id"], r["invoice_id"], r["applied"], r["remainder"]) for r in rows
    ]
    assert got == [
        ("settled", "R-1", "SO-1", "1000.00", "0.00"),
        ("settled", "R-1", "SO-2", "250.00", "0.00"),
        ("ambiguous", "R-4", "SO-4", "300.00", "0.00"),  # proposed, not applied
        ("unmatched", "R-2", "", "", ""),  # what it could pay waits for R-4's review
        ("partial", "R-3", "SO-3", "400.00", "500.00"),
    ]
    assert "SO-4 | SO-5" in rows[2]["explanation"] and "review" in rows[3]["explanation"]
    assert rows[0]["settlement_id"] == rows[1]["settlement_id"] != rows[2]["settlement_id"]
    assert {r["payment_table"] for r in rows} == {"receipts"}
    with open(out / "open_invoices.csv", encoding="utf-8") as stream:
        left = list(csv.DictReader(stream))
    assert [(r["invoice_id"], r["amount"], r["paid"], r["open"]) for r in left] == [
        ("SO-3", "900.00", "400.00", "500.00"),
        ("SO-4", "300.00", "0.00", "300.00"),
        ("SO-5", "300.00", "0.00", "300.00"),
    ]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["payments"] == {"settled": 1, "partial": 1, "ambiguous": 1, "unmatched": 1}
    assert summary["tables"]["receipts"]["columns"]["amount"] == "收款金额"
    assert summary["amounts"]["applied"] == 1650.0 and summary["seconds"] >= 0
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary left


def test_a_payments_file_without_amounts_is_one_clear_line(tmp_path, capsys):
    _, inv = _cli_files(tmp_path)
    pay = write_csv(
        tmp_path / "收款单.csv", ("单据编号", "日期", "客户"), [("R-1", "2026-03-10", HUAXIN)]
    )
    code = main(["settle", "--quiet", "--out", str(tmp_path / "out"), str(pay), str(inv)])
    err = capsys.readouterr().err
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "收款单.csv" in err and "no amount column" in err


@pytest.mark.parametrize("option", [["--window-days", "-3"], ["--tolerance", "abc"]])
def test_bad_options_are_usage_errors(tmp_path, option):
    pay, inv = _cli_files(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["settle", "--quiet", "--out", str(tmp_path / "o"), *option, str(pay), str(inv)])
    assert stop.value.code == 2
