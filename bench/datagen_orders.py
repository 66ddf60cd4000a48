"""Deals and the three order tables: ERP 销售订单, CRM 订单, OA 审批记录.

A deal is one real sale. Most deals appear once in every system; the planted problems
(``PROBLEM_RATES``) are assigned to exact counts of deals, so the rates are known.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from bench import datagen_vocab as v
from bench.datagen_customers import Company, Speller

START, END = date(2026, 9, 1), date(2026, 11, 24)
PROBLEM_RATES = {
    "amount": 0.04,  # ERP amount differs from CRM and OA (discount, typo, tax)
    "status": 0.03,  # OA rejected or withdrawn, ERP approved
    "date": 0.01,  # ERP booked more than a week after the CRM order
    "crm_not_in_erp": 0.04,  # CRM order (maybe approved in OA) never booked in ERP
    "erp_without_oa": 0.04,  # ERP and CRM order, no approval
    "oa_without_crm": 0.02,  # approval (maybe booked in ERP) with no CRM order
}
CONFLICT_FIELDS = {"amount": "amount", "status": "status", "date": "date"}
ERP_ORDER_COLUMNS = (
    "单据编号", "单据日期", "客户编码", "客户名称", "物料编码", "物料名称", "数量", "含税单价",
    "价税合计", "审核状态", "业务员", "源单编号", "备注",
)  # fmt: skip
CRM_ORDER_COLUMNS = (
    "订单编号", "客户名称", "联系人", "联系电话", "订单金额", "下单日期", "订单状态", "ERP单号",
    "备注",
)  # fmt: skip
OA_COLUMNS = ("审批编号", "标题", "申请人", "客户名称", "金额", "审批状态", "提交时间")
ERP_NOTES = ("月结30天", "含运费", "客户自提", "加急", "分批发货", "按合同约定交货")
CRM_NOTES = (
    "客户要求加急，月底前发货", "联系人改为采购部李经理, 电话见附件", '含"安装调试"服务',
    "分两批发货\n第二批12月初到货", '报价按"年度框架协议"执行, 价格已确认', "老客户复购",
)  # fmt: skip


@dataclass
class Deal:
    entity: str
    problem: str
    company: Company
    product: v.Product
    quantity: int
    cents: int  # unit price in CRM and OA, in fen
    crm_day: date
    lead: int  # days the OA approval was submitted before the CRM order
    lag: int  # days the ERP order was booked after it
    tables: tuple[str, ...] = ("erp", "crm", "oa")
    erp_cents: int = 0
    detail: str = ""
    statuses: tuple[str, str, str] = ("已审核", "赢单", "已通过")  # erp, crm, oa
    rep: str = ""
    submitted: datetime | None = None
    numbers: dict[str, str] = field(default_factory=dict)  # table -> document number

    @property
    def total(self) -> int:
        return self.quantity * self.cents

    @property
    def erp_total(self) -> int:
        return self.quantity * self.erp_cents

    @property
    def erp_day(self) -> date:
        return self.crm_day + timedelta(days=self.lag)


def problem_labels(rng: random.Random, count: int) -> list[str]:
    labels = [p for p, rate in PROBLEM_RATES.items() for _ in range(round(rate * count))]
    labels += ["ok"] * (count - len(labels))
    rng.shuffle(labels)
    return labels


def build_deals(rng: random.Random, companies: list[Company], count: int) -> list[Deal]:
    """``count`` deals; a company rarely has two of the same amount within a week."""
    booked = [c for c in companies if c.in_erp]
    anyone = companies  # CRM orders never booked may come from prospects too
    weights = {c.entity: min(rng.paretovariate(1.5), 20.0) for c in companies}
    pools = {
        name: (pool, list(accumulate(weights[c.entity] for c in pool)))
        for name, pool in (("booked", booked), ("anyone", anyone))
    }
    seen: set[tuple[str, int, int]] = set()
    width = max(6, len(str(count)))
    deals = []
    for number, problem in enumerate(problem_labels(rng, count), start=1):
        pool, cumulative = pools["anyone" if problem == "crm_not_in_erp" else "booked"]
        company = rng.choices(pool, cum_weights=cumulative)[0]
        deal = _deal(rng, f"D{number:0{width}d}", problem, company, seen)
        _plant(rng, deal)
        deals.append(deal)
    return deals


def _deal(
    rng: random.Random, entity: str, problem: str, company: Company, seen: set[tuple]
) -> Deal:
    lead = rng.choice((0, 0, 0, 1, 1, 2))
    lag = rng.randrange(10, 26) if problem == "date" else rng.choice((0, 1, 1, 2, 2, 3, 4))
    span = (END - START).days - lead - lag + 1
    day = START + timedelta(days=lead + rng.randrange(span))
    for _ in range(3):  # fewer orders at weekends
        if day.weekday() < 5 or rng.random() < 0.15:
            break
        day = START + timedelta(days=lead + rng.randrange(span))
    for _ in range(20):
        product = rng.choice(v.PRODUCTS)
        quantity = v.quantity(rng, product)
        discount = rng.choice((100, 100, 100, 98, 95, 92, 90, 88, 85))
        cents = product.cents * discount // 100
        ordinal = day.toordinal()
        if not any((company.entity, quantity * cents, ordinal + k) in seen for k in range(-7, 8)):
            break
    seen.add((company.entity, quantity * cents, ordinal))
    deal = Deal(entity, problem, company, product, quantity, cents, day, lead, lag)
    deal.erp_cents = cents
    deal.rep = company.rep
    submitted = datetime.combine(day - timedelta(days=lead), datetime.min.time())
    deal.submitted = submitted + timedelta(seconds=rng.randrange(8 * 3600 + 1800, 19 * 3600))
    return deal


def _plant(rng: random.Random, deal: Deal) -> None:
    """Tables present, statuses and the ERP price, by the deal's problem."""
    won = rng.choice(("赢单", "赢单", "已成交"))
    deal.statuses = ("已审核", won, "已通过")
    problem = deal.problem
    if problem == "amount":
        deal.detail, deal.erp_cents = _changed_price(rng, deal.cents)
    elif problem == "status":
        deal.statuses = ("已审核", won, rng.choice(("已驳回", "已撤回")))
    elif problem == "crm_not_in_erp":
        deal.statuses = rng.choice(
            (("", won, "已通过"),) * 8 + (("", "跟进中", "审批中"),) * 5
            + (("", "输单", "已驳回"),) * 4 + (("", "已取消", "已撤回"),) * 3
        )  # fmt: skip
        deal.tables = ("crm", "oa") if rng.random() < 0.5 else ("crm",)
    elif problem == "erp_without_oa":
        deal.tables = ("erp", "crm")
    elif problem == "oa_without_crm":
        deal.tables = ("erp", "oa") if rng.random() < 0.5 else ("oa",)
        if deal.tables == ("oa",):
            deal.statuses = ("", "", rng.choice(("已通过", "已通过", "审批中", "已驳回")))
    elif problem == "ok":
        deal.statuses = _ordinary_statuses(rng, deal, won)


def _ordinary_statuses(rng: random.Random, deal: Deal, won: str) -> tuple[str, str, str]:
    """Agreeing states, some still pending (more so for the last days' deals)."""
    recent = (END - deal.erp_day).days <= 10
    if rng.random() < (0.45 if recent else 0.03):
        crm = "跟进中" if rng.random() < 0.5 else won
        return "未审核", crm, "审批中" if rng.random() < 0.6 else "已通过"
    closed = (END - deal.erp_day).days > 30 and rng.random() < 0.07
    return "已关闭" if closed else "已审核", won, "已通过"


def _changed_price(rng: random.Random, cents: int) -> tuple[str, int]:
    """An ERP unit price that disagrees with the CRM one for a real reason."""
    kind = rng.choice(("discount", "typo", "tax"))
    if kind == "discount":
        changed = cents * rng.choice((90, 95, 97)) // 100
    elif kind == "tax":
        changed = round(cents * 1.13) if rng.random() < 0.5 else round(cents / 1.13)
    else:
        digits = str(cents // 100)
        pairs = [k for k in range(len(digits) - 1) if digits[k] != digits[k + 1]]
        if pairs:
            k = rng.choice(pairs)
            digits = digits[:k] + digits[k + 1] + digits[k] + digits[k + 2 :]
            changed = int(digits) * 100 + cents % 100
        else:
            changed = cents + 900
    return kind, changed if changed != cents else cents + 100


def number_documents(rng: random.Random, deals: list[Deal]) -> None:
    """Document numbers in the order each system created them, with the gaps of
    documents deleted or of other kinds (OA numbers restart every day)."""
    erp = sorted((d for d in deals if "erp" in d.tables), key=lambda d: (d.erp_day, d.entity))
    seq = rng.randrange(1000, 3000)
    for deal in erp:
        seq += 1 + (rng.random() < 0.05)
        deal.numbers["erp"] = f"XSDD-2026-{seq:06d}"
    crm = sorted((d for d in deals if "crm" in d.tables), key=lambda d: (d.crm_day, d.entity))
    seq = rng.randrange(500, 2000)
    for deal in crm:
        seq += 1 + (rng.random() < 0.1)
        deal.numbers["crm"] = f"CRM-2026-{seq:05d}"
    oa = sorted((d for d in deals if "oa" in d.tables), key=lambda d: (d.submitted, d.entity))
    day, seq = None, 0
    for deal in oa:
        if deal.submitted.date() != day:
            day, seq = deal.submitted.date(), 0
        seq += 1 + (rng.random() < 0.3) * rng.randrange(1, 3)
        deal.numbers["oa"] = f"OA{day:%Y%m%d}{seq:03d}"


def erp_order_row(rng: random.Random, deal: Deal, names: dict[str, str]) -> dict[str, object]:
    company = deal.company
    code = company.erp_codes[0]
    if len(company.erp_codes) > 1 and rng.random() < 0.2:
        code = rng.choice(company.erp_codes[1:])
    source = ""
    if "crm" in deal.tables and rng.random() < 0.6:
        crm = deal.numbers["crm"]
        source = rng.choice((crm, crm, crm.replace("-", ""), crm.lower(), crm.replace("-", "", 1)))
    return {
        "单据编号": deal.numbers["erp"],
        "单据日期": datetime.combine(deal.erp_day, datetime.min.time()),
        "客户编码": code,
        "客户名称": names[code],
        "物料编码": deal.product.code,
        "物料名称": deal.product.name,
        "数量": deal.quantity,
        "含税单价": deal.erp_cents / 100,
        "价税合计": deal.erp_total / 100,
        "审核状态": deal.statuses[0],
        "业务员": deal.rep if rng.random() < 0.9 else rng.choice(v.SALES_REPS),
        "源单编号": source,
        "备注": rng.choice(ERP_NOTES) if rng.random() < 0.15 else "",
    }


def crm_order_row(rng: random.Random, speller: Speller, deal: Deal) -> dict[str, object]:
    company = deal.company
    if company.crm_accounts:
        account = company.crm_accounts[0 if rng.random() < 0.8 else -1]
        name, contact = account["客户名称"], account["联系人"]
    else:
        name = company.name if rng.random() < 0.5 else speller.variant(rng, company)
        contact = company.contact
    phone = v.mobile_text(rng, company.mobile)
    if company.landline and rng.random() < 0.15:
        phone = v.landline_text(rng, company.landline)
    erp = deal.numbers.get("erp", "")
    return {
        "订单编号": deal.numbers["crm"],
        "客户名称": name,
        "联系人": contact,
        "联系电话": phone,
        "订单金额": v.money_text(rng, deal.total),
        "下单日期": v.date_text(rng, deal.crm_day),
        "订单状态": deal.statuses[1],
        "ERP单号": rng.choice((erp, erp.replace("-", ""))) if erp and rng.random() < 0.3 else "",
        "备注": rng.choice(CRM_NOTES) if rng.random() < 0.12 else "",
    }


def oa_row(rng: random.Random, speller: Speller, deal: Deal) -> dict[str, object]:
    company = deal.company
    name = company.name if rng.random() < 0.65 else speller.variant(rng, company)
    submitted = deal.submitted
    return {
        "审批编号": deal.numbers["oa"],
        "标题": _title(rng, speller, deal),
        "申请人": deal.rep if rng.random() < 0.85 else rng.choice(v.SALES_REPS),
        "客户名称": name,
        "金额": deal.total / 100 if rng.random() < 0.5 else v.money_text(rng, deal.total),
        "审批状态": deal.statuses[2],
        "提交时间": submitted if rng.random() < 0.65 else f"{submitted:%Y-%m-%d %H:%M}",
    }


def _title(rng: random.Random, speller: Speller, deal: Deal) -> str:
    company = deal.company
    name = company.name if rng.random() < 0.7 else speller.variant(rng, company).strip()
    crm = deal.numbers.get("crm")
    if crm and rng.random() < 0.45:
        return rng.choice(
            (
                f"【{crm}】{name}订单审批",
                f"销售订单审批-{crm.replace('-', '')}",
                f"关于{name}销售合同审批（{crm}）",
                f"{name}合同审批 CRM单号:{crm}",
            )
        )
    head = company.parent or company
    return rng.choice(
        (
            f"关于{name}销售合同审批",
            f"{name}销售合同审批",
            f"销售订单审批-{name}",
            f"{head.brand}{head.trade}{deal.product.name}销售合同审批",
        )
    )


def order_truth(deals: list[Deal]) -> list[tuple[str, str, str]]:
    return [(d.entity, t, d.numbers[t]) for d in deals for t in d.tables]


# What each status word this generator writes means, and the chain rules it plants by
# (the definitions, written here without the engine's code).
MEANING = {
    "已审核": "approved", "未审核": "pending", "已关闭": "closed", "赢单": "approved",
    "已成交": "approved", "跟进中": "pending", "输单": "rejected", "已取消": "cancelled",
    "已通过": "approved", "审批中": "pending", "已驳回": "rejected", "已撤回": "cancelled",
}  # fmt: skip
GRACE_DAYS = 2
FIELD_KINDS = {"amount": "money", "date": "date"}


def chain_kind(states: dict[str, str], days: dict[str, date], as_of: date) -> str:
    """The chain exception of a deal from its records' states (table → canonical state;
    a table without a record is absent) and their own dates, or ""."""
    erp, crm, oa = states.get("erp"), states.get("crm"), states.get("oa")
    ahead, stopped, waiting = (
        {"approved", "closed"},
        {"rejected", "cancelled"},
        {"pending", "draft"},
    )
    said = set(states.values())

    def late(table: str) -> bool:
        return (as_of - days[table]).days > GRACE_DAYS

    if erp in ahead and (oa is None or oa in waiting | stopped):
        return "booked_without_approval"
    if said & ahead and said & stopped:
        return "contradiction"
    if erp in waiting and oa in ahead and late("oa"):
        return "approved_not_booked"
    if erp in waiting and oa is None and crm in ahead and late("crm"):
        return "approved_not_booked"
    if oa is None and crm in ahead and late("crm"):
        return "won_not_submitted"
    return ""


def _chain_kind(deal: Deal) -> str:
    states = {
        t: MEANING[w]
        for t, w in zip(("erp", "crm", "oa"), deal.statuses, strict=True)
        if t in deal.tables
    }
    days = {"erp": deal.erp_day, "crm": deal.crm_day, "oa": deal.submitted.date()}
    return chain_kind(states, days, END)


def conflict_truth(deals: list[Deal]) -> list[tuple[str, str, str, str, str]]:
    """One row per record of every deal with a planted disagreement of a field (all three
    records present) and of every deal whose document chain is out of step."""
    rows = []
    for d in deals:
        if d.problem in FIELD_KINDS:
            kind, field_name = FIELD_KINDS[d.problem], CONFLICT_FIELDS[d.problem]
        else:
            kind, field_name = _chain_kind(d), "status"
        if kind:
            rows.extend((d.entity, field_name, t, d.numbers[t], kind) for t in d.tables)
    return rows
