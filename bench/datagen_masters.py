"""A second, independent customer-master world: an ERP 客户档案 and a CRM account list the
way another group of companies keeps them, written without the vocabularies or layouts of
``bench/datagen_customers.py`` so that the dedupe is measured on spellings it was not
tuned on.

Most companies have one ERP code and one CRM account; some ERP codes were opened twice, a
few CRM accounts too. What makes it hard: the same trade name in many cities and trades
(华信科技 in 北京 and in 成都 are two companies), branches (分公司) beside their head office,
sister companies that differ by one word (华信电子 / 华信科技), names written with and
without their region, legal form, brackets or traditional characters, a contact who moved
on, a CRM account's city that is the sales office's rather than the seat's, and half the
tax numbers missing.

``write(generate(records, seed), folder)`` writes ``erp_masters.csv`` (GB18030),
``crm_accounts.csv`` (UTF-8 with a BOM) and ``truth/customers.csv``
(entity_id,table,record_id). Nothing here imports ``app``.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path


def _words(text: str) -> list[str]:
    return text.split()


PLACES = {  # province: cities (seat first); the area code of each city
    "北京": {"北京": "010"},
    "上海": {"上海": "021"},
    "天津": {"天津": "022"},
    "重庆": {"重庆": "023"},
    "广东": {"广州": "020", "深圳": "0755", "东莞": "0769", "佛山": "0757", "珠海": "0756"},
    "江苏": {"南京": "025", "苏州": "0512", "无锡": "0510", "常州": "0519", "南通": "0513"},
    "浙江": {"杭州": "0571", "宁波": "0574", "温州": "0577", "嘉兴": "0573", "绍兴": "0575"},
    "四川": {"成都": "028", "绵阳": "0816", "宜宾": "0831"},
    "湖北": {"武汉": "027", "宜昌": "0717", "襄阳": "0710"},
    "山东": {"济南": "0531", "青岛": "0532", "烟台": "0535", "潍坊": "0536"},
    "福建": {"福州": "0591", "厦门": "0592", "泉州": "0595"},
    "河南": {"郑州": "0371", "洛阳": "0379"},
    "湖南": {"长沙": "0731", "株洲": "0731"},
    "陕西": {"西安": "029", "宝鸡": "0917"},
    "辽宁": {"沈阳": "024", "大连": "0411"},
    "安徽": {"合肥": "0551", "芜湖": "0553"},
}
MUNICIPALITIES = {"北京", "上海", "天津", "重庆"}
SYLLABLES = _words(
    "华信 宏达 金鼎 恒远 东方 鑫源 天成 瑞丰 博雅 中科 联创 永泰 新世纪 立信 嘉禾 海纳 启明 "
    "汇通 长城 盛世 明辉 安泰 德润 正阳 卓越 星河 万象 同创 锦程 昊天 凯旋 富春 金桥 龙腾 "
    "华美 信达 众诚 广源 宝丰 荣盛 云帆 拓普 精诚 远大 蓝海 青松 和泰 润泽 佳德 致远"
)
RARE = _words("琨 珏 翊 骐 彧 瑄 珩 钰 昶 晟 璟 熠 炜 煜 骁 铖 嵘 崧 淼 烨")
TRADES = _words(
    "科技 电子 机械 贸易 建材 物流 医药 食品 化工 电气 软件 信息技术 环保科技 新材料 "
    "工程 包装 纺织 汽车配件 光电 网络科技"
)
LEGAL = ("有限公司", "有限责任公司", "股份有限公司", "集团有限公司")
SURNAMES = _words(
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 高 梁 郑 谢 宋 唐 许 韩 冯 邓 曹"
)
GIVEN = _words(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 华 平 刚 桂英 建华 文 斌 宇 浩 凯 鹏 婷"
)
TRADITIONAL = str.maketrans("华电机贸东达长云龙广门兴国汇丰电网",
                            "華電機貿東達長雲龍廣門興國匯豐電網")  # fmt: skip
ROADS = _words(
    "人民路 中山路 解放路 建设路 和平路 长江路 科技路 新华路 文化路 胜利路 滨江大道 高新大道"
)
ERP_COLUMNS = (
    "客户代码",
    "客户全称",
    "税号",
    "所属省份",
    "城市",
    "详细地址",
    "联系人",
    "手机号码",
    "禁用状态",
)
CRM_COLUMNS = ("Account ID", "公司名称", "所属行业", "省/市", "地址", "主联系人", "电话", "邮箱")


@dataclass
class Firm:
    entity: str
    province: str
    city: str
    brand: str
    trade: str
    legal: str
    uscc: str
    contact: str
    mobile: str
    address: str
    branch_of: Firm | None = None
    records: list[tuple[str, str]] = field(default_factory=list)  # (table, record id)

    @property
    def name(self) -> str:
        head = self.branch_of or self
        full = f"{head.city_prefix}{head.brand}{head.trade}{head.legal}"
        return full + f"{self.city}分公司" if self.branch_of else full

    @property
    def city_prefix(self) -> str:
        return self.city if self.city in MUNICIPALITIES else f"{self.city}"


@dataclass
class World:
    erp: list[dict[str, str]]
    crm: list[dict[str, str]]
    truth: list[tuple[str, str, str]]


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _uscc(rng: random.Random) -> str:
    body = "91" + "".join(rng.choice("0123456789") for _ in range(6))
    body += "".join(rng.choice(_USCC_CHARS) for _ in range(9))
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


def _person(rng: random.Random) -> str:
    return (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.4 else "")
    )


def _mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))


def _firms(rng: random.Random, count: int) -> list[Firm]:
    provinces = list(PLACES)
    rare = [a + b for a in RARE for b in SYLLABLES]
    coined = [a[0] + b[-1] for a in SYLLABLES for b in SYLLABLES if a != b]
    taken: set[tuple[str, str, str]] = set()  # a name is registered once per city
    firms: list[Firm] = []
    while len(firms) < count:
        province = rng.choice(provinces)
        city = rng.choice(list(PLACES[province]))
        roll = rng.random()
        brand = rng.choice(SYLLABLES if roll < 0.4 else rare if roll < 0.7 else coined)
        trade = rng.choice(TRADES)
        if (city, brand, trade) in taken:
            continue
        taken.add((city, brand, trade))
        head = Firm(
            entity=f"E{len(firms):07d}",
            province=province,
            city=city,
            brand=brand,
            trade=trade,
            legal=rng.choices(LEGAL, (70, 20, 8, 2))[0],
            uscc=_uscc(rng),
            contact=_person(rng),
            mobile=_mobile(rng),
            address=f"{rng.choice(ROADS)}{rng.randint(1, 999)}号",
        )
        firms.append(head)
        roll = rng.random()
        if roll < 0.05:  # a branch in another city of the province, a company of its own
            others = [c for c in PLACES[province] if c != city] or [city]
            other = rng.choice(others)
            if other != city:
                firms.append(
                    Firm(f"E{len(firms):07d}", province, other, brand, head.trade, head.legal,
                         _uscc(rng), _person(rng), _mobile(rng),
                         f"{rng.choice(ROADS)}{rng.randint(1, 999)}号", branch_of=head)
                )  # fmt: skip
        elif roll < 0.10:  # a sister company: same seat and brand, another trade
            trade = rng.choice([t for t in TRADES if t != head.trade])
            if (city, brand, trade) in taken:
                continue
            taken.add((city, brand, trade))
            firms.append(
                Firm(f"E{len(firms):07d}", province, city, brand, trade, head.legal, _uscc(rng),
                     _person(rng), _mobile(rng), f"{rng.choice(ROADS)}{rng.randint(1, 999)}号")
            )  # fmt: skip
    return firms[:count]


def _spelling(rng: random.Random, firm: Firm) -> str:
    """The name as one clerk typed it."""
    name = firm.name
    head = firm.branch_of or firm
    roll = rng.random()
    if roll < 0.15 and not firm.branch_of:  # without the region
        name = name.removeprefix(head.city_prefix)
    elif roll < 0.25 and not firm.branch_of:  # region in brackets after the brand
        name = f"{head.brand}{head.trade}（{head.city}）{head.legal}"
    elif roll < 0.32:  # province and city
        name = head.province + ("省" if head.province not in MUNICIPALITIES else "") + name
        name = name.replace(head.province + head.province, head.province)
    if rng.random() < 0.12:  # legal form dropped or swapped
        swap = rng.choice(("", "有限公司", "有限责任公司", "公司"))
        name = name.replace(head.legal, swap, 1)
    if rng.random() < 0.05:
        name = name.translate(TRADITIONAL)
    if rng.random() < 0.05:
        name = name.replace("（", "(").replace("）", ")")
    if rng.random() < 0.04:  # a stray space or a missing character
        at = rng.randrange(2, max(3, len(name) - 2))
        name = name[:at] + (" " if rng.random() < 0.5 else "") + name[at + 1 :]
    return name


def _phone(rng: random.Random, mobile: str) -> str:
    return rng.choice((mobile, f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}",
                       f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}", f"86{mobile}"))  # fmt: skip


def generate(records: int, seed: int = 3) -> World:
    """About ``records`` rows in all (ERP and CRM together)."""
    rng = random.Random(seed)
    firms = _firms(rng, int(records / 2.05))
    erp: list[dict[str, str]] = []
    crm: list[dict[str, str]] = []
    for firm in firms:
        in_erp, in_crm = rng.random() < 0.93, rng.random() < 0.88
        copies_erp = (1 + (rng.random() < 0.12) + (rng.random() < 0.02)) if in_erp else 0
        copies_crm = (1 + (rng.random() < 0.05)) if in_crm else 0
        for copy in range(copies_erp):
            code = f"KH{len(erp) + 100000:07d}"
            firm.records.append(("erp", code))
            later = copy > 0
            erp.append({
                "客户代码": code,
                "客户全称": firm.name if not later and rng.random() < 0.8 else _spelling(rng, firm),
                "税号": firm.uscc if rng.random() < (0.75 if not later else 0.35) else "",
                "所属省份": firm.province if rng.random() < 0.9 else "",
                "城市": (firm.city + ("市" if rng.random() < 0.5 else "")) if rng.random() < 0.85 else "",
                "详细地址": (firm.province + "省" if firm.province not in MUNICIPALITIES else "")
                + firm.city + "市" + firm.address if rng.random() < 0.8 else firm.address,
                "联系人": firm.contact if not later or rng.random() < 0.6 else _person(rng),
                "手机号码": _phone(rng, firm.mobile) if not later or rng.random() < 0.6 else _mobile(rng),
                "禁用状态": "否" if not later or rng.random() < 0.5 else "是",
            })  # fmt: skip
        for _ in range(copies_crm):
            account = f"001{rng.randrange(16**12):012X}"
            firm.records.append(("crm", account))
            office = firm.city
            if rng.random() < 0.08:  # the sales office's city, not the seat's
                office = rng.choice(list(PLACES[firm.province]))
            crm.append({
                "Account ID": account,
                "公司名称": _spelling(rng, firm) if rng.random() < 0.6 else firm.name,
                "所属行业": firm.trade,
                "省/市": f"{firm.province}/{office}" if rng.random() < 0.9 else "",
                "地址": firm.address if rng.random() < 0.7 else "",
                "主联系人": firm.contact if rng.random() < 0.8 else _person(rng),
                "电话": _phone(rng, firm.mobile) if rng.random() < 0.85 else "",
                "邮箱": f"{rng.choice(('info', 'sales', 'hr', 'cw'))}@{firm.brand}{int(firm.entity[1:]) % 9973}.cn"
                if rng.random() < 0.4 else "",
            })  # fmt: skip
    order = list(range(len(crm)))
    rng.shuffle(order)
    crm = [crm[i] for i in order]
    truth = [(f.entity, table, rid) for f in firms for table, rid in f.records]
    return World(erp, crm, truth)


def write(world: World, folder: Path) -> None:
    (folder / "truth").mkdir(parents=True, exist_ok=True)
    for name, rows, columns, encoding in (
        ("erp_masters.csv", world.erp, ERP_COLUMNS, "gb18030"),
        ("crm_accounts.csv", world.crm, CRM_COLUMNS, "utf-8-sig"),
    ):
        with open(folder / name, "w", encoding=encoding, newline="") as stream:
            writer = csv.DictWriter(stream, columns)
            writer.writeheader()
            writer.writerows(rows)
    with open(folder / "truth" / "customers.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(("entity_id", "table", "record_id"))
        writer.writerows(world.truth)
