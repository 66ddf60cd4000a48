"""The same kind of sales world in other vendors' export styles, with the document chain
planted: a U8-style ERP, a Salesforce-style CRM and a DingTalk-style OA.

- ``U8销售订单.xlsx``: a title row, then 订单号 / 订单日期 (date cells) / 客户编码 / 客户简称 /
  存货编码 / 存货名称 / 数量 / 含税单价 / 价税合计 / 业务员 / 单据状态 (审核, 开立) / 制单人 /
  备注 — numbers as numeric cells;
- ``opportunities.csv`` (UTF-8 with BOM): Opportunity ID (``006…``, 15 characters),
  Opportunity Name, Account Name, Amount (``CNY 1,234.50``), Close Date (``11/03/2026``),
  Stage (Closed Won, Closed Lost, Negotiation/Review, Proposal/Price Quote, Prospecting),
  Opportunity Owner, ERP Order No (sometimes filled);
- ``dingtalk.xlsx``: 审批编号 (20 digits), 标题, 审批状态 (已完成, 审批中, 已撤销) with 审批结果
  (同意, 拒绝, empty), 发起时间 and 完成时间 (datetimes), 发起人姓名, 发起人部门, 客户名称,
  合同金额.

Planted per deal at exact counts (:data:`PLAN`): the chain exceptions of every kind, late
approvals still within the 2-day grace period (no exception), amounts and dates that
differ. The truth (``truth/orders.csv``, ``truth/conflicts.csv`` with ``kind``) is
written beside the files; ages count to the newest day the files hold (``END``).

Nothing here imports ``app``.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from faker import Faker
from openpyxl import Workbook

from bench import datagen_vocab as v
from bench.datagen_customers import Company, Speller, build_companies
from bench.datagen_orders import chain_kind

START, END = date(2026, 9, 1), date(2026, 11, 24)
PLAN = {
    "approved_not_booked": 0.05,  # OA 同意 more than 2 days ago, U8 still 开立
    "booked_without_approval": 0.05,  # U8 审核, OA 审批中 / 拒绝 / 已撤销 / no approval
    "won_not_submitted": 0.03,  # Closed Won, no approval, not in U8
    "contradiction": 0.03,  # Closed Lost while OA 同意, or Closed Won while OA 拒绝
    "within_grace": 0.03,  # OA 同意 in the last 2 days, U8 still 开立: no exception
    "pending": 0.08,  # everything still under way: no exception
    "money": 0.04,  # the U8 amount differs
    "date": 0.01,  # booked in U8 more than a week after the close date
}
# Canonical state → each system's words (DingTalk: 审批状态 and 审批结果).
U8 = {"approved": "审核", "draft": "开立"}
SALESFORCE = {"approved": "Closed Won", "rejected": "Closed Lost"}
SALESFORCE_OPEN = ("Negotiation/Review", "Proposal/Price Quote", "Prospecting")
DINGTALK = {
    "approved": ("已完成", "同意"),
    "rejected": ("已完成", "拒绝"),
    "pending": ("审批中", ""),
    "cancelled": ("已撤销", ""),
}
FILES = {"erp": "U8销售订单.xlsx", "crm": "opportunities.csv", "oa": "dingtalk.xlsx"}
U8_COLUMNS = (
    "订单号", "订单日期", "客户编码", "客户简称", "存货编码", "存货名称", "数量", "含税单价",
    "价税合计", "业务员", "单据状态", "制单人", "备注",
)  # fmt: skip
SF_COLUMNS = (
    "Opportunity ID", "Opportunity Name", "Account Name", "Amount", "Close Date", "Stage",
    "Opportunity Owner", "ERP Order No",
)  # fmt: skip
DT_COLUMNS = (
    "审批编号", "标题", "审批状态", "审批结果", "发起时间", "完成时间", "发起人姓名", "发起人部门",
    "客户名称", "合同金额",
)  # fmt: skip
DEPARTMENTS = ("华东销售部", "华南销售部", "华北销售部", "大客户部")
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass
class Deal:
    entity: str
    plan: str
    company: Company
    product: v.Product
    quantity: int
    cents: int
    close: date  # won in the CRM
    booked: date  # booked in the ERP
    submitted: datetime  # approval started in the OA
    finished: datetime | None  # approval ended
    states: dict[str, str] = field(default_factory=dict)  # table → canonical state
    erp_cents: int = 0
    numbers: dict[str, str] = field(default_factory=dict)


def _plans(rng: random.Random, count: int) -> list[str]:
    labels = [p for p, rate in PLAN.items() for _ in range(round(rate * count))]
    labels += ["ok"] * (count - len(labels))
    rng.shuffle(labels)
    return labels


def _states(rng: random.Random, plan: str) -> dict[str, str]:
    """The canonical state of each record the deal has (a missing table: no key)."""
    if plan == "approved_not_booked" or plan == "within_grace":
        return {"erp": "draft", "crm": "approved", "oa": "approved"}
    if plan == "booked_without_approval":
        oa = rng.choice(("pending", "rejected", "cancelled", None))
        return {"erp": "approved", "crm": "approved"} | ({"oa": oa} if oa else {})
    if plan == "won_not_submitted":
        return {"crm": "approved"}
    if plan == "contradiction":
        if rng.random() < 0.5:
            return {"erp": "draft", "crm": "rejected", "oa": "approved"}
        return {"erp": "draft", "crm": "approved", "oa": "rejected"}
    if plan == "pending":
        return {"erp": "draft", "crm": "pending", "oa": "pending"}
    return {"erp": "approved", "crm": "approved", "oa": "approved"}


def _deal(rng: random.Random, number: int, plan: str, company: Company) -> Deal:
    product = rng.choice(v.PRODUCTS)
    quantity = v.quantity(rng, product)
    cents = product.cents * rng.choice((100, 100, 98, 95, 90, 88)) // 100
    if plan == "within_grace":
        close = END - timedelta(days=rng.randrange(0, 3))
        submitted_day = close
    elif plan in ("approved_not_booked", "won_not_submitted"):
        close = START + timedelta(days=rng.randrange((END - START).days - 4))
        submitted_day = close - timedelta(days=rng.choice((0, 0, 1)))
    else:
        close = START + timedelta(days=rng.randrange((END - START).days + 1))
        submitted_day = close - timedelta(days=rng.choice((0, 0, 1, 2)))
    submitted_day = max(submitted_day, START)
    lag = rng.randrange(10, 20) if plan == "date" else rng.choice((0, 1, 1, 2, 3))
    booked = min(close + timedelta(days=lag), END)
    if plan == "date":
        booked = close + timedelta(days=lag)
        if booked > END:
            close = END - timedelta(days=lag)
            submitted_day, booked = close, END
    submitted = datetime.combine(submitted_day, datetime.min.time()) + timedelta(
        seconds=rng.randrange(8 * 3600, 19 * 3600)
    )
    deal = Deal(
        f"D{number:06d}", plan, company, product, quantity, cents, close, booked, submitted, None
    )
    deal.states = _states(rng, plan)
    if deal.states.get("oa") in ("approved", "rejected"):
        done = submitted + timedelta(hours=rng.randrange(1, 20))
        if plan == "within_grace" or done.date() > END:
            done = min(done, datetime.combine(END, datetime.min.time()) + timedelta(hours=20))
        deal.finished = done
    if plan in ("approved_not_booked", "within_grace", "contradiction", "pending"):
        deal.booked = min(max(deal.booked, deal.close), END)
    deal.erp_cents = cents
    if plan == "money":
        deal.erp_cents = cents * rng.choice((90, 95, 97)) // 100 or cents + 100
    return deal


def _number(rng: random.Random, deals: list[Deal]) -> None:
    for k, deal in enumerate(sorted(deals, key=lambda d: (d.booked, d.entity))):
        deal.numbers["erp"] = f"SO{deal.booked:%Y%m}{k + 1:05d}"
    for deal in deals:
        deal.numbers["crm"] = "0066F" + "".join(rng.choice(_ALNUM) for _ in range(10))
        deal.numbers["oa"] = f"{deal.submitted:%Y%m%d%H%M}{rng.randrange(10**8):08d}"[:20].ljust(
            20, "0"
        )


def _u8_row(rng: random.Random, speller: Speller, deal: Deal) -> list[object]:
    company = deal.company
    return [
        deal.numbers["erp"],
        datetime.combine(deal.booked, datetime.min.time()),
        f"{company.entity[1:]}",
        company.brand + company.trade if rng.random() < 0.6 else speller.variant(rng, company),
        deal.product.code,
        deal.product.name,
        deal.quantity,
        deal.erp_cents / 100,
        deal.quantity * deal.erp_cents / 100,
        company.rep,
        U8[deal.states["erp"]],
        rng.choice(("王会计", "李出纳", "赵制单")),
        rng.choice(("", "", "", "月结30天", "含运费")),
    ]


def _sf_row(rng: random.Random, speller: Speller, deal: Deal) -> list[object]:
    company = deal.company
    state = deal.states["crm"]
    stage = SALESFORCE.get(state) or rng.choice(SALESFORCE_OPEN)
    erp = deal.numbers.get("erp", "") if "erp" in deal.states and rng.random() < 0.4 else ""
    return [
        deal.numbers["crm"],
        f"{company.brand}-{deal.product.name}-{deal.close:%Y%m}",
        company.name if rng.random() < 0.7 else speller.variant(rng, company).strip(),
        f"CNY {deal.quantity * deal.cents / 100:,.2f}",
        deal.close.strftime("%m/%d/%Y"),
        stage,
        company.rep,
        erp,
    ]


def _dt_row(rng: random.Random, speller: Speller, deal: Deal) -> list[object]:
    company = deal.company
    status, result = DINGTALK[deal.states["oa"]]
    return [
        deal.numbers["oa"],
        f"{company.rep}提交的销售合同审批",
        status,
        result,
        deal.submitted,
        deal.finished or "",
        company.rep,
        rng.choice(DEPARTMENTS),
        company.name if rng.random() < 0.7 else speller.variant(rng, company).strip(),
        deal.quantity * deal.cents / 100,
    ]


def _day(deal: Deal, table: str) -> date:
    if table == "erp":
        return deal.booked
    if table == "crm":
        return deal.close
    return (deal.finished or deal.submitted).date()


def truth_rows(deals: list[Deal]) -> tuple[list[list[str]], list[list[str]]]:
    """(orders, conflicts): every record of a deal; every record of a deal whose field
    disagrees (amount, date: all three records) or whose chain is out of step."""
    orders = [
        [d.entity, t, d.numbers[t]] for d in deals for t in ("erp", "crm", "oa") if t in d.states
    ]
    conflicts = []
    for d in deals:
        days = {t: _day(d, t) for t in d.states}
        kind = chain_kind(d.states, days, END)
        if kind:
            conflicts += [[d.entity, "status", t, d.numbers[t], kind] for t in d.states]
        if d.plan == "money":
            conflicts += [[d.entity, "amount", t, d.numbers[t], "money"] for t in d.states]
        if d.plan == "date":
            conflicts += [[d.entity, "date", t, d.numbers[t], "date"] for t in d.states]
    return orders, conflicts


def generate(n_orders: int = 1000, seed: int = 7) -> list[Deal]:
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    companies = [c for c in build_companies(rng, fake, max(50, n_orders // 4)) if c.parent is None]
    deals = [
        _deal(rng, k + 1, plan, rng.choice(companies))
        for k, plan in enumerate(_plans(rng, n_orders))
    ]
    _number(rng, deals)
    return deals


def write(deals: list[Deal], out: Path, seed: int = 7) -> dict[str, Path]:
    """The three exports and ``truth/`` in ``out``; returns the export paths by table."""
    rng = random.Random(seed + 1)
    speller = Speller()
    out.mkdir(parents=True, exist_ok=True)
    paths = {table: out / name for table, name in FILES.items()}
    u8 = Workbook()
    sheet = u8.active
    sheet.title = "销售订单列表"
    sheet.append(["销售订单列表"])
    sheet.append(list(U8_COLUMNS))
    for deal in sorted((d for d in deals if "erp" in d.states), key=lambda d: d.numbers["erp"]):
        sheet.append(_u8_row(rng, speller, deal))
        sheet.cell(sheet.max_row, 2).number_format = "yyyy-mm-dd"
    u8.save(paths["erp"])
    with open(paths["crm"], "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(SF_COLUMNS)
        for deal in sorted(
            (d for d in deals if "crm" in d.states), key=lambda d: d.close, reverse=True
        ):
            writer.writerow(_sf_row(rng, speller, deal))
    dingtalk = Workbook()
    sheet = dingtalk.active
    sheet.title = "审批记录"
    sheet.append(list(DT_COLUMNS))
    for deal in sorted(
        (d for d in deals if "oa" in d.states), key=lambda d: d.submitted, reverse=True
    ):
        sheet.append(_dt_row(rng, speller, deal))
        for column in (5, 6):
            sheet.cell(sheet.max_row, column).number_format = "yyyy-mm-dd hh:mm:ss"
    dingtalk.save(paths["oa"])
    orders, conflicts = truth_rows(deals)
    truth = out / "truth"
    truth.mkdir(exist_ok=True)
    for name, header, rows in (
        ("orders.csv", ["entity_id", "table", "record_id"], orders),
        ("conflicts.csv", ["entity_id", "field", "table", "record_id", "kind"], conflicts),
    ):
        with open(truth / name, "w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
    return paths
