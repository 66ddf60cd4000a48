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
        ["单据编号,源单编号,客户,价税合计,单据日期,单据状态"],
        ["订单编号,客户名称,订单金额,签约日期"],
        ["审批编号,标题,金额,发起日期,审批状态"],
    )
    for k in range(1, 61):
        amount = round(rng.uniform(1000, 200000), 2)
        cid, day, name = f"CRM-2026-{k:05d}", k % 28 + 1, f"客户{k}有限公司"
        late = 0 if k % 7 else 10  # every seventh OA date is ten days off
        erp.append(
            f"SO{k:05d},{cid},{name},{amount},2026-10-{day:02d},{'开立' if k % 2 else '关闭'}"
        )
        crm.append(f'{cid},{name},"CNY {amount:,.2f}",10/{day:02d}/2026')  # US dates
        oa.append(
            f"OA{k:05d},关于{cid}的合同审批,{amount + (0 if k % 5 else 100):.2f},"
            f"2026年{10 + (day + late > 31)}月{(day + late - 1) % 31 + 1}日,"
            f"{'已通过' if k % 3 else '审批中'}"
        )
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


def test_a_date_takes_the_columns_pattern(session):
    groups = sorted({c.group for c in session.result.conflicts if c.field == "date"})
    assert groups
    for group in groups:
        erp_row = next(row for label, row in session.members(group) if label == "erp")
        day = str(session.table("erp").values("单据日期").iloc[erp_row])  # 2026-10-DD
        changes = session.fixes_of(Decision("take", group, field="date", source="erp"))
        written = {Path(c.target.location).stem: c.new for c in changes}
        assert set(written) == {"oa"}  # the CRM's US date already says the same day
        assert written["oa"] == f"2026年10月{int(day[-2:])}日"


@pytest.mark.parametrize(
    ("column", "style", "written"),
    [
        (["11/03/2026", "12/25/2026"], "m/d/y", "02/07/2026"),
        (["2026年11月3日", "2026年1月15日"], "y年m月d日", "2026年2月7日"),
        (["2026/11/03", "2026/01/05"], "y/m/d", "2026/02/07"),
        (["20261103", "20260105"], "ymd", "20260207"),
    ],
)
def test_a_column_writes_its_dates_one_way(column, style, written):
    import datetime as dt

    from app.decide.spelling import date_style, render_date

    assert date_style(column) == style
    assert render_date(dt.date(2026, 2, 7), style) == written


@pytest.fixture(scope="module")
def demo() -> ReviewSession:
    from tests.world import demo_session

    return demo_session()


def test_a_status_is_written_in_the_target_systems_own_word(demo):
    """Trusting the OA's state: the ERP and the CRM get their own word for it, never the
    OA's — or no fix where their column has no word for that state."""
    from app.decide.spelling import status_words
    from app.normalise import canonical_status

    field = next(f for f in demo.result.mapping.fields if f.name == "status")
    vocabulary = {
        label: status_words(demo.table(label).values(column))
        for label, column in field.columns.items()
    }
    groups = sorted({c.group for c in demo.result.conflicts if c.field == "status"})
    assert groups
    checked = 0
    for group in groups:
        oa_row = next((row for label, row in demo.members(group) if label == "oa"), None)
        if oa_row is None:
            continue
        state = canonical_status(str(demo.table("oa").values(field.columns["oa"]).iloc[oa_row]))
        for change in demo.fixes_of(Decision("take", group, field="status", source="oa")):
            label = "erp" if "ERP" in change.target.location else "crm"
            assert change.new == vocabulary[label][state], (label, state, change.new)
            assert change.new in set(demo.table(label).values(change.column))
            checked += 1
    assert checked


def _take_oa_approval(session: ReviewSession) -> Decision:
    """Taking the OA's 已通过 for the status field of a group that has one."""
    field = next(
        f
        for f in session.result.mapping.fields
        if "erp" in f.columns and "oa" in f.columns and f.columns["oa"] == "审批状态"
    )
    group = next(
        k
        for k, g in enumerate(session.result.groups)
        if any(
            label == "oa" and str(session.table("oa").values("审批状态").iloc[row]) == "已通过"
            for label, row in g.members
        )
    )
    return Decision("take", group, field=field.name, source="oa")


def test_a_state_the_target_has_no_word_for_is_named_not_written(session):
    """The ERP's 单据状态 holds only 开立 and 关闭: taking the OA's 已通过 proposes no ERP
    fix, and says which words the ERP column does hold."""
    decision = _take_oa_approval(session)
    assert not [c for c in session.fixes_of(decision) if "erp" in c.target.location]
    (refused,) = session.unwritable(decision)
    assert (refused.label, refused.column, refused.value) == ("erp", "单据状态", "已通过")
    assert refused.words == ["关闭", "开立"]


def test_a_word_picked_for_a_missing_state_is_written_if_the_column_holds_it(
    session, capsys, tmp_path
):
    """The person (or a rule's --set) picks one of the column's own words for a state it
    has none for; a word the column does not hold is never written."""
    from app.cli import main

    decision = _take_oa_approval(session)
    try:
        session.words[decision.field] = {"approved": "审核"}  # not a word this ERP column holds
        assert session.unwritable(decision)
        session.words[decision.field] = {"approved": "关闭"}
        (fix,) = [c for c in session.fixes_of(decision) if "erp" in c.target.location]
        assert (fix.column, fix.new) == ("单据状态", "关闭") and not session.unwritable(decision)
    finally:
        session.words.clear()
    rule = ["rule", "add", "--field", "status", "--trust", "oa", "--workspace"]
    location = str(tmp_path / "w.concord")
    assert main([*rule, location, "--set", "approve=关闭"]) == 1
    assert "'approve' is not a document state" in capsys.readouterr().err
    assert main([*rule, location, "--set", "approved=关闭"]) == 0
    assert "approved is written 关闭" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("column", "value", "written"),
    [
        (["+86 138 0013 8000", "+86 139 1234 5678"], "13712345678", "+86 137 1234 5678"),
        (["86-13800138000", "86-13912345678"], "+86 137-1234-5678", "86-13712345678"),
        (["138-0013-8000", "139-1234-5678"], "8613712345678", "137-1234-5678"),
        (["0755-8888 6666", "(010)12345678"], "075512345678", "0755-1234 5678"),
        (["13800138000"], "010-12345678", None),  # no landline to learn from
    ],
)
def test_a_phone_takes_the_columns_grouping_and_prefix(column, value, written):
    from app.decide.spelling import phone_shape

    shape = phone_shape(column)
    assert shape is not None and shape.render(value) == written


@pytest.mark.parametrize(
    ("column", "value", "written"),
    [
        (["CRM-2026-00123", "CRM-2026-00001"], "crm202600124", "CRM-2026-00124"),
        (["so00012", "so00013"], "SO-00077", "so00077"),
        (["00110000212", "00110000300"], "110000999", None),  # nine digits, not eleven
        (["A 001 234", "B 002 345"], "c001999", "C 001 999"),
    ],
)
def test_a_code_takes_the_columns_separators_and_case(column, value, written):
    from app.decide.spelling import code_shape

    shape = code_shape(column)
    assert shape is not None and shape.render(value) == written


@pytest.fixture(scope="module")
def customers(tmp_path_factory: pytest.TempPathFactory) -> ReviewSession:
    """An ERP customer master with bare mobiles and a CRM writing them ``+86 138 0013
    8000``; every fourth CRM phone is another number."""
    folder = tmp_path_factory.mktemp("phones")
    erp, crm = ["客户编码,客户名称,联系电话"], ["Account ID,Account Name,Phone"]
    for k in range(1, 41):
        mobile = f"138{k:08d}"
        other = f"139{k:08d}" if k % 4 == 0 else mobile
        erp.append(f"C{k:05d},客户{k}科技有限公司,{mobile}")
        crm.append(f"A-{k:05d},客户{k}科技有限公司,+86 {other[:3]} {other[3:7]} {other[7:]}")
    for name, lines in (("erp", erp), ("crm", crm)):
        Path(folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tables = [load(f"{name}={folder / name}.csv") for name in ("erp", "crm")]
    settings = Settings(conflict_fields=frozenset({"phone"}))  # [conflicts] fields = ["phone"]
    return ReviewSession(link_tables(tables, RECONCILE, settings))


def test_trusting_the_erp_writes_the_crm_phone_its_own_way(customers):
    groups = sorted({c.group for c in customers.result.conflicts if c.field == "phone"})
    assert len(groups) == 10  # only the numbers that differ, not the spelling
    for group in groups:
        erp_row = next(row for label, row in customers.members(group) if label == "erp")
        mobile = str(customers.table("erp").values("联系电话").iloc[erp_row])
        (change,) = customers.fixes_of(Decision("take", group, field="phone", source="erp"))
        assert change.new == f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}"


@pytest.mark.parametrize(
    ("written", "means"),
    [
        ("审核", ("status", "approved")),
        ("Closed Won", ("status", "approved")),
        ("CNY 71,431.71", ("money", "71431.71")),
        ("1,095元", ("money", "1095")),
        ("10/13/2026", ("date", "2026-10-13")),
        ("2026年10月13日", ("date", "2026-10-13")),
        ("+86 138 0013 8000", ("phone", "13800138000")),
        ("1095.50", None),
        ("21716.8", None),  # a plain amount, never an Excel date serial (1959-06-15)
        ("45000", None),
        ("2026-10-13", None),
        ("SO00012", None),
        ("客户1有限公司", None),
    ],
)
def test_a_value_in_a_systems_spelling_says_what_it_means(written, means):
    from app.decide.spelling import meaning

    assert meaning(written) == means
