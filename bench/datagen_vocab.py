"""Words and number formats of the demo world: cities, company-name parts, products, and
the ways each system writes a phone number, an amount or a date.

Every function takes the caller's ``random.Random`` so the world stays deterministic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class City:
    name: str
    province: str  # "" for the four municipalities
    area_code: str
    division: str  # first four digits of the administrative division code (in the USCC)
    districts: tuple[str, ...]
    weight: float


CITIES = (
    City("北京", "", "010", "1101", ("朝阳区", "海淀区", "丰台区", "东城区"), 6),
    City("上海", "", "021", "3101", ("浦东新区", "徐汇区", "闵行区", "静安区"), 6),
    City("深圳", "广东省", "0755", "4403", ("南山区", "福田区", "宝安区", "龙岗区"), 5),
    City("广州", "广东省", "020", "4401", ("天河区", "越秀区", "海珠区", "番禺区"), 4),
    City("杭州", "浙江省", "0571", "3301", ("西湖区", "滨江区", "余杭区", "拱墅区"), 4),
    City("成都", "四川省", "028", "5101", ("武侯区", "锦江区", "青羊区", "成华区"), 3),
    City("武汉", "湖北省", "027", "4201", ("江汉区", "洪山区", "武昌区", "江岸区"), 3),
    City("南京", "江苏省", "025", "3201", ("鼓楼区", "玄武区", "江宁区", "建邺区"), 3),
    City("苏州", "江苏省", "0512", "3205", ("姑苏区", "吴中区", "虎丘区", "相城区"), 3),
    City("西安", "陕西省", "029", "6101", ("雁塔区", "碑林区", "未央区", "长安区"), 2),
    City("天津", "", "022", "1201", ("和平区", "河西区", "南开区", "滨海新区"), 2),
    City("重庆", "", "023", "5001", ("渝中区", "江北区", "渝北区", "南岸区"), 2),
    City("长沙", "湖南省", "0731", "4301", ("岳麓区", "芙蓉区", "雨花区", "开福区"), 2),
    City("郑州", "河南省", "0371", "4101", ("金水区", "二七区", "中原区", "管城回族区"), 2),
    City("青岛", "山东省", "0532", "3702", ("市南区", "崂山区", "黄岛区", "李沧区"), 2),
    City("宁波", "浙江省", "0574", "3302", ("鄞州区", "海曙区", "江北区", "北仑区"), 2),
    City("厦门", "福建省", "0592", "3502", ("思明区", "湖里区", "集美区", "海沧区"), 1),
    City("合肥", "安徽省", "0551", "3401", ("蜀山区", "包河区", "庐阳区", "瑶海区"), 1),
    City("济南", "山东省", "0531", "3701", ("历下区", "市中区", "槐荫区", "天桥区"), 1),
)
CITY_WEIGHTS = [c.weight for c in CITIES]

# Brand syllables, each with a look- or sound-alike that a hurried clerk types instead.
SOUNDALIKE = {
    "华": "化", "信": "讯", "鼎": "顶", "盛": "胜", "恒": "衡", "通": "同", "瑞": "锐",
    "丰": "峰", "金": "今", "桥": "乔", "宏": "弘", "达": "大", "中": "忠", "科": "可",
    "新": "欣", "元": "源", "天": "添", "合": "和", "博": "搏", "远": "园", "安": "按",
    "泰": "太", "永": "勇", "昌": "倡", "德": "得", "润": "闰", "嘉": "佳", "诚": "成",
    "汇": "会", "明": "铭", "凯": "恺", "越": "悦", "联": "连", "创": "闯", "星": "兴",
    "海": "嗨", "正": "政", "广": "光", "源": "元", "美": "每", "腾": "滕", "飞": "菲",
    "锦": "金", "程": "成", "荣": "容", "辉": "晖", "东": "冬", "方": "芳", "亿": "忆",
    "志": "智", "银": "寅", "河": "和", "长": "常", "城": "成", "万": "湾", "纳": "娜",
    "精": "晶", "工": "功", "立": "利", "宇": "雨", "伟": "玮", "力": "立",
}  # fmt: skip
BRAND_CHARS = tuple(SOUNDALIKE)
TRADES = (
    "科技", "贸易", "电子", "机械", "医疗器械", "建材", "物流", "食品", "信息技术",
    "新材料", "环保科技", "智能装备", "化工", "电气", "自动化设备", "网络科技", "商贸",
    "实业", "供应链管理", "工程技术",
)  # fmt: skip
LEGAL_FORMS = ("有限公司", "有限责任公司", "股份有限公司")
LEGAL_WEIGHTS = (65, 20, 15)
ROADS = (
    "中山路", "人民路", "建设路", "解放路", "科技园路", "长江路", "黄河路", "创业路",
    "工业大道", "学院路", "新华路", "文化路", "高新大道",
)  # fmt: skip
TOWERS = ("国际", "科技", "金融", "商务", "创新", "财富", "中心")
SALES_REPS = ("王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄俊")
CUSTOMER_CLASSES = ("重点客户", "普通客户", "普通客户", "经销商", "集团客户")
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183",
    "185", "186", "187", "188", "189", "191", "199",
)  # fmt: skip
MAIL_DOMAINS = ("qq.com", "163.com", "126.com", "sina.com", "foxmail.com")


@dataclass(frozen=True)
class Product:
    code: str
    name: str
    cents: int  # list price including tax, in fen


PRODUCTS = tuple(
    Product(f"WX-{1001 + k}", name, round(price * 100))
    for k, (name, price) in enumerate(
        (
            ("工业交换机", 1280.0), ("光纤收发器", 356.0), ("网络摄像机", 899.0),
            ("硬盘录像机", 2350.0), ("无线AP", 468.0), ("核心路由器", 12800.0),
            ("机柜42U", 3680.0), ("UPS电源3kVA", 5200.0), ("PLC控制器", 6850.0),
            ("变频器7.5kW", 4399.0), ("伺服电机", 2980.0), ("触摸屏10寸", 1560.0),
            ("温湿度传感器", 186.5), ("工控机", 8800.0), ("光模块10G", 520.0),
            ("配电柜", 26500.0), ("电缆YJV-4x25", 98.6), ("安装调试服务", 1500.0),
            ("软件授权(年)", 19800.0), ("维保服务(年)", 9600.0),
        )
    )
)  # fmt: skip
_FEW = (1, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10)


def quantity(rng: random.Random, product: Product) -> int:
    """Expensive items sell by the piece, cheap ones by the dozen or the hundred."""
    if product.cents >= 500_000:
        return rng.choice(_FEW[:7])
    if product.cents >= 100_000:
        return rng.choice((*_FEW, 12, 15, 20))
    return rng.choice((*_FEW[3:], 12, 15, 20, 30, 50, 100, 200))


def uscc(rng: random.Random, city: City) -> str:
    """A unified social credit code with a valid check digit (GB 32100-2015)."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    district = rng.choice(("02", "03", "05", "06", "08", "12", "13", "14"))
    organisation = "".join(rng.choice(chars[:10] if k < 2 else chars) for k in range(9))
    body = "91" + city.division + district + organisation
    total = sum(chars.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + chars[(31 - total % 31) % 31]


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def landline(rng: random.Random, city: City) -> tuple[str, str]:
    """(area code, local number)."""
    return city.area_code, f"{rng.randrange(2, 9)}{rng.randrange(10**7):07d}"


def mobile_text(rng: random.Random, number: str) -> str:
    """A mobile as a CRM user typed it."""
    a, b, c = number[:3], number[3:7], number[7:]
    return rng.choice(
        (f"+86 {a}-{b}-{c}", f"{a} {b} {c}", number, number, f"+86{number}", f"{a}-{b}-{c}")
    )


def landline_text(rng: random.Random, phone: tuple[str, str]) -> str:
    area, local = phone
    form = rng.randrange(10)
    if form < 5:
        return f"{area}-{local}"
    if form < 7:
        return f"({area}){local[:4]} {local[4:]}"
    if form < 9:
        return f"{area} {local[:4]} {local[4:]}"
    return f"{area}-{local}转{rng.randrange(800, 900)}"


def money_text(rng: random.Random, cents: int) -> str:
    """An amount as text in one of the forms CRMs and OA forms show; always exact."""
    amount = Decimal(cents) / 100
    form = rng.randrange(20)
    if form < 6:
        return f"￥{amount:,.2f}"
    if form < 8:
        return f"¥{amount:,.2f}"
    if form < 12:
        return f"{amount:.2f}元"
    if form < 16:
        return f"{amount:,.2f}"
    if form < 18 and cents % 100 == 0:
        return f"{cents // 100:,}"
    if cents >= 1_000_000 and cents % 100 == 0:
        wan = f"{Decimal(cents) / 1_000_000:f}"
        return (wan.rstrip("0").rstrip(".") if "." in wan else wan) + "万"
    return f"{amount:.2f}"


def date_text(rng: random.Random, day: date) -> str:
    form = rng.randrange(4)
    if form == 0:
        return f"{day.year}/{day.month}/{day.day}"
    if form == 1:
        return day.isoformat()
    if form == 2:
        return f"{day.year}年{day.month}月{day.day}日"
    return day.strftime("%Y%m%d")


def address(rng: random.Random, city: City) -> str:
    """province + city + district + road + number, sometimes a building and a room."""
    prefix = f"{city.province}{city.name}市{rng.choice(city.districts)}{rng.choice(ROADS)}"
    number = f"{rng.randrange(1, 999)}号"
    building = rng.randrange(4)
    if building == 0:
        return f"{prefix}{number}{rng.choice(TOWERS)}大厦{rng.randrange(2, 30)}楼"
    if building == 1:
        return f"{prefix}{number}{'ABCD'[rng.randrange(4)]}座{rng.randrange(2, 25)}{rng.randrange(1, 20):02d}室"
    return prefix + number
