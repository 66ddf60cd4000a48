"""Held-out order worlds, written independently of the other generators: three-way sales
deals (ERP, CRM, OA) as two vendor families export them, with the document chain and the
field conflicts planted.

World ``kingdee`` — a 金蝶 K/3 Cloud (云星空) ERP, a 纷享销客 CRM and a 泛微 OA:

- ``金蝶销售订单.xlsx``: two title lines, then 单据编号 (XSDD…), 日期 (text or date cells),
  客户编码, 客户名称, 销售员, 物料编码, 物料名称, 销售数量, 含税单价, 税率(%), 金额 (before
  tax), 税额, 价税合计, 交货日期 (weeks later), 单据状态 (创建 / 审核中 / 已审核 / 重新审核),
  关闭状态 (正常 / 已关闭), 作废状态 (否), 业务类型, 审核日期 (after the approval), 审核人,
  源单编号 (the CRM contract, often);
- ``纷享销客合同.csv`` in GB18030: 合同编号, 合同名称, 客户名称, 合同金额(万元), 已回款金额,
  签约日期, 阶段 (赢单 / 输单 / 谈判审核 / 方案报价 …), 生命状态, 负责人, 最后跟进时间,
  创建时间 (weeks before the deal);
- ``泛微OA审批.xlsx``: 流程编号, 流程标题 (销售合同审批-客户-合同编号), 申请人, 申请部门,
  申请日期, 当前节点, 流程状态 (归档 / 退回 / 审批中 / 已撤回), 归档日期 (3–15 days after
  the application), 客户名称, 金额 (text with 元).

World ``u8`` — a 用友 U8 ERP, a Salesforce CRM and a DingTalk OA:

- ``用友U8销售订单.xlsx``: 单据号 (ten digits), 单据日期 (Excel serials in some rows, text in
  others), 客户编号, 客户名称, 业务员, 存货编码, 存货名称, 数量, 无税单价, 含税单价, 无税金额,
  税额, 价税合计, 预发货日期, 审核日期, 状态 (已审核 / 未审核 / 已关闭), 合同号 (the
  opportunity, often);
- ``Salesforce_Opportunities.csv``: Opportunity ID (18 characters), Opportunity Name,
  Account Name, Amount (``12,345.60 CNY`` or ``CNY12345.60``), Expected Revenue,
  Probability (%), Stage, Close Date, Created Date, Last Modified Date, Fiscal Period,
  Opportunity Owner;
- ``钉钉审批记录.xlsx``: 审批编号, 标题, 审批状态 (已完成 / 审批中 / 已撤销) with 审批结果
  (同意 / 拒绝), 发起时间, 完成时间 (days later), 耗时, 发起人姓名, 发起人部门, 当前处理人,
  客户名称, 合同金额 (¥…), 预计回款日期.

The deal's date is the day it was signed: the ERP order date, the CRM's signing (close)
date and the day the OA application started, a few days apart at most. Every other date
(delivery, audit, archive, follow-up, creation, expected payment) is a different meaning
and often weeks away. The truth (``truth/orders.csv``, ``truth/conflicts.csv``) follows
the README's contract: one row per record and field of a group that disagrees (all the
group's records of that field), chain exceptions on the field ``status``.

Nothing here imports ``app``.
"""

from __future__ import annotations

import csv
import random
import string
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from openpyxl import Workbook

WORLDS = ("kingdee", "u8")
FILES = {
    "kingdee": {"erp": "金蝶销售订单.xlsx", "crm": "纷享销客合同.csv", "oa": "泛微OA审批.xlsx"},
    "u8": {
        "erp": "用友U8销售订单.xlsx",
        "crm": "Salesforce_Opportunities.csv",
        "oa": "钉钉审批记录.xlsx",
    },
}
FIRST, LAST = date(2026, 7, 20), date(2026, 11, 20)  # LAST: the day of the exports
GRACE = 2
TAX = 0.13
# Share of deals per plan; the rest are in order.
PLAN = {
    "approved_not_booked": 0.05,
    "booked_without_approval": 0.05,
    "won_not_submitted": 0.03,
    "contradiction": 0.03,
    "late_in_grace": 0.04,  # approved in the last two days, not booked yet: fine
    "under_way": 0.09,  # nothing decided anywhere: fine
    "amount": 0.05,  # the ERP amount differs
    "date": 0.03,  # the ERP order dated weeks away from the signing
}

_CITIES = [
    "杭州",
    "宁波",
    "温州",
    "苏州",
    "无锡",
    "常州",
    "南京",
    "合肥",
    "芜湖",
    "福州",
    "厦门",
    "泉州",
    "济南",
    "青岛",
    "烟台",
    "郑州",
    "洛阳",
    "长沙",
    "株洲",
    "南昌",
    "武汉",
    "宜昌",
    "成都",
    "绵阳",
    "重庆",
    "昆明",
    "贵阳",
    "南宁",
    "柳州",
    "西安",
    "太原",
    "石家庄",
    "唐山",
    "天津",
    "沈阳",
    "大连",
    "长春",
    "哈尔滨",
]
_WORDS = [
    "恒",
    "泰",
    "鑫",
    "源",
    "华",
    "盛",
    "达",
    "通",
    "博",
    "远",
    "瑞",
    "丰",
    "宏",
    "景",
    "嘉",
    "德",
    "信",
    "诚",
    "正",
    "明",
    "力",
    "创",
    "卓",
    "越",
    "凯",
    "旭",
    "辰",
    "宸",
    "晟",
    "睿",
    "鼎",
    "峰",
    "昊",
    "裕",
    "祥",
    "安",
    "永",
    "宁",
    "新",
    "锦",
    "智",
    "联",
    "汇",
    "展",
    "腾",
    "航",
    "海",
    "川",
]
_TRADES = (
    "精密机械", "电子科技", "环保设备", "包装材料", "医疗器械", "新材料", "自动化", "食品",
    "物流", "建材", "化工", "纺织", "智能装备", "软件", "光电", "汽车零部件", "仪器仪表",
)  # fmt: skip
_FORMS = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司", "实业有限公司")
_SURNAMES = [
    "张",
    "王",
    "李",
    "赵",
    "刘",
    "陈",
    "杨",
    "黄",
    "周",
    "吴",
    "徐",
    "孙",
    "马",
    "胡",
    "朱",
    "郭",
    "何",
    "罗",
    "高",
    "林",
]
_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀",
    "霞",
    "平",
    "刚",
    "桂",
    "英",
    "华",
    "慧",
    "建",
    "红",
    "鹏",
    "宇",
    "婷",
]
_GOODS = (
    ("P-1001", "伺服电机", 3280.0), ("P-1002", "变频器", 5650.0), ("P-2010", "工控主板", 1890.0),
    ("P-2011", "触摸屏", 2460.0), ("P-3105", "传感器组件", 365.5), ("P-3300", "液压泵", 7820.0),
    ("P-4001", "PLC模块", 4120.0), ("P-5120", "不锈钢阀门", 612.8), ("P-6002", "包装薄膜", 18.6),
    ("P-7007", "检测仪", 15800.0), ("P-8100", "激光模组", 9350.0), ("P-9050", "减速机", 2875.0),
)  # fmt: skip


@dataclass
class Customer:
    code: str
    full: str  # 杭州恒泰精密机械有限公司
    short: str  # 恒泰精密
    city: str
    rep: str


@dataclass
class Deal:
    entity: str
    plan: str
    customer: Customer
    good: tuple[str, str, float]
    quantity: int
    price: float  # tax-inclusive unit price
    signed: date
    states: dict[str, str]  # erp / crm / oa → approved, pending, rejected, cancelled, draft
    erp_day: date = FIRST
    applied: datetime = datetime(2026, 1, 1)
    finished: datetime | None = None
    erp_total: float = 0.0
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return round(self.quantity * self.price, 2)


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _customers(rng: random.Random, count: int) -> list[Customer]:
    reps = [_person(rng) for _ in range(12)]
    seen, out = set(), []
    while len(out) < count:
        city, trade = rng.choice(_CITIES), rng.choice(_TRADES)
        brand = rng.choice(_WORDS) + rng.choice(_WORDS)
        if (brand, trade) in seen or brand[0] == brand[1]:
            continue
        seen.add((brand, trade))
        code = f"{rng.choice(('01', '02', '03'))}.{rng.randrange(1, 20):02d}.{len(out) + 1:04d}"
        out.append(Customer(code, city + brand + trade + rng.choice(_FORMS), brand + trade[:2],
                            city, rng.choice(reps)))  # fmt: skip
    return out


def _spelling(rng: random.Random, customer: Customer) -> str:
    """How a clerk of another system writes the customer."""
    full = customer.full
    choice = rng.random()
    if choice < 0.6:
        return full
    if choice < 0.75:
        return full.removeprefix(customer.city)
    if choice < 0.85:
        return full.replace("有限公司", "有限责任公司") if "股份" not in full else full
    if choice < 0.93:
        return (
            f"{customer.city}{full.removeprefix(customer.city).replace('有限', '(有限)')}".replace(
                "(有限)", "有限"
            )
        )
    return full.replace(customer.city, f"{customer.city}市", 1)


def _states(rng: random.Random, plan: str) -> dict[str, str]:
    if plan in ("approved_not_booked", "late_in_grace"):
        crm = {"crm": "approved"}
        oa = {} if plan == "approved_not_booked" and rng.random() < 0.25 else {"oa": "approved"}
        return {"erp": rng.choice(("draft", "draft", "pending")), **crm, **oa}
    if plan == "booked_without_approval":
        oa = rng.choice(("pending", "rejected", "cancelled", None))
        return {"erp": "approved", "crm": "approved", **({"oa": oa} if oa else {})}
    if plan == "won_not_submitted":
        return {"crm": "approved"}
    if plan == "contradiction":
        if rng.random() < 0.5:
            return {"erp": "draft", "crm": "rejected", "oa": "approved"}
        return {"erp": "draft", "crm": "approved", "oa": "rejected"}
    if plan == "under_way":
        return {"erp": rng.choice(("draft", "pending")), "crm": "pending", "oa": "pending"}
    return {"erp": "approved", "crm": "approved", "oa": "approved"}


def _deal(rng: random.Random, number: int, plan: str, customer: Customer) -> Deal:
    good = rng.choice(_GOODS)
    quantity = rng.choice((1, 2, 3, 5, 8, 10, 12, 20, 50, 100, 200)) if good[2] < 100 else (
        rng.randrange(1, 30))  # fmt: skip
    price = round(good[2] * rng.choice((1.0, 1.0, 0.97, 0.95, 0.92, 0.9, 0.885)), 2)
    span = (LAST - FIRST).days
    if plan == "late_in_grace":
        signed = LAST - timedelta(days=rng.randrange(3, 14))
    elif plan in ("approved_not_booked", "won_not_submitted", "contradiction"):
        signed = FIRST + timedelta(days=rng.randrange(span - 30))
    else:
        signed = FIRST + timedelta(days=rng.randrange(span - 2))
    deal = Deal(f"H{number:05d}", plan, customer, good, quantity, price, signed,
                _states(rng, plan))  # fmt: skip
    day_start = datetime.combine(signed, time(8, 30))
    deal.applied = (
        day_start
        - timedelta(days=rng.choice((0, 0, 1, 2, 3)))
        + timedelta(minutes=rng.randrange(0, 600))
    )
    if deal.states.get("oa") in ("approved", "rejected"):
        if plan == "late_in_grace":
            finished_day = LAST - timedelta(days=rng.randrange(0, GRACE + 1))
        else:
            finished_day = deal.applied.date() + timedelta(days=rng.randrange(3, 16))
            finished_day = min(finished_day, LAST - timedelta(days=GRACE + 3))
        finished_day = max(finished_day, deal.applied.date())
        deal.finished = datetime.combine(finished_day, time(9)) + timedelta(
            minutes=rng.randrange(0, 540)
        )
    deal.erp_day = signed + timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 3)))
    if plan == "date":
        shift = timedelta(days=rng.randrange(10, 26))
        later = deal.erp_day + shift
        deal.erp_day = later if later <= LAST - timedelta(days=5) else deal.erp_day - shift
    deal.erp_day = min(deal.erp_day, LAST)
    deal.erp_total = deal.total
    if plan == "amount":
        deal.erp_total = rng.choice(
            (round(deal.total * rng.choice((0.9, 0.95, 0.98)), 2), deal.total + 200.0,
             round(deal.total - deal.price, 2) or deal.total + 50.0)
        )  # fmt: skip
    return deal


def _plans(rng: random.Random, count: int) -> list[str]:
    plans = [p for p, share in PLAN.items() for _ in range(round(share * count))]
    plans += ["ok"] * (count - len(plans))
    rng.shuffle(plans)
    return plans


def generate(world: str, count: int = 1000, seed: int = 5) -> list[Deal]:
    rng = random.Random(f"{world}:{seed}")
    customers = _customers(rng, max(40, count // 5))
    deals = [_deal(rng, k + 1, p, rng.choice(customers)) for k, p in enumerate(_plans(rng, count))]
    _identify(rng, world, deals)
    return deals


def _identify(rng: random.Random, world: str, deals: list[Deal]) -> None:
    by_day = sorted(deals, key=lambda d: (d.erp_day, d.entity))
    by_applied = sorted(deals, key=lambda d: (d.applied, d.entity))
    for k, deal in enumerate(by_day):
        deal.ids["erp"] = f"XSDD{k + 1 + 3200:08d}" if world == "kingdee" else f"{k + 18000:010d}"
    for k, deal in enumerate(by_applied):
        if world == "kingdee":
            deal.ids["oa"] = f"XSHT-{deal.applied:%Y}-{k + 1:06d}"
        else:
            deal.ids["oa"] = f"{deal.applied:%Y%m%d%H%M}{rng.randrange(10**6):06d}0{k % 10}"
    alphabet = string.ascii_letters + string.digits
    for k, deal in enumerate(deals):
        if world == "kingdee":
            deal.ids["crm"] = f"HT{deal.signed:%Y%m}{k + 1:05d}"
        else:
            deal.ids["crm"] = "0065g00000" + "".join(rng.choice(alphabet) for _ in range(8))


# --- the chain as the README states it, for the truth ----------------------------------

_AHEAD, _STOPPED, _WAITING = {"approved", "closed"}, {"rejected", "cancelled"}, {"pending", "draft"}


def expected_exception(deal: Deal) -> str:
    s = deal.states
    erp, crm, oa = s.get("erp"), s.get("crm"), s.get("oa")
    said = set(s.values())
    if erp in _AHEAD and (oa is None or oa in _WAITING | _STOPPED):
        return "booked_without_approval"
    if said & _AHEAD and said & _STOPPED:
        return "contradiction"
    oa_day = deal.finished.date() if deal.finished else deal.applied.date()
    if erp in _WAITING and oa in _AHEAD:
        return "approved_not_booked" if (LAST - oa_day).days > GRACE else ""
    if erp in _WAITING and oa is None and crm in _AHEAD:
        return "approved_not_booked" if (LAST - deal.signed).days > GRACE else ""
    if oa is None and crm in _AHEAD and (LAST - deal.signed).days > GRACE:
        return "won_not_submitted"
    return ""


def truth(deals: list[Deal]) -> tuple[list[list[str]], list[list[str]]]:
    orders = [[d.entity, t, d.ids[t]] for d in deals for t in ("erp", "crm", "oa") if t in d.states]
    conflicts = []
    for d in deals:
        tables = [t for t in ("erp", "crm", "oa") if t in d.states]
        kind = expected_exception(d)
        if kind:
            conflicts += [[d.entity, "status", t, d.ids[t], kind] for t in tables]
        if d.plan == "amount" and len(tables) > 1:
            conflicts += [[d.entity, "amount", t, d.ids[t], "money"] for t in tables]
        if d.plan == "date" and len(tables) > 1:
            conflicts += [[d.entity, "date", t, d.ids[t], "date"] for t in tables]
    return orders, conflicts


# --- world kingdee ----------------------------------------------------------------------

K3_COLUMNS = (
    "单据编号", "日期", "客户编码", "客户名称", "销售员", "物料编码", "物料名称", "销售数量",
    "含税单价", "税率(%)", "金额", "税额", "价税合计", "交货日期", "单据状态", "关闭状态",
    "作废状态", "业务类型", "审核日期", "审核人", "源单编号",
)  # fmt: skip
K3_STATE = {"approved": "已审核", "pending": "审核中", "draft": "创建"}
FX_COLUMNS = (
    "合同编号", "合同名称", "客户名称", "合同金额(万元)", "已回款金额", "签约日期", "阶段",
    "生命状态", "负责人", "最后跟进时间", "创建时间",
)  # fmt: skip
FX_STAGE = {"approved": ["赢单"], "rejected": ["输单"],
            "pending": ["谈判审核", "方案/报价", "需求确定", "初步接洽"]}  # fmt: skip
WEAVER_COLUMNS = (
    "流程编号", "流程标题", "申请人", "申请部门", "申请日期", "当前节点", "流程状态", "归档日期",
    "客户名称", "金额",
)  # fmt: skip
WEAVER_STATE = {"approved": ("归档", "归档"), "rejected": ("申请人", "退回"),
                "pending": (None, "审批中"), "cancelled": ("申请人", "已撤回")}  # fmt: skip
_NODES = ("部门经理审批", "销售总监审批", "财务审核", "总经理审批")
_DEPTS = ("销售一部", "销售二部", "华东大区", "华南大区", "渠道部")


def _k3_row(rng: random.Random, deal: Deal) -> list[object]:
    state = deal.states["erp"]
    word = "重新审核" if state == "pending" and rng.random() < 0.3 else K3_STATE[state]
    net = round(deal.erp_total / (1 + TAX), 2)
    closed = state == "approved" and (LAST - deal.erp_day).days > 40 and rng.random() < 0.5
    audited = ""
    if state == "approved":
        after = deal.finished.date() if deal.finished else deal.erp_day
        audited = min(max(after, deal.erp_day) + timedelta(days=rng.randrange(0, 4)), LAST)
    day: object = datetime.combine(deal.erp_day, time())
    if rng.random() < 0.4:
        day = f"{deal.erp_day.year}/{deal.erp_day.month}/{deal.erp_day.day}"
    return [
        deal.ids["erp"],
        day,
        deal.customer.code,
        deal.customer.full if rng.random() < 0.8 else _spelling(rng, deal.customer),
        deal.customer.rep,
        deal.good[0],
        deal.good[1],
        deal.quantity,
        deal.price if deal.plan != "amount" else round(deal.erp_total / deal.quantity, 4),
        13,
        net,
        round(deal.erp_total - net, 2),
        deal.erp_total,
        datetime.combine(deal.erp_day + timedelta(days=rng.randrange(7, 45)), time()),
        word,
        "已关闭" if closed else "正常",
        "否",
        rng.choice(("普通销售", "普通销售", "寄售", "直运销售")),
        datetime.combine(audited, time()) if audited else "",
        rng.choice(("刘会计", "财务-周敏", "王芳")) if audited else "",
        deal.ids["crm"] if "crm" in deal.states and rng.random() < 0.7 else "",
    ]


def _wan(yuan: float) -> str:
    return f"{yuan / 10000:.6f}".rstrip("0").rstrip(".")


def _fx_row(rng: random.Random, deal: Deal) -> list[object]:
    state = deal.states["crm"]
    created = datetime.combine(deal.signed - timedelta(days=rng.randrange(5, 60)), time(9))
    followed = min(
        datetime.combine(deal.signed + timedelta(days=rng.randrange(0, 12)), time(14, 5)),
        datetime.combine(LAST, time(18)),
    )
    if deal.plan in ("won_not_submitted", "approved_not_booked"):
        followed = datetime.combine(deal.signed, time(16, 30))
    paid = 0.0
    if state == "approved" and rng.random() < 0.5:
        paid = round(deal.total * rng.choice((0.3, 0.5, 1.0)), 2)
    return [
        deal.ids["crm"],
        f"{deal.customer.short}{deal.good[1]}采购合同",
        _spelling(rng, deal.customer),
        _wan(deal.total),
        f"{paid:,.2f}" if paid else "0.00",
        f"{deal.signed:%Y-%m-%d}",
        rng.choice(FX_STAGE[state]),
        "正常",
        deal.customer.rep,
        f"{followed:%Y-%m-%d %H:%M}",
        f"{created + timedelta(minutes=rng.randrange(0, 480)):%Y-%m-%d %H:%M:%S}",
    ]


def _weaver_row(rng: random.Random, deal: Deal) -> list[object]:
    node, status = WEAVER_STATE[deal.states["oa"]]
    amount = deal.total
    text = f"{amount:,.2f}元" if rng.random() < 0.7 else f"{amount:.2f}"
    archived = deal.finished if deal.states["oa"] == "approved" else None
    return [
        deal.ids["oa"],
        f"销售合同审批-{deal.customer.short}-{deal.ids['crm']}",
        _person(rng) if rng.random() < 0.2 else deal.customer.rep,
        rng.choice(_DEPTS),
        deal.applied.date(),
        node or rng.choice(_NODES),
        status,
        archived.date() if archived else "",
        _spelling(rng, deal.customer),
        text,
    ]


# --- world u8 ---------------------------------------------------------------------------

U8_COLUMNS = (
    "单据号", "单据日期", "客户编号", "客户名称", "业务员", "存货编码", "存货名称", "数量",
    "无税单价", "含税单价", "无税金额", "税额", "价税合计", "预发货日期", "审核日期", "状态",
    "合同号",
)  # fmt: skip
U8_STATE = {"approved": "已审核", "pending": "未审核", "draft": "未审核"}
SF_COLUMNS = (
    "Opportunity ID", "Opportunity Name", "Account Name", "Amount", "Expected Revenue",
    "Probability (%)", "Stage", "Close Date", "Created Date", "Last Modified Date",
    "Fiscal Period", "Opportunity Owner",
)  # fmt: skip
SF_STAGE = {
    "approved": ["Closed Won"],
    "rejected": ["Closed Lost"],
    "pending": ["Negotiation/Review", "Proposal/Price Quote", "Perception Analysis",
                "Id. Decision Makers", "Value Proposition"],
}  # fmt: skip
SF_PROBABILITY = {"Closed Won": 100, "Closed Lost": 0, "Negotiation/Review": 90,
                  "Proposal/Price Quote": 75, "Perception Analysis": 70,
                  "Id. Decision Makers": 60, "Value Proposition": 50}  # fmt: skip
DT_COLUMNS = (
    "审批编号", "标题", "审批状态", "审批结果", "发起时间", "完成时间", "耗时", "发起人姓名",
    "发起人部门", "当前处理人", "客户名称", "合同金额", "预计回款日期",
)  # fmt: skip
DT_STATE = {"approved": ("已完成", "同意"), "rejected": ("已完成", "拒绝"),
            "pending": ("审批中", ""), "cancelled": ("已撤销", "")}  # fmt: skip
_SERIAL_EPOCH = date(1899, 12, 30)
# The columns that carry each planted field, per world and table.
TRUTH_COLUMNS = {
    "kingdee": {
        "erp": {"amount": ["价税合计"], "date": ["日期"], "status": ["单据状态", "关闭状态"]},
        "crm": {"amount": ["合同金额(万元)"], "date": ["签约日期"], "status": ["阶段"]},
        "oa": {"amount": ["金额"], "date": ["申请日期"], "status": ["当前节点", "流程状态"]},
    },
    "u8": {
        "erp": {"amount": ["价税合计"], "date": ["单据日期"], "status": ["状态"]},
        "crm": {"amount": ["Amount"], "date": ["Close Date"], "status": ["Stage"]},
        "oa": {"amount": ["合同金额"], "date": ["发起时间"], "status": ["审批状态", "审批结果"]},
    },
}


def _u8_row(rng: random.Random, deal: Deal) -> list[object]:
    state = deal.states["erp"]
    word = U8_STATE[state]
    if state == "approved" and (LAST - deal.erp_day).days > 45 and rng.random() < 0.4:
        word = "已关闭"
    net = round(deal.erp_total / (1 + TAX), 2)
    audited: object = ""
    if state == "approved":
        after = deal.finished.date() if deal.finished else deal.erp_day
        audited = min(max(after, deal.erp_day) + timedelta(days=rng.randrange(0, 3)), LAST)
        audited = f"{audited:%Y-%m-%d}"
    day: object = (deal.erp_day - _SERIAL_EPOCH).days  # a serial in a General cell
    if rng.random() < 0.5:
        day = f"{deal.erp_day:%Y-%m-%d}"
    unit = round(deal.erp_total / deal.quantity, 2)
    return [
        deal.ids["erp"],
        day,
        deal.customer.code.replace(".", ""),
        deal.customer.full if rng.random() < 0.7 else _spelling(rng, deal.customer),
        deal.customer.rep,
        deal.good[0],
        deal.good[1],
        deal.quantity,
        round(unit / (1 + TAX), 2),
        unit,
        net,
        round(deal.erp_total - net, 2),
        deal.erp_total,
        f"{deal.erp_day + timedelta(days=rng.randrange(5, 30)):%Y-%m-%d}",
        audited,
        word,
        deal.ids["crm"] if "crm" in deal.states and rng.random() < 0.6 else "",
    ]


def _sf_row(rng: random.Random, deal: Deal) -> list[object]:
    stage = rng.choice(SF_STAGE[deal.states["crm"]])
    probability = SF_PROBABILITY[stage]
    created = datetime.combine(deal.signed - timedelta(days=rng.randrange(10, 90)), time(10))
    modified = datetime.combine(deal.signed + timedelta(days=rng.randrange(0, 20)), time(17, 41))
    if deal.plan in ("won_not_submitted", "approved_not_booked"):
        modified = datetime.combine(deal.signed, time(17, 41))
    modified = min(modified, datetime.combine(LAST, time(11, 2)))
    amount = deal.total
    shown = f"{amount:,.2f} CNY" if rng.random() < 0.5 else f"CNY{amount:.2f}"
    quarter = (deal.signed.month - 1) // 3 + 1
    return [
        deal.ids["crm"],
        f"{deal.customer.short} - {deal.good[1]}",
        _spelling(rng, deal.customer),
        shown,
        f"CNY{amount * probability / 100:.2f}",
        probability,
        stage,
        f"{deal.signed:%Y/%m/%d}",
        f"{created:%Y/%m/%d %H:%M}",
        f"{modified:%Y/%m/%d %H:%M}",
        f"Q{quarter}-{deal.signed.year}",
        deal.customer.rep,
    ]


def _dt_row(rng: random.Random, deal: Deal) -> list[object]:
    status, result = DT_STATE[deal.states["oa"]]
    finished = deal.finished if deal.states["oa"] in ("approved", "rejected") else None
    took = ""
    if finished:
        gap = finished - deal.applied
        took = f"{gap.days}天{gap.seconds // 3600}小时"
    amount = deal.total
    return [
        deal.ids["oa"],
        f"{deal.customer.rep}提交的销售合同审批",
        status,
        result,
        deal.applied,
        finished or "",
        took,
        deal.customer.rep,
        rng.choice(_DEPTS),
        "" if finished else rng.choice(("王总", "财务-李娟", "陈经理")),
        _spelling(rng, deal.customer),
        f"¥{amount:,.2f}" if rng.random() < 0.6 else amount,
        f"{deal.signed + timedelta(days=rng.randrange(30, 91)):%Y-%m-%d}",
    ]


# --- writing ----------------------------------------------------------------------------

_ROWS = {
    "kingdee": {"erp": _k3_row, "crm": _fx_row, "oa": _weaver_row},
    "u8": {"erp": _u8_row, "crm": _sf_row, "oa": _dt_row},
}
_COLUMNS = {
    "kingdee": {"erp": K3_COLUMNS, "crm": FX_COLUMNS, "oa": WEAVER_COLUMNS},
    "u8": {"erp": U8_COLUMNS, "crm": SF_COLUMNS, "oa": DT_COLUMNS},
}
_TITLES = {
    ("kingdee", "erp"): [["销售订单序时簿"], [f"打印日期：{LAST:%Y-%m-%d}"]],
    ("u8", "erp"): [["销售订单列表"], [f"制表日期: {LAST:%Y-%m-%d}", "", "单位：元"]],
}


def _sheet_rows(world: str, table: str, rows: list[list[object]], path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = {"erp": "销售订单", "oa": "流程数据"}.get(table, "Sheet1")
    for title in _TITLES.get((world, table), []):
        sheet.append(title)
    sheet.append(list(_COLUMNS[world][table]))
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                is_day = cell.value.time() == time()
                cell.number_format = "yyyy-mm-dd" if is_day else "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy/m/d"
    book.save(path)


def write(world: str, deals: list[Deal], out: Path, seed: int = 5) -> dict[str, Path]:
    """The world's three exports and ``truth/`` in ``out``; the export paths by table."""
    rng = random.Random(f"write:{world}:{seed}")
    out.mkdir(parents=True, exist_ok=True)
    paths = {table: out / name for table, name in FILES[world].items()}
    cells: dict[tuple[str, str], dict[str, object]] = {}
    order = {
        "erp": lambda d: d.ids["erp"],
        "crm": lambda d: (d.signed, d.ids["crm"]),
        "oa": lambda d: d.applied,
    }
    for table, path in paths.items():
        mine = sorted((d for d in deals if table in d.states), key=order[table])
        if table == "crm":
            mine.reverse()
        rows = [_ROWS[world][table](rng, d) for d in mine]
        for deal, row in zip(mine, rows, strict=True):
            cells[(table, deal.ids[table])] = dict(zip(_COLUMNS[world][table], row, strict=True))
        if path.suffix == ".xlsx":
            _sheet_rows(world, table, rows, path)
            continue
        encoding = "gb18030" if world == "kingdee" else "utf-8"
        with open(path, "w", encoding=encoding, newline="") as stream:
            writer = csv.writer(stream, lineterminator="\r\n")
            writer.writerow(_COLUMNS[world][table])
            writer.writerows(rows)
    orders, conflicts = truth(deals)
    for row in conflicts:  # the planted cells: column and raw value, as conflicts.csv has
        field_, table, record = row[1], row[2], row[3]
        columns = TRUTH_COLUMNS[world][table][field_]
        values = [str(cells[(table, record)][c]) for c in columns]
        row[4:4] = [" + ".join(columns), " + ".join(v for v in values if v)]
    folder = out / "truth"
    folder.mkdir(exist_ok=True)
    for name, header, rows in (
        ("orders.csv", ["entity_id", "table", "record_id"], orders),
        (
            "conflicts.csv",
            ["entity_id", "field", "table", "record_id", "column", "value", "kind"],
            conflicts,
        ),
    ):
        with open(folder / name, "w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
    return paths
