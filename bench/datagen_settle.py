"""A world of receipts and the invoices they pay, for ``concord settle`` (``bench.settle_quality``).

Each customer is simulated through a year: invoices (销售发票) are issued every week or
two, and the customer pays now and then, oldest invoices first as a rule:

- ``set``: a receipt pays 1 to 5 open invoices in full (now and then not the oldest);
- ``partial``: it pays part of the oldest open invoice, or a few in full and part of the
  next; the rest is open and is paid by a later receipt like any other invoice;
- ``ambiguous``: it pays a set, and by construction other open invoices of the customer
  (issued since its last receipt, never paid) add up to the same sum — a decoy;
- ``unmatched``: money for no invoice in the export (an advance, an opening balance),
  half of it from customers with no invoice at all.

A few invoices are disputed and never paid. Written as a Kingdee-like 收款单 workbook
(单据编号, 日期, 客户, 收款金额, 摘要, with a title row) and a 销售发票序时簿 CSV in
GB18030, one row per invoice line (单据编号, 客户名称, 日期, 物料, 数量, 金额, 税额,
价税合计); customer names are spelt differently between the two, amounts sometimes with
thousands separators, dates in several forms.
Truth: ``truth/pairs.csv`` (receipt, invoice, applied) and ``truth/receipts.csv`` (kind,
ambiguous).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

from faker import Faker
from openpyxl import Workbook

from bench import datagen_vocab as v
from bench.datagen_customers import Company, Speller, build_companies
from bench.datagen_write import save_stable

START, END = date(2026, 1, 1), date(2026, 12, 31)
KINDS = ("set", "partial", "ambiguous", "unmatched")
WEIGHTS = (80, 12, 5, 3)
DISPUTED = 0.02  # invoices never paid
RECEIPT_COLUMNS = ("单据编号", "日期", "客户", "收款金额", "结算方式", "币别", "摘要")
INVOICE_COLUMNS = (
    "单据编号", "客户名称", "日期", "物料编码", "物料名称", "数量", "金额", "税额", "价税合计", "业务员",
)  # fmt: skip
LINES = 0.4  # invoices of two or three lines (a 序时簿 row per line, the head repeated)
MEMOS = ("收到货款", "回款", "货款", "银行转账", "电汇", "承兑汇票到账")


class _Speller(Speller):
    """Spellings the normaliser should see through; a typo (another trade name) is rare."""

    WEIGHTS = (20, 15, 12, 5, 10, 1, 15, 8)


@dataclass
class Invoice:
    number: str
    company: Company
    day: date
    cents: int
    open: int = 0
    disputed: bool = False

    def __post_init__(self) -> None:
        self.open = self.cents


@dataclass
class Receipt:
    number: str
    company: Company
    day: date
    cents: int
    kind: str
    pays: list[tuple[Invoice, int]] = field(default_factory=list)  # invoice, cents applied


@dataclass
class World:
    receipts: list[Receipt]
    invoices: list[Invoice]


def _amount(rng: random.Random) -> int:
    yuan = min(max(rng.lognormvariate(9.6, 1.0), 300), 900_000)
    return int(yuan) * 100 if rng.random() < 0.3 else int(yuan * 100)


def _split(rng: random.Random, cents: int, parts: int) -> list[int]:
    cuts = sorted(rng.sample(range(100, cents - 100), parts - 1)) if parts > 1 else []
    edges = [0, *cuts, cents]
    return [b - a for a, b in pairwise(edges)]


class _Customer:
    """One customer's year: invoices issued, receipts paid, the truth of each."""

    def __init__(self, rng: random.Random, company: Company, world: World) -> None:
        self.rng, self.company, self.world = rng, company, world
        self.open: list[Invoice] = []
        self.last = START

    def invoice(self, day: date, cents: int, disputed: bool = False) -> Invoice:
        made = Invoice("", self.company, day, cents, disputed=disputed)
        self.world.invoices.append(made)
        if not disputed:
            self.open.append(made)
        return made

    def receipt(self, day: date, cents: int, kind: str, pays: list[tuple[Invoice, int]]) -> None:
        for invoice, applied in pays:
            invoice.open -= applied
        self.open = [i for i in self.open if i.open > 0]
        self.world.receipts.append(Receipt("", self.company, day, cents, kind, pays))
        self.last = day

    def live(self, receipts: int) -> int:
        rng, day = self.rng, START + timedelta(days=self.rng.randrange(40))
        made = 0
        while made < receipts and day < END:
            for _ in range(rng.choice((0, 1, 1, 1, 2))):
                self.invoice(
                    day - timedelta(days=rng.randrange(10)), _amount(rng), rng.random() < DISPUTED
                )
            day += timedelta(days=rng.randrange(8, 30))
            made += self.pay(day)
        return made

    def pay(self, day: date) -> int:
        rng = self.rng
        due = sorted(
            (i for i in self.open if (day - i.day).days in range(3, 100)), key=lambda i: i.day
        )
        kind = rng.choices(KINDS, WEIGHTS)[0]
        if kind == "unmatched":
            self.receipt(day, _amount(rng), kind, [])
            return 1
        if not due:
            return 0
        if kind == "partial":
            full = rng.choice((0, 0, 0, 1, 2))
            paid = due[: min(full, len(due) - 1)]
            part = due[len(paid)]
            share = int(part.open * rng.uniform(0.2, 0.8)) // 10_000 * 10_000
            if share <= 0:
                return 0
            pays = [(i, i.open) for i in paid] + [(part, share)]
            self.receipt(day, sum(a for _, a in pays), kind, pays)
            return 1
        size = min(len(due), rng.choices((1, 2, 3, 4, 5), (45, 25, 15, 9, 6))[0])
        chosen = (
            due[:size]
            if rng.random() < 0.75
            else sorted(rng.sample(due, size), key=lambda i: i.day)
        )
        cents = sum(i.open for i in chosen)
        if kind == "ambiguous":
            parts = rng.choice([p for p in (1, 2, 3) if cents > 300 * p])
            for share in _split(rng, cents, parts):
                since = max((day - self.last).days, 4)
                self.invoice(
                    day - timedelta(days=rng.randrange(3, min(since, 90) + 1)), share, True
                )
        self.receipt(day, cents, kind, [(i, i.open) for i in chosen])
        return 1


def generate(n_receipts: int = 20_000, seed: int = 7) -> World:
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    companies = build_companies(rng, fake, max(20, n_receipts // 6))
    world = World([], [])
    strangers = n_receipts * WEIGHTS[-1] // sum(WEIGHTS) // 2
    for company in companies[:strangers]:  # customers with no invoice in the export
        world.receipts.append(
            Receipt(
                "", company, START + timedelta(days=rng.randrange(360)), _amount(rng), "unmatched"
            )
        )
    for company in companies[strangers:]:
        left = n_receipts - len(world.receipts)
        if left <= 0:
            break
        _Customer(rng, company, world).live(min(left, rng.randrange(3, 12)))
    world.receipts.sort(key=lambda r: r.day)
    for k, receipt in enumerate(world.receipts):
        receipt.number = f"SKD{receipt.day:%Y%m}{k + 1:06d}"
    world.invoices.sort(key=lambda i: i.day)
    for k, invoice in enumerate(world.invoices):
        invoice.number = f"XSFP{k + 100001:08d}"
    return world


def _money(rng: random.Random, cents: int) -> str:
    amount = Decimal(cents) / 100
    return f"{amount:,.2f}" if rng.random() < 0.4 else f"{amount:.2f}"


def write(world: World, folder: Path, seed: int = 7) -> dict[str, Path]:
    """The two exports and the truth; returns their paths."""
    rng = random.Random(seed + 1)
    speller = _Speller()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "truth").mkdir(exist_ok=True)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("收款单")
    sheet.append(["收款单序时簿"])
    sheet.append([f"导出时间：{datetime(2027, 1, 4, 9, 12):%Y-%m-%d %H:%M}"])
    sheet.append(list(RECEIPT_COLUMNS))
    for r in world.receipts:
        name = speller.variant(rng, r.company) if rng.random() < 0.6 else r.company.name
        amount: object = r.cents / 100 if rng.random() < 0.7 else _money(rng, r.cents)
        memo = {"partial": "部分货款", "unmatched": rng.choice(("预收货款", "货款"))}.get(
            r.kind, rng.choice(MEMOS)
        )
        sheet.append([r.number, datetime.combine(r.day, datetime.min.time()), name, amount,
                      rng.choice(("电汇", "网银", "承兑")), "人民币", memo])  # fmt: skip
    receipts = folder / "收款单.xlsx"
    save_stable(book, receipts)
    invoices = folder / "销售发票.csv"
    with open(invoices, "w", encoding="gb18030", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(INVOICE_COLUMNS)
        for i in world.invoices:
            name = speller.variant(rng, i.company) if rng.random() < 0.15 else i.company.name
            day = v.date_text(rng, i.day)
            lines = rng.choice((2, 3)) if rng.random() < LINES and i.cents > 1000 else 1
            for cents in _split(rng, i.cents, lines):
                product, net = rng.choice(v.PRODUCTS), round(cents / 1.13)
                writer.writerow([i.number, name, day, product.code, product.name, rng.randrange(1, 20),
                                 _money(rng, net), _money(rng, cents - net), _money(rng, cents),
                                 i.company.rep])  # fmt: skip
    with open(folder / "truth" / "pairs.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(("receipt_id", "invoice_id", "applied"))
        for r in world.receipts:
            writer.writerows((r.number, i.number, f"{a / 100:.2f}") for i, a in r.pays)
    with open(folder / "truth" / "receipts.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(("receipt_id", "kind", "ambiguous", "invoices"))
        writer.writerows(
            (r.number, r.kind, int(r.kind == "ambiguous"), len(r.pays)) for r in world.receipts
        )
    return {"payments": receipts, "invoices": invoices}
