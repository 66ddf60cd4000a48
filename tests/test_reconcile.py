"""Matching and reconciliation on small crafted cases: what must and must not match, and why."""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys

import pytest

from app.cli import main
from app.reconcile.pipeline import DEDUPE, RECONCILE, link_tables
from app.reconcile.settings import load_settings
from app.sources import SourceSpec, load_source

BRANDS = [
    "华信",
    "鼎盛",
    "恒通",
    "瑞丰",
    "金桥",
    "宏达",
    "中科",
    "新元",
    "天合",
    "博远",
    "安泰",
    "永昌",
]
TRADES = ["科技", "贸易", "电子", "机械", "物流", "建材"]
CITIES = ["北京", "上海", "深圳", "杭州", "成都", "武汉"]


def world(n=40, seed=3):
    rng = random.Random(seed)
    deals = []
    for k in range(n):
        city = rng.choice(CITIES)
        name = f"{city}{BRANDS[k % len(BRANDS)]}{TRADES[k % len(TRADES)]}有限公司"
        amount = rng.randrange(1000, 90000) + rng.choice([0, 0.5, 0.25])
        day = 1 + k % 28
        deals.append({"k": k, "name": name, "amount": amount, "day": day})
    return deals


def write_csv(path, header, rows, encoding="gb18030"):
    with open(path, "w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def orders(tmp_path):
    """ERP, CRM and OA orders of 40 deals, with planted differences:

    deal 5 (and every fifth): pending in both ERP (未审核) and OA (审批中);
    deal 5: the ERP amount differs by 90 (a conflict); deal 7: OA rejected while ERP
    approved (a conflict); deal 11: only in CRM (orphan); deal 13: no OA approval.
    Every other difference is format only.
    """
    deals = world()
    erp, crm, oa = [], [], []
    for d in deals:
        k, amount = d["k"], d["amount"]
        crm_no = f"CRM-2026-{k:05d}"
        if k != 11:
            erp_amount = amount + 90 if k == 5 else amount
            erp.append(
                [
                    f"XS{k:06d}",
                    f"2026-09-{d['day']:02d}",
                    d["name"].replace("有限公司", "有限责任公司"),
                    f"{erp_amount:.2f}",
                    "未审核" if k % 5 == 0 else "已审核",
                    crm_no.replace("-", "") if k % 3 else "",
                ]
            )
        crm.append(
            [
                crm_no,
                d["name"][2:],
                f"¥{amount:,.2f}",
                f"2026/9/{d['day']}",
                "赢单" if k != 7 else "已成交",
            ]
        )
        if k not in (11, 13):
            status = "已驳回" if k == 7 else ("审批中" if k % 5 == 0 else "已通过")
            title = f"关于{d['name']}销售合同审批" + (f"（{crm_no}）" if k % 2 else "")
            oa.append(
                [
                    f"OA{k:05d}",
                    title,
                    d["name"],
                    f"{amount:,.2f}元",
                    status,
                    f"2026-09-{max(1, d['day'] - 1):02d} 10:30",
                ]
            )
    paths = {
        "erp": write_csv(
            tmp_path / "erp.csv",
            ["单据编号", "单据日期", "客户名称", "价税合计", "审核状态", "源单编号"],
            erp,
        ),
        "crm": write_csv(
            tmp_path / "crm.csv", ["订单编号", "客户名称", "订单金额", "下单日期", "订单状态"], crm
        ),
        "oa": write_csv(
            tmp_path / "oa.csv",
            ["审批编号", "标题", "客户名称", "金额", "审批状态", "提交时间"],
            oa,
            encoding="utf-8",
        ),
    }
    return paths


def run(paths, mode=RECONCILE, settings=None):
    tables = [load_source(SourceSpec(label, path)) for label, path in paths.items()]
    return link_tables(tables, mode, settings or load_settings(None))


def members(result):
    ids = {}
    for table in result.tables:
        key = result.mapping.profiles[table.label].key
        ids[table.label] = table.values(key).tolist()
    return [{label: ids[label][row] for label, row in g.members} for g in result.groups]


def cluster_ids(result):
    """Dedupe groups as sorted lists of record keys."""
    ids = {t.label: t.values(result.mapping.profiles[t.label].key).tolist() for t in result.tables}
    return sorted(sorted(ids[label][row] for label, row in g.members) for g in result.groups)


def test_orders_reconcile_one_to_one(orders):
    result = run(orders)
    groups = members(result)
    for group in groups:
        numbers = {int(v[-5:]) for v in group.values()}
        assert len(numbers) == 1, group  # never two deals in one group
    complete = [g for g in groups if len(g) == 3]
    assert len(complete) == 38  # 40 deals less the CRM-only one and the one without OA
    assert {"crm": "CRM-2026-00011"} in groups
    assert {"erp": "XS000013", "crm": "CRM-2026-00013"} in groups


@pytest.mark.parametrize("mode", [RECONCILE, DEDUPE])
def test_a_groups_members_come_in_table_order_then_row_order(orders, mode):
    """links.csv writes them as they come, so the order is the groups' own."""
    result = run(orders, mode)
    rank = {t.label: k for k, t in enumerate(result.tables)}
    linked = [g for g in result.groups if len(g.members) > 1]
    assert len(linked) > 30
    for group in linked:
        assert group.members == sorted(group.members, key=lambda m: (rank[m[0]], m[1]))


def test_conflicts_are_real_differences_not_format(orders):
    """Format never conflicts, and a step still pending in both ERP and OA (deal 5) is
    in order; the chain exceptions are named by kind, with the system behind."""
    result = run(orders)
    groups = members(result)
    found = {
        (c.field, next(iter(groups[c.group].values()))[-2:], c.kind, c.behind)
        for c in result.conflicts
    }
    assert found == {
        ("amount", "05", "money", ""),
        ("status", "07", "booked_without_approval", "oa"),  # OA rejected, ERP approved
        ("status", "11", "won_not_submitted", "oa"),  # won in CRM, never submitted
        ("status", "13", "booked_without_approval", "oa"),  # no approval at all
    }
    assert result.roles == {"erp": "erp", "crm": "crm", "oa": "oa"}


def test_every_score_is_explained(orders):
    result = run(orders)
    pair = result.pair("erp", "crm")
    assert pair is not None
    best = int(pair.scored.weight.argmax())
    parts = pair.model.explain(pair.levels, best)
    assert parts[0].field == "prior"
    assert sum(p.bits for p in parts) == pytest.approx(float(pair.scored.weight[best]), abs=1e-6)
    assert {p.field for p in parts[1:]} == set(pair.levels.levels)


def test_money_tolerance_setting(orders, tmp_path):
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text("[tolerance]\nmoney = 100\n", encoding="utf-8")
    result = run(orders, settings=load_settings(settings_file))
    assert {c.kind for c in result.conflicts} == {"booked_without_approval", "won_not_submitted"}


def test_dedupe_clusters_duplicates_and_keeps_branches_apart(tmp_path):
    rows = [
        ["C001", "北京华信科技有限公司", "91110108MA01ABCD2X", "13812345678"],
        ["C002", "华信科技有限责任公司", "", "+86 138-1234-5678"],
        ["C003", "北京華信科技有限公司", "91110108MA01ABCD2X", ""],
        ["C004", "北京华信科技有限公司上海分公司", "", "021-55551234"],
        ["C005", "上海鼎盛贸易有限公司", "91310115MA1K3YJ2XP", "13900001111"],
        ["C006", "上海鼎盛贸易有限公司", "91310115MA1K3YJ2XP", "13900001111"],
        ["C007", "深圳恒通电子有限公司", "", "0755-88886666"],
    ]
    path = write_csv(
        tmp_path / "customers.csv", ["客户编码", "客户名称", "统一社会信用代码", "联系电话"], rows
    )
    result = run({"erp": path}, mode=DEDUPE)
    clusters = cluster_ids(result)
    assert ["C001", "C002", "C003"] in clusters
    assert ["C004"] in clusters
    assert ["C005", "C006"] in clusters


def test_chaining_guard_keeps_two_clusters_apart(tmp_path):
    """Two tight clusters and one record that resembles each: it may join one, never
    glue both together."""
    rows = [
        ["A1", "杭州瑞丰机械有限公司", "13811110000", "杭州市西湖区文三路1号"],
        ["A2", "杭州瑞丰机械有限公司", "13811110000", "杭州市西湖区文三路1号"],
        ["A3", "杭州瑞丰机械有限公司", "13811110000", "杭州市西湖区文三路1号"],
        ["B1", "杭州瑞丰电子有限公司", "13922220000", "杭州市滨江区江南大道9号"],
        ["B2", "杭州瑞丰电子有限公司", "13922220000", "杭州市滨江区江南大道9号"],
        ["B3", "杭州瑞丰电子有限公司", "13922220000", "杭州市滨江区江南大道9号"],
        ["X1", "杭州瑞丰机械电子有限公司", "13811110000", "杭州市滨江区江南大道9号"],
    ]
    others = [b for b in BRANDS if b != "瑞丰"]
    rows += [
        [
            f"Z{k}",
            f"{CITIES[k % 6]}{others[k % 11]}{TRADES[k // 11 % 6]}有限公司",
            f"1370000{k:04d}",
            f"{CITIES[k % 6]}某区某路{k}号",
        ]
        for k in range(30)
    ]
    path = write_csv(tmp_path / "c.csv", ["客户编码", "客户名称", "电话", "地址"], rows)
    result = run({"crm": path}, mode=DEDUPE)
    for group in cluster_ids(result):
        assert not ({"A1", "B1"} <= set(group)), group


def test_cli_file_contract(orders, tmp_path):
    out = tmp_path / "out"
    args = ["reconcile", "--quiet", "--out", str(out)] + [
        f"{label}={path}" for label, path in orders.items()
    ]
    assert main(args) == 0
    with open(out / "links.csv", encoding="utf-8") as stream:
        links = list(csv.reader(stream))
    assert links[0] == ["entity_id", "table", "record_id"]
    records = [(t, r) for _, t, r in links[1:]]
    assert len(records) == len(set(records)) == 39 + 40 + 38  # every record exactly once
    with open(out / "conflicts.csv", encoding="utf-8") as stream:
        conflicts = list(csv.DictReader(stream))
    assert list(conflicts[0]) == [
        "entity_id",
        "field",
        "table",
        "record_id",
        "column",
        "value",
        "kind",
    ]
    amount = [c for c in conflicts if c["field"] == "amount"]
    assert {(c["table"], c["column"]) for c in amount} == {
        ("erp", "价税合计"),
        ("crm", "订单金额"),
        ("oa", "金额"),
    }
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["tables"]["erp"]["key_column"] == "单据编号"
    assert summary["tables"]["crm"]["columns"]["订单金额"] == "amount"
    assert summary["totals"]["complete_groups"] == 38
    assert summary["totals"]["conflicts"] == 4
    assert summary["conflicts_by_kind"] == {
        "booked_without_approval": 2,
        "money": 1,
        "won_not_submitted": 1,
    }
    chain = summary["chain"]
    assert chain["roles"] == {"erp": "erp", "crm": "crm", "oa": "oa"}
    assert {(e["kind"], e["behind"]) for e in chain["exceptions"]} == {
        ("booked_without_approval", "oa"),
        ("won_not_submitted", "oa"),
    }
    won = next(c for c in conflicts if c["kind"] == "won_not_submitted")
    assert (won["field"], won["table"], won["column"], won["value"]) == (
        "status",
        "crm",
        "订单状态",
        "赢单",
    )


def test_the_command_in_its_own_process_writes_everything_and_says_so(orders, tmp_path):
    """The command ends its process at once after writing (no clean-up of the heap):
    every file is whole, the last line reaches the terminal, the exit code is 0."""
    out = tmp_path / "out"
    sources = [f"{label}={path}" for label, path in orders.items()]
    done = subprocess.run(
        [sys.executable, "-m", "app", "reconcile", "--out", str(out), *sources],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.rstrip().endswith(f"conflicts → {out}")
    with open(out / "links.csv", encoding="utf-8") as stream:
        assert len(list(csv.reader(stream))) == 1 + 39 + 40 + 38
    assert (
        json.loads((out / "summary.json").read_text(encoding="utf-8"))["totals"]["conflicts"] == 4
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x=nope.csv", "y=nope2.csv"], "not found"),
        (["--key", "zz=单号", "{erp}", "{crm}"], "unknown table label"),
        (["{erp}#Sheet1", "{crm}"], "no sheets"),
        (["{empty}", "{crm}"], "no data rows"),
        (["{erp}"], "at least two"),
    ],
)
def test_cli_bad_input_exits_1_with_one_line(orders, tmp_path, capsys, args, message):
    empty = tmp_path / "empty.csv"
    empty.write_text("编号,名称\n", encoding="utf-8")
    args = [a.format(erp=orders["erp"], crm=orders["crm"], empty=empty) for a in args]
    assert main(["reconcile", "--quiet", "--out", str(tmp_path / "o"), *args]) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_cli_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["reconcile", "a.csv"])
    assert caught.value.code == 2


def test_term_frequencies_are_counted_once_per_field_and_table_pair(monkeypatch):
    """The dedupe's chaining guard scores a few pairs thousands of times: the frequency
    table of a field is built once per table pair, not once per call."""
    from app.match import model
    from app.reconcile.pipeline import DEDUPE, link_tables
    from app.reconcile.settings import Settings
    from app.sources import load
    from tests.world import SAMPLES

    built: list[tuple[str, str, str]] = []
    real = model._shares

    def counted(values, a, b):
        built.append((values.field.name, a, b))
        return real(values, a, b)

    monkeypatch.setattr(model, "_shares", counted)
    tables = [
        load(f"erp={SAMPLES / 'ERP销售数据.xlsx'}#客户档案"),
        load(f"crm={SAMPLES / 'CRM客户.csv'}"),
    ]
    link_tables(tables, DEDUPE, Settings())
    assert built and len(built) == len(set(built))


def _pair_world(tmp_path, crm_date, crm_amount, amount_header="订单金额"):
    """An ERP and a CRM table of 30 deals; the CRM's date and amount cells made by
    ``crm_date(k, day)`` and ``crm_amount(k, amount)``."""
    erp, crm = [], []
    for d in world(30):
        k, amount, day = d["k"], d["amount"], d["day"]
        erp.append([f"XS{k:06d}", f"2026-09-{day:02d}", d["name"], f"{amount:.2f}", f"CRM{k:05d}"])
        crm.append([f"CRM{k:05d}", d["name"], crm_amount(k, amount), crm_date(k, day)])
    return {
        "erp": write_csv(
            tmp_path / "erp.csv", ["单据编号", "单据日期", "客户名称", "价税合计", "源单编号"], erp
        ),
        "crm": write_csv(
            tmp_path / "crm.csv", ["订单编号", "客户名称", amount_header, "签约日期"], crm
        ),
    }


def _conflicted(result, kind):
    return sorted(
        result.table(label).values(result.mapping.profiles[label].key).iloc[row]
        for c in result.conflicts
        if c.kind == kind
        for label, row in c.members
        if label == "erp"
    )


def test_a_column_that_mostly_disagrees_is_not_compared(tmp_path):
    """A CRM date three weeks after every ERP date holds another date than the order's:
    comparing them would flag every deal. Where the columns mostly agree, the few that
    do not are conflicts."""
    shifted = _pair_world(
        tmp_path, lambda k, day: f"2026-10-{day:02d}", lambda k, amount: f"{amount:.2f}"
    )
    result = run(shifted)
    assert next(f for f in result.mapping.fields if f.columns.get("crm") == "签约日期").compared
    assert _conflicted(result, "date") == []
    few = _pair_world(
        tmp_path,
        lambda k, day: f"2026-{10 if k in (3, 4) else 9}-{day:02d}",
        lambda k, amount: f"{amount:.2f}",
    )
    assert _conflicted(run(few), "date") == ["XS000003", "XS000004"]


def test_an_amount_in_ten_thousands_is_compared_in_yuan(tmp_path):
    """合同金额(万元) holds 1.234567 for ¥12,345.67: a difference of unit, not of amount."""
    paths = _pair_world(
        tmp_path,
        lambda k, day: f"2026-09-{day:02d}",
        lambda k, amount: f"{(amount + (500 if k == 5 else 0)) / 10000:.6f}",
        amount_header="合同金额(万元)",
    )
    result = run(paths)
    amount = next(f for f in result.mapping.fields if f.columns.get("erp") == "价税合计")
    assert amount.columns == {"erp": "价税合计", "crm": "合同金额(万元)"}
    assert _conflicted(result, "money") == ["XS000005"]


def test_a_dedupe_that_finds_no_duplicates_still_writes_its_outputs(tmp_path):
    """No group holds two records, so no field has members to compare: the (empty)
    member frame must still index the amounts and dates."""
    source = tmp_path / "customers.csv"
    source.write_text(
        "客户编码,客户名称,联系电话,金额,日期\n"
        "C1,北京华信科技有限公司,13800000001,100.00,2026-01-01\n"
        "C2,上海宏达贸易有限公司,13900000002,200.00,2026-01-02\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["dedupe", "--quiet", "--out", str(out), str(source)]) == 0
    with open(out / "links.csv", encoding="utf-8") as stream:
        assert len({row["entity_id"] for row in csv.DictReader(stream)}) == 2
    assert (
        json.loads((out / "summary.json").read_text(encoding="utf-8"))["totals"]["conflicts"] == 0
    )
