"""A held-out settlement world, written apart from the engine and the other generators:
receipts (收款单: 单据编号, 日期, 客户, 收款金额) that pay 1-5 invoices (发票号, 开票日期,
客户名称, 金额, 税额, 价税合计) of their customer a few weeks after they were issued.

Planted: partial payments (one invoice paid in two receipts, the second paying exactly
what remains, or never), invoices never paid, ambiguous receipts (another invoice of the
same customer, or a set of them, adds up to the same amount: the tool should flag them
rather than pick), receipts of other customers — sister companies of the same trade name
in another city among them — paying the same amount, customer names spelt as clerks do
(简称 with its city, full-width letters and brackets).

Styles: ``rows`` (invoices one row each, xlsx; receipts GB18030 CSV) and ``lines``
(invoices as lines, the 发票号 repeated on each line, GB18030 CSV; receipts xlsx).

Truth (``truth.json``): every (receipt, invoice) pair that really was paid, the receipts
that are ambiguous by construction, and each receipt's kind.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

import openpyxl

from bench.datagen_lines_heldout import INDUSTRY, LEGAL, PRODUCTS, REGIONS, TRADE_A, TRADE_B

DATA = Path(__file__).resolve().parent / "data" / "settle_heldout"


def _companies(rnd: random.Random, n: int) -> list[dict]:
    out: list[dict] = []
    seen: set[str] = set()
    while len(out) < n:
        trade = rnd.choice(TRADE_A) + rnd.choice(TRADE_B)
        industry = rnd.choice(INDUSTRY)
        if trade + industry in seen:
            continue
        seen.add(trade + industry)
        cities = rnd.sample(REGIONS, 2 if rnd.random() < 0.15 else 1)  # sister companies
        for region_full, region_short in cities:
            legal = rnd.choice(LEGAL)
            full = f"{region_full}{trade}{industry}{legal}"
            spellings = [
                full,
                full,
                full,
                f"{region_short}{trade}{industry}",
                f"{region_full}{trade}{industry}　{legal}",
                f"{region_short}{trade}",
            ]
            if len(cities) == 1:
                spellings.append(f"{trade}{industry}")
            out.append({"full": full, "spellings": spellings, "sister": len(cities) > 1})
    return out


def build(seed: int = 3, customers: int = 260) -> dict:
    rnd = random.Random(seed)
    comps = _companies(rnd, customers)
    start = date(2026, 1, 2)
    span = 260
    invoices: list[dict] = []
    receipts: list[dict] = []
    seq = {"inv": 0, "rec": 0}

    def new_invoice(c: int, d: date, amount: float) -> dict:
        seq["inv"] += 1
        inv = {
            "id": f"0{1000000 + seq['inv'] * 7:07d}",
            "customer": c,
            "date": d,
            "amount": round(amount, 2),
        }
        invoices.append(inv)
        return inv

    def new_receipt(
        c: int, d: date, amount: float, pays: list[tuple[str, float]], kind: str
    ) -> dict:
        seq["rec"] += 1
        rec = {
            "id": f"SKD{d:%Y%m}{seq['rec']:05d}",
            "customer": c,
            "date": d,
            "amount": round(amount, 2),
            "pays": pays,
            "kind": kind,
        }
        receipts.append(rec)
        return rec

    def amount() -> float:
        return round(
            rnd.choice(
                [rnd.uniform(800, 9000), rnd.uniform(5000, 60000), rnd.uniform(30000, 300000)]
            ),
            2,
        )

    for c in range(len(comps)):
        n = rnd.randint(8, 26)
        dates = sorted(start + timedelta(days=rnd.randrange(span - 50)) for _ in range(n))
        invs = [new_invoice(c, d, amount()) for d in dates]
        i = 0
        while i < len(invs):
            k = rnd.choices([1, 2, 3, 4, 5], [35, 25, 18, 12, 10])[0]
            batch = invs[i : i + k]
            r = rnd.random()
            if r < 0.08:
                i += len(batch)  # never paid
                continue
            if r < 0.18:
                inv = batch[0]
                i += 1
                part = round(inv["amount"] * rnd.uniform(0.3, 0.7), 2)
                d1 = inv["date"] + timedelta(days=rnd.randint(10, 30))
                new_receipt(c, d1, part, [(inv["id"], part)], "partial")
                if rnd.random() < 0.7:
                    rest = round(inv["amount"] - part, 2)
                    new_receipt(
                        c,
                        d1 + timedelta(days=rnd.randint(15, 40)),
                        rest,
                        [(inv["id"], rest)],
                        "remainder",
                    )
                continue
            i += len(batch)
            last = batch[-1]["date"]
            paid = last + timedelta(days=rnd.randint(5, 40))
            while (paid - batch[0]["date"]).days > 110 and len(batch) > 1:
                i -= 1
                batch = batch[:-1]
            total = round(sum(x["amount"] for x in batch), 2)
            kind = "exact"
            if r < 0.25:
                kind = "ambiguous"
                if len(batch) >= 2:
                    decoy_date = batch[0]["date"] + timedelta(
                        days=rnd.randint(0, max(0, (paid - batch[0]["date"]).days - 2))
                    )
                    new_invoice(c, decoy_date, total)
                else:
                    twin_date = batch[0]["date"] + timedelta(days=rnd.randint(-20, 3))
                    new_invoice(c, twin_date, total)
            new_receipt(c, paid, total, [(x["id"], x["amount"]) for x in batch], kind)

    # receipts of other customers paying the very same amount
    for rec in list(receipts):
        if rec["kind"] != "exact" or rnd.random() > 0.06:
            continue
        c = rec["customer"]
        sisters = [
            j
            for j in range(len(comps))
            if j != c
            and comps[j]["sister"]
            and comps[c]["sister"]
            and comps[j]["spellings"][5][2:] == comps[c]["spellings"][5][2:]
        ]
        other = sisters[0] if sisters else rnd.choice([j for j in range(len(comps)) if j != c])
        inv = new_invoice(other, rec["date"] - timedelta(days=rnd.randint(5, 30)), rec["amount"])
        new_receipt(
            other,
            rec["date"] + timedelta(days=rnd.randint(-3, 3)),
            rec["amount"],
            [(inv["id"], inv["amount"])],
            "same_amount_other_customer",
        )
    return {"companies": comps, "invoices": invoices, "receipts": receipts}


def _date(d: date, rnd: random.Random) -> str:
    f = rnd.random()
    if f < 0.4:
        return d.isoformat()
    if f < 0.7:
        return f"{d.year}/{d.month}/{d.day}"
    if f < 0.85:
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d:%Y%m%d}"


def write_world(
    style: str = "rows", seed: int = 3, customers: int = 260, out: Path | None = None
) -> Path:
    folder = out or DATA / f"{style}_{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    w = build(seed, customers)
    rnd = random.Random(seed * 7 + len(style))
    comps = w["companies"]

    def spell(c: int) -> str:
        return rnd.choice(comps[c]["spellings"])

    receipts = sorted(w["receipts"], key=lambda r: (r["date"], r["id"]))
    header_r = ["单据编号", "日期", "客户", "结算方式", "收款金额", "备注"]
    rows_r = [
        [
            r["id"],
            _date(r["date"], rnd),
            spell(r["customer"]),
            rnd.choice(["电汇", "银行承兑", "网银"]),
            f"{r['amount']:,.2f}",
            rnd.choice(["", "货款", "回款", "预收冲销"]),
        ]
        for r in receipts
    ]
    invoices = sorted(w["invoices"], key=lambda v: (v["date"], v["id"]))
    if style == "rows":
        pay_path = folder / "收款单.csv"
        with pay_path.open("w", encoding="gb18030", newline="") as fh:
            cw = csv.writer(fh)
            cw.writerow(header_r)
            cw.writerows(rows_r)
        inv_path = folder / "销项发票.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "发票列表"
        ws.append(
            ["发票号", "发票代码", "开票日期", "客户名称", "金额", "税额", "价税合计", "开票人"]
        )
        for v in invoices:
            net = round(v["amount"] / 1.13, 2)
            ws.append(
                [
                    v["id"],
                    "4400261130",
                    v["date"],
                    comps[v["customer"]]["full"],
                    net,
                    round(v["amount"] - net, 2),
                    v["amount"],
                    rnd.choice(["刘芳", "陈静", "王敏"]),
                ]
            )
            ws.cell(row=ws.max_row, column=3).number_format = "yyyy-mm-dd"
            for col in (5, 6, 7):
                ws.cell(row=ws.max_row, column=col).number_format = "#,##0.00"
        wb.save(inv_path)
    else:
        pay_path = folder / "收款单.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "收款单"
        ws.append(header_r)
        for row in rows_r:
            ws.append(row)
        wb.save(pay_path)
        inv_path = folder / "销项发票明细.csv"
        with inv_path.open("w", encoding="gb18030", newline="") as fh:
            cw = csv.writer(fh)
            cw.writerow(
                ["发票号", "开票日期", "客户名称", "货物名称", "数量", "金额", "税额", "价税合计"]
            )
            for v in invoices:
                n = rnd.choice([1, 1, 2, 3])
                cents = round(v["amount"] * 100)
                cuts = sorted(rnd.sample(range(1, cents), n - 1)) if n > 1 and cents > n else []
                parts = [b - a for a, b in zip([0, *cuts], [*cuts, cents], strict=False)]
                dtext = _date(v["date"], rnd)
                for p in parts:
                    gross = p / 100
                    net = round(gross / 1.13, 2)
                    name, spec = rnd.choice(PRODUCTS)
                    cw.writerow(
                        [
                            v["id"],
                            dtext,
                            comps[v["customer"]]["full"],
                            f"{name} {spec}",
                            rnd.randint(1, 50),
                            f"{net:,.2f}",
                            f"{gross - net:,.2f}",
                            f"{gross:,.2f}",
                        ]
                    )
    truth = {
        "style": style,
        "files": {"payments": pay_path.name, "invoices": inv_path.name},
        "pairs": [[r["id"], inv] for r in w["receipts"] for inv, _a in r["pays"]],
        "kinds": {r["id"]: r["kind"] for r in w["receipts"]},
        "ambiguous": [r["id"] for r in w["receipts"] if r["kind"] == "ambiguous"],
        "receipts": len(w["receipts"]),
        "invoices": len(w["invoices"]),
    }
    (folder / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return folder


if __name__ == "__main__":
    for s in ("rows", "lines"):
        print(write_world(s))
