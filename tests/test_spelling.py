"""Fixes written in the target column's own spelling, and no fix for a cell that already
says the same thing in another spelling."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from app.decide.decisions import Decision
from app.decide.session import ReviewSession
from app.decide.spelling import MoneyStyle, money_style
from app.reconcile.pipeline import RECONCILE, link_tables
from app.reconcile.settings import Settings
from app.sources import load


@pytest.mark.parametrize(
    ("column", "amount", "written"),
    [
        (["CNY 196,080.36", "CNY 1,234.50", "CNY 71.00"], "71431.71", "CNY 71,431.71"),
        (["CNY 196,080.36", "CNY 5.00"], "61587", "CNY 61,587.00"),
        (["¥21,932.80", "1,068.00", "¥3,000.00"], "1095", "¥1,095.00"),
        (["1,068元", "2,300元", "35元"], "1095", "1,095元"),
        (["(1,200.00)", "300.00"], "-5440", "(5,440.00)"),
        (["1068", "2000", "35"], "1095.5", "1095.5"),
        (["1068", "2000", "35"], "￥5,440.00", "5440"),
        (["CNY -1,000.00", "CNY 5.00"], "-12.5", "CNY -12.50"),
    ],
)
def test_an_amount_takes_the_columns_spelling(column, amount, written):
    from app.normalise import parse_money

    style = money_style(column)
    assert style is not None and style.render(parse_money(amount)) == written


def test_a_column_without_amounts_has_no_style():
    assert money_style(["", "n/a", "待定"]) is None
    assert MoneyStyle().render(Decimal("12.50")) == "12.5"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> ReviewSession:
    """ERP amounts as plain numbers, a Salesforce-style CRM as ``CNY 1,234.50``, OA with
    two decimals; every fifth OA amount is 100 off."""
    folder = tmp_path_factory.mktemp("spelling")
    rng = random.Random(3)
    erp, crm, oa = (
        ["单据编号,源单编号,客户,价税合计,单据日期"],
        ["订单编号,客户名称,订单金额,签约日期"],
        ["审批编号,标题,金额,发起日期"],
    )
    for k in range(1, 61):
        amount = round(rng.uniform(1000, 200000), 2)
        cid, day, name = f"CRM-2026-{k:05d}", f"2026-10-{k % 28 + 1:02d}", f"客户{k}有限公司"
        erp.append(f"SO{k:05d},{cid},{name},{amount},{day}")
        crm.append(f'{cid},{name},"CNY {amount:,.2f}",{day}')
        oa.append(f"OA{k:05d},关于{cid}的合同审批,{amount + (0 if k % 5 else 100):.2f},{day}")
    for name, lines in (("erp", erp), ("crm", crm), ("oa", oa)):
        Path(folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tables = [load(f"{name}={folder / name}.csv") for name in ("erp", "crm", "oa")]
    return ReviewSession(link_tables(tables, RECONCILE, Settings()))


def test_trusting_the_erp_fixes_only_the_amounts_that_differ(session):
    groups = sorted({c.group for c in session.result.conflicts if c.field == "amount"})
    assert len(groups) == 12
    fixes = [
        change
        for group in groups
        for change in session.fixes_of(Decision("take", group, field="amount", source="erp"))
    ]
    assert len(fixes) == 12  # the OA amounts; the CRM's "CNY 1,234.50" already agrees
    assert {Path(c.target.location).name for c in fixes} == {"oa.csv"}
    assert all(c.new.count(".") == 1 and len(c.new.split(".")[1]) == 2 for c in fixes)


def test_trusting_the_oa_writes_the_crm_amount_its_own_way(session):
    from app.normalise import parse_money

    group = next(c.group for c in session.result.conflicts if c.field == "amount")
    oa_row = next(row for label, row in session.members(group) if label == "oa")
    oa_amount = parse_money(str(session.table("oa").values("金额").iloc[oa_row]))
    changes = session.fixes_of(Decision("take", group, field="amount", source="oa"))
    written = {Path(c.target.location).stem: c.new for c in changes}
    assert written["crm"] == f"CNY {oa_amount:,.2f}"  # as the CRM writes every amount
    assert written["erp"] == f"{oa_amount.normalize():f}"  # plain, as the ERP's
