"""The document chain: one state per record, which table is which system, the chain
exceptions with the system behind and their age, and the grace period."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from app.errors import InputError
from app.mapping.detect import profile_table
from app.reconcile.chain import document_state
from app.reconcile.pipeline import RECONCILE, link_tables
from app.reconcile.settings import load_settings, settings_from
from app.sources import SourceSpec, load_source
from bench.chain_quality import evaluate
from bench.datagen_styles import generate, write


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        (["closed", "approved"], "approved"),  # DingTalk 已完成 + 同意
        (["closed", "rejected"], "rejected"),  # 已完成 + 拒绝: the approval was refused
        (["cancelled", ""], "cancelled"),  # 已撤销
        (["pending", ""], "pending"),  # 审批中
        (["approved", "pending"], "approved"),  # ERP 已审核 + 关闭状态 未关闭
        (["", ""], ""),
    ],
)
def test_a_records_status_columns_make_one_state(states, expected):
    assert document_state(states) == expected


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


CUSTOMERS = [
    "北京华信科技有限公司",
    "上海宏远贸易有限公司",
    "广州明达电子有限公司",
    "深圳恒通物流有限公司",
]


def _three(tmp_path: Path, erp_states, crm_states, oa_states, oa_days, english=False):
    """ERP, CRM and OA tables of four deals (a None state: no record), in neutral file
    names so each system is told by its headers and words."""
    erp_rows, crm_rows, oa_rows = [], [], []
    for k, customer in enumerate(CUSTOMERS):
        amount = f"{(k + 1) * 1000 + 234.5:.2f}"
        if erp_states[k] is not None:
            erp_rows.append(
                [f"SO2026{k:04d}", f"2026-11-{5 + k:02d}", customer, amount, erp_states[k]]
            )
        if crm_states[k] is not None:
            crm_rows.append(
                [
                    f"0066F{k:010d}",
                    customer,
                    f"CNY {float(amount):,.2f}",
                    f"11/{5 + k:02d}/2026",
                    crm_states[k],
                ]
            )
        if oa_states[k] is not None:
            status, result = oa_states[k]
            submitted = f"2026-11-{oa_days[k]:02d} 09:30:00"
            oa_rows.append([f"2026111{k:013d}", customer, amount, status, result, submitted])
    erp_header = ["订单号", "订单日期", "客户名称", "价税合计", "单据状态"]
    crm_header = ["Opportunity ID", "Account Name", "Amount", "Close Date", "Stage"]
    oa_header = (
        ["Approval No", "Customer", "Amount", "Approval Status", "Approval Result", "Submitted At"]
        if english
        else ["审批编号", "客户名称", "合同金额", "审批状态", "审批结果", "发起时间"]
    )
    return {
        "a": _csv(tmp_path / "a.csv", erp_header, erp_rows),
        "b": _csv(tmp_path / "b.csv", crm_header, crm_rows),
        "c": _csv(tmp_path / "c.csv", oa_header, oa_rows),
    }


def _run(paths: dict[str, Path], settings=None):
    tables = [load_source(SourceSpec(label, path)) for label, path in paths.items()]
    return link_tables(tables, RECONCILE, settings or load_settings(None))


def _exceptions(result):
    """{customer index: (kind, behind, age)} of the chain exceptions."""
    found = {}
    for conflict in result.conflicts:
        if conflict.field != "status":
            continue
        label, row = conflict.members[0]
        customer = (
            result.table(label)
            .values(
                next(
                    c.name
                    for c in result.table(label).columns
                    if "客户" in c.name or "Account" in c.name or c.name == "Customer"
                )
            )
            .iloc[row]
        )
        found[CUSTOMERS.index(customer)] = (conflict.kind, conflict.behind, conflict.age_days)
    return found


def _every_kind(tmp_path: Path, english: bool = False) -> dict[str, Path]:
    """One deal of each exception: approved not booked, booked without approval, won not
    submitted, a contradiction."""
    return _three(
        tmp_path,
        erp_states=["开立", "审核", None, "开立"],
        crm_states=["Closed Won", "Closed Won", "Closed Won", "Closed Lost"],
        oa_states=[("已完成", "同意"), ("审批中", ""), None, ("已完成", "同意")],
        oa_days=[2, 12, 0, 12],
        english=english,
    )


@pytest.mark.parametrize("english", [False, True])
def test_every_kind_of_chain_exception_with_the_system_behind(tmp_path, english):
    paths = _every_kind(tmp_path, english)
    result = _run(paths)
    assert result.roles == {"erp": "a", "crm": "b", "oa": "c"}
    found = _exceptions(result)
    as_of = 12  # the newest day the tables hold; ages from the system ahead
    assert found == {
        0: ("approved_not_booked", "a", as_of - 2),  # OA approved on the 2nd, ERP 开立
        1: ("booked_without_approval", "c", as_of - 6),  # ERP 审核 on the 6th, OA 审批中
        2: ("won_not_submitted", "c", as_of - 7),  # won on the 7th, no approval, not booked
        3: ("contradiction", "", as_of - 12),  # Closed Lost against OA 同意 of the 12th
    }


def test_late_within_the_grace_period_is_no_exception(tmp_path):
    paths = _three(
        tmp_path,
        erp_states=["开立", "审核", "审核", "审核"],
        crm_states=["Closed Won", "Closed Won", "Closed Won", "Closed Won"],
        oa_states=[("已完成", "同意"), ("已完成", "同意"), ("已完成", "同意"), ("已完成", "同意")],
        oa_days=[11, 10, 11, 12],
    )
    assert _exceptions(_run(paths)) == {}  # approved yesterday, not booked yet: in time
    later = settings_from({"chain": {"as_of": "2026-11-20"}})
    assert _exceptions(_run(paths, later)) == {0: ("approved_not_booked", "a", 9)}
    stricter = settings_from({"chain": {"grace_days": 0}})
    assert _exceptions(_run(paths, stricter)) == {0: ("approved_not_booked", "a", 1)}


def test_roles_given_in_settings_win(tmp_path):
    paths = _three(
        tmp_path,
        erp_states=["开立", "审核", "审核", "审核"],
        crm_states=["Closed Won"] * 4,
        oa_states=[("已完成", "同意")] * 4,
        oa_days=[2, 10, 11, 12],
    )
    swapped = settings_from({"chain": {"erp": "c", "oa": "a"}})
    assert _run(paths, swapped).roles == {"erp": "c", "oa": "a", "crm": "b"}


@pytest.mark.parametrize(
    ("chain", "message"),
    [
        ({"as_of": "yesterday"}, "chain.as_of must be a day like 2026-11-24"),
        ({"grace_days": "two"}, "'grace_days' must be a non-negative number"),
        ({"erp": 5}, "chain.erp must be a table label"),
        ({"lead": "crm"}, "unknown setting chain.lead"),
    ],
)
def test_bad_chain_settings_say_which(chain, message):
    with pytest.raises(InputError, match=message):
        settings_from({"chain": chain})


def test_the_submitted_time_joins_the_document_date(tmp_path):
    """Of an OA's two datetimes, the one the document started at aligns with the other
    tables' date (Chinese and English headers); the completion time stays its own."""
    for started, finished in (("发起时间", "完成时间"), ("Submitted At", "Completed At")):
        erp = _csv(
            tmp_path / "erp.csv",
            ["单据编号", "单据日期", "客户名称", "价税合计"],
            [[f"XS{k}", f"2026-11-{k + 1:02d}", CUSTOMERS[k], f"{k}000.00"] for k in range(4)],
        )
        crm = _csv(
            tmp_path / "crm.csv",
            ["订单编号", "下单日期", "客户名称", "订单金额"],
            [[f"CRM{k}", f"2026/11/{k + 1}", CUSTOMERS[k], f"{k}000"] for k in range(4)],
        )
        oa = _csv(
            tmp_path / "oa.csv",
            ["审批编号", started, finished, "客户名称", "金额"],
            [
                [
                    f"OA{k}",
                    f"2026-11-{k + 1:02d} 09:00",
                    f"2026-11-{k + 3:02d} 17:00",
                    CUSTOMERS[k],
                    f"{k}000",
                ]
                for k in range(4)
            ],
        )
        result = _run({"erp": erp, "crm": crm, "oa": oa})
        date_field = next(f for f in result.mapping.fields if f.columns.get("erp") == "单据日期")
        assert date_field.columns == {"erp": "单据日期", "crm": "下单日期", "oa": started}


def test_vendor_styles_find_every_kind(tmp_path):
    """U8, Salesforce and DingTalk exports under their own file names: each chain
    exception kind and every conflict found with F1 ≥ 0.95 (the bench runs three seeds
    of 1,000 deals; this one of 400)."""
    write(generate(400, seed=5), tmp_path / "data", seed=5)
    results = evaluate(tmp_path / "data", tmp_path / "out")
    assert results["orders"]["f1"] >= 0.97
    for name in (
        "conflicts",
        "booked_without_approval",
        "contradiction",
        "approved_not_booked",
        "won_not_submitted",
        "date",
    ):
        assert results[name]["true"] > 0, name
        assert results[name]["f1"] >= 0.95, (name, results[name])


def test_a_toml_day_is_taken_as_the_as_of_day():
    assert settings_from({"chain": {"as_of": date(2026, 11, 24)}}).chain.as_of == date(2026, 11, 24)


def test_a_status_rule_books_what_the_oa_approved_but_never_settles_a_breach(tmp_path):
    """ "status: trust oa" moves the ERP record of an approval never booked to the ERP's
    own word (审核, from the DingTalk pair 已完成 + 同意); an order booked without approval
    is left for a person, and a contradiction follows the rule as before."""
    from app.decide.session import ReviewSession
    from app.usecases.review import rule_decisions

    paths = _every_kind(tmp_path)
    session = ReviewSession(_run(paths))
    changes = {
        (change.key, change.column, change.old, change.new)
        for decision in rule_decisions(session, "status", "c", "clerk")
        for change in session.fixes_of(decision)
    }
    assert changes == {
        ("SO20260000", "单据状态", "开立", "审核"),  # approved, not booked: book it
        ("SO20260003", "单据状态", "开立", "审核"),  # the contradiction, by the rule
        ("0066F0000000003", "Stage", "Closed Lost", "Closed Won"),
    }


@pytest.mark.parametrize(
    ("header", "ids"),
    [("Account ID", "0011000{:04d}"), ("客户编号", "00{:09d}"), ("Customer No.", "001{:08d}")],
)
def test_an_id_header_over_digits_a_phone_could_have_is_the_key(tmp_path, header, ids):
    """A Salesforce-style account export: its only identifier is the key, though its
    digits read as an international phone number."""
    path = _csv(
        tmp_path / "accounts.csv",
        [header, "Account Name", "Phone"],
        [[ids.format(k), f"{CUSTOMERS[k % 4]}{k}", f"+86 1381234{k:04d}"] for k in range(40)],
    )
    profile = profile_table(load_source(SourceSpec("crm", path)))
    assert (profile.key, profile.key_reason) == (
        header,
        "the only complete, unique, ID-like column",
    )


@pytest.mark.parametrize(
    ("opportunity", "order", "quoted"),
    [("Opportunity ID", "Order Number", "Opportunity Ref"), ("商机ID", "订单编号", "商机号")],
)
def test_of_two_ids_the_one_other_tables_quote_is_the_key(
    tmp_path, capsys, opportunity, order, quoted
):
    from app.cli import main

    crm = _csv(
        tmp_path / "opportunities.csv",
        [opportunity, order, "Account Name", "Amount"],
        [[f"0066F{k:010d}", f"ORD-{k:05d}", CUSTOMERS[k % 4], f"{k}00.00"] for k in range(60)],
    )
    erp = _csv(
        tmp_path / "erp.csv",
        ["单据编号", "客户名称", "价税合计", quoted],
        [
            [f"SO{k:05d}", CUSTOMERS[k % 4], f"{k}00.00", f"0066F{k:010d}" if k % 3 else ""]
            for k in range(60)
        ],
    )
    result = _run({"crm": crm, "erp": erp})
    assert result.mapping.profiles["crm"].key == opportunity
    assert result.mapping.profiles["crm"].key_reason == "the ID quoted by erp"
    assert result.mapping.profiles["erp"].key == "单据编号"
    assert main(["inspect", str(crm), str(erp)]) == 0
    assert f"key {opportunity}: the ID quoted by erp" in capsys.readouterr().out


def test_the_daily_loop_on_vendor_exports_writes_each_systems_own_words(tmp_path):
    """U8, Salesforce and DingTalk exports in a workspace: "amount: trust erp" proposes
    fixes only where an amount differs, written as the CRM writes amounts (CNY 1,234.50);
    "status: trust oa" books each approval the ERP never booked in the ERP's own word."""
    import re

    from app.store.fixes import listing
    from app.store.workspace import Workspace
    from bench.datagen_styles import FILES
    from tests.world import concord

    data = tmp_path / "data"
    write(generate(300, seed=9), data, seed=9)
    location = str(tmp_path / "team.concord")
    sources = [f"--source={t}={data / FILES[t]}" for t in ("erp", "crm", "oa")]
    assert concord(location, "job", "create", "daily", *sources, user=None) == 0
    assert concord(location, "rule", "add", "--field", "amount", "--trust", "erp", user=None) == 0
    assert concord(location, "rule", "add", "--field", "status", "--trust", "oa", user=None) == 0
    assert concord(location, "run", "daily", "--quiet", user=None) == 0
    fixes = listing(Workspace(location))
    with open(data / "truth" / "conflicts.csv", encoding="utf-8") as stream:
        truth = {(row["table"], row["record_id"]): row["kind"] for row in csv.DictReader(stream)}
    table_of = {str((data / name).resolve()): t for t, name in FILES.items()}
    amounts = [f for f in fixes if f["column"] in ("Amount", "合同金额")]
    assert amounts and all(
        truth.get((table_of[f["target"]], f["record"])) == "money" for f in amounts
    )
    crm = [f for f in amounts if f["column"] == "Amount"]
    assert crm and all(re.fullmatch(r"CNY \d{1,3}(,\d{3})*\.\d\d", str(f["new"])) for f in crm)
    booked = [f for f in fixes if f["column"] == "单据状态"]
    late = {key for key, kind in truth.items() if kind == "approved_not_booked" and key[0] == "erp"}
    assert {f["record"] for f in booked if f["new"] == "审核"} >= {record for _, record in late}
    assert all(f["old"] == "开立" for f in booked)
    assert not [f for f in booked if truth.get(("erp", f["record"])) == "booked_without_approval"]


def test_planned_dates_neither_age_nor_date_the_export(tmp_path):
    """An order's 交货日期 weeks ahead says nothing of the day the files were exported:
    the OA approved on the 11th of a world whose newest done date is the 12th is in time."""
    paths = _three(
        tmp_path,
        erp_states=["开立", "审核", "审核", "审核"],
        crm_states=["Closed Won"] * 4,
        oa_states=[("已完成", "同意")] * 4,
        oa_days=[11, 10, 11, 12],
    )
    with open(paths["a"], encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    rows[0].append("交货日期")
    for row in rows[1:]:
        row.append("2026-11-30")
    _csv(paths["a"], rows[0], rows[1:])
    assert _exceptions(_run(paths)) == {}
