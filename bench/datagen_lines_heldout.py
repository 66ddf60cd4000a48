"""A held-out three-way world whose ERP export holds order lines, written apart from the
engine and from the other generators: ERP sales orders as lines (1-6 per order) in two
vendor habits, CRM contracts and OA approvals one row per order, with planted
differences and a truth file.

Styles of the ERP export:

- ``kingdee``: a 销售订单序时簿, the document number and head fields repeated on every
  line (单据编号, 日期, 客户, 物料编码, 物料名称, 数量, 含税单价, 价税合计, 单据状态);
- ``u8``: a 销售订单列表 with a title and an export line above the header, head fields on
  the first line of each order only, and a 合计 row at the bottom (订单号, 订单日期,
  客户名称, 存货编码, 存货名称, 数量, 原币含税单价, 原币价税合计).

Each style is written as GB18030 CSV and as xlsx. The CRM export is UTF-8 CSV (合同编号,
ERP订单号 as the CRM spells it, 客户名称, 签约日期, 合同金额, 销售阶段); the OA export is
xlsx (审批编号, 关联合同号, 客户, 审批金额, 审批状态 已审批/审批中, 发起时间).

Truth (``truth.json``): per table the deal of every record id (and of every file row),
the planted (deal, kind) conflicts, and the deals whose expected chain outcome is open to
reading (left out of the scoring).
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl

DATA = Path(__file__).resolve().parent / "data" / "lines_heldout"

REGIONS = [
    ("深圳市", "深圳"),
    ("广州市", "广州"),
    ("上海", "上海"),
    ("北京", "北京"),
    ("杭州市", "杭州"),
    ("苏州市", "苏州"),
    ("成都市", "成都"),
    ("武汉市", "武汉"),
    ("南京市", "南京"),
    ("西安市", "西安"),
    ("天津市", "天津"),
    ("重庆市", "重庆"),
    ("宁波市", "宁波"),
    ("青岛市", "青岛"),
    ("东莞市", "东莞"),
    ("佛山市", "佛山"),
    ("长沙市", "长沙"),
    ("郑州市", "郑州"),
    ("合肥市", "合肥"),
    ("厦门市", "厦门"),
]
TRADE_A = list("华宏金瑞恒中天海博盛东新联汇永鼎锦德嘉凯富隆泰昌兴")
TRADE_B = list("信达鹏丰通科润纳远世方锐创盛立程禾旋源祥安晟茂辉")
INDUSTRY = [
    "科技",
    "电子",
    "机械",
    "贸易",
    "实业",
    "化工",
    "建材",
    "医疗器械",
    "信息技术",
    "物流",
    "自动化",
    "新材料",
    "环保设备",
    "精密制造",
]
LEGAL = ["有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司"]
LATIN = ["ABC", "TMK", "GSD", "HX", "KLT", "BYD", "SMT", "EVA", "JRC", "MTC"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾")
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "晓东",
    "文博",
    "思远",
    "海燕",
]
PRODUCTS = [
    ("不锈钢球阀", "DN50"),
    ("不锈钢球阀", "DN80"),
    ("伺服电机", "750W"),
    ("伺服电机", "1.5KW"),
    ("工业交换机", "8口"),
    ("工业交换机", "16口"),
    ("变频器", "7.5KW"),
    ("变频器", "15KW"),
    ("PLC控制器", "CPU1214C"),
    ("触摸屏", "7寸"),
    ("触摸屏", "10寸"),
    ("光电传感器", "M18"),
    ("接近开关", "M12"),
    ("气缸", "SC63x100"),
    ("电磁阀", "4V210"),
    ("减速机", "RV63"),
    ("轴承", "6205-2RS"),
    ("轴承", "6308ZZ"),
    ("同步带", "HTD5M"),
    ("直线导轨", "HGR20"),
    ("滚珠丝杠", "SFU1605"),
    ("开关电源", "24V10A"),
    ("断路器", "C32"),
    ("接触器", "LC1D25"),
    ("继电器", "MY2NJ"),
    ("电缆", "RVV4x1.5"),
    ("编码器", "1000P"),
    ("温控器", "E5CC"),
    ("液压泵", "PV2R1"),
    ("冷却风扇", "12038"),
    ("铝型材", "4040"),
    ("密封圈", "O型70x3"),
]


@dataclass
class Company:
    full: str  # as the ERP master writes it
    short: str  # 简称 as sales people write it
    wide: str  # the full name with full-width letters or brackets


@dataclass
class Deal:
    n: int
    company: Company
    person: str
    crm_date: date
    oa_date: date
    erp_date: date
    lines: list[list]  # [code_kingdee, code_u8, name, spec, qty, price]
    erp_no: str
    crm_no: str
    oa_no: str
    in_erp: bool = True
    in_crm: bool = True
    in_oa: bool = True
    erp_status: str = "approved"
    oa_status: str = "approved"
    crm_total: float = 0.0
    oa_total: float = 0.0
    crm_ref_blank: bool = False
    crm_name: str = ""
    oa_name: str = ""
    planted: set[str] = field(default_factory=set)
    unscored: bool = False

    def erp_total(self) -> float:
        return round(sum(round(q * p, 2) for *_, q, p in self.lines), 2)


def _companies(rnd: random.Random, n: int) -> list[Company]:
    out: list[Company] = []
    seen: set[str] = set()
    while len(out) < n:
        region_full, region_short = rnd.choice(REGIONS)
        latin = rnd.random() < 0.12
        trade = rnd.choice(LATIN) if latin else rnd.choice(TRADE_A) + rnd.choice(TRADE_B)
        industry = rnd.choice(INDUSTRY)
        if trade + industry in seen or trade in seen:
            continue
        seen.add(trade + industry)
        seen.add(trade)
        group = rnd.random() < 0.1
        legal = rnd.choice(LEGAL)
        marker = "(集团)" if group else ""
        full = f"{region_full}{trade}{industry}{marker}{legal}"
        wide = full.replace("(", "（").replace(")", "）")
        wide = "".join(chr(ord(c) + 0xFEE0) if "A" <= c <= "Z" else c for c in wide)
        if wide == full:  # no letters, no brackets: spaces and full-width 「有限公司」 spacing
            wide = f"{region_full}{trade}{industry}　{legal}"
        short = rnd.choice(
            [f"{trade}{industry}", f"{region_short}{trade}", f"{region_short}{trade}{industry}"]
        )
        out.append(Company(full, short, wide))
    return out


def _person(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + rnd.choice(GIVEN)


def build(seed: int = 5, deals: int = 1500, style: str = "kingdee") -> list[Deal]:
    rnd = random.Random(seed * 1009 + (0 if style == "kingdee" else 1))
    companies = _companies(rnd, 240)
    start = date(2026, 1, 5)
    span = 170
    out: list[Deal] = []
    for i in range(1, deals + 1):
        company = rnd.choice(companies)
        crm_date = start + timedelta(days=rnd.randrange(span))
        oa_date = crm_date + timedelta(days=rnd.randint(0, 2))
        erp_date = oa_date + timedelta(days=rnd.randint(0, 3))
        lines = []
        for _ in range(rnd.choices([1, 2, 3, 4, 5, 6], [20, 25, 20, 15, 12, 8])[0]):
            k = rnd.randrange(len(PRODUCTS))
            name, spec = PRODUCTS[k]
            kcode = f"01.{k // 10 + 1:02d}.{k * 37 % 1000:04d}"
            ucode = f"A{k // 10 + 1:02d}{k * 37 % 1000:03d}"
            qty = rnd.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 100])
            price = round(rnd.uniform(20, 9000), 2)
            lines.append([kcode, ucode, name, spec, qty, price])
        erp_no = f"XSDD{i + 4000:06d}" if style == "kingdee" else f"{i + 26000000:010d}"
        crm_no = f"HT-2026-{i + 300:05d}"
        oa_no = f"SP{oa_date:%Y%m%d}{i % 1000:03d}{rnd.randint(0, 9)}"
        d = Deal(
            i, company, _person(rnd), crm_date, oa_date, erp_date, lines, erp_no, crm_no, oa_no
        )
        d.crm_total = d.erp_total()
        d.oa_total = d.crm_total
        r = rnd.random()
        d.crm_name = company.full if r < 0.6 else company.short if r < 0.85 else company.wide
        d.oa_name = company.full if rnd.random() < 0.8 else company.short
        d.crm_ref_blank = rnd.random() < 0.06
        old_enough = crm_date <= start + timedelta(days=span - 14)

        # presence
        r = rnd.random()
        if r < 0.04:
            d.in_erp = False  # approved in OA, never booked: an orphan
            d.unscored = True  # whether that is also approved_not_booked is a reading
        elif r < 0.08:
            d.in_crm = False  # booked and approved, the CRM record gone
        elif r < 0.10 and old_enough:
            d.in_crm = d.in_oa = False  # booked with no approval at all
            d.planted.add("booked_without_approval")
        elif r < 0.12 and old_enough:
            d.in_erp = d.in_oa = False  # won in the CRM, never submitted
            d.planted.add("won_not_submitted")
        elif r < 0.15 and old_enough:
            d.oa_status = "pending"  # booked while the approval still runs
            d.planted.add("booked_without_approval")
        elif r < 0.18 and old_enough:
            d.erp_status = "pending"  # approved, still not booked
            d.planted.add("approved_not_booked")

        # field differences (only where two tables can disagree)
        if d.in_erp and (d.in_crm or d.in_oa) and rnd.random() < 0.07:
            line = rnd.choice(d.lines)
            if rnd.random() < 0.5:
                line[4] = line[4] + rnd.randint(1, 5)
            else:
                line[5] = round(line[5] * rnd.choice([0.9, 0.95, 1.05, 1.1]), 2)
            d.planted.add("money")
        elif d.in_oa and (d.in_crm or d.in_erp) and rnd.random() < 0.02:
            d.oa_total = round(d.oa_total + rnd.choice([-1, 1]) * rnd.randint(100, 5000), 2)
            d.planted.add("money")
        if d.in_erp and (d.in_crm or d.in_oa) and rnd.random() < 0.03:
            d.erp_date = d.oa_date + timedelta(days=rnd.randint(15, 40))
            d.planted.add("date")
        out.append(d)
    return out


# ---------------------------------------------------------------- formatting helpers


def _money(v: float, rnd: random.Random, yen: bool = False) -> str:
    s = f"{v:,.2f}"
    if yen and rnd.random() < 0.4:
        return "¥" + s
    return s


def _date_text(d: date, rnd: random.Random, formats: list[str]) -> str:
    f = rnd.choice(formats)
    if f == "iso":
        return d.isoformat()
    if f == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if f == "slash0":
        return f"{d:%Y/%m/%d}"
    if f == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if f == "dot":
        return f"{d:%Y.%m.%d}"
    raise ValueError(f)


ERP_WORDS = {
    "kingdee": {"approved": "已审核", "pending": "保存"},
    "u8": {"approved": "审核", "pending": "开立"},
}


def erp_rows(
    deals: list[Deal], style: str, rnd: random.Random, as_text: bool
) -> tuple[list[str], list[list], list[int]]:
    """Header, data rows and, per data row, the deal it belongs to."""
    rows: list[list] = []
    owner: list[int] = []
    if style == "kingdee":
        header = [
            "单据编号",
            "日期",
            "客户",
            "销售员",
            "物料编码",
            "物料名称",
            "规格型号",
            "单位",
            "数量",
            "含税单价",
            "价税合计",
            "单据状态",
        ]
        for d in deals:
            if not d.in_erp:
                continue
            dt = _date_text(d.erp_date, rnd, ["iso", "slash"]) if as_text else d.erp_date
            for kcode, _u, name, spec, q, p in d.lines:
                amount = round(q * p, 2)
                rows.append(
                    [
                        d.erp_no,
                        dt,
                        d.company.full,
                        d.person,
                        kcode,
                        name,
                        spec,
                        "台",
                        q,
                        _money(p, rnd) if as_text else p,
                        _money(amount, rnd) if as_text else amount,
                        ERP_WORDS[style][d.erp_status],
                    ]
                )
                owner.append(d.n)
    else:
        header = [
            "订单号",
            "订单日期",
            "客户名称",
            "业务员",
            "存货编码",
            "存货名称",
            "规格型号",
            "数量",
            "原币含税单价",
            "原币价税合计",
            "状态",
        ]
        for d in deals:
            if not d.in_erp:
                continue
            dt = _date_text(d.erp_date, rnd, ["iso", "slash0"]) if as_text else d.erp_date
            for j, (_k, ucode, name, spec, q, p) in enumerate(d.lines):
                amount = round(q * p, 2)
                head = [d.erp_no, dt, d.company.full, d.person] if j == 0 else ["", "", "", ""]
                status = ERP_WORDS[style][d.erp_status] if j == 0 else ""
                rows.append(
                    [
                        *head,
                        ucode,
                        name,
                        spec,
                        q,
                        _money(p, rnd) if as_text else p,
                        _money(amount, rnd) if as_text else amount,
                        status,
                    ]
                )
                owner.append(d.n)
    return header, rows, owner


def write_world(
    style: str, fmt: str, seed: int = 5, deals: int = 1500, out: Path | None = None
) -> Path:
    """Write one world (ERP style × file format) and its truth; returns its folder."""
    folder = out or DATA / f"{style}_{fmt}_{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    world = build(seed, deals, style)
    rnd = random.Random(seed * 31 + len(style) + len(fmt))
    truth: dict = {
        "style": style,
        "format": fmt,
        "tables": {},
        "rows": {},
        "planted": [],
        "unscored": [],
    }

    # ERP
    header, rows, owner = erp_rows(world, style, rnd, as_text=(fmt == "csv"))
    total_row = None
    title: list[list] = []
    if style == "u8":
        title = [["销售订单列表"], [f"导出时间：2026-06-25 17:{rnd.randint(10, 59)}"]]
        total_amount = round(sum(d.erp_total() for d in world if d.in_erp), 2)
        total_qty = sum(q for d in world if d.in_erp for *_, q, _p in d.lines)
        total_row = [
            "合计",
            "",
            "",
            "",
            "",
            "",
            "",
            total_qty,
            "",
            _money(total_amount, rnd) if fmt == "csv" else total_amount,
            "",
        ]
    stem = "销售订单序时簿" if style == "kingdee" else "U8销售订单列表"
    erp_path = folder / f"{stem}.{fmt}"
    first = len(title) + 2  # spreadsheet row of the first data line
    if fmt == "csv":
        with erp_path.open("w", encoding="gb18030", newline="") as fh:
            w = csv.writer(fh)
            for t in title:
                w.writerow(t + [""] * (len(header) - 1))
            w.writerow(header)
            w.writerows(rows)
            if total_row:
                w.writerow(total_row)
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "销售订单序时簿" if style == "kingdee" else "销售订单列表"
        for t in title:
            ws.append(t)
        ws.append(header)
        money_cols = {i for i, h in enumerate(header) if "单价" in h or "合计" in h}
        for r in rows + ([total_row] if total_row else []):
            ws.append(r)
            for i in money_cols:
                c = ws.cell(row=ws.max_row, column=i + 1)
                if isinstance(c.value, float):
                    c.number_format = "#,##0.00"
            c = ws.cell(row=ws.max_row, column=2)
            if isinstance(c.value, date):
                c.number_format = "yyyy-mm-dd"
        wb.save(erp_path)
    erp_ids: dict[str, int] = {}
    erp_rows_map: dict[str, int] = {}
    for k, n in enumerate(owner):
        erp_rows_map[f"row:{first + k}"] = n
    for d in world:
        if d.in_erp:
            erp_ids[d.erp_no] = d.n
    truth["tables"]["erp"] = erp_ids
    truth["rows"]["erp"] = erp_rows_map
    truth["erp_file"] = erp_path.name
    truth["erp_lines"] = len(rows)
    truth["erp_documents"] = len(erp_ids)

    # CRM
    crm_path = folder / "CRM合同.csv"
    crm_ids: dict[str, int] = {}
    crm_rows_map: dict[str, int] = {}
    with crm_path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["合同编号", "ERP订单号", "客户名称", "签约日期", "合同金额", "销售阶段", "负责人"]
        )
        k = 2
        for d in world:
            if not d.in_crm:
                continue
            ref = ""
            if d.in_erp and not d.crm_ref_blank:
                ref = d.erp_no
                r = rnd.random()
                if style == "kingdee" and r < 0.25:
                    ref = ref.lower()
                elif style == "kingdee" and r < 0.45:
                    ref = ref[:4] + "-" + ref[4:]
            w.writerow(
                [
                    d.crm_no,
                    ref,
                    d.crm_name,
                    _date_text(d.crm_date, rnd, ["cn", "slash0", "iso"]),
                    _money(d.crm_total, rnd, yen=True),
                    "赢单",
                    d.person,
                ]
            )
            crm_ids[d.crm_no] = d.n
            crm_rows_map[f"row:{k}"] = d.n
            k += 1
    truth["tables"]["crm"] = crm_ids
    truth["rows"]["crm"] = crm_rows_map

    # OA
    oa_path = folder / "OA合同审批.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "合同审批"
    ws.append(
        ["审批编号", "标题", "关联合同号", "申请人", "客户", "审批金额", "审批状态", "发起时间"]
    )
    oa_ids: dict[str, int] = {}
    oa_rows_map: dict[str, int] = {}
    for d in world:
        if not d.in_oa:
            continue
        started = datetime.combine(d.oa_date, datetime.min.time()) + timedelta(
            hours=rnd.randint(8, 19), minutes=rnd.randint(0, 59)
        )
        ws.append(
            [
                d.oa_no,
                f"销售合同审批-{d.oa_name}",
                d.crm_no,
                d.person,
                d.oa_name,
                d.oa_total,
                "已审批" if d.oa_status == "approved" else "审批中",
                started.strftime("%Y-%m-%d %H:%M"),
            ]
        )
        ws.cell(row=ws.max_row, column=6).number_format = "#,##0.00"
        oa_ids[d.oa_no] = d.n
        oa_rows_map[f"row:{ws.max_row}"] = d.n
    wb.save(oa_path)
    truth["tables"]["oa"] = oa_ids
    truth["rows"]["oa"] = oa_rows_map

    for d in world:
        for kind in sorted(d.planted):
            truth["planted"].append([d.n, kind])
        if d.unscored:
            truth["unscored"].append(d.n)
    truth["files"] = {"erp": erp_path.name, "crm": crm_path.name, "oa": oa_path.name}
    (folder / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return folder


if __name__ == "__main__":
    for s in ("kingdee", "u8"):
        for f in ("csv", "xlsx"):
            print(write_world(s, f))
