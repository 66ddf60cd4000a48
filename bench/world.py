"""A deterministic, dirty world of one company's sales, as its ERP, CRM and OA export it.

``generate(n_customers, n_orders, seed)`` builds the customers and deals, then each
system's view of them — spelled, formatted and numbered the way Kingdee-like ERPs, SaaS
CRMs and OA approval systems do — with real problems planted at known rates, and the
ground truth (which records are one customer or one deal; which fields disagree).
Writers are in :mod:`bench.world_files`. Nothing here imports ``app``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import opencc
from faker import Faker

CITIES = [
    "北京",
    "上海",
    "深圳",
    "广州",
    "杭州",
    "成都",
    "武汉",
    "南京",
    "苏州",
    "西安",
    "天津",
    "重庆",
    "长沙",
    "郑州",
    "青岛",
    "宁波",
    "厦门",
    "合肥",
    "济南",
    "沈阳",
]
PROVINCE_OF = {
    "广州": "广东省",
    "深圳": "广东省",
    "杭州": "浙江省",
    "宁波": "浙江省",
    "成都": "四川省",
    "武汉": "湖北省",
    "南京": "江苏省",
    "苏州": "江苏省",
    "西安": "陕西省",
    "长沙": "湖南省",
    "郑州": "河南省",
    "青岛": "山东省",
    "济南": "山东省",
    "厦门": "福建省",
    "合肥": "安徽省",
    "沈阳": "辽宁省",
}
AREA_CODES = {
    "北京": "010",
    "上海": "021",
    "深圳": "0755",
    "广州": "020",
    "杭州": "0571",
    "成都": "028",
    "武汉": "027",
    "南京": "025",
    "苏州": "0512",
    "西安": "029",
    "天津": "022",
    "重庆": "023",
    "长沙": "0731",
    "郑州": "0371",
    "青岛": "0532",
    "宁波": "0574",
    "厦门": "0592",
    "合肥": "0551",
    "济南": "0531",
    "沈阳": "024",
}
BRAND_CHARS = "华信鼎盛恒通瑞丰金桥宏达中科新元天合博远安泰永昌德润嘉诚汇明凯越联创星海正泰广源"
TRADES = [
    "科技",
    "贸易",
    "电子",
    "机械",
    "医疗器械",
    "建材",
    "物流",
    "食品",
    "信息技术",
    "新材料",
    "环保",
    "智能装备",
    "化工",
    "文化传媒",
]
LEGAL = ["有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司"]
SIMILAR = {
    "华": "化",
    "信": "讯",
    "鼎": "顶",
    "盛": "胜",
    "恒": "衡",
    "通": "同",
    "瑞": "锐",
    "丰": "峰",
    "金": "今",
    "桥": "乔",
    "宏": "弘",
    "达": "大",
    "新": "欣",
    "元": "源",
    "天": "添",
    "合": "和",
    "博": "搏",
    "远": "源",
    "安": "按",
    "泰": "太",
    "永": "勇",
    "昌": "倡",
    "德": "得",
    "润": "闰",
    "嘉": "佳",
    "诚": "成",
    "汇": "会",
    "明": "铭",
    "凯": "恺",
    "越": "悦",
}
PRODUCTS = [
    (f"WX-{1000 + k}", price)
    for k, price in enumerate(
        [
            128.0,
            256.5,
            399.0,
            520.0,
            680.0,
            899.0,
            1250.0,
            1680.0,
            2350.0,
            3999.0,
            5200.0,
            8800.0,
            12800.0,
            26500.0,
        ]
    )
]
STREETS = [
    "中山路",
    "人民路",
    "解放路",
    "建设路",
    "科技园路",
    "工业大道",
    "长江路",
    "新华街",
    "文化路",
    "创业路",
]
DISTRICTS = [
    "高新区",
    "经开区",
    "朝阳区",
    "浦东新区",
    "南山区",
    "天河区",
    "西湖区",
    "武侯区",
    "江汉区",
    "鼓楼区",
]
START = date(2026, 9, 1)
DAYS = 80


@dataclass
class Customer:
    number: int
    city: str
    brand: str
    trade: str
    legal: str
    uscc: str
    contact: str
    mobile: str
    landline: str
    email: str
    address: str
    branch_city: str = ""  # a branch of another customer ("…有限公司上海分公司")

    @property
    def name(self) -> str:
        base = f"{self.city}{self.brand}{self.trade}{self.legal}"
        return f"{base}{self.branch_city}分公司" if self.branch_city else base


@dataclass
class Deal:
    number: int
    customer: Customer
    day: date
    product: str
    quantity: int
    price: float
    in_erp: bool = True
    in_crm: bool = True
    in_oa: bool = True
    erp_amount_delta: float = 0.0
    oa_stopped: str = ""  # 已驳回 / 已撤回 while ERP approved
    erp_lag: int = 0
    oa_lead: int = 0
    erp_pending: bool = False
    cancelled: bool = False

    @property
    def amount(self) -> float:
        return round(self.quantity * self.price, 2)


@dataclass
class World:
    """Rows of every export (lists of dicts, header → raw text or typed value) plus truth."""

    erp_customers: list[dict[str, object]] = field(default_factory=list)
    crm_accounts: list[dict[str, object]] = field(default_factory=list)
    erp_orders: list[dict[str, object]] = field(default_factory=list)
    crm_orders: list[dict[str, object]] = field(default_factory=list)
    oa_approvals: list[dict[str, object]] = field(default_factory=list)
    customer_truth: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # entity, table, record
    order_truth: list[tuple[str, str, str]] = field(default_factory=list)
    conflict_truth: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # entity, field, table, record


def uscc(rng: random.Random) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    body = "91" + f"{rng.randrange(110000, 659999)}" + "".join(rng.choice(chars) for _ in range(9))
    total = sum(chars.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + chars[(31 - total % 31) % 31]


class _Spelling:
    """The ways one name gets written in another system."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.traditional = opencc.OpenCC("s2t")

    def variant(self, customer: Customer) -> str:
        name = customer.name
        kind = self.rng.choice(["legal", "no_city", "traditional", "typo", "space", "bracket"])
        if kind == "legal":
            return (
                name.replace("股份有限公司", "有限公司").replace("有限公司", "有限责任公司", 1)
                if "有限责任公司" not in name
                else name.replace("有限责任公司", "有限公司")
            )
        if kind == "no_city" and not customer.branch_city:
            return name[len(customer.city) :]
        if kind == "traditional":
            return str(self.traditional.convert(name))
        if kind == "typo":
            for char in customer.brand:
                if char in SIMILAR:
                    return name.replace(char, SIMILAR[char], 1)
        if kind == "bracket" and not customer.branch_city:
            return f"{customer.brand}{customer.trade}（{customer.city}）{customer.legal}"
        return name[:2] + " " + name[2:]


def _phone(rng: random.Random, mobile: str) -> str:
    form = rng.randrange(4)
    if form == 0:
        return f"+86 {mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"
    if form == 1:
        return f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    if form == 2:
        return f"86-{mobile}"
    return mobile


def _money_text(rng: random.Random, amount: float) -> str:
    form = rng.randrange(5)
    if form == 0:
        return f"¥{amount:,.2f}"
    if form == 1:
        return f"{amount:.2f}元"
    if form == 2:
        return f"{amount:,.2f}"
    if form == 3 and amount >= 10000 and round(amount, 0) == amount:
        return f"{amount / 10000:g}万"
    return f"{amount:.2f}"


def _date_text(rng: random.Random, day: date) -> str:
    form = rng.randrange(4)
    if form == 0:
        return f"{day.year}/{day.month}/{day.day}"
    if form == 1:
        return day.isoformat()
    if form == 2:
        return f"{day.year}年{day.month}月{day.day}日"
    return day.strftime("%Y%m%d")


def _customers(rng: random.Random, fake: Faker, count: int) -> list[Customer]:
    customers: list[Customer] = []
    used = set()
    while len(customers) < count:
        city = rng.choice(CITIES)
        brand = "".join(rng.sample(BRAND_CHARS, 2))
        trade = rng.choice(TRADES)
        if (city, brand, trade) in used:
            continue
        used.add((city, brand, trade))
        mobile = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        landline = (
            f"{AREA_CODES[city]}-{rng.randrange(2, 9)}{rng.randrange(10**6, 10**7)}"
            if rng.random() < 0.6
            else ""
        )
        province = PROVINCE_OF.get(city, "")
        address = f"{province}{city}市{rng.choice(DISTRICTS)}{rng.choice(STREETS)}{rng.randrange(1, 999)}号"
        customers.append(
            Customer(
                len(customers) + 1,
                city,
                brand,
                trade,
                rng.choice(LEGAL),
                uscc(rng),
                fake.name(),
                mobile,
                landline,
                f"{fake.user_name()}@{fake.free_email_domain()}" if rng.random() < 0.5 else "",
                address,
            )
        )
    for customer in rng.sample(customers, count // 10):  # a tenth become branches of their own
        customer.branch_city = rng.choice([c for c in CITIES if c != customer.city])
        customer.uscc = uscc(rng)
    return customers


def _customer_tables(
    world: World, rng: random.Random, customers: list[Customer]
) -> dict[int, list[str]]:
    """ERP customer master (with duplicate codes) and CRM accounts; returns ERP codes per customer."""
    spell = _Spelling(rng)
    codes: dict[int, list[str]] = {}
    next_code = 1
    for customer in customers:
        entity = f"K{customer.number:05d}"
        copies = 1 + (rng.random() < 0.12) * rng.choice([1, 1, 2])
        for copy in range(copies):
            code = f"C{next_code:05d}"
            next_code += 1 + (rng.random() < 0.2)
            codes.setdefault(customer.number, []).append(code)
            world.erp_customers.append(
                {
                    "客户编码": code,
                    "客户名称": customer.name if copy == 0 else spell.variant(customer),
                    "统一社会信用代码": customer.uscc if copy == 0 or rng.random() < 0.4 else "",
                    "联系人": customer.contact,
                    "联系电话": customer.mobile if copy == 0 else _phone(rng, customer.mobile),
                    "地址": customer.address,
                    "状态": "正常",
                }
            )
            world.customer_truth.append((entity, "erp_customers", code))
        if rng.random() < 0.9:
            accounts = 1 + (rng.random() < 0.05)
            for _ in range(accounts):
                account = f"ACC-{len(world.crm_accounts) + 1:05d}"
                world.crm_accounts.append(
                    {
                        "客户ID": account,
                        "客户名称": spell.variant(customer)
                        if rng.random() < 0.5
                        else customer.name,
                        "联系人": customer.contact,
                        "手机": _phone(rng, customer.mobile),
                        "座机": customer.landline,
                        "邮箱": customer.email,
                        "所在城市": customer.city,
                        "负责人": rng.choice(["王芳", "李娜", "张伟", "刘洋", "陈静"]),
                        "创建时间": f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d} 10:{rng.randrange(60):02d}",
                    }
                )
                world.customer_truth.append((entity, "crm_customers", account))
    return codes


def _deals(rng: random.Random, customers: list[Customer], count: int) -> list[Deal]:
    weights = [rng.paretovariate(1.5) for _ in customers]
    deals = []
    for number in range(1, count + 1):
        product, price = rng.choice(PRODUCTS)
        deal = Deal(
            number,
            rng.choices(customers, weights)[0],
            START + timedelta(days=rng.randrange(DAYS)),
            product,
            rng.choice([1, 1, 2, 3, 5, 10, 20, 50]),
            price,
            erp_lag=rng.randrange(0, 4),
            oa_lead=rng.randrange(0, 3),
        )
        roll = rng.random()
        if roll < 0.04:
            deal.in_erp = False  # a CRM order never booked in ERP
        elif roll < 0.08:
            deal.in_oa = False  # an ERP order without approval
        elif roll < 0.10:
            deal.in_erp = deal.in_crm = False  # an approval whose order never came
        elif roll < 0.14:
            deal.erp_amount_delta = (
                rng.choice([-0.05, -0.1, 0.13]) * deal.amount if rng.random() < 0.5 else 9.0
            )
        elif roll < 0.17:
            deal.oa_stopped = rng.choice(["已驳回", "已撤回"])
        elif roll < 0.18:
            deal.erp_lag = rng.randrange(10, 21)
        elif roll < 0.30:
            deal.erp_pending = True
        deals.append(deal)
    return deals


def _order_tables(
    world: World, rng: random.Random, fake: Faker, deals: list[Deal], codes: dict[int, list[str]]
) -> None:
    spell = _Spelling(rng)
    erp_names = {row["客户编码"]: row["客户名称"] for row in world.erp_customers}
    for deal in deals:
        entity = f"D{deal.number:06d}"
        crm_no = f"CRM-2026-{deal.number:05d}"
        erp_no = f"XSDD-2026-{deal.number:06d}"
        customer = deal.customer
        if deal.in_crm:
            world.crm_orders.append(
                {
                    "订单编号": crm_no,
                    "客户名称": customer.name if rng.random() < 0.6 else spell.variant(customer),
                    "联系人": customer.contact,
                    "联系电话": _phone(rng, customer.mobile),
                    "订单金额": _money_text(rng, deal.amount),
                    "下单日期": _date_text(rng, deal.day),
                    "订单状态": "跟进中" if deal.erp_pending else rng.choice(["已成交", "赢单"]),
                    "ERP单号": erp_no if deal.in_erp and rng.random() < 0.3 else "",
                    "备注": rng.choice(
                        [
                            "",
                            "",
                            "",
                            "客户要求加急, 月底前发货",
                            '含"安装调试"服务',
                            "分两批发货\n第二批月底",
                        ]
                    ),
                }
            )
            world.order_truth.append((entity, "crm", crm_no))
        if deal.in_erp:
            code = rng.choice(codes[customer.number])
            erp_name = erp_names[code]
            source = ""
            if deal.in_crm and rng.random() < 0.6:
                source = rng.choice([crm_no, crm_no.replace("-", ""), crm_no.lower()])
            world.erp_orders.append(
                {
                    "单据编号": erp_no,
                    "单据日期": datetime.combine(
                        deal.day + timedelta(days=deal.erp_lag), datetime.min.time()
                    ),
                    "客户编码": code,
                    "客户名称": erp_name,
                    "物料编码": deal.product,
                    "数量": deal.quantity,
                    "含税单价": deal.price,
                    "价税合计": round(deal.amount + deal.erp_amount_delta, 2),
                    "审核状态": "未审核"
                    if deal.erp_pending
                    else rng.choice(["已审核"] * 9 + ["已关闭"]),
                    "业务员": rng.choice(["王芳", "李娜", "张伟", "刘洋", "陈静"]),
                    "源单编号": source,
                    "备注": "",
                }
            )
            world.order_truth.append((entity, "erp", erp_no))
        if deal.in_oa:
            approval = (
                f"OA{(deal.day - timedelta(days=deal.oa_lead)).strftime('%Y%m%d')}{deal.number:05d}"
            )
            quoted = deal.in_crm and rng.random() < 0.5
            title = rng.choice(
                [
                    f"关于{customer.name}销售合同审批",
                    f"{customer.name}订单审批",
                    f"销售订单审批-{customer.brand}{customer.trade}",
                ]
            )
            if quoted:
                title = rng.choice(
                    [
                        f"【{crm_no}】{customer.name}订单审批",
                        f"销售订单审批-{crm_no.replace('-', '')}",
                        f"关于{customer.name}销售合同审批（{crm_no}）",
                    ]
                )
            submitted = datetime.combine(
                deal.day - timedelta(days=deal.oa_lead), datetime.min.time()
            ) + timedelta(hours=rng.randrange(8, 19), minutes=rng.randrange(60))
            status = deal.oa_stopped or ("审批中" if deal.erp_pending else "已通过")
            world.oa_approvals.append(
                {
                    "审批编号": approval,
                    "标题": title,
                    "申请人": fake.name(),
                    "客户名称": customer.name if rng.random() < 0.7 else spell.variant(customer),
                    "金额": deal.amount if rng.random() < 0.5 else _money_text(rng, deal.amount),
                    "审批状态": status,
                    "提交时间": submitted
                    if rng.random() < 0.6
                    else submitted.strftime("%Y-%m-%d %H:%M"),
                }
            )
            world.order_truth.append((entity, "oa", approval))
        _planted_conflicts(world, deal, entity, crm_no, erp_no)


def _planted_conflicts(world: World, deal: Deal, entity: str, crm_no: str, erp_no: str) -> None:
    """Record every planted disagreement: one row per record of the deal holding the field."""
    present = [("erp", erp_no) if deal.in_erp else None, ("crm", crm_no) if deal.in_crm else None]
    records = [r for r in present if r]
    if deal.in_oa:
        records.append(("oa", world.order_truth[-1][2]))
    if len(records) < 2:
        return
    if deal.erp_amount_delta and deal.in_erp:
        world.conflict_truth.extend((entity, "amount", t, r) for t, r in records)
    if deal.oa_stopped and deal.in_oa:
        world.conflict_truth.extend((entity, "status", t, r) for t, r in records)
    if deal.erp_lag > 7 and deal.in_erp:
        world.conflict_truth.extend((entity, "date", t, r) for t, r in records)


def generate(n_customers: int = 250, n_orders: int = 1000, seed: int = 7) -> World:
    """The whole world, the same for the same arguments."""
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    customers = _customers(rng, fake, n_customers)
    world = World()
    codes = _customer_tables(world, rng, customers)
    _order_tables(world, rng, fake, _deals(rng, customers, n_orders), codes)
    return world
